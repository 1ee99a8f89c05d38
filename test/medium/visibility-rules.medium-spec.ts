import { DataSource } from 'typeorm';
import { visible, visibleSql, type Visible } from '../../src/access/visibility';
import { BlocksService } from '../../src/blocks/blocks.service';
import { MessagesService } from '../../src/chat/messages.service';
import { RoomsService } from '../../src/chat/rooms.service';
import { CommentsService } from '../../src/comments/comments.service';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { PostsRepository } from '../../src/posts/posts.repository';
import type { User } from '../../src/users/entities/user.entity';
import { factories } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

type Viewer = 'author' | 'superuser' | 'other';
type Block = 'none' | 'viewer blocked them' | 'they blocked viewer';

const product = <A, B>(as: readonly A[], bs: readonly B[]): Array<[A, B]> =>
  as.flatMap((a) => bs.map((b): [A, B] => [a, b]));

const VIEWERS: Viewer[] = ['author', 'superuser', 'other'];
const BLOCKS: Block[] = ['none', 'viewer blocked them', 'they blocked viewer'];
/** Nobody blocks themselves: an author sees their own things without a block. */
const PAIRS = product(VIEWERS, BLOCKS).filter(([v, b]) => v !== 'author' || b === 'none');

/**
 * Each visibility rule of src/access is written twice, as SQL for the queries and as a
 * predicate for the services. For every generated case this builds the rows on a fresh
 * database, asks both, and checks they agree with each other and with the rule as stated.
 */
describe('Visibility rules: SQL and predicates agree (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let db: DataSource;
  let blocks: BlocksService;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    db = ctx.get(DataSource);
    blocks = ctx.get(BlocksService);
  });
  afterAll(() => ctx.close());

  /** What the SQL fragment answers for the row of `table` with id $2, seen by $1. */
  const sqlSays = async (rule: Visible, table: string, viewer: User, id: string) => {
    // People are matched by a user-id column, everything else by its table's alias.
    const person = rule === 'person' || rule === 'profile';
    const fragment = visibleSql[rule](person ? 't.id' : 't', '$1::uuid');
    const rows: Array<{ ok: boolean }> = await db.query(
      `SELECT ${fragment} AS ok FROM ${table} t WHERE t.id = $2::uuid`,
      [viewer.id, id],
    );
    expect(rows).toHaveLength(1);
    return rows[0].ok;
  };

  /** An author and a viewer of the kind asked, with the block asked between them. */
  const people = async (kind: Viewer, block: Block) => {
    const author = await make.user();
    const viewer =
      kind === 'author' ? author : await make.user({ isSuperuser: kind === 'superuser' });
    if (block === 'viewer blocked them') await blocks.block(viewer, author.id);
    if (block === 'they blocked viewer') await blocks.block(author, viewer.id);
    return { author, viewer };
  };

  describe.each(['person', 'profile'] as const)('%s', (rule) => {
    it.each(PAIRS.filter(([v]) => v !== 'author'))('viewer %s, block: %s', async (kind, block) => {
      const { author: user, viewer } = await people(kind, block);
      const apart = await blocks.apart(viewer.id, user.id);
      const predicate = visible[rule](viewer, { apart });
      const sql = await sqlSays(rule, 'users', viewer, user.id);
      const stated = block === 'none' || (rule === 'profile' && kind === 'superuser');
      expect({ sql, predicate }).toEqual({ sql: stated, predicate: stated });
    });
  });

  const moderatedCases = product(PAIRS, [false, true]).map(([[v, b], h]) => [v, b, h] as const);
  const stated = (kind: Viewer, block: Block, hidden: boolean) =>
    block === 'none' && (!hidden || kind !== 'other');

  it.each(moderatedCases)('post: viewer %s, block: %s, hidden: %s', async (kind, block, hidden) => {
    const { author, viewer } = await people(kind, block);
    const post = await make.post(author);
    if (hidden) await ctx.get(PostsRepository).setHidden(post.id, true);
    const [row] = await db.query<Array<{ user_id: string; hidden: boolean }>>(
      'SELECT user_id, hidden FROM posts WHERE id = $1::uuid',
      [post.id],
    );
    const predicate = visible.post(viewer, {
      authorId: row.user_id,
      hidden: row.hidden,
      apart: await blocks.apart(viewer.id, row.user_id),
    });
    const sql = await sqlSays('post', 'posts', viewer, post.id);
    const expected = stated(kind, block, hidden);
    expect({ sql, predicate }).toEqual({ sql: expected, predicate: expected });
  });

  it.each(moderatedCases)(
    'comment: viewer %s, block: %s, hidden: %s',
    async (kind, block, hidden) => {
      // On a post by a third person, so that only the comment's own rule decides.
      const { author, viewer } = await people(kind, block);
      const comments = ctx.get(CommentsService);
      const onPost = await make.post(await make.user());
      const comment = await comments.create(author, onPost.id, { content: 'a comment' });
      if (hidden) await comments.setHidden(comment.id, true);
      const row = (await comments.find(comment.id))!;
      const predicate = visible.comment(viewer, {
        authorId: row.author_id,
        hidden: row.hidden,
        apart: await blocks.apart(viewer.id, row.author_id),
      });
      const sql = await sqlSays('comment', 'comments', viewer, comment.id);
      const expected = stated(kind, block, hidden);
      expect({ sql, predicate }).toEqual({ sql: expected, predicate: expected });
      // The service that answers replies and reports follows the same rule.
      expect(await comments.visibleTo(viewer, row)).toBe(expected);
    },
  );

  const roomCases = product(
    product(['private', 'public'] as const, ['member', 'non-member'] as const),
    ['superuser', 'other'] as const,
  ).map(([[r, m], v]) => [r, m, v] as const);

  it.each(roomCases)('room: %s, viewer a %s, %s', async (kind, membership, who) => {
    const owner = await make.user();
    const viewer = await make.user({ isSuperuser: who === 'superuser' });
    const room = await make.room(owner, {
      isPrivate: kind === 'private',
      members: membership === 'member' ? [viewer] : [],
    });
    const [row] = await db.query<Array<{ is_private: boolean }>>(
      'SELECT is_private FROM rooms WHERE id = $1::uuid',
      [room.id],
    );
    const predicate = visible.room(viewer, {
      isPrivate: row.is_private,
      isMember: await ctx.get(RoomsService).isMember(room.id, viewer.id),
    });
    const sql = await sqlSays('room', 'rooms', viewer, room.id);
    // Superusers do not see into private rooms either.
    const expected = kind === 'public' || membership === 'member';
    expect({ sql, predicate }).toEqual({ sql: expected, predicate: expected });
  });

  it.each(roomCases)('message: in a %s room, viewer a %s, %s', async (kind, membership, who) => {
    const owner = await make.user();
    const viewer = await make.user({ isSuperuser: who === 'superuser' });
    const room = await make.room(owner, {
      isPrivate: kind === 'private',
      members: membership === 'member' ? [viewer] : [],
    });
    const [id] = await make.messages(room.id, [owner], 1);
    const [row] = await db.query<Array<{ id: string; room_id: string }>>(
      'SELECT id, room_id FROM messages WHERE id = $1::uuid',
      [id],
    );
    const predicate = visible.message(viewer, {
      isMember: await ctx.get(RoomsService).isMember(row.room_id, viewer.id),
    });
    const sql = await sqlSays('message', 'messages', viewer, row.id);
    // Only members read a room's messages, public room or not.
    const expected = membership === 'member';
    expect({ sql, predicate }).toEqual({ sql: expected, predicate: expected });
    expect(await ctx.get(MessagesService).visibleTo(row.id, viewer)).toBe(expected);
  });

  it.each(['owner', 'superuser', 'other'] as const)('notification: read by %s', async (who) => {
    const [owner, actor] = [await make.user(), await make.user()];
    await ctx.get(NotificationsService).notify('follow', actor.id, [owner.id]);
    const [row] = await db.query<Array<{ id: string; user_id: string }>>(
      'SELECT id, user_id FROM notifications WHERE user_id = $1::uuid',
      [owner.id],
    );
    const viewer = who === 'owner' ? owner : await make.user({ isSuperuser: who === 'superuser' });
    const predicate = visible.notification(viewer, { ownerId: row.user_id });
    const sql = await sqlSays('notification', 'notifications', viewer, row.id);
    const expected = who === 'owner';
    expect({ sql, predicate }).toEqual({ sql: expected, predicate: expected });
  });

  it('every rule has a case above', () => {
    expect(Object.keys(visible).sort()).toEqual(
      ['comment', 'message', 'notification', 'person', 'post', 'profile', 'room'].sort(),
    );
    expect(Object.keys(visibleSql).sort()).toEqual(Object.keys(visible).sort());
  });
});
