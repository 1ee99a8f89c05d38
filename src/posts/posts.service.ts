import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { badRequest, notFound } from '../common/errors/app.exception';
import type { ReceivedFile } from '../common/multipart/multipart';
import { POST_MEDIA_TYPES } from '../media/media-types';
import { type MediaRef, MediaService, StoredMedia } from '../media/media.service';
import type { User } from '../users/entities/user.entity';
import { MediaLinks } from '../media/media-links';
import { NotificationsService } from '../notifications/notifications.service';
import type { PostPage, PostResponse } from './dto/post.response';
import { type PostView, toPostResponse } from './posts.mapper';
import type { Post } from './entities/post.entity';
import { type PageOptions, PostsRepository } from './posts.repository';
import { requireAccess } from '../access/access';

export type PostAction = 'edit' | 'delete';

@Injectable()
export class PostsService {
  constructor(
    private readonly repository: PostsRepository,
    private readonly media: MediaService,
    private readonly links: MediaLinks,
    private readonly notifications: NotificationsService,
  ) {}

  /** Whether `viewerId` may see the post (the rule of src/access/visibility). */
  isVisible(id: string, viewerId: string): Promise<boolean> {
    return this.repository.visible(id, viewerId);
  }

  /** How many posts `userId` has (a profile's figure). */
  countByAuthor(userId: string): Promise<number> {
    return this.repository.countByAuthor(userId);
  }

  /** Hides or shows a post (moderation); false when there is no such post. */
  setHidden(id: string, hidden: boolean): Promise<boolean> {
    return this.repository.setHidden(id, hidden);
  }

  /** Stores the file, then the row; if the row cannot be written the file is removed again. */
  async create(user: User, file: ReceivedFile, caption: string): Promise<Post> {
    const stored = await this.media.store(file, { folder: 'posts', allowed: POST_MEDIA_TYPES });
    try {
      const post = await this.repository.insert({
        userId: user.id,
        caption,
        ...this.mediaColumns(stored),
      });
      post.user = user;
      await this.notifications.mentions(caption, user.id, { postId: post.id });
      this.notifications.newPost(user.id, post.id);
      return post;
    } catch (err) {
      await this.media.discard(stored);
      throw err;
    }
  }

  async get(id: string): Promise<Post> {
    const post = isUUID(id) ? await this.repository.findWithAuthor(id) : null;
    if (!post) throw notFound('POST_NOT_FOUND', 'Post not found');
    return post;
  }

  /** The post, when `user` may perform `action` on it (403 NOT_POST_OWNER otherwise). */
  async getForChange(id: string, user: User, action: PostAction): Promise<Post> {
    const post = await this.get(id);
    requireAccess(user, action === 'edit' ? 'post.edit' : 'post.delete', { authorId: post.userId });
    return post;
  }

  async updateCaption(id: string, user: User, caption: string): Promise<Post> {
    const post = await this.getForChange(id, user, 'edit');
    post.caption = caption;
    const saved = await this.repository.save(post);
    // Newly mentioned people hear of it; those mentioned before are not told twice.
    await this.notifications.mentions(caption, user.id, { postId: post.id });
    return saved;
  }

  /** New file first, then the row; the old file is deleted only once both succeeded. */
  async replaceMedia(post: Post, file: ReceivedFile): Promise<Post> {
    const previous = filesOf(post);
    const stored = await this.media.store(file, { folder: 'posts', allowed: POST_MEDIA_TYPES });
    try {
      Object.assign(post, this.mediaColumns(stored));
      await this.repository.save(post);
    } catch (err) {
      await this.media.discard(stored);
      throw err;
    }
    await this.media.removeAll(previous);
    return post;
  }

  /** The post disappears at once; its file is deleted now or, if storage is down, later. */
  async delete(id: string, user: User): Promise<void> {
    const post = await this.getForChange(id, user, 'delete');
    await this.repository.delete(post.id);
    await this.media.removeAll(filesOf(post));
  }

  /** The link to the post's image with a transformation (validated, in canonical form). */
  transformedUrl(
    post: Pick<Post, 'storage' | 'filePath' | 'fileType'>,
    transformation: string,
  ): string {
    if (post.fileType !== 'image') {
      throw badRequest('UNSUPPORTED_TRANSFORMATION', 'Only image posts can be transformed');
    }
    return this.links
      .current()
      .file(
        { storage: post.storage, path: post.filePath },
        this.media.transformation(transformation),
      );
  }

  /**
   * The post as the response shows it to `viewerId` (its like count and whether the viewer
   * likes it read now), with links for this response.
   */
  async present(post: Post, viewerId: string): Promise<PostResponse> {
    const view = (await this.repository.findView(post.id, viewerId)) ?? post;
    return toPostResponse(view, viewerId, this.links.current());
  }

  /** A post as `viewerId` sees it: 404 when it is missing or a block hides it. */
  async getVisible(id: string, viewerId: string): Promise<PostResponse> {
    return toPostResponse(await this.visibleView(id, viewerId), viewerId, this.links.current());
  }

  /** The link of a post the viewer can see, with `transformation` applied. */
  async visibleTransformedUrl(
    id: string,
    viewerId: string,
    transformation: string,
  ): Promise<string> {
    return this.transformedUrl(await this.visibleView(id, viewerId), transformation);
  }

  private async visibleView(id: string, viewerId: string): Promise<PostView> {
    const view = isUUID(id) ? await this.repository.findView(id, viewerId) : null;
    if (!view) throw notFound('POST_NOT_FOUND', 'Post not found');
    return view;
  }

  /**
   * A page of posts, newest first (all, one author's, or the following feed: the people the
   * viewer follows and the viewer's own), as the response shows them.
   */
  async page(viewerId: string, options: PageOptions): Promise<PostPage> {
    const page = await this.repository.page(viewerId, options);
    const links = this.links.current();
    return {
      items: page.items.map((post) => toPostResponse(post, viewerId, links)),
      next_cursor: page.next_cursor,
    };
  }

  /** Posts by id, in that order, as the response shows them (search results). */
  async byIds(ids: string[], viewerId: string): Promise<PostResponse[]> {
    const links = this.links.current();
    return (await this.repository.findViews(ids, viewerId)).map((post) =>
      toPostResponse(post, viewerId, links),
    );
  }

  private mediaColumns(stored: StoredMedia): Partial<Post> {
    return {
      storage: stored.storage,
      fileId: stored.fileId,
      filePath: stored.path,
      thumbnailPath: stored.poster?.path ?? null,
      thumbnailFileId: stored.poster?.fileId ?? null,
      duration: stored.duration,
      fileType: stored.kind,
      mimeType: stored.mimeType,
      fileName: stored.fileName,
      size: stored.size,
      width: stored.width,
      height: stored.height,
    };
  }
}

/** The stored files of a post: its media, and the poster frame stored beside a video. */
function filesOf(post: Post): MediaRef[] {
  const files: MediaRef[] = [{ storage: post.storage, fileId: post.fileId, path: post.filePath }];
  if (post.thumbnailFileId)
    files.push({ storage: post.storage, fileId: post.thumbnailFileId, path: post.thumbnailPath });
  return files;
}
