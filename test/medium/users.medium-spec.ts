import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BlocksService } from '../../src/blocks/blocks.service';
import { FollowsService } from '../../src/follows/follows.service';
import { LocalMediaStorage } from '../../src/media/storage/local-media.storage';
import { PasswordService } from '../../src/users/password.service';
import { ProfilesService } from '../../src/profiles/profiles.service';
import { UsersService } from '../../src/users/users.service';
import { png } from '../support/media-fixtures';
import { factories, outcome, PASSWORD } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

describe('Users and profiles (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let users: UsersService;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    users = ctx.get(UsersService);
  });
  afterAll(() => ctx.close());

  describe('UsersService', () => {
    it('creates an account with a normalized email, a hashed password and a derived username', async () => {
      const user = await users.create({ email: '  Ada.L@Example.COM', password: PASSWORD });
      expect(user).toMatchObject({
        email: 'ada.l@example.com',
        isActive: true,
        isVerified: false,
        isSuperuser: false,
      });
      expect(user.username).toMatch(/^ada/);
      expect(user.hashedPassword).not.toContain(PASSWORD);
      expect(await ctx.get(PasswordService).verify(PASSWORD, user.hashedPassword)).toBe(true);
      expect((await users.findByEmail('ADA.L@example.com '))?.id).toBe(user.id);
      expect((await users.getByUsername(user.username.toUpperCase())).id).toBe(user.id);
    });

    it('gives a taken derived username a suffix, and refuses taken emails and chosen usernames', async () => {
      const first = await users.create({ email: 'same.name@one.example', password: PASSWORD });
      const second = await users.create({ email: 'same.name@two.example', password: PASSWORD });
      expect(second.username).not.toBe(first.username);
      expect(second.username.startsWith(first.username)).toBe(true);

      expect(
        await outcome(() => users.create({ email: 'SAME.NAME@one.example', password: PASSWORD })),
      ).toBe('400 REGISTER_USER_ALREADY_EXISTS');
      expect(
        await outcome(() =>
          users.create({
            email: 'x@three.example',
            password: PASSWORD,
            username: first.username.toUpperCase(),
          }),
        ),
      ).toBe('400 REGISTER_USERNAME_ALREADY_EXISTS');
      expect(
        await outcome(() => users.create({ email: 'y@three.example', password: 'short' })),
      ).toBe('400 REGISTER_INVALID_PASSWORD');
    });

    it('asks for the current password before an email or password change', async () => {
      const user = await make.user();
      expect(await outcome(() => users.updateMe(user, { password: 'a new password' }))).toBe(
        '400 UPDATE_USER_CURRENT_PASSWORD_REQUIRED',
      );
      expect(
        await outcome(() =>
          users.updateMe(user, { email: 'new@example.com', current_password: 'wrong one!' }),
        ),
      ).toBe('400 UPDATE_USER_BAD_CURRENT_PASSWORD');

      const version = user.tokenVersion;
      await users.markVerified(user);
      const changed = await users.updateMe(user, {
        email: `changed-${user.email}`,
        password: 'a new password',
        current_password: PASSWORD,
        bio: 'hello',
      });
      // A new address is not verified yet; a new password ends older tokens.
      expect(changed).toMatchObject({ isVerified: false, bio: 'hello' });
      expect(changed.tokenVersion).toBe(version + 1);
      // Name and bio need no password; an empty bio clears it.
      expect((await users.updateMe(changed, { bio: '' })).bio).toBeNull();
    });

    it('refuses a username someone else has, on update', async () => {
      const [a, b] = [await make.user(), await make.user()];
      expect(await outcome(() => users.updateMe(b, { username: a.username }))).toBe(
        '400 UPDATE_USER_USERNAME_ALREADY_EXISTS',
      );
    });

    it('bans and lifts a ban (the ban ends tokens, lifting it does not bring them back)', async () => {
      const user = await make.user();
      const banned = await users.adminUpdate(user.id, { is_active: false });
      expect(banned.isActive).toBe(false);
      expect(banned.tokenVersion).toBe(user.tokenVersion + 1);
      expect(await outcome(() => users.getActive(user.id))).toBe('404 USER_NOT_FOUND');
      const lifted = await users.adminUpdate(user.id, { is_active: true });
      expect(lifted.tokenVersion).toBe(banned.tokenVersion);
      expect((await users.getActive(user.id)).id).toBe(user.id);
    });

    it('deletes an account once; finding it afterwards is a 404', async () => {
      const user = await make.user();
      await users.delete(user.id);
      expect(await users.findById(user.id)).toBeNull();
      expect(await outcome(() => users.getById(user.id))).toBe('404 USER_NOT_FOUND');
      expect(await outcome(() => users.delete(user.id))).toBe('404 USER_NOT_FOUND');
      expect(await users.findByIds([])).toEqual([]);
    });

    it('creates a superuser, or promotes and reactivates the existing account', async () => {
      expect(await outcome(() => users.ensureSuperuser('root@example.com'))).toBe(
        '400 SUPERUSER_PASSWORD_REQUIRED',
      );
      const { user, created } = await users.ensureSuperuser('root@example.com', PASSWORD);
      expect(created).toBe(true);
      expect(user).toMatchObject({ isSuperuser: true, isVerified: true });

      const plain = await make.user({ isActive: false });
      const promoted = await users.ensureSuperuser(plain.email);
      expect(promoted.created).toBe(false);
      expect(promoted.user).toMatchObject({ id: plain.id, isSuperuser: true, isActive: true });
    });

    it('stores an avatar, and deletes the previous file when it is replaced', async () => {
      const root = ctx.get(LocalMediaStorage).root;
      const user = await make.user();
      const first = await users.setAvatar(user, await make.file(await png(40, 40), 'me.png'));
      const firstPath = first.avatarPath!;
      expect(first.avatarStorage).toBe('local');
      expect(existsSync(join(root, firstPath))).toBe(true);

      const second = await users.setAvatar(first, await make.file(await png(50, 50), 'me2.png'));
      expect(second.avatarPath).not.toBe(firstPath);
      expect(existsSync(join(root, second.avatarPath!))).toBe(true);
      expect(existsSync(join(root, firstPath))).toBe(false);
      expect((await users.findById(user.id))?.avatarPath).toBe(second.avatarPath);

      const text = await make.file(Buffer.from('not an image at all'), 'me.png');
      expect(await outcome(() => users.setAvatar(second, text))).toBe('415 UNSUPPORTED_MEDIA_TYPE');
      expect((await users.findById(user.id))?.avatarPath).toBe(second.avatarPath);
    });
  });

  describe('ProfilesService', () => {
    it('counts posts, followers and following, and says how the viewer and the user connect', async () => {
      const [me, them, fan] = [await make.user(), await make.user(), await make.user()];
      const follows = ctx.get(FollowsService);
      await follows.follow(me, them.id);
      await follows.follow(fan, them.id);
      await follows.follow(them, me.id);
      await make.posts([them], 3);
      const profiles = ctx.get(ProfilesService);

      const seen = await profiles.profile(me, them);
      expect(seen).toMatchObject({
        id: them.id,
        post_count: 3,
        follower_count: 2,
        following_count: 1,
        is_following: true,
        follows_you: true,
      });
      // Other people see no private detail.
      expect(seen).not.toHaveProperty('email');

      const own = await profiles.account(them);
      expect(own).toMatchObject({ email: them.email, post_count: 3, follower_count: 2 });
      expect(own).not.toHaveProperty('is_following');
    });

    it('hides a profile across a block both ways, and shows superusers the full record', async () => {
      const [a, b] = [await make.user(), await make.user()];
      const admin = await make.user({ isSuperuser: true });
      await ctx.get(BlocksService).block(a, b.id);
      const profiles = ctx.get(ProfilesService);
      expect(await outcome(() => profiles.profile(a, b))).toBe('404 USER_NOT_FOUND');
      expect(await outcome(() => profiles.profile(b, a))).toBe('404 USER_NOT_FOUND');
      expect(await profiles.profile(admin, b)).toMatchObject({ id: b.id, email: b.email });
    });
  });
});
