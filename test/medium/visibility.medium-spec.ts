import { BlocksRepository } from '../../src/blocks/blocks.repository';
import { CommentsService } from '../../src/comments/comments.service';
import { FollowsService } from '../../src/follows/follows.service';
import { PostsService } from '../../src/posts/posts.service';
import type { User } from '../../src/users/entities/user.entity';
import { factories } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

// The visibility rules of the social features, through the services on a fresh database.
describe('Visibility rules (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let posts: PostsService;
  let blocks: BlocksRepository;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    posts = ctx.get(PostsService);
    blocks = ctx.get(BlocksRepository);
  });
  afterAll(() => ctx.close());

  const feedIds = async (viewer: User, following = false) =>
    (await posts.page(viewer.id, { limit: 100, following })).items.map((p) => p.id);

  it('the following feed holds my posts and those of whom I follow, nobody else’s', async () => {
    const [me, followed, stranger] = [await make.user(), await make.user(), await make.user()];
    await ctx.get(FollowsService).follow(me, followed.id);
    const [mine, theirs, other] = [
      await make.post(me),
      await make.post(followed),
      await make.post(stranger),
    ];
    const feed = await feedIds(me, true);
    expect(feed).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(feed).not.toContain(other.id);
  });

  it('a block hides posts and comments in both directions, and nobody else loses anything', async () => {
    const [a, b, c] = [await make.user(), await make.user(), await make.user()];
    const [byA, byB, byC] = [await make.post(a), await make.post(b), await make.post(c)];
    const comments = ctx.get(CommentsService);
    await comments.create(a, byC.id, { content: 'from a' });
    await comments.create(b, byC.id, { content: 'from b' });
    await blocks.block(a.id, b.id);

    expect(await feedIds(a)).not.toContain(byB.id);
    expect(await feedIds(b)).not.toContain(byA.id);
    expect(await feedIds(c)).toEqual(expect.arrayContaining([byA.id, byB.id]));
    const seenBy = async (viewer: User) =>
      (await comments.page(viewer, 'post', byC.id, {})).items.map((x) => x.content);
    expect(await seenBy(a)).toEqual(['from a']);
    expect(await seenBy(b)).toEqual(['from b']);
    expect(await seenBy(c)).toEqual(['from a', 'from b']);
    expect(await blocks.apart(b.id, a.id)).toBe(true);

    await blocks.unblock(a.id, b.id);
    expect(await feedIds(a)).toContain(byB.id);
    expect(await blocks.apart(a.id, b.id)).toBe(false);
  });
});
