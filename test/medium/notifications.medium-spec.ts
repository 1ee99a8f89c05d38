import { BlocksService } from '../../src/blocks/blocks.service';
import {
  NOTIFICATION_EVENTS,
  type NotificationEvent,
} from '../../src/notifications/notification-events';
import {
  mentionedUsernames,
  NotificationsService,
} from '../../src/notifications/notifications.service';
import { RealtimeBus } from '../../src/realtime/realtime-bus';
import type { User } from '../../src/users/entities/user.entity';
import { factories } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

describe('Notifications (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let notifications: NotificationsService;
  const events: NotificationEvent[] = [];

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    notifications = ctx.get(NotificationsService);
    ctx.app.get(RealtimeBus).subscribe(NOTIFICATION_EVENTS, (e) => events.push(e));
  });
  afterAll(() => ctx.close());

  const framesFor = (user: User) =>
    events.flatMap((e) => (e.kind === 'user' && e.userId === user.id ? [e.frame] : []));
  const types = async (user: User) =>
    (await notifications.page(user.id, {})).items.map((n) => n.type);

  it('stores a notification once and pushes it with the new unread count', async () => {
    const [actor, to] = [await make.user(), await make.user()];
    const post = await make.post(to);
    await notifications.notify('like', actor.id, [to.id], { postId: post.id });
    await notifications.notify('like', actor.id, [to.id], { postId: post.id });

    const page = await notifications.page(to.id, {});
    expect(page.unread_count).toBe(1);
    expect(page.items).toEqual([
      expect.objectContaining({
        type: 'like',
        post_id: post.id,
        comment_id: null,
        read_at: null,
        actor: expect.objectContaining({ id: actor.id, username: actor.username }),
      }),
    ]);
    expect(framesFor(to)).toEqual([
      expect.objectContaining({ type: 'notification' }),
      { type: 'unread_count', count: 1 },
    ]);
  });

  it('tells nobody of their own actions, nor banned people, nor anyone across a block', async () => {
    const [actor, blocker] = [await make.user(), await make.user()];
    const banned = await make.user({ isActive: false });
    await ctx.get(BlocksService).block(blocker, actor.id);
    await notifications.notify('follow', actor.id, [actor.id, banned.id, blocker.id]);
    for (const user of [actor, banned, blocker]) {
      expect(await types(user)).toEqual([]);
      expect(framesFor(user)).toEqual([]);
    }
  });

  it('finds @mentions: case-insensitive, once each, not in emails, at most 20', () => {
    expect(mentionedUsernames('hi @Ann and @ann, mail bob@example.com, @x. @bob_1.')).toEqual([
      'ann',
      'bob_1',
    ]);
    const many = Array.from({ length: 25 }, (_, i) => `@user${i}`).join(' ');
    expect(mentionedUsernames(many)).toHaveLength(20);
  });

  it('notifies the existing people a text mentions', async () => {
    const [actor, a, b] = [await make.user(), await make.user(), await make.user()];
    const post = await make.post(actor);
    await notifications.mentions(
      `@${a.username} @${b.username.toUpperCase()} @nobody_at_all`,
      actor.id,
      { postId: post.id },
    );
    expect(await types(a)).toEqual(['mention']);
    expect(await types(b)).toEqual(['mention']);
  });

  it('marks read some or all, and never another person’s', async () => {
    const [actor, me, someoneElse] = [await make.user(), await make.user(), await make.user()];
    const posts = await make.posts([me], 3);
    for (const post of posts)
      await notifications.notify('like', actor.id, [me.id, someoneElse.id], { postId: post.id });
    const mine = (await notifications.page(me.id, {})).items;
    const theirs = (await notifications.page(someoneElse.id, {})).items;
    expect(await notifications.unread(me.id)).toBe(3);

    await notifications.markRead(me.id, [mine[0].id, theirs[0].id, theirs[1].id]);
    expect(await notifications.unread(me.id)).toBe(2);
    expect(await notifications.unread(someoneElse.id)).toBe(3);
    expect(framesFor(me).at(-1)).toEqual({ type: 'unread_count', count: 2 });
    const after = (await notifications.page(me.id, {})).items;
    expect(after.find((n) => n.id === mine[0].id)?.read_at).not.toBeNull();

    await notifications.markRead(me.id, 'all');
    expect(await notifications.unread(me.id)).toBe(0);
    expect(await notifications.unread(someoneElse.id)).toBe(3);
  });

  it('pages newest first, each once', async () => {
    const [actor, me] = [await make.user(), await make.user()];
    const posts = await make.posts([me], 5);
    for (const post of posts)
      await notifications.notify('like', actor.id, [me.id], { postId: post.id });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await notifications.page(me.id, { limit: 2, cursor });
      seen.push(...page.items.map((n) => n.post_id!));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(posts.map((p) => p.id).reverse());
  });

  it('announces a new post on the bus for its author’s connected followers', () => {
    notifications.newPost('author-id', 'post-id');
    expect(events.at(-1)).toEqual({ kind: 'post', authorId: 'author-id', postId: 'post-id' });
  });
});
