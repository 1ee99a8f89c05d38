import { BlocksService } from '../../src/blocks/blocks.service';
import { MessagesService } from '../../src/chat/messages.service';
import { CommentsService } from '../../src/comments/comments.service';
import { ModerationService } from '../../src/moderation/moderation.service';
import { PostsService } from '../../src/posts/posts.service';
import type { User } from '../../src/users/entities/user.entity';
import { UsersService } from '../../src/users/users.service';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('Moderation (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let moderation: ModerationService;
  let admin: User;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    moderation = ctx.get(ModerationService);
    admin = await make.user({ isSuperuser: true });
  });
  afterAll(() => ctx.close());

  const report = (
    reporter: User,
    target_type: 'user' | 'post' | 'comment' | 'message',
    id: string,
  ) => moderation.report(reporter, { target_type, target_id: id, reason: 'spam' });

  it('files an open report, once per reporter and target', async () => {
    const [author, reporter, second] = [await make.user(), await make.user(), await make.user()];
    const post = await make.post(author);
    const filed = await report(reporter, 'post', post.id);
    expect(filed).toMatchObject({
      reporter_id: reporter.id,
      target_type: 'post',
      target_id: post.id,
      reason: 'spam',
      status: 'open',
      action: null,
      resolved_by: null,
      resolved_at: null,
    });
    expect(await outcome(() => report(reporter, 'post', post.id))).toBe('409 REPORT_ALREADY_OPEN');
    expect(await outcome(() => report(second, 'post', post.id))).toBe('ok');
    const open = (await moderation.list({ status: 'open', limit: 100 })).items.map((r) => r.id);
    expect(open).toContain(filed.id);
  });

  it('refuses reports of what the reporter cannot see, so nothing can be probed', async () => {
    const [author, reporter] = [await make.user(), await make.user()];
    const post = await make.post(author);
    const comments = ctx.get(CommentsService);
    const hiddenComment = await comments.create(author, post.id, { content: 'x' });
    await comments.setHidden(hiddenComment.id, true);
    const room = await make.room(author, { isPrivate: true });
    const { message } = await ctx.get(MessagesService).send(author, room.id, { content: 'x' });
    const banned = await make.user({ isActive: false });
    const blockedPost = await make.post(await make.user());
    await ctx.get(BlocksService).block(reporter, blockedPost.userId);

    const refused = await Promise.all([
      outcome(() => report(reporter, 'comment', hiddenComment.id)),
      outcome(() => report(reporter, 'message', message.id)),
      outcome(() => report(reporter, 'user', banned.id)),
      outcome(() => report(reporter, 'post', blockedPost.id)),
      outcome(() => report(reporter, 'post', MISSING)),
      outcome(() => report(reporter, 'comment', 'not-a-uuid')),
    ]);
    expect(refused).toEqual(Array(6).fill('404 TARGET_NOT_FOUND'));
  });

  it('resolving one report resolves every open report on the target, and only once', async () => {
    const [author, a, b] = [await make.user(), await make.user(), await make.user()];
    const post = await make.post(author);
    const first = await report(a, 'post', post.id);
    const second = await report(b, 'post', post.id);
    const resolved = await moderation.resolve(admin, first.id, 'dismiss');
    expect(resolved).toMatchObject({
      status: 'resolved',
      action: 'dismiss',
      resolved_by: admin.id,
    });
    expect(resolved.resolved_at).not.toBeNull();

    const done = (await moderation.list({ status: 'resolved', limit: 100 })).items;
    expect(done.map((r) => r.id)).toEqual(expect.arrayContaining([first.id, second.id]));
    expect(await outcome(() => moderation.resolve(admin, second.id, 'hide'))).toBe(
      '409 REPORT_RESOLVED',
    );
    expect(await outcome(() => moderation.resolve(admin, MISSING, 'dismiss'))).toBe(
      '404 REPORT_NOT_FOUND',
    );
    // The same person may report it again once the first report is closed.
    expect(await outcome(() => report(a, 'post', post.id))).toBe('ok');
  });

  it('hides posts and comments, deletes them and messages', async () => {
    const [author, reporter, other] = [await make.user(), await make.user(), await make.user()];
    const posts = ctx.get(PostsService);
    const comments = ctx.get(CommentsService);
    const [toHide, toDelete] = await make.posts([author], 2);
    const comment = await comments.create(author, toDelete.id, { content: 'x' });
    const room = await make.room(author, { members: [reporter] });
    const { message } = await ctx.get(MessagesService).send(author, room.id, { content: 'x' });

    await moderation.resolve(admin, (await report(reporter, 'post', toHide.id)).id, 'hide');
    expect(await outcome(() => posts.getVisible(toHide.id, other.id))).toBe('404 POST_NOT_FOUND');
    expect((await posts.getVisible(toHide.id, author.id)).hidden).toBe(true);

    const hideComment = await report(reporter, 'comment', comment.id);
    await moderation.resolve(admin, hideComment.id, 'hide');
    expect((await comments.find(comment.id))?.hidden).toBe(true);

    await moderation.resolve(admin, (await report(reporter, 'message', message.id)).id, 'delete');
    const history = await ctx.get(MessagesService).history(author, room.id, {});
    expect(history.items.map((m) => m.id)).not.toContain(message.id);

    await moderation.resolve(admin, (await report(reporter, 'post', toDelete.id)).id, 'delete');
    expect(await outcome(() => posts.get(toDelete.id))).toBe('404 POST_NOT_FOUND');
  });

  it('bans the author of what was reported, never the moderator, and neither hides nor deletes a user', async () => {
    const [author, reporter] = [await make.user(), await make.user()];
    const post = await make.post(author);
    await moderation.resolve(admin, (await report(reporter, 'post', post.id)).id, 'ban');
    expect((await ctx.get(UsersService).findById(author.id))?.isActive).toBe(false);

    const adminPost = await make.post(admin);
    const againstAdmin = await report(reporter, 'post', adminPost.id);
    expect(await outcome(() => moderation.resolve(admin, againstAdmin.id, 'ban'))).toBe(
      '400 CANNOT_BAN_SELF',
    );
    const user = await make.user();
    const againstUser = await report(reporter, 'user', user.id);
    expect(await outcome(() => moderation.resolve(admin, againstUser.id, 'hide'))).toBe(
      '400 UNSUPPORTED_ACTION',
    );
    expect(await outcome(() => moderation.resolve(admin, againstUser.id, 'delete'))).toBe(
      '400 UNSUPPORTED_ACTION',
    );
    // A refused action leaves the report open.
    const open = (await moderation.list({ status: 'open', limit: 100 })).items.map((r) => r.id);
    expect(open).toEqual(expect.arrayContaining([againstAdmin.id, againstUser.id]));
  });

  it('answers TARGET_NOT_FOUND when the target is gone before the action', async () => {
    const [author, reporter] = [await make.user(), await make.user()];
    const post = await make.post(author);
    const filed = await report(reporter, 'post', post.id);
    await ctx.get(PostsService).delete(post.id, author);
    expect(await outcome(() => moderation.resolve(admin, filed.id, 'hide'))).toBe(
      '404 TARGET_NOT_FOUND',
    );
    expect(await outcome(() => moderation.resolve(admin, filed.id, 'ban'))).toBe(
      '404 TARGET_NOT_FOUND',
    );
  });

  it('pages reports newest first, each once', async () => {
    const reporter = await make.user();
    const targets = await make.crowd(5);
    const filed: string[] = [];
    for (const t of targets) filed.push((await report(reporter, 'user', t.id)).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await moderation.list({ status: 'open', limit: 2, cursor });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    const mine = seen.filter((id) => filed.includes(id));
    expect(mine).toEqual([...filed].reverse());
  });
});
