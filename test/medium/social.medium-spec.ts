import { BlocksService } from '../../src/blocks/blocks.service';
import { FollowsService } from '../../src/follows/follows.service';
import { LikesService } from '../../src/likes/likes.service';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { PostsRepository } from '../../src/posts/posts.repository';
import { PostsService } from '../../src/posts/posts.service';
import type { User } from '../../src/users/entities/user.entity';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

// Follows, blocks and likes: the relations between people and what they see.
describe('Follows, blocks and likes (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let follows: FollowsService;
  let blocks: BlocksService;
  let likes: LikesService;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    follows = ctx.get(FollowsService);
    blocks = ctx.get(BlocksService);
    likes = ctx.get(LikesService);
  });
  afterAll(() => ctx.close());

  const ids = (page: { items: Array<{ id: string }> }) => page.items.map((u) => u.id);
  const notified = async (user: User) =>
    (await ctx.get(NotificationsService).page(user.id, {})).items.map((n) => n.type);

  describe('FollowsService', () => {
    it('follows once (one notification), lists both sides, and unfollows', async () => {
      const [a, b] = [await make.user(), await make.user()];
      await follows.follow(a, b.id);
      await follows.follow(a, b.id);
      expect(ids(await follows.page(b.id, 'followers', {}))).toEqual([a.id]);
      expect(ids(await follows.page(a.id, 'following', {}))).toEqual([b.id]);
      expect(await notified(b)).toEqual(['follow']);

      await follows.unfollow(a, b.id);
      await follows.unfollow(a, b.id);
      expect(ids(await follows.page(b.id, 'followers', {}))).toEqual([]);
      // Following again does not notify twice.
      await follows.follow(a, b.id);
      expect(await notified(b)).toEqual(['follow']);
    });

    it('refuses oneself, unknown, banned and blocked people', async () => {
      const [a, b] = [await make.user(), await make.user()];
      const banned = await make.user({ isActive: false });
      await blocks.block(b, a.id);
      expect(await outcome(() => follows.follow(a, a.id))).toBe('400 CANNOT_FOLLOW_SELF');
      expect(await outcome(() => follows.follow(a, banned.id))).toBe('404 USER_NOT_FOUND');
      expect(await outcome(() => follows.follow(a, b.id))).toBe('404 USER_NOT_FOUND');
      expect(await outcome(() => follows.follow(a, '00000000-0000-4000-8000-000000000000'))).toBe(
        '404 USER_NOT_FOUND',
      );
    });

    it('shows a user’s lists unless they are banned or a block stands between', async () => {
      const [a, b, c] = [await make.user(), await make.user(), await make.user()];
      const banned = await make.user({ isActive: false });
      await blocks.block(a, b.id);
      expect(await outcome(() => follows.visibleUser(c, a.id))).toBe('ok');
      expect(await outcome(() => follows.visibleUser(b, a.id))).toBe('404 USER_NOT_FOUND');
      expect(await outcome(() => follows.visibleUser(a, b.id))).toBe('404 USER_NOT_FOUND');
      expect(await outcome(() => follows.visibleUser(c, banned.id))).toBe('404 USER_NOT_FOUND');
    });

    it('pages a long list of followers, each exactly once', async () => {
      const star = await make.user();
      const fans = await make.crowd(7);
      for (const fan of fans) await follows.follow(fan, star.id);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await follows.page(star.id, 'followers', { limit: 3, cursor });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...ids(page));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      expect(seen.sort()).toEqual(fans.map((f) => f.id).sort());
    });
  });

  describe('BlocksService', () => {
    it('blocks idempotently, ends follows both ways, lists and unblocks', async () => {
      const [a, b] = [await make.user(), await make.user()];
      await follows.follow(a, b.id);
      await follows.follow(b, a.id);
      await blocks.block(a, b.id);
      await blocks.block(a, b.id);
      expect(ids(await blocks.blocked(a, {}))).toEqual([b.id]);
      expect(ids(await blocks.blocked(b, {}))).toEqual([]);
      expect(ids(await follows.page(a.id, 'followers', {}))).toEqual([]);
      expect(ids(await follows.page(b.id, 'followers', {}))).toEqual([]);
      expect([await blocks.apart(a.id, b.id), await blocks.apart(b.id, a.id)]).toEqual([
        true,
        true,
      ]);

      await blocks.unblock(a, b.id);
      await blocks.unblock(a, b.id);
      expect(await blocks.apart(b.id, a.id)).toBe(false);
      expect(ids(await blocks.blocked(a, {}))).toEqual([]);
      // The follows do not come back by themselves.
      expect(ids(await follows.page(a.id, 'followers', {}))).toEqual([]);
    });

    it('refuses blocking oneself or nobody; the blocked one cannot lift it', async () => {
      const [a, b] = [await make.user(), await make.user()];
      expect(await outcome(() => blocks.block(a, a.id))).toBe('400 CANNOT_BLOCK_SELF');
      expect(await outcome(() => blocks.block(a, '00000000-0000-4000-8000-000000000000'))).toBe(
        '404 USER_NOT_FOUND',
      );
      await blocks.block(a, b.id);
      await blocks.unblock(b, a.id);
      expect(await blocks.apart(a.id, b.id)).toBe(true);
    });
  });

  describe('LikesService', () => {
    it('likes once (count, liked_by_me, one notification), lists likers, unlikes', async () => {
      const [author, fan] = [await make.user(), await make.user()];
      const post = await make.post(author);
      await likes.like(fan, post.id);
      await likes.like(fan, post.id);
      const seen = await ctx.get(PostsService).getVisible(post.id, fan.id);
      expect(seen).toMatchObject({ like_count: 1, liked_by_me: true });
      expect(ids(await likes.likers(author, post.id, {}))).toEqual([fan.id]);
      expect(await notified(author)).toEqual(['like']);

      await likes.unlike(fan, post.id);
      await likes.unlike(fan, post.id);
      expect(await ctx.get(PostsService).getVisible(post.id, fan.id)).toMatchObject({
        like_count: 0,
        liked_by_me: false,
      });
      expect(ids(await likes.likers(author, post.id, {}))).toEqual([]);
      // Liking again does not notify twice; liking one's own post notifies nobody.
      await likes.like(fan, post.id);
      await likes.like(author, post.id);
      expect(await notified(author)).toEqual(['like']);
    });

    it('answers 404 for posts the user cannot see, and unlikes silently', async () => {
      const [author, blocked, other] = [await make.user(), await make.user(), await make.user()];
      const post = await make.post(author);
      const hidden = await make.post(author);
      await blocks.block(author, blocked.id);
      await ctx.get(PostsRepository).setHidden(hidden.id, true);
      const missing = '00000000-0000-4000-8000-000000000000';

      expect(await outcome(() => likes.like(blocked, post.id))).toBe('404 POST_NOT_FOUND');
      expect(await outcome(() => likes.likers(blocked, post.id, {}))).toBe('404 POST_NOT_FOUND');
      expect(await outcome(() => likes.like(other, hidden.id))).toBe('404 POST_NOT_FOUND');
      expect(await outcome(() => likes.like(other, missing))).toBe('404 POST_NOT_FOUND');
      expect(await outcome(() => likes.unlike(other, missing))).toBe('ok');
      // The author still sees the hidden post's likers.
      expect(await outcome(() => likes.likers(author, hidden.id, {}))).toBe('ok');
    });
  });
});
