import { BlocksService } from '../../src/blocks/blocks.service';
import { PostsRepository } from '../../src/posts/posts.repository';
import { PostsService } from '../../src/posts/posts.service';
import { SearchService } from '../../src/search/search.service';
import type { User } from '../../src/users/entities/user.entity';
import { UsersService } from '../../src/users/users.service';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

describe('Search (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let search: SearchService;
  let viewer: User;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    search = ctx.get(SearchService);
    viewer = await make.user();
  });
  afterAll(() => ctx.close());

  const named = async (username: string, bio?: string) => {
    const user = await make.user();
    return ctx.get(UsersService).updateMe(user, { username, bio });
  };
  const captioned = async (author: User, caption: string) => {
    const post = await make.post(author);
    await ctx.get(PostsService).updateCaption(post.id, author, caption);
    return post;
  };

  it('finds people by name or bio, the exact name first, not banned or blocked ones', async () => {
    const exact = await named('heron');
    const prefix = await named('heron_watcher');
    const byBio = await named('someone_else', 'I photograph every heron I see');
    const banned = await named('heron_banned');
    await ctx.get(UsersService).adminUpdate(banned.id, { is_active: false });
    const blocker = await named('heron_blocker');
    await ctx.get(BlocksService).block(blocker, viewer.id);

    const found = (await search.users(viewer, { q: '  HERON ' })).items.map((u) => u.id);
    expect(found[0]).toBe(exact.id);
    expect(found).toEqual(expect.arrayContaining([prefix.id, byBio.id]));
    expect(found).not.toContain(banned.id);
    expect(found).not.toContain(blocker.id);
  });

  it('pages people with an opaque cursor and refuses a forged one', async () => {
    for (let i = 0; i < 5; i++) await named(`pager_${i}_${Date.now().toString(36)}`);
    const first = await search.users(viewer, { q: 'pager_', limit: 3 });
    expect(first.items).toHaveLength(3);
    const second = await search.users(viewer, {
      q: 'pager_',
      limit: 3,
      cursor: first.next_cursor!,
    });
    expect(second.items).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
    const all = [...first.items, ...second.items].map((u) => u.id);
    expect(new Set(all).size).toBe(5);

    for (const cursor of ['garbage', Buffer.from('o:-1').toString('base64url')])
      expect(await outcome(() => search.users(viewer, { q: 'x', cursor }))).toBe(
        '400 INVALID_CURSOR',
      );
    // Deeper than results are ranked.
    const deep = Buffer.from('o:1001').toString('base64url');
    expect(await outcome(() => search.posts(viewer, { q: 'x', cursor: deep }))).toBe(
      '400 INVALID_CURSOR',
    );
  });

  it('finds posts by the words of their captions, only those the viewer may see', async () => {
    const author = await make.user();
    const match = await captioned(author, 'Kingfisher at dawn');
    const other = await captioned(author, 'A kingfisher again, by the river');
    const hidden = await captioned(author, 'kingfisher hidden by a moderator');
    await ctx.get(PostsRepository).setHidden(hidden.id, true);
    await captioned(author, 'nothing to see');
    const blocked = await make.user();
    await ctx.get(BlocksService).block(author, blocked.id);

    const found = (await search.posts(viewer, { q: 'KINGFISHER' })).items.map((p) => p.id);
    expect(found.sort()).toEqual([match.id, other.id].sort());
    expect((await search.posts(viewer, { q: 'kingfisher river' })).items.map((p) => p.id)).toEqual([
      other.id,
    ]);
    expect((await search.posts(blocked, { q: 'kingfisher' })).items).toEqual([]);
    expect((await search.posts(author, { q: 'kingfisher' })).items).toHaveLength(3);
  });

  it('lists a hashtag’s posts, with or without #, and refuses a malformed tag', async () => {
    const author = await make.user();
    const tagged = await captioned(author, 'Morning light #Sunrise #sky');
    await captioned(author, 'no tag sunrise here');
    for (const tag of ['sunrise', '#SUNRISE']) {
      const page = await search.tag(viewer, tag, {});
      expect(page.items.map((p) => p.id)).toEqual([tagged.id]);
    }
    expect(await outcome(() => search.tag(viewer, 'two words', {}))).toBe('400 INVALID_TAG');
    expect(await outcome(() => search.tag(viewer, '#', {}))).toBe('400 INVALID_TAG');
  });
});
