import { DataSource } from 'typeorm';
import { RefreshRateLimited, SessionsService } from '../../src/auth/sessions.service';
import { TokenService } from '../../src/auth/token.service';
import { UsersService } from '../../src/users/users.service';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

const REFRESH_LIMIT = 4;

describe('Browser sessions (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let sessions: SessionsService;
  let tokens: TokenService;
  let db: DataSource;

  beforeAll(async () => {
    ctx = await createServiceContext({
      THROTTLE_REFRESH_LIMIT: String(REFRESH_LIMIT),
      SESSION_REFRESH_GRACE: '10',
    });
    make = factories(ctx);
    sessions = ctx.get(SessionsService);
    tokens = ctx.get(TokenService);
    db = ctx.get(DataSource);
  });
  afterAll(() => ctx.close());

  const signedIn = (accessToken: string) =>
    outcome(() => tokens.authenticate({ authorization: `Bearer ${accessToken}` }));
  const tokenId = (refreshToken: string) => refreshToken.split('.')[0];
  /** Moves a refresh token's use (or expiry) `seconds` into the past, as time passing would. */
  const age = (refreshToken: string, column: 'used_at' | 'expires_at', seconds: number) =>
    db.query(
      `UPDATE refresh_tokens SET ${column} = now() - make_interval(secs => $2) WHERE id = $1`,
      [tokenId(refreshToken), seconds],
    );

  it('starts a session whose access token works and whose refresh token rotates', async () => {
    const user = await make.user();
    const first = await sessions.start(user);
    expect(await signedIn(first.accessToken)).toBe('ok');
    expect(first.refreshToken).toMatch(/^[0-9a-f-]{36}\.[\w-]{43}$/);
    expect(first.refreshExpiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);

    const second = await sessions.refresh(first.refreshToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await signedIn(second.accessToken)).toBe('ok');
    const third = await sessions.refresh(second.refreshToken);
    expect(await signedIn(third.accessToken)).toBe('ok');
  });

  it.each([
    undefined,
    '',
    'garbage',
    // Shaped like a token, but its id is no UUID (a 500 from the database once).
    `${'0'.repeat(36)}.${'a'.repeat(43)}`,
    `${'-'.repeat(36)}.${'a'.repeat(43)}`,
    // A well-formed id that was never issued.
    `00000000-0000-4000-8000-000000000000.${'a'.repeat(43)}`,
  ])('refuses %j as a refresh token', async (presented) => {
    expect(await outcome(() => sessions.refresh(presented))).toBe('401 INVALID_REFRESH_TOKEN');
  });

  it('gives a token presented again within the grace window a sibling, in the same session', async () => {
    const user = await make.user();
    const start = await sessions.start(user);
    // Two tabs racing the rotation with the same cookie.
    const [a, b] = await Promise.all([
      sessions.refresh(start.refreshToken),
      sessions.refresh(start.refreshToken),
    ]);
    expect(a.refreshToken).not.toBe(b.refreshToken);
    expect([await signedIn(a.accessToken), await signedIn(b.accessToken)]).toEqual(['ok', 'ok']);
    // A reload that re-sends it a moment later too.
    const c = await sessions.refresh(start.refreshToken);
    expect(await signedIn(c.accessToken)).toBe('ok');
    // Each sibling goes on rotating.
    expect(await signedIn((await sessions.refresh(a.refreshToken)).accessToken)).toBe('ok');
  });

  it('ends the whole session when a used token comes back after the grace window', async () => {
    const user = await make.user();
    const start = await sessions.start(user);
    const next = await sessions.refresh(start.refreshToken);
    await age(start.refreshToken, 'used_at', 11);

    expect(await outcome(() => sessions.refresh(start.refreshToken))).toBe(
      '401 REFRESH_TOKEN_REUSED',
    );
    // The thief's copy and the owner's successor are both dead, access tokens included.
    expect(await outcome(() => sessions.refresh(next.refreshToken))).toBe(
      '401 INVALID_REFRESH_TOKEN',
    );
    expect(await signedIn(next.accessToken)).toBe('401 TOKEN_REVOKED');
    expect(await signedIn(start.accessToken)).toBe('401 TOKEN_REVOKED');
    // The user's other sessions are not touched.
    const other = await sessions.start(user);
    expect(await signedIn(other.accessToken)).toBe('ok');
  });

  it('refuses a refresh token past its expiry, whatever else is right about it', async () => {
    const user = await make.user();
    const start = await sessions.start(user);
    await age(start.refreshToken, 'expires_at', 1);
    expect(await outcome(() => sessions.refresh(start.refreshToken))).toBe(
      '401 INVALID_REFRESH_TOKEN',
    );
  });

  it('logging out ends the refresh token and the access token given with it', async () => {
    const user = await make.user();
    const start = await sessions.start(user);
    const next = await sessions.refresh(start.refreshToken);
    await sessions.end(next.refreshToken);
    expect(await outcome(() => sessions.refresh(next.refreshToken))).toBe(
      '401 INVALID_REFRESH_TOKEN',
    );
    expect(await signedIn(next.accessToken)).toBe('401 TOKEN_REVOKED');
    // Not even within the grace window of the token used before.
    expect(await outcome(() => sessions.refresh(start.refreshToken))).toMatch(/^401 /);
    // Ending with nothing or a malformed token is a no-op.
    await expect(sessions.end(undefined)).resolves.toBeUndefined();
    await expect(sessions.end('garbage')).resolves.toBeUndefined();
  });

  it('a password change or a ban ends the account’s sessions', async () => {
    const users = ctx.get(UsersService);
    const [changed, banned] = [await make.user(), await make.user()];
    const a = await sessions.start(changed);
    const b = await sessions.start(banned);
    await users.setPassword(changed, 'another good password', 'X');
    await users.adminUpdate(banned.id, { is_active: false });
    expect(await outcome(() => sessions.refresh(a.refreshToken))).toBe('401 INVALID_REFRESH_TOKEN');
    expect(await outcome(() => sessions.refresh(b.refreshToken))).toBe('401 INVALID_REFRESH_TOKEN');
  });

  it('limits refreshes per session: the limited one stays valid and others go on', async () => {
    const user = await make.user();
    let current = await sessions.start(user);
    for (let i = 0; i < REFRESH_LIMIT; i++) current = await sessions.refresh(current.refreshToken);

    const limited = await sessions.refresh(current.refreshToken).catch((err: unknown) => err);
    expect(limited).toBeInstanceOf(RefreshRateLimited);
    expect((limited as RefreshRateLimited).getStatus()).toBe(429);
    expect((limited as RefreshRateLimited).retryAfter).toBeGreaterThan(0);
    // The refused refresh did not use the token nor end the session.
    const [row] = await db.query(`SELECT used_at, revoked_at FROM refresh_tokens WHERE id = $1`, [
      tokenId(current.refreshToken),
    ]);
    expect(row).toEqual({ used_at: null, revoked_at: null });
    expect(await signedIn(current.accessToken)).toBe('ok');

    // Another session of the same person has its own count.
    const other = await sessions.start(user);
    expect(await signedIn((await sessions.refresh(other.refreshToken)).accessToken)).toBe('ok');
  });
});
