import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlocksService } from '../../src/blocks/blocks.service';
import { LocalMediaStorage } from '../../src/media/storage/local-media.storage';
import { NotificationsService } from '../../src/notifications/notifications.service';
import {
  NOTIFICATION_EVENTS,
  type NotificationEvent,
} from '../../src/notifications/notification-events';
import { PostsRepository } from '../../src/posts/posts.repository';
import { PostsService } from '../../src/posts/posts.service';
import { RealtimeBus } from '../../src/realtime/realtime-bus';
import type { User } from '../../src/users/entities/user.entity';
import { describeImage, html, jpeg, photoWithMetadata } from '../support/media-fixtures';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

describe('Posts (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let posts: PostsService;
  let root: string;
  const events: NotificationEvent[] = [];

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    posts = ctx.get(PostsService);
    root = ctx.get(LocalMediaStorage).root;
    ctx.app.get(RealtimeBus).subscribe(NOTIFICATION_EVENTS, (e) => events.push(e));
  });
  afterAll(() => ctx.close());

  const stored = (path: string | null) => path !== null && existsSync(join(root, path));
  const mentionsOf = async (user: User) =>
    (await ctx.get(NotificationsService).page(user.id, {})).items.filter(
      (n) => n.type === 'mention',
    );

  it('stores an image post without its metadata, tells followers, notifies mentions', async () => {
    const [author, friend] = [await make.user(), await make.user()];
    const file = await make.file(await photoWithMetadata('jpeg'), 'holiday.jpg');
    const post = await posts.create(author, file, `with @${friend.username} and @nobody_here`);

    expect(post).toMatchObject({
      userId: author.id,
      storage: 'local',
      fileType: 'image',
      mimeType: 'image/jpeg',
      fileName: 'holiday.jpg',
      // The orientation is applied: stored upright.
      width: 20,
      height: 40,
    });
    expect(stored(post.filePath)).toBe(true);
    expect(existsSync(file.tempPath)).toBe(false);
    const image = await describeImage(readFileSync(join(root, post.filePath)));
    expect(image).toMatchObject({ exif: false, xmp: false, leaks: [] });

    expect(events).toContainEqual({ kind: 'post', authorId: author.id, postId: post.id });
    expect(await mentionsOf(friend)).toHaveLength(1);
  });

  it('refuses a file that is not an accepted image or video, and keeps nothing', async () => {
    const author = await make.user();
    const before = await ctx.get(PostsRepository).countByAuthor(author.id);
    expect(
      await outcome(async () => posts.create(author, await make.file(html, 'a.png'), '')),
    ).toBe('415 UNSUPPORTED_MEDIA_TYPE');
    expect(
      await outcome(async () =>
        posts.create(author, await make.file(Buffer.alloc(0), 'a.png'), ''),
      ),
    ).toBe('400 EMPTY_FILE');
    const truncated = (await jpeg()).subarray(0, 400);
    expect(
      await outcome(async () => posts.create(author, await make.file(truncated, 'a.jpg'), '')),
    ).toBe('400 INVALID_IMAGE');
    expect(await ctx.get(PostsRepository).countByAuthor(author.id)).toBe(before);
  });

  it('edits a caption (the author only), notifying only newly mentioned people', async () => {
    const [author, first, second, other] = [
      await make.user(),
      await make.user(),
      await make.user(),
      await make.user(),
    ];
    const post = await posts.create(author, await make.file(await jpeg(), 'a.jpg'), 'hi');
    await posts.updateCaption(post.id, author, `hi @${first.username}`);
    const saved = await posts.updateCaption(
      post.id,
      author,
      `hi @${first.username} @${second.username}`,
    );
    expect(saved.caption).toBe(`hi @${first.username} @${second.username}`);
    expect(await mentionsOf(first)).toHaveLength(1);
    expect(await mentionsOf(second)).toHaveLength(1);
    expect(await outcome(() => posts.updateCaption(post.id, other, 'mine now'))).toBe(
      '403 NOT_POST_OWNER',
    );
  });

  it('replaces the media and deletes the previous file; deleting removes row and file', async () => {
    const author = await make.user();
    const post = await posts.create(author, await make.file(await jpeg(), 'a.jpg'), '');
    const oldPath = post.filePath;
    const replaced = await posts.replaceMedia(post, await make.file(await jpeg(64, 32), 'b.jpg'));
    expect(replaced).toMatchObject({ fileName: 'b.jpg', width: 64, height: 32 });
    expect(stored(oldPath)).toBe(false);
    expect(stored(replaced.filePath)).toBe(true);
    expect((await posts.get(post.id)).filePath).toBe(replaced.filePath);

    await posts.delete(post.id, author);
    expect(await outcome(() => posts.get(post.id))).toBe('404 POST_NOT_FOUND');
    expect(stored(replaced.filePath)).toBe(false);
    expect(await outcome(() => posts.delete(post.id, author))).toBe('404 POST_NOT_FOUND');
  });

  it('finds nothing for ids that are no post', async () => {
    const viewer = await make.user();
    expect(await outcome(() => posts.get('not-a-uuid'))).toBe('404 POST_NOT_FOUND');
    expect(await outcome(() => posts.getVisible('not-a-uuid', viewer.id))).toBe(
      '404 POST_NOT_FOUND',
    );
    expect(
      await outcome(() => posts.getVisible('00000000-0000-4000-8000-000000000000', viewer.id)),
    ).toBe('404 POST_NOT_FOUND');
  });

  it('shows a hidden post to its author and superusers only, and a blocked one to nobody across', async () => {
    const [author, other, blocked] = [await make.user(), await make.user(), await make.user()];
    const admin = await make.user({ isSuperuser: true });
    const [hidden, plain] = await make.posts([author], 2);
    await ctx.get(PostsRepository).setHidden(hidden.id, true);
    await ctx.get(PostsRepository).setHidden(plain.id, false);
    await ctx.get(BlocksService).block(author, blocked.id);

    const sees = (viewer: User, id: string) => outcome(() => posts.getVisible(id, viewer.id));
    expect(await sees(author, hidden.id)).toBe('ok');
    expect(await sees(admin, hidden.id)).toBe('ok');
    expect(await sees(other, hidden.id)).toBe('404 POST_NOT_FOUND');
    expect(await sees(other, plain.id)).toBe('ok');
    expect(await sees(blocked, plain.id)).toBe('404 POST_NOT_FOUND');
    const page = await posts.page(other.id, { limit: 100, userId: author.id });
    expect(page.items.map((p) => p.id)).toEqual([plain.id]);
    expect((await posts.getVisible(hidden.id, author.id)).hidden).toBe(true);
  });

  it('presents a post to its viewer (owner flag, like state) and by ids in the order asked', async () => {
    const [author, viewer] = [await make.user(), await make.user()];
    const [a, b, c] = await make.posts([author], 3);
    const own = await posts.present(a, author.id);
    expect(own).toMatchObject({ id: a.id, is_owner: true, liked_by_me: false });
    expect((await posts.present(a, viewer.id)).is_owner).toBe(false);
    const missing = '00000000-0000-4000-8000-000000000000';
    const found = await posts.byIds([c.id, missing, a.id, b.id], viewer.id);
    expect(found.map((p) => p.id)).toEqual([c.id, a.id, b.id]);
  });

  it('builds transformed links for images only, in canonical form', async () => {
    const [author, viewer] = [await make.user(), await make.user()];
    const post = await posts.create(author, await make.file(await jpeg(), 'a.jpg'), '');
    const url = await posts.visibleTransformedUrl(post.id, viewer.id, 'h-100,w-200');
    expect(decodeURIComponent(url)).toContain(`/media/${post.filePath}?tr=w-200,h-100`);
    expect(await outcome(() => posts.visibleTransformedUrl(post.id, viewer.id, 'zz-1'))).toBe(
      '400 UNSUPPORTED_TRANSFORMATION',
    );
    expect(await outcome(() => posts.transformedUrl({ ...post, fileType: 'video' }, 'w-100'))).toBe(
      '400 UNSUPPORTED_TRANSFORMATION',
    );
  });
});
