import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { Repository } from 'typeorm';
import { badRequest, notFound } from '../common/errors/app.exception';
import type { ReceivedFile } from '../common/multipart/multipart';
import { POST_MEDIA_TYPES } from '../media/media-types';
import { MediaService, StoredMedia } from '../media/media.service';
import type { User } from '../users/entities/user.entity';
import type { PostPage } from './dto/post.response';
import { Post } from './entities/post.entity';
import { PostsRepository } from './posts.repository';
import { requireAccess } from '../access/access';

export type PostAction = 'edit' | 'delete';

@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
    private readonly repository: PostsRepository,
    private readonly media: MediaService,
  ) {}

  /** Stores the file, then the row; if the row cannot be written the file is removed again. */
  async create(user: User, file: ReceivedFile, caption: string): Promise<Post> {
    const stored = await this.media.store(file, { folder: 'posts', allowed: POST_MEDIA_TYPES });
    try {
      const post = await this.posts.save(
        this.posts.create({ userId: user.id, caption, ...this.mediaColumns(stored) }),
      );
      post.user = user;
      return post;
    } catch (err) {
      await this.media.remove(stored);
      throw err;
    }
  }

  async get(id: string): Promise<Post> {
    const post = isUUID(id)
      ? await this.posts.findOne({ where: { id }, relations: { user: true } })
      : null;
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
    return this.posts.save(post);
  }

  /** New file first, then the row; the old file is deleted only once both succeeded. */
  async replaceMedia(post: Post, file: ReceivedFile): Promise<Post> {
    const previous = { storage: post.storage, fileId: post.fileId };
    const stored = await this.media.store(file, { folder: 'posts', allowed: POST_MEDIA_TYPES });
    try {
      Object.assign(post, this.mediaColumns(stored));
      await this.posts.save(post);
    } catch (err) {
      await this.media.remove(stored);
      throw err;
    }
    await this.media.remove(previous);
    return post;
  }

  /** The post disappears at once; its file is deleted now or, if storage is down, later. */
  async delete(id: string, user: User): Promise<void> {
    const post = await this.getForChange(id, user, 'delete');
    await this.posts.delete({ id: post.id });
    await this.media.remove({ storage: post.storage, fileId: post.fileId });
  }

  transformedUrl(post: Post, transformation: string): string {
    if (post.fileType !== 'image') {
      throw badRequest('UNSUPPORTED_TRANSFORMATION', 'Only image posts can be transformed');
    }
    return this.media.transformedUrl(post.filePath, transformation);
  }

  /** A page of posts, newest first (all, or one author's), as the response shows them. */
  page(
    viewerId: string,
    options: { limit?: number; cursor?: string; userId?: string },
  ): Promise<PostPage> {
    return this.repository.page(viewerId, options);
  }

  private mediaColumns(stored: StoredMedia): Partial<Post> {
    return {
      storage: stored.storage,
      fileId: stored.fileId,
      filePath: stored.path,
      url: stored.url,
      thumbnailUrl: stored.thumbnailUrl,
      fileType: stored.kind,
      mimeType: stored.mimeType,
      fileName: stored.fileName,
      size: stored.size,
      width: stored.width,
      height: stored.height,
    };
  }
}
