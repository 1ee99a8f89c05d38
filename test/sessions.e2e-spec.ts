import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

/** The refresh cookie a response set (name=value), and its attributes. */
function cookieOf(res: { headers: Headers }): { pair: string; attributes: string } {
  const header = res.headers.get('set-cookie') ?? '';
  const [pair, ...rest] = header.split(';');
  return { pair: pair.trim(), attributes: rest.join(';') };
}

describe('Browser sessions with rotating refresh tokens (e2e)', () => {
  let t: TestApp;
  let user: TestUser;
  const start = () =>
    t.http.post('/auth/session', { json: { email: user.email, password: user.password } });
  const refresh = (cookie: string) => t.http.post('/auth/jwt/refresh', { headers: { cookie } });

  beforeAll(async () => {
    t = await createTestApp();
    user = await signUp(t.http);
  });
  afterAll(() => t.close());

  it('starts with a short-lived access token and an httpOnly, SameSite=Strict cookie on /auth', async () => {
    const res = await start();
    expect(res.status).toBe(200);
    const { pair, attributes } = cookieOf(res);
    expect(pair).toMatch(/^mc_refresh=[0-9a-f-]{36}\.[\w-]{43}$/);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/auth');
    // Plain HTTP on a loopback address: not Secure (a developer's machine), elsewhere it is.
    expect(attributes).not.toContain('Secure');
    const claims = JSON.parse(
      Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString(),
    ) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBe(900);
    expect((await t.http.get('/users/me', { token: res.body.access_token })).status).toBe(200);
    const bad = await t.http.post('/auth/session', {
      json: { email: user.email, password: 'wrong password' },
    });
    expect([bad.status, bad.body.code]).toEqual([400, 'LOGIN_BAD_CREDENTIALS']);
  });

  /** Moves the uses of every token of `cookie`'s session `seconds` into the past. */
  const ageUses = (cookie: string, seconds: number) =>
    t.app.get(DataSource).query(
      `UPDATE refresh_tokens SET used_at = used_at - make_interval(secs => $2)
       WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE id = $1::uuid)`,
      [cookie.split('=')[1].split('.')[0], seconds],
    );

  it('rotates: each refresh token works once; reusing one after the grace window ends the whole family and its access tokens', async () => {
    const started = await start();
    const first = cookieOf(started).pair;
    const r1 = await refresh(first);
    expect(r1.status).toBe(200);
    expect((await t.http.get('/users/me', { token: r1.body.access_token })).status).toBe(200);
    const second = cookieOf(r1).pair;
    expect(second).not.toBe(first);
    const r2 = await refresh(second);
    expect(r2.status).toBe(200);
    const third = cookieOf(r2).pair;

    // The first token again, long after its rotation: a copy was taken. The family ends, the
    // newest token too, and so do the access tokens it handed out.
    await ageUses(first, 60);
    const reused = await refresh(first);
    expect([reused.status, reused.body.code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    expect(cookieOf(reused).attributes).toContain('Max-Age=0');
    const after = await refresh(third);
    expect([after.status, after.body.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
    for (const token of [started.body.access_token, r1.body.access_token, r2.body.access_token]) {
      const me = await t.http.get('/users/me', { token });
      expect([me.status, me.body.code]).toEqual([401, 'TOKEN_REVOKED']);
    }
  });

  it('a token replayed within the grace window (a reload racing the rotation) gets a sibling, not a revocation', async () => {
    const first = cookieOf(await start()).pair;
    const r1 = await refresh(first);
    expect(r1.status).toBe(200);
    // The reload sent the token that was just rotated.
    const replay = await refresh(first);
    expect(replay.status).toBe(200);
    const sibling = cookieOf(replay).pair;
    expect(sibling).not.toBe(cookieOf(r1).pair);
    // Both branches of the session live on, and both access tokens work.
    for (const res of [r1, replay])
      expect((await t.http.get('/users/me', { token: res.body.access_token })).status).toBe(200);
    expect((await refresh(cookieOf(r1).pair)).status).toBe(200);
    expect((await refresh(sibling)).status).toBe(200);
    // Outside the window the same replay is taken for theft.
    await ageUses(first, 11);
    const late = await refresh(first);
    expect([late.status, late.body.code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    expect((await refresh(sibling)).status).toBe(401);
  });

  it('two racing refreshes with one token: both get a working token of the same session', async () => {
    const cookie = cookieOf(await start()).pair;
    const both = await Promise.all([refresh(cookie), refresh(cookie)]);
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    const [a, b] = both.map((r) => cookieOf(r).pair);
    expect(a).not.toBe(b);
    expect((await refresh(a)).status).toBe(200);
    expect((await refresh(b)).status).toBe(200);
    // One logout ends both.
    expect((await t.http.delete('/auth/session', { headers: { cookie: a } })).status).toBe(204);
    expect((await refresh(b)).status).toBe(401);
  });

  it('refuses a refresh token past its expiry, whatever else is right about it', async () => {
    const cookie = cookieOf(await start()).pair;
    await t.app
      .get(DataSource)
      .query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [
        cookie.split('=')[1].split('.')[0],
      ]);
    const res = await refresh(cookie);
    expect([res.status, res.body.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
  });

  it('ending a session ends the access token it gave at once', async () => {
    const started = await start();
    const cookie = cookieOf(started).pair;
    const token = started.body.access_token as string;
    expect((await t.http.get('/users/me', { token })).status).toBe(200);
    expect((await t.http.delete('/auth/session', { headers: { cookie } })).status).toBe(204);
    const me = await t.http.get('/users/me', { token });
    expect([me.status, me.body.code]).toEqual([401, 'TOKEN_REVOKED']);
    // Another session of the same person is untouched.
    const other = await start();
    expect((await t.http.get('/users/me', { token: other.body.access_token })).status).toBe(200);
  });

  it('logout ends the session; a password change or ban ends it too; Bearer login is unchanged', async () => {
    const cookie = cookieOf(await start()).pair;
    const end = await t.http.delete('/auth/session', { headers: { cookie } });
    expect(end.status).toBe(204);
    expect((await refresh(cookie)).status).toBe(401);

    const banned = await signUp(t.http);
    const res = await t.http.post('/auth/session', {
      json: { email: banned.email, password: banned.password },
    });
    await t.app
      .get(DataSource)
      .query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [banned.id]);
    expect((await refresh(cookieOf(res).pair)).status).toBe(401);

    for (const bad of ['', 'mc_refresh=nonsense', 'other=1']) {
      const r = await refresh(bad);
      expect([r.status, r.body.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
    }
    const login = await t.http.post('/auth/jwt/login', {
      form: { username: user.email, password: user.password },
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toBeNull();
  });

  describe('refresh limit', () => {
    let limited: TestApp;
    beforeAll(async () => {
      // The login limit (per IP) is far below the refresh limit (per session).
      limited = await createTestApp({
        THROTTLE_AUTH_LIMIT: '2',
        THROTTLE_AUTH_TTL: '1',
        THROTTLE_REFRESH_LIMIT: '4',
      });
    });
    afterAll(() => limited.close());

    it('counts refreshes per session, apart from the login limit, and a 429 keeps the session', async () => {
      const person = await signUp(limited.http);
      const session = () =>
        limited.http.post('/auth/session', {
          json: { email: person.email, password: person.password },
        });
      const again = (cookie: string) =>
        limited.http.post('/auth/jwt/refresh', { headers: { cookie } });
      let cookie = cookieOf(await session()).pair;
      // More refreshes from one address than the login limit allows: all fine.
      for (let i = 0; i < 4; i += 1) {
        const res = await again(cookie);
        expect(res.status).toBe(200);
        cookie = cookieOf(res).pair;
      }
      const over = await again(cookie);
      expect([over.status, over.body.code]).toEqual([429, 'RATE_LIMITED']);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(over.headers.get('set-cookie')).toBeNull();
      // Another session is counted on its own.
      const other = cookieOf(await waitFor(session, 200)).pair;
      expect((await again(other)).status).toBe(200);
      // Once the window has passed, the limited session goes on with the same token.
      const later = await waitFor(() => again(cookie), 200);
      expect(cookieOf(later).pair).toMatch(/^mc_refresh=/);
    });
  });
});

/** Calls `send` until it answers `status` (a rate limit window passing), at most 10 s. */
async function waitFor<T extends { status: number }>(
  send: () => Promise<T>,
  status: number,
): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await send();
    if (res.status === status || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}
