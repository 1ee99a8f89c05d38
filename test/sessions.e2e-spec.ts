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

  it('rotates: each refresh token works once; reusing one ends the whole family', async () => {
    const first = cookieOf(await start()).pair;
    const r1 = await refresh(first);
    expect(r1.status).toBe(200);
    expect((await t.http.get('/users/me', { token: r1.body.access_token })).status).toBe(200);
    const second = cookieOf(r1).pair;
    expect(second).not.toBe(first);
    const r2 = await refresh(second);
    expect(r2.status).toBe(200);
    const third = cookieOf(r2).pair;

    // The first token again: a copy was taken. The family ends, the newest token too.
    const reused = await refresh(first);
    expect([reused.status, reused.body.code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    expect(cookieOf(reused).attributes).toContain('Max-Age=0');
    const after = await refresh(third);
    expect([after.status, after.body.code]).toEqual([401, 'INVALID_REFRESH_TOKEN']);
  });

  it('two racing refreshes with one token: one wins', async () => {
    const cookie = cookieOf(await start()).pair;
    const both = await Promise.all([refresh(cookie), refresh(cookie)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 401]);
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
});
