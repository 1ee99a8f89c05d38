import { MessagesService } from '../../src/chat/messages.service';
import { PostsService } from '../../src/posts/posts.service';
import type { User } from '../../src/users/entities/user.entity';
import { factories } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

// Pages read through the services over data seeded as the benchmarks seed it: two posts
// share each timestamp, so a keyset that ordered by time alone would skip or repeat.
describe('Pages through the services (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let viewer: User;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    viewer = await make.user();
  });
  afterAll(() => ctx.close());

  it('walks a feed of ties page by page, every post exactly once, newest first', async () => {
    const authors = [viewer, ...(await make.crowd(3))];
    const seeded = await make.posts(authors, 57);
    const posts = ctx.get(PostsService);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await posts.page(viewer.id, { limit: 10, cursor });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    // Seeded oldest first; the feed is newest first, ties broken by id.
    const expected = [...seeded]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : 1))
      .map((p) => p.id);
    expect(seen).toEqual(expected);

    const mine = await posts.page(viewer.id, { limit: 100, userId: authors[1].id });
    expect(new Set(mine.items.map((p) => p.user_id))).toEqual(new Set([authors[1].id]));
    expect(mine.items).toHaveLength(seeded.filter((p) => p.userId === authors[1].id).length);
  });

  it('pages a room history by seq both ways', async () => {
    const [other] = await make.crowd(1);
    const room = await make.room(viewer, { members: [other] });
    await make.messages(room.id, [viewer, other], 120);
    const messages = ctx.get(MessagesService);
    const newest = await messages.history(viewer, room.id, { limit: 50 });
    expect(newest.has_more).toBe(true);
    const seqs = newest.items.map((m) => m.seq);
    const older = await messages.history(viewer, room.id, {
      limit: 50,
      before_seq: Math.min(...seqs),
    });
    const oldest = await messages.history(viewer, room.id, {
      limit: 50,
      before_seq: Math.min(...older.items.map((m) => m.seq)),
    });
    const all = [...newest.items, ...older.items, ...oldest.items]
      .map((m) => m.seq)
      .sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(oldest.has_more).toBe(false);
    const after = await messages.history(viewer, room.id, { limit: 5, after_seq: 115 });
    expect(after.items.map((m) => m.seq).sort((a, b) => a - b)).toEqual([116, 117, 118, 119, 120]);
  });
});
