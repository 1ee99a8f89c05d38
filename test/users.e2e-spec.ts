import { randomUUID } from 'node:crypto';
import { UsersService } from '../src/users/users.service';
import { createTestApp, type TestApp } from './support/test-app';
import { logIn, signUp, type TestUser } from './support/users';

describe('Users (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    const users = t.app.get(UsersService);
    await users.ensureSuperuser('admin@example.com', 'admin password');
    admin = {
      id: '',
      email: 'admin@example.com',
      password: 'admin password',
      username: '',
      token: await logIn(t.http, 'admin@example.com', 'admin password'),
    };
    admin.id = (await t.http.get('/users/me', { token: admin.token })).body.id;
  });
  afterAll(() => t.close());

  describe('GET /users/me', () => {
    it('returns the full record, also at /api/users/me', async () => {
      const user = await signUp(t.http);
      const me = await t.http.get('/users/me', { token: user.token });
      const alias = await t.http.get('/api/users/me', { token: user.token });
      expect(me.status).toBe(200);
      expect(Object.keys(me.body).sort()).toEqual(
        [
          'avatar_url',
          'bio',
          'created_at',
          'email',
          'id',
          'is_active',
          'is_superuser',
          'is_verified',
          'post_count',
          'follower_count',
          'following_count',
          'username',
        ].sort(),
      );
      expect(alias.body).toEqual(me.body);
    });
  });

  describe('PATCH /users/me', () => {
    it('updates username and bio', async () => {
      const user = await signUp(t.http);
      const res = await t.http.patch('/users/me', {
        token: user.token,
        json: { username: 'New.Name_1', bio: 'Hello there' },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        username: 'New.Name_1',
        bio: 'Hello there',
        email: user.email,
      });
      expect((await t.http.get('/users/me', { token: user.token })).body.bio).toBe('Hello there');
    });

    it('rejects a username taken by someone else (any case) with 400', async () => {
      const a = await signUp(t.http, { username: 'owner.of.name' });
      const b = await signUp(t.http);
      const res = await t.http.patch('/users/me', {
        token: b.token,
        json: { username: 'OWNER.of.name' },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UPDATE_USER_USERNAME_ALREADY_EXISTS');
      expect((await t.http.get('/users/me', { token: a.token })).body.username).toBe(
        'owner.of.name',
      );
    });

    it('requires current_password to change email or password', async () => {
      const user = await signUp(t.http);
      for (const json of [{ email: 'changed@example.com' }, { password: 'new password 1' }]) {
        const res = await t.http.patch('/users/me', { token: user.token, json });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('UPDATE_USER_CURRENT_PASSWORD_REQUIRED');
      }
      const wrong = await t.http.patch('/users/me', {
        token: user.token,
        json: { email: 'changed@example.com', current_password: 'nope nope' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe('UPDATE_USER_BAD_CURRENT_PASSWORD');
      expect((await t.http.get('/users/me', { token: user.token })).body.email).toBe(user.email);
    });

    it('changing the email resets is_verified', async () => {
      const user = await signUp(t.http);
      await t.http.post('/auth/verify', {
        json: { token: t.mailer.lastToken(user.email, /verify/i) },
      });
      expect((await t.http.get('/users/me', { token: user.token })).body.is_verified).toBe(true);
      const email = `moved.${user.email}`;
      const res = await t.http.patch('/users/me', {
        token: user.token,
        json: { email: email.toUpperCase(), current_password: user.password },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ email, is_verified: false });
      expect(await logIn(t.http, email, user.password)).toBeTruthy();
    });

    it('rejects an email that is taken with 400', async () => {
      const a = await signUp(t.http);
      const b = await signUp(t.http);
      const res = await t.http.patch('/users/me', {
        token: b.token,
        json: { email: a.email, current_password: b.password },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('UPDATE_USER_EMAIL_ALREADY_EXISTS');
    });

    it('changing the password revokes older tokens and checks the policy', async () => {
      const user = await signUp(t.http);
      const weak = await t.http.patch('/users/me', {
        token: user.token,
        json: { password: 'short', current_password: user.password },
      });
      expect(weak.status).toBe(400);
      expect(weak.body.code).toBe('UPDATE_USER_INVALID_PASSWORD');

      const res = await t.http.patch('/users/me', {
        token: user.token,
        json: { password: 'fresh password', current_password: user.password },
      });
      expect(res.status).toBe(200);
      expect((await t.http.get('/users/me', { token: user.token })).body.code).toBe(
        'TOKEN_REVOKED',
      );
      expect(await logIn(t.http, user.email, 'fresh password')).toBeTruthy();
    });

    it('rejects null for fields that cannot be empty, and null clears the bio', async () => {
      const user = await signUp(t.http);
      for (const json of [
        { username: null },
        { email: null, current_password: user.password },
        { password: null, current_password: user.password },
      ]) {
        const res = await t.http.patch('/users/me', { token: user.token, json });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('VALIDATION_ERROR');
      }
      await t.http.patch('/users/me', { token: user.token, json: { bio: 'something' } });
      const cleared = await t.http.patch('/users/me', { token: user.token, json: { bio: null } });
      expect(cleared.status).toBe(200);
      expect(cleared.body.bio).toBeNull();
    });

    it('does not let users promote or activate themselves', async () => {
      const user = await signUp(t.http);
      const res = await t.http.patch('/users/me', {
        token: user.token,
        json: { is_superuser: true },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toBe('is_superuser');
      expect((await t.http.get('/users/me', { token: user.token })).body.is_superuser).toBe(false);
    });
  });

  describe('GET /users/{id}', () => {
    it('shows the public profile to a signed-in user and the full record to a superuser', async () => {
      const viewer = await signUp(t.http);
      const target = await signUp(t.http);
      const pub = await t.http.get(`/users/${target.id}`, { token: viewer.token });
      expect(pub.status).toBe(200);
      expect(Object.keys(pub.body).sort()).toEqual([
        'avatar_url',
        'bio',
        'created_at',
        'follower_count',
        'following_count',
        'follows_you',
        'id',
        'is_following',
        'post_count',
        'username',
      ]);
      const full = await t.http.get(`/users/${target.id}`, { token: admin.token });
      expect(full.body).toMatchObject({ id: target.id, email: target.email, is_superuser: false });
    });

    it('answers 404 for an unknown id, 400 for a malformed one, 401 without a token', async () => {
      const viewer = await signUp(t.http);
      const missing = await t.http.get(`/users/${randomUUID()}`, { token: viewer.token });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('USER_NOT_FOUND');
      const malformed = await t.http.get('/users/42', { token: viewer.token });
      expect(malformed.status).toBe(400);
      expect(malformed.body.code).toBe('INVALID_ID');
      expect((await t.http.get(`/users/${viewer.id}`)).status).toBe(401);
    });
  });

  describe('GET /profiles/{username}', () => {
    it('finds the profile in any case, hides it across a block, and answers 404 for no one', async () => {
      const viewer = await signUp(t.http);
      const target = await signUp(t.http);
      const found = await t.http.get(`/profiles/${target.username.toUpperCase()}`, {
        token: viewer.token,
      });
      expect(found.status).toBe(200);
      expect(found.body).toMatchObject({ id: target.id, username: target.username });
      expect(found.body.email).toBeUndefined();
      const byId = await t.http.get(`/users/${target.id}`, { token: viewer.token });
      expect(found.body).toEqual(byId.body);
      const missing = await t.http.get('/profiles/no_such_person', {
        token: viewer.token,
      });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('USER_NOT_FOUND');
      await t.http.post(`/users/${viewer.id}/block`, { token: target.token });
      const blocked = await t.http.get(`/profiles/${target.username}`, {
        token: viewer.token,
      });
      expect(blocked.status).toBe(404);
      expect((await t.http.get(`/profiles/${target.username}`)).status).toBe(401);
    });
  });

  describe('superuser administration', () => {
    it('forbids PATCH and DELETE /users/{id} to normal users', async () => {
      const user = await signUp(t.http);
      const victim = await signUp(t.http);
      const patch = await t.http.patch(`/users/${victim.id}`, {
        token: user.token,
        json: { is_active: false },
      });
      expect(patch.status).toBe(403);
      expect(patch.body.code).toBe('SUPERUSER_REQUIRED');
      const del = await t.http.delete(`/users/${victim.id}`, { token: user.token });
      expect(del.status).toBe(403);
      expect((await t.http.get('/users/me', { token: victim.token })).status).toBe(200);
    });

    it('bans a user: existing tokens stop working and login fails', async () => {
      const user = await signUp(t.http);
      const res = await t.http.patch(`/users/${user.id}`, {
        token: admin.token,
        json: { is_active: false },
      });
      expect(res.status).toBe(200);
      expect(res.body.is_active).toBe(false);
      const after = await t.http.get('/users/me', { token: user.token });
      expect(after.status).toBe(401);
      const login = await t.http.post('/auth/jwt/login', {
        form: { username: user.email, password: user.password },
      });
      expect(login.body.code).toBe('LOGIN_BAD_CREDENTIALS');

      await t.http.patch(`/users/${user.id}`, { token: admin.token, json: { is_active: true } });
      expect((await t.http.get('/users/me', { token: user.token })).status).toBe(401);
      expect(await logIn(t.http, user.email, user.password)).toBeTruthy();
    });

    it('edits any field and promotes', async () => {
      const user = await signUp(t.http);
      const res = await t.http.patch(`/users/${user.id}`, {
        token: admin.token,
        json: { is_superuser: true, is_verified: true, bio: 'promoted', username: 'promoted.user' },
      });
      expect(res.body).toMatchObject({
        is_superuser: true,
        is_verified: true,
        bio: 'promoted',
        username: 'promoted.user',
      });
      const patch = await t.http.patch(`/users/${admin.id}`, {
        token: user.token,
        json: { bio: 'touched by a new superuser' },
      });
      expect(patch.status).toBe(200);
    });

    it('deletes a user', async () => {
      const user = await signUp(t.http);
      const del = await t.http.delete(`/users/${user.id}`, { token: admin.token });
      expect(del.status).toBe(204);
      expect((await t.http.get(`/users/${user.id}`, { token: admin.token })).status).toBe(404);
      expect((await t.http.delete(`/users/${user.id}`, { token: admin.token })).status).toBe(404);
      expect((await t.http.get('/users/me', { token: user.token })).status).toBe(401);
    });

    it('rejects null flags', async () => {
      const user = await signUp(t.http);
      const res = await t.http.patch(`/users/${user.id}`, {
        token: admin.token,
        json: { is_active: null },
      });
      expect(res.status).toBe(400);
      expect((await t.http.get('/users/me', { token: user.token })).status).toBe(200);
    });

    it('answers 404 for an unknown user', async () => {
      const res = await t.http.patch(`/users/${randomUUID()}`, {
        token: admin.token,
        json: { bio: 'x' },
      });
      expect(res.status).toBe(404);
    });

    it('ensureSuperuser promotes an existing account', async () => {
      const user = await signUp(t.http);
      const { created } = await t.app.get(UsersService).ensureSuperuser(user.email);
      expect(created).toBe(false);
      expect((await t.http.get('/users/me', { token: user.token })).body.is_superuser).toBe(true);
    });
  });
});
