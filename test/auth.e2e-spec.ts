import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { BcryptWorkers } from '../src/users/bcrypt-workers';
import { UsersService } from '../src/users/users.service';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';
import { logIn, signUp } from './support/users';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Auth (e2e)', () => {
  let t: TestApp;
  let jwt: JwtService;

  beforeAll(async () => {
    t = await createTestApp();
    jwt = t.app.get(JwtService);
  });
  afterAll(() => t.close());

  describe('POST /auth/register', () => {
    it('creates a user with the same fields as /users/me', async () => {
      const res = await t.http.post('/auth/register', {
        json: { email: 'Alice@Example.com', password: 'alice password', username: 'alice_1' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email: 'alice@example.com',
        username: 'alice_1',
        bio: null,
        avatar_url: null,
        is_active: true,
        is_verified: false,
        is_superuser: false,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        post_count: 0,
        follower_count: 0,
        following_count: 0,
      });
      expect(res.body).not.toHaveProperty('hashed_password');
      const me = await t.http.get('/users/me', {
        token: await logIn(t.http, 'alice@example.com', 'alice password'),
      });
      expect(me.body).toEqual(res.body);
    });

    it('sends a verification email on sign-up', async () => {
      await t.http.post('/auth/register', {
        json: { email: 'welcome@example.com', password: 'welcome pass' },
      });
      expect(t.mailer.lastToken('welcome@example.com', /verify/i)).toMatch(/^ey/);
    });

    it('rejects a duplicate email (any case) with 400 REGISTER_USER_ALREADY_EXISTS, as FastAPI Users does', async () => {
      await t.http.post('/auth/register', {
        json: { email: 'dup@example.com', password: 'dup password' },
      });
      const res = await t.http.post('/auth/register', {
        json: { email: 'DUP@example.com', password: 'other password' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        status_code: 400,
        error: 'Bad Request',
        code: 'REGISTER_USER_ALREADY_EXISTS',
      });
      expect(typeof res.body.detail).toBe('string');
    });

    it('rejects a username taken in another case with 400', async () => {
      await t.http.post('/auth/register', {
        json: { email: 'u1@example.com', password: 'password one', username: 'Taken.Name' },
      });
      const res = await t.http.post('/auth/register', {
        json: { email: 'u2@example.com', password: 'password two', username: 'taken.name' },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('REGISTER_USERNAME_ALREADY_EXISTS');
    });

    it('derives a username from the email, with a suffix when taken', async () => {
      const first = await t.http.post('/auth/register', {
        json: { email: 'bob.smith@example.com', password: 'bob password' },
      });
      const second = await t.http.post('/auth/register', {
        json: { email: 'bob.smith@other.org', password: 'bob password' },
      });
      expect(first.body.username).toBe('bob.smith');
      expect(second.status).toBe(201);
      expect(second.body.username).toMatch(/^bob\.smith_\d+$/);
    });

    it.each([
      ['too short', 'short1', /at least 8/],
      ['over 72 bytes', 'é'.repeat(37), /at most 72/],
      ['containing the email', 'xx-carol@example.com-xx', /email/],
    ])(
      'rejects a password %s with 400 REGISTER_INVALID_PASSWORD',
      async (_case, password, reason) => {
        const res = await t.http.post('/auth/register', {
          json: { email: 'carol@example.com', password },
        });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('REGISTER_INVALID_PASSWORD');
        expect(res.body.detail).toMatch(reason);
      },
    );

    it('accepts a 72-byte password', async () => {
      const res = await t.http.post('/auth/register', {
        json: { email: 'max@example.com', password: 'a'.repeat(72) },
      });
      expect(res.status).toBe(201);
    });

    it('refuses to set is_superuser, is_active or is_verified', async () => {
      const res = await t.http.post('/auth/register', {
        json: {
          email: 'sneaky@example.com',
          password: 'sneaky password',
          is_superuser: true,
          is_verified: true,
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'is_superuser',
        'is_verified',
      ]);
      expect(await t.app.get(UsersService).findByEmail('sneaky@example.com')).toBeNull();
    });

    it('validates email and username with one error per field', async () => {
      const res = await t.http.post('/auth/register', {
        json: { email: 'not-an-email', password: 'whatever1', username: 'a b' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        status_code: 400,
        error: 'Bad Request',
        code: 'VALIDATION_ERROR',
      });
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'email',
        'username',
      ]);
    });

    it('is also served at POST /api/users/register', async () => {
      const res = await t.http.post('/api/users/register', {
        json: { email: 'chat@example.com', password: 'chat password' },
      });
      expect(res.status).toBe(201);
      expect(res.body.email).toBe('chat@example.com');
    });
  });

  describe('POST /auth/jwt/login', () => {
    it('accepts the OAuth2 password form and returns a bearer token', async () => {
      const user = await signUp(t.http);
      const res = await t.http.post('/auth/jwt/login', {
        form: { grant_type: 'password', username: user.email, password: user.password, scope: '' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ access_token: expect.any(String), token_type: 'bearer' });
      const claims = jwt.decode<Record<string, unknown>>(res.body.access_token);
      expect(claims).toMatchObject({ sub: user.id, aud: 'media-chat:auth' });
      expect((claims.exp as number) - (claims.iat as number)).toBe(3600);
      const header = JSON.parse(
        Buffer.from(res.body.access_token.split('.')[0], 'base64url').toString(),
      );
      expect(header.alg).toBe('HS256');
    });

    it('accepts JSON {email, password}, also at /api/users/login', async () => {
      const user = await signUp(t.http);
      for (const path of ['/auth/jwt/login', '/api/users/login']) {
        const res = await t.http.post(path, {
          json: { email: user.email.toUpperCase(), password: user.password },
        });
        expect(res.status).toBe(200);
        const me = await t.http.get('/api/users/me', { token: res.body.access_token });
        expect(me.body.id).toBe(user.id);
      }
    });

    it('gives the same 400 LOGIN_BAD_CREDENTIALS for a wrong password, an unknown email and an inactive user', async () => {
      const user = await signUp(t.http);
      const banned = await signUp(t.http);
      await t.app.get(UsersService).adminUpdate(banned.id, { is_active: false });
      const attempts = [
        { username: user.email, password: 'wrong password' },
        { username: 'nobody@example.com', password: 'some password' },
        { username: banned.email, password: banned.password },
      ];
      const bodies = [];
      for (const form of attempts) {
        const res = await t.http.post('/auth/jwt/login', { form });
        expect(res.status).toBe(400);
        bodies.push(res.body);
      }
      expect(bodies[0]).toMatchObject({ code: 'LOGIN_BAD_CREDENTIALS' });
      expect(bodies[1]).toEqual(bodies[0]);
      expect(bodies[2]).toEqual(bodies[0]);
    });

    it('costs one bcrypt comparison at the configured cost, whether or not the email exists', async () => {
      const user = await signUp(t.http);
      const compare = jest.spyOn(t.app.get(BcryptWorkers), 'compare');
      try {
        for (const username of [user.email, 'nobody-here@example.com']) {
          compare.mockClear();
          const res = await t.http.post('/auth/jwt/login', {
            form: { username, password: 'wrong password' },
          });
          expect(res.status).toBe(400);
          expect(compare).toHaveBeenCalledTimes(1);
          expect(compare).toHaveBeenCalledWith(
            'wrong password',
            expect.stringMatching(/^\$2b\$04\$/),
          );
        }
      } finally {
        compare.mockRestore();
      }
    });

    it('does not accept a password whose first 72 bytes match', async () => {
      const user = await signUp(t.http, { password: 'p'.repeat(72) });
      const res = await t.http.post('/auth/jwt/login', {
        form: { username: user.email, password: 'p'.repeat(80) },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('LOGIN_BAD_CREDENTIALS');
    });

    it('requires the credentials fields', async () => {
      const res = await t.http.post('/auth/jwt/login', { form: { password: 'x' } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.errors[0].field).toBe('username');
    });
  });

  describe('POST /auth/jwt/logout', () => {
    it('revokes that token only', async () => {
      const user = await signUp(t.http);
      const other = await logIn(t.http, user.email, user.password);
      const res = await t.http.post('/auth/jwt/logout', { token: user.token });
      expect(res.status).toBe(204);
      const after = await t.http.get('/users/me', { token: user.token });
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('TOKEN_REVOKED');
      expect(after.headers.get('www-authenticate')).toBe('Bearer');
      expect((await t.http.get('/users/me', { token: other })).status).toBe(200);
      expect((await t.http.post('/auth/jwt/logout', { token: user.token })).status).toBe(401);
    });

    it('needs a token', async () => {
      const res = await t.http.post('/auth/jwt/logout');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('NOT_AUTHENTICATED');
    });
  });

  describe('deny by default', () => {
    it('every route documented as secured answers 401 without a token, and only those', async () => {
      const doc = (await t.http.get('/docs-json')).body as {
        paths: Record<string, Record<string, { security?: unknown[] }>>;
      };
      const open: string[] = [];
      let secured = 0;
      for (const [path, operations] of Object.entries(doc.paths)) {
        const url = path.replace(/\{[^}]+\}/g, randomUUID());
        for (const [method, operation] of Object.entries(operations)) {
          const res = await t.http.request(
            method.toUpperCase(),
            url,
            method === 'get' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' },
          );
          if (operation.security?.length) {
            secured += 1;
            expect({ route: `${method} ${path}`, status: res.status }).toEqual({
              route: `${method} ${path}`,
              status: 401,
            });
          } else {
            open.push(`${method.toUpperCase()} ${path}`);
            // Open routes never ask for a token; the session refresh answers 401 for a
            // missing session cookie, in its own words.
            if (path === '/auth/jwt/refresh') expect(res.body.code).toBe('INVALID_REFRESH_TOKEN');
            else expect(res.status).not.toBe(401);
          }
        }
      }
      expect(secured).toBeGreaterThan(30);
      expect(open.sort()).toEqual(
        [
          'GET /api/uploads/types/allowed',
          'GET /health',
          'GET /health/live',
          'GET /hello',
          'POST /api/users/login',
          'POST /api/users/register',
          'POST /auth/forgot-password',
          'POST /auth/jwt/login',
          'POST /auth/jwt/refresh',
          'POST /auth/session',
          'DELETE /auth/session',
          'POST /auth/register',
          'POST /auth/request-verify-token',
          'POST /auth/reset-password',
          'POST /auth/verify',
        ].sort(),
      );
    });
  });

  describe('token checks', () => {
    let user: Awaited<ReturnType<typeof signUp>>;
    beforeAll(async () => {
      user = await signUp(t.http);
    });

    const claims = () => ({ sub: user.id, ver: 0, jti: randomUUID() });
    const expectRejected = async (token: string, code = 'INVALID_TOKEN') => {
      const res = await t.http.get('/users/me', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe(code);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.text).not.toMatch(/at \w+ \(|jsonwebtoken|stack/i);
    };

    it('accepts a well-formed token', async () => {
      const token = jwt.sign(claims(), { audience: 'media-chat:auth', expiresIn: 60 });
      expect((await t.http.get('/users/me', { token })).status).toBe(200);
    });

    it('rejects alg "none"', async () => {
      const token = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims(), aud: 'media-chat:auth', exp: Math.floor(Date.now() / 1000) + 60 })}.`;
      await expectRejected(token);
    });

    it('rejects HS512 even with the right secret', async () => {
      await expectRejected(
        jwt.sign(claims(), { audience: 'media-chat:auth', algorithm: 'HS512', expiresIn: 60 }),
      );
    });

    it('rejects a bad signature', async () => {
      await expectRejected(
        jwt.sign(claims(), {
          audience: 'media-chat:auth',
          secret: `${TEST_JWT_SECRET}x`,
          expiresIn: 60,
        }),
      );
      const [h, p, s] = user.token.split('.');
      const flipped = s[0] === 'A' ? `B${s.slice(1)}` : `A${s.slice(1)}`;
      await expectRejected(`${h}.${p}.${flipped}`);
    });

    it('rejects a wrong or missing audience, including reset and verify tokens', async () => {
      await expectRejected(jwt.sign(claims(), { audience: 'someone-else', expiresIn: 60 }));
      await expectRejected(jwt.sign(claims(), { expiresIn: 60 }));
      await expectRejected(
        jwt.sign(claims(), { audience: 'media-chat:auth:verify', expiresIn: 60 }),
      );
    });

    it('rejects an expired token with TOKEN_EXPIRED', async () => {
      const token = jwt.sign(
        { ...claims(), exp: Math.floor(Date.now() / 1000) - 10 },
        { audience: 'media-chat:auth' },
      );
      await expectRejected(token, 'TOKEN_EXPIRED');
    });

    it('rejects garbage, malformed claims and unknown users', async () => {
      await expectRejected('not-a-token');
      await expectRejected(
        jwt.sign(
          { sub: 'not-a-uuid', ver: 0, jti: randomUUID() },
          { audience: 'media-chat:auth', expiresIn: 60 },
        ),
      );
      await expectRejected(
        jwt.sign(
          { ...claims(), sub: randomUUID() },
          { audience: 'media-chat:auth', expiresIn: 60 },
        ),
      );
    });

    it('rejects a missing or non-Bearer Authorization header', async () => {
      const variants: Record<string, string>[] = [{}, { authorization: `Basic ${user.token}` }];
      for (const headers of variants) {
        const res = await t.http.get('/users/me', { headers });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('NOT_AUTHENTICATED');
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('accepts nothing after the token: one scheme, one token', async () => {
      const ok = await t.http.get('/users/me', {
        headers: { authorization: `bearer ${user.token}` },
      });
      expect(ok.status).toBe(200);
      for (const authorization of [
        `Bearer ${user.token} garbage`,
        `Bearer ${user.token},Bearer x.y.z`,
        `Bearer ${user.token}\tx`,
        `Bearer  `,
        'Bearer',
      ]) {
        const res = await t.http.get('/users/me', { headers: { authorization } });
        expect(res.status).toBe(401);
        expect(res.body.code).toMatch(/^(INVALID_TOKEN|NOT_AUTHENTICATED)$/);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });
  });

  describe('password reset', () => {
    it('answers 202 whether or not the account exists, mailing only real accounts', async () => {
      const user = await signUp(t.http);
      const known = await t.http.post('/auth/forgot-password', { json: { email: user.email } });
      const unknown = await t.http.post('/auth/forgot-password', {
        json: { email: 'ghost@example.com' },
      });
      expect(known.status).toBe(202);
      expect(unknown.status).toBe(202);
      expect(unknown.body).toEqual(known.body);
      expect(t.mailer.count('ghost@example.com')).toBe(0);
      expect(t.mailer.lastToken(user.email, /reset/i)).toBeTruthy();
    });

    it('resets the password once, and revokes every older token', async () => {
      const user = await signUp(t.http);
      await t.http.post('/auth/forgot-password', { json: { email: user.email } });
      const token = t.mailer.lastToken(user.email, /reset/i);

      const reset = await t.http.post('/auth/reset-password', {
        json: { token, password: 'brand new password' },
      });
      expect(reset.status).toBe(200);
      expect((await t.http.get('/users/me', { token: user.token })).body.code).toBe(
        'TOKEN_REVOKED',
      );
      expect(await logIn(t.http, user.email, 'brand new password')).toBeTruthy();
      expect(
        (
          await t.http.post('/auth/jwt/login', {
            form: { username: user.email, password: user.password },
          })
        ).status,
      ).toBe(400);

      const again = await t.http.post('/auth/reset-password', {
        json: { token, password: 'another password' },
      });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('RESET_PASSWORD_BAD_TOKEN');
    });

    it('rejects an expired, forged or foreign token', async () => {
      const user = await signUp(t.http);
      await t.http.post('/auth/forgot-password', { json: { email: user.email } });
      const real = jwt.decode<Record<string, unknown>>(t.mailer.lastToken(user.email, /reset/i));
      const expired = jwt.sign(
        { sub: user.id, fp: real.fp, exp: Math.floor(Date.now() / 1000) - 1 },
        { audience: 'media-chat:auth:reset-password' },
      );
      const forged = jwt.sign(
        { sub: user.id, fp: real.fp },
        { audience: 'media-chat:auth:reset-password', secret: 'x'.repeat(40), expiresIn: 60 },
      );
      for (const token of [expired, forged, user.token, 'garbage']) {
        const res = await t.http.post('/auth/reset-password', {
          json: { token, password: 'valid password' },
        });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('RESET_PASSWORD_BAD_TOKEN');
      }
      expect(await logIn(t.http, user.email, user.password)).toBeTruthy();
    });

    it('applies the password policy', async () => {
      const user = await signUp(t.http);
      await t.http.post('/auth/forgot-password', { json: { email: user.email } });
      const token = t.mailer.lastToken(user.email, /reset/i);
      const res = await t.http.post('/auth/reset-password', { json: { token, password: 'short' } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('RESET_PASSWORD_INVALID_PASSWORD');
      expect(
        (
          await t.http.post('/auth/reset-password', {
            json: { token, password: 'long enough now' },
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('email verification', () => {
    it('verifies with the mailed token, once', async () => {
      const user = await signUp(t.http);
      const res = await t.http.post('/auth/request-verify-token', { json: { email: user.email } });
      expect(res.status).toBe(202);
      const token = t.mailer.lastToken(user.email, /verify/i);

      const verified = await t.http.post('/auth/verify', { json: { token } });
      expect(verified.status).toBe(200);
      expect(verified.body).toMatchObject({ id: user.id, is_verified: true });
      expect((await t.http.get('/users/me', { token: user.token })).body.is_verified).toBe(true);

      const again = await t.http.post('/auth/verify', { json: { token } });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('VERIFY_USER_ALREADY_VERIFIED');
    });

    it('answers 202 without mailing unknown or already verified accounts', async () => {
      const before = t.mailer.sent.length;
      const res = await t.http.post('/auth/request-verify-token', {
        json: { email: 'nobody@example.com' },
      });
      expect(res.status).toBe(202);
      expect(t.mailer.sent.length).toBe(before);
    });

    it('rejects bad and expired tokens, and tokens for an old email', async () => {
      const user = await signUp(t.http);
      const expired = jwt.sign(
        { sub: user.id, email: user.email, exp: Math.floor(Date.now() / 1000) - 1 },
        { audience: 'media-chat:auth:verify' },
      );
      for (const token of ['bad', expired, user.token]) {
        const res = await t.http.post('/auth/verify', { json: { token } });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VERIFY_USER_BAD_TOKEN');
      }
      await t.http.post('/auth/request-verify-token', { json: { email: user.email } });
      const oldToken = t.mailer.lastToken(user.email, /verify/i);
      await t.http.patch('/users/me', {
        token: user.token,
        json: { email: `new.${user.email}`, current_password: user.password },
      });
      const res = await t.http.post('/auth/verify', { json: { token: oldToken } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VERIFY_USER_BAD_TOKEN');
    });
  });
});
