import { AuthService } from '../../src/auth/auth.service';
import { type AccessTokenPayload, TokenService } from '../../src/auth/token.service';
import { Mailer } from '../../src/mail/mailer';
import { PasswordService } from '../../src/users/password.service';
import { UsersService } from '../../src/users/users.service';
import { factories, outcome, PASSWORD } from '../support/factories';
import type { RecordingMailer } from '../support/recording-mailer';
import { createServiceContext, type ServiceContext } from '../support/service-context';

// Mail goes out after the answer: wait until it is there.
async function mailTo(mailer: RecordingMailer, to: string, count = 1): Promise<void> {
  for (let i = 0; i < 100 && mailer.count(to) < count; i++)
    await new Promise((r) => setTimeout(r, 10));
  expect(mailer.count(to)).toBe(count);
}

describe('Accounts, tokens and passwords (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let auth: AuthService;
  let tokens: TokenService;
  let mailer: RecordingMailer;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    auth = ctx.get(AuthService);
    tokens = ctx.get(TokenService);
    mailer = ctx.get(Mailer) as RecordingMailer;
  });
  afterAll(() => ctx.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('AuthService', () => {
    it('registers an unverified account and mails a token that verifies it once', async () => {
      const user = await auth.register({ email: ' New.Person@Example.com ', password: PASSWORD });
      expect(user).toMatchObject({ email: 'new.person@example.com', isVerified: false });
      await mailTo(mailer, user.email);
      const token = mailer.lastToken(user.email, /verify/i);

      expect((await auth.verify(token)).isVerified).toBe(true);
      expect(await outcome(() => auth.verify(token))).toBe('400 VERIFY_USER_ALREADY_VERIFIED');
      expect(await outcome(() => auth.verify('not.a.token'))).toBe('400 VERIFY_USER_BAD_TOKEN');
    });

    it('voids a verification token once the account changed its address', async () => {
      const user = await make.user();
      await auth.requestVerification(user.email);
      await mailTo(mailer, user.email);
      const token = mailer.lastToken(user.email, /verify/i);
      await ctx.get(UsersService).adminUpdate(user.id, { email: `moved-${user.email}` });
      expect(await outcome(() => auth.verify(token))).toBe('400 VERIFY_USER_BAD_TOKEN');
    });

    it('sends no verification mail to verified, unknown or banned accounts', async () => {
      const verified = await make.user();
      await ctx.get(UsersService).markVerified(verified);
      const banned = await make.user({ isActive: false });
      const sentBefore = mailer.sent.length;
      await auth.requestVerification(verified.email);
      await auth.requestVerification('nobody@example.com');
      await auth.requestVerification(banned.email);
      await new Promise((r) => setTimeout(r, 50));
      expect(mailer.sent.length).toBe(sentBefore);
    });

    it('logs in with the right password only, case-insensitively by email, not when banned', async () => {
      const user = await make.user();
      const { access_token, token_type } = await auth.login(user.email.toUpperCase(), PASSWORD);
      expect(token_type).toBe('bearer');
      expect((await tokens.authenticate(bearer(access_token))).user.id).toBe(user.id);

      const banned = await make.user({ isActive: false });
      const failures = await Promise.all([
        outcome(() => auth.login(user.email, 'a wrong password')),
        outcome(() => auth.login('nobody@example.com', PASSWORD)),
        outcome(() => auth.login(banned.email, PASSWORD)),
      ]);
      expect(failures).toEqual(Array(3).fill('400 LOGIN_BAD_CREDENTIALS'));
    });

    it('logout revokes that token and no other', async () => {
      const user = await make.user();
      const first = await tokens.authenticate(bearer(await tokens.issueAccessToken(user)));
      const second = await tokens.issueAccessToken(user);
      await auth.logout(first.token);
      expect(await outcome(() => tokens.checkAccount(first.token))).toBe('401 TOKEN_REVOKED');
      expect((await tokens.authenticate(bearer(second))).user.id).toBe(user.id);
    });

    it('resets a password with the mailed token, once, and ends older tokens', async () => {
      const user = await make.user();
      const before = await tokens.issueAccessToken(user);
      await auth.forgotPassword(user.email);
      await mailTo(mailer, user.email);
      const token = mailer.lastToken(user.email, /reset/i);

      expect(await outcome(() => auth.resetPassword(token, 'short'))).toBe(
        '400 RESET_PASSWORD_INVALID_PASSWORD',
      );
      await auth.resetPassword(token, 'a brand new password');
      expect(await outcome(() => auth.resetPassword(token, 'yet another password'))).toBe(
        '400 RESET_PASSWORD_BAD_TOKEN',
      );
      expect(await outcome(() => auth.login(user.email, PASSWORD))).toBe(
        '400 LOGIN_BAD_CREDENTIALS',
      );
      expect((await auth.login(user.email, 'a brand new password')).access_token).toBeTruthy();
      expect(await outcome(() => tokens.authenticate(bearer(before)))).toBe('401 TOKEN_REVOKED');
    });

    it('answers a reset request for an unknown or banned account alike, without mail', async () => {
      const banned = await make.user({ isActive: false });
      const sentBefore = mailer.sent.length;
      await expect(auth.forgotPassword('nobody@example.com')).resolves.toBeUndefined();
      await expect(auth.forgotPassword(banned.email)).resolves.toBeUndefined();
      await new Promise((r) => setTimeout(r, 50));
      expect(mailer.sent.length).toBe(sentBefore);
    });
  });

  describe('TokenService', () => {
    it('authenticates a Bearer header or a query token, and nothing malformed', async () => {
      const user = await make.user();
      const token = await tokens.issueAccessToken(user);
      const found = await tokens.authenticate({ query: token });
      expect(found.user.id).toBe(user.id);
      expect(found.token).toMatchObject({ sub: user.id, ver: user.tokenVersion });

      expect(await outcome(() => tokens.authenticate({}))).toBe('401 NOT_AUTHENTICATED');
      expect(
        await outcome(() => tokens.authenticate({ authorization: `Bearer ${token} extra` })),
      ).toBe('401 INVALID_TOKEN');
      expect(await outcome(() => tokens.authenticate(bearer(`${token}x`)))).toBe(
        '401 INVALID_TOKEN',
      );
    });

    it('refuses an expired token, and one of a purpose other than access', async () => {
      const user = await make.user();
      const expired = await tokens.issueAccessToken(user, -10);
      expect(await outcome(() => tokens.authenticate(bearer(expired)))).toBe('401 TOKEN_EXPIRED');
      const reset = await tokens.issueResetToken(user);
      expect(await outcome(() => tokens.authenticate(bearer(reset)))).toBe('401 INVALID_TOKEN');
      // Nor does an access token pass for a reset or verify token.
      const access = await tokens.issueAccessToken(user);
      expect(await tokens.readResetToken(access)).toBeNull();
      expect(await tokens.readVerifyToken(reset)).toBeNull();
      expect(await tokens.readVerifyToken(await tokens.issueVerifyToken(user))).toEqual({
        userId: user.id,
        email: user.email,
      });
    });

    it('refuses the tokens of a banned or deleted account, and those issued before a password change', async () => {
      const users = ctx.get(UsersService);
      const [banned, deleted, changed] = [await make.user(), await make.user(), await make.user()];
      const issued = await Promise.all(
        [banned, deleted, changed].map((u) => tokens.issueAccessToken(u)),
      );
      await users.adminUpdate(banned.id, { is_active: false });
      await users.delete(deleted.id);
      await users.setPassword(changed, 'another good password', 'X');
      const results = await Promise.all(
        issued.map((t) => outcome(() => tokens.authenticate(bearer(t)))),
      );
      expect(results).toEqual(['401 INVALID_TOKEN', '401 INVALID_TOKEN', '401 TOKEN_REVOKED']);
      // A new token after the change works.
      const fresh = await tokens.issueAccessToken((await users.findById(changed.id))!);
      expect((await tokens.authenticate(bearer(fresh))).user.id).toBe(changed.id);
    });

    it('tells which of many open tokens are still good, in one call', async () => {
      const [kept, loggedOut, banned] = [await make.user(), await make.user(), await make.user()];
      const payloads: AccessTokenPayload[] = [];
      for (const u of [kept, loggedOut, banned])
        payloads.push((await tokens.authenticate(bearer(await tokens.issueAccessToken(u)))).token);
      await tokens.revoke(payloads[1]);
      await ctx.get(UsersService).adminUpdate(banned.id, { is_active: false });
      expect(await tokens.stillValid(payloads)).toEqual(new Set([payloads[0].jti]));
      expect(await tokens.stillValid([])).toEqual(new Set());
    });
  });

  describe('PasswordService', () => {
    const passwords = () => ctx.get(PasswordService);

    it.each([
      ['seven b', /at least 8/],
      ['é'.repeat(37), /at most 72/],
      ['my jo@example.com pass', /email/],
      ['a good password', null],
      ['é'.repeat(36), null],
    ])('judges %j', (password, reason) => {
      const said = passwords().policyViolation(password, 'Jo@Example.com');
      if (reason) expect(said).toMatch(reason);
      else expect(said).toBeNull();
    });

    it('verifies a hash against its password only, and nothing without an account', async () => {
      const hash = await passwords().hash('a good password');
      expect(hash).not.toContain('a good password');
      expect(await passwords().verify('a good password', hash)).toBe(true);
      expect(await passwords().verify('a good passwore', hash)).toBe(false);
      expect(await passwords().verify('a good password', undefined)).toBe(false);
    });

    it('refuses a password longer than bcrypt reads, even when its first 72 bytes match', async () => {
      const long = 'x'.repeat(72);
      const hash = await passwords().hash(long);
      expect(await passwords().verify(long, hash)).toBe(true);
      expect(await passwords().verify(`${long}yz`, hash)).toBe(false);
    });
  });
});
