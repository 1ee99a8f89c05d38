import { BlocksService } from '../../src/blocks/blocks.service';
import { CommentsService } from '../../src/comments/comments.service';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { PostsRepository } from '../../src/posts/posts.repository';
import { PostsService } from '../../src/posts/posts.service';
import type { User } from '../../src/users/entities/user.entity';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

const MISSING = '00000000-0000-4000-8000-000000000000';

describe('Comments (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let comments: CommentsService;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    comments = ctx.get(CommentsService);
  });
  afterAll(() => ctx.close());

  const notified = async (user: User) =>
    (await ctx.get(NotificationsService).page(user.id, {})).items.map((n) => n.type).sort();

  it('comments and replies one level deep, counting replies and notifying the right people', async () => {
    const [author, first, second] = [await make.user(), await make.user(), await make.user()];
    const post = await make.post(author);
    const top = await comments.create(first, post.id, { content: 'nice' });
    expect(top).toMatchObject({
      post_id: post.id,
      parent_id: null,
      content: 'nice',
      is_owner: true,
      hidden: false,
      reply_count: 0,
      author: { id: first.id, username: first.username },
    });
    const reply = await comments.create(second, post.id, { content: 'yes', parent_id: top.id });
    // A reply to a reply joins the same thread.
    const deeper = await comments.create(author, post.id, {
      content: `thanks @${second.username}`,
      parent_id: reply.id,
    });
    expect([reply.parent_id, deeper.parent_id]).toEqual([top.id, top.id]);

    const list = await comments.ofPost(author, post.id, {});
    expect(list.items.map((c) => [c.id, c.reply_count, c.is_owner])).toEqual([[top.id, 2, false]]);
    const replies = await comments.replies(author, top.id, {});
    expect(replies.items.map((c) => c.content)).toEqual(['yes', `thanks @${second.username}`]);
    expect((await ctx.get(PostsService).getVisible(post.id, author.id)).comment_count).toBe(3);

    // The post's author hears of the others' comments; the thread's author of every reply.
    expect(await notified(author)).toEqual(['comment', 'comment']);
    expect(await notified(first)).toEqual(['reply', 'reply']);
    expect(await notified(second)).toEqual(['mention']);
  });

  it('refuses comments on missing or invisible posts and replies to missing comments', async () => {
    const [author, blocked] = [await make.user(), await make.user()];
    const post = await make.post(author);
    await ctx.get(BlocksService).block(author, blocked.id);
    expect(await outcome(() => comments.create(author, MISSING, { content: 'x' }))).toBe(
      '404 POST_NOT_FOUND',
    );
    expect(await outcome(() => comments.create(blocked, post.id, { content: 'x' }))).toBe(
      '404 POST_NOT_FOUND',
    );
    expect(
      await outcome(() => comments.create(author, post.id, { content: 'x', parent_id: MISSING })),
    ).toBe('404 COMMENT_NOT_FOUND');
    // A comment of another post is no parent here.
    const elsewhere = await comments.create(author, (await make.post(author)).id, {
      content: 'x',
    });
    expect(
      await outcome(() =>
        comments.create(author, post.id, { content: 'x', parent_id: elsewhere.id }),
      ),
    ).toBe('404 COMMENT_NOT_FOUND');
    expect(await outcome(() => comments.ofPost(blocked, post.id, {}))).toBe('404 POST_NOT_FOUND');
  });

  it('lets the author edit; the author, the post’s author or a superuser delete', async () => {
    const [postAuthor, writer, other] = [await make.user(), await make.user(), await make.user()];
    const admin = await make.user({ isSuperuser: true });
    const post = await make.post(postAuthor);
    const write = () => comments.create(writer, post.id, { content: 'first words' });

    const edited = await comments.edit(writer, (await write()).id, 'better words');
    expect(edited.content).toBe('better words');
    expect(edited.edited_at).not.toBeNull();
    const target = (await write()).id;
    expect(await outcome(() => comments.edit(postAuthor, target, 'mine'))).toBe(
      '403 NOT_COMMENT_AUTHOR',
    );
    expect(await outcome(() => comments.delete(other, target))).toBe('403 NOT_COMMENT_AUTHOR');
    for (const actor of [writer, postAuthor, admin]) {
      const id = (await write()).id;
      await comments.delete(actor, id);
      expect(await comments.find(id)).toBeNull();
    }
    expect(await outcome(() => comments.edit(writer, 'nope', 'x'))).toBe('404 COMMENT_NOT_FOUND');
    expect(await outcome(() => comments.delete(writer, MISSING))).toBe('404 COMMENT_NOT_FOUND');
  });

  it('deleting a thread’s first comment deletes its replies', async () => {
    const author = await make.user();
    const post = await make.post(author);
    const top = await comments.create(author, post.id, { content: 'top' });
    const reply = await comments.create(author, post.id, { content: 'r', parent_id: top.id });
    await comments.delete(author, top.id);
    expect(await comments.find(reply.id)).toBeNull();
  });

  it('shows a hidden comment to its author and superusers only', async () => {
    const [author, writer, other] = [await make.user(), await make.user(), await make.user()];
    const admin = await make.user({ isSuperuser: true });
    const post = await make.post(author);
    const top = await comments.create(writer, post.id, { content: 'rude' });
    expect(await comments.setHidden(top.id, true)).toBe(true);
    expect(await comments.setHidden(MISSING, true)).toBe(false);
    const row = (await comments.find(top.id))!;

    const sees = async (viewer: User) => [
      await comments.visibleTo(viewer, row),
      (await comments.ofPost(viewer, post.id, {})).items.length,
    ];
    expect(await sees(writer)).toEqual([true, 1]);
    expect(await sees(admin)).toEqual([true, 1]);
    expect(await sees(other)).toEqual([false, 0]);
    expect(await sees(author)).toEqual([false, 0]);
    expect(await outcome(() => comments.replies(other, top.id, {}))).toBe('404 COMMENT_NOT_FOUND');
  });

  it('hides the comments of a hidden post from everyone but its author and superusers', async () => {
    const [author, other] = [await make.user(), await make.user()];
    const post = await make.post(author);
    const top = await comments.create(author, post.id, { content: 'hi' });
    await ctx.get(PostsRepository).setHidden(post.id, true);
    expect(await comments.visibleTo(other, (await comments.find(top.id))!)).toBe(false);
    expect(await outcome(() => comments.replies(other, top.id, {}))).toBe('404 COMMENT_NOT_FOUND');
    expect(await outcome(() => comments.replies(author, top.id, {}))).toBe('ok');
  });

  it('pages a long thread, oldest first, each comment once', async () => {
    const author = await make.user();
    const post = await make.post(author);
    const written: string[] = [];
    for (let i = 0; i < 7; i++)
      written.push((await comments.create(author, post.id, { content: `c${i}` })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await comments.ofPost(author, post.id, { limit: 3, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(written);
  });
});
