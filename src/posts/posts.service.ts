import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { Repository } from 'typeorm';
import { badRequest, notFound } from '../common/errors/app.exception';
import type { ReceivedFile } from '../common/multipart/multipart';
import { POST_MEDIA_TYPES } from '../media/media-types';
import { MediaService, StoredMedia } from '../media/media.service';
import type { User } from '../users/entities/user.entity';
import { cursorTimestampSql, decodeCursor, encodeCursor } from '../common/pagination/cursor';
import { Post } from './entities/post.entity';
import { assertCanModify, type PostAction } from './post-access';

export interface PostPageResult {
  items: Post[];
  nextCursor: string | null;
}

const CURSOR_AT = cursorTimestampSql('p');

@Injectable()
export class PostsService {
  constructor(
    @InjectRepository(Post) private readonly posts: Repository<Post>,
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
    assertCanModify(post, user, action);
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

  /** One query per page: keyset on (created_at, id), newest first, author joined. */
  async page(options: {
    limit?: number;
    cursor?: string;
    userId?: string;
  }): Promise<PostPageResult> {
    const limit = options.limit ?? 20;
    const qb = this.posts
      .createQueryBuilder('p')
      .innerJoinAndSelect('p.user', 'u')
      .addSelect(CURSOR_AT, 'cursor_at')
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (options.userId) qb.andWhere('p.user_id = :userId', { userId: options.userId });
    if (options.cursor) {
      const cursor = decodeCursor(options.cursor);
      qb.andWhere('(p.created_at, p.id) < (CAST(:at AS timestamptz), CAST(:id AS uuid))', {
        at: cursor.createdAt,
        id: cursor.id,
      });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ p_id: string; cursor_at: string }>();
    const items = entities.slice(0, limit);
    const last = items.at(-1);
    const lastRaw = last && raw.find((r) => r.p_id === last.id);
    return {
      items,
      nextCursor:
        entities.length > limit && last && lastRaw
          ? encodeCursor({ createdAt: lastRaw.cursor_at, id: last.id })
          : null,
    };
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
