import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cursorTimestampSql, keysetCondition, keysetPage } from '../common/pagination/cursor';
import { rawQuery } from '../database/raw-query';
import { visibleSql } from '../access/visibility';
import { FollowsRepository } from '../follows/follows.repository';
import { LikesRepository } from '../likes/likes.repository';
import { Post } from './entities/post.entity';
import type { PostView } from './posts.mapper';

interface PostRow {
  id: string;
  user_id: string;
  username: string;
  avatar_storage: string | null;
  avatar_path: string | null;
  caption: string;
  storage: string;
  file_path: string;
  file_type: 'image' | 'video';
  mime_type: string;
  file_name: string;
  size: string;
  width: number | null;
  height: number | null;
  duration: number | null;
  thumbnail_path: string | null;
  like_count: number;
  comment_count: number;
  hidden: boolean;
  liked_by_me: boolean;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

/**
 * Only what the response shows (never the author's email or password hash), and whether the
 * viewer (parameter $1) likes the post: one statement per page, no query per post.
 */
const PAGE_COLUMNS = `p.id, p.user_id, u.username, u.avatar_storage, u.avatar_path, p.caption,
  p.storage, p.file_path, p.file_type, p.mime_type, p.file_name, p.size, p.width, p.height,
  p.duration, p.thumbnail_path, p.like_count, p.comment_count, p.hidden, ${LikesRepository.likedBySql('$1::uuid', 'p.id')}
  AS liked_by_me, p.created_at, p.updated_at, ${cursorTimestampSql('p')} AS cursor_at`;

function toView(row: PostRow): PostView {
  return {
    id: row.id,
    userId: row.user_id,
    user: {
      username: row.username,
      avatarStorage: row.avatar_storage,
      avatarPath: row.avatar_path,
    },
    caption: row.caption,
    storage: row.storage,
    filePath: row.file_path,
    fileType: row.file_type,
    mimeType: row.mime_type,
    fileName: row.file_name,
    size: Number(row.size),
    width: row.width,
    height: row.height,
    duration: row.duration,
    thumbnailPath: row.thumbnail_path,
    likeCount: row.like_count,
    commentCount: row.comment_count,
    hidden: row.hidden,
    likedByMe: row.liked_by_me,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Which posts a page holds (all, one author's, the following feed, a tag's) and where. */
export interface PageOptions {
  limit?: number;
  cursor?: string;
  userId?: string;
  following?: boolean;
  tag?: string;
}

/**
 * The posts table. The hot read path is hand-written SQL: one statement per page, keyset on
 * (created_at, id) so a deep page costs what the first does, rows mapped straight to the
 * response without entity hydration. Writes go through the Post entity.
 */
@Injectable()
export class PostsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Number of posts by a user (a profile's post_count), from the (user_id, created_at, id) index. */
  async countByAuthor(userId: string): Promise<number> {
    const [row] = await rawQuery<{ n: number }>(
      this.dataSource,
      'SELECT count(*)::int AS n FROM posts WHERE user_id = $1::uuid',
      [userId],
    );
    return row.n;
  }

  /**
   * Whether the post exists and `viewerId` may see it: no block between them and its author,
   * and not hidden by a moderator (unless the viewer wrote it or is a superuser).
   */
  async visible(id: string, viewerId: string): Promise<boolean> {
    const rows = await rawQuery(
      this.dataSource,
      `SELECT 1 FROM posts p WHERE p.id = $2::uuid AND ${visibleSql.post('p', '$1::uuid')}`,
      [viewerId, id],
    );
    return rows.length > 0;
  }

  /** One post as `viewerId` sees it (liked_by_me included), or null (missing or hidden). */
  async findView(id: string, viewerId: string): Promise<PostView | null> {
    const rows = await rawQuery<PostRow>(
      this.dataSource,
      `SELECT ${PAGE_COLUMNS} FROM posts p JOIN users u ON u.id = p.user_id
       WHERE p.id = $2::uuid AND ${visibleSql.post('p', '$1::uuid')}`,
      [viewerId, id],
    );
    return rows[0] ? toView(rows[0]) : null;
  }

  async setHidden(id: string, hidden: boolean): Promise<boolean> {
    const rows = await rawQuery(
      this.dataSource,
      'UPDATE posts SET hidden = $2 WHERE id = $1::uuid RETURNING 1',
      [id, hidden],
    );
    return rows.length > 0;
  }

  /** Posts by id as `viewerId` sees them, in the order of `ids` (hidden ones left out). */
  async findViews(ids: string[], viewerId: string): Promise<PostView[]> {
    if (ids.length === 0) return [];
    const rows = await rawQuery<PostRow>(
      this.dataSource,
      `SELECT ${PAGE_COLUMNS} FROM posts p JOIN users u ON u.id = p.user_id
       WHERE p.id = ANY($2::uuid[]) AND ${visibleSql.post('p', '$1::uuid')}`,
      [viewerId, ids],
    );
    const byId = new Map(rows.map((row) => [row.id, toView(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * A page of posts as `viewerId` sees them, newest first: all posts, one author's
   * (`userId`), or those of the people the viewer follows and the viewer's own
   * (`following`); and the cursor of the next page. Posts of people the viewer blocked, or
   * who blocked the viewer, are left out.
   */
  async page(
    viewerId: string,
    options: PageOptions,
  ): Promise<{ items: PostView[]; next_cursor: string | null }> {
    const limit = options.limit ?? 20;
    const params: unknown[] = [viewerId, limit + 1];
    if (options.tag !== undefined)
      return this.tagPage(viewerId, options.tag, limit, options.cursor);
    if (options.following) return this.followingPage(viewerId, limit, options.cursor);
    let filter = 'TRUE';
    if (options.userId) {
      params.push(options.userId);
      filter = `p.user_id = $${params.length}::uuid`;
    }
    const keyset = keysetCondition('p', options.cursor, params.length + 1);
    params.push(...keyset.params);
    const rows = await rawQuery<PostRow>(
      this.dataSource,
      `SELECT ${PAGE_COLUMNS}
       FROM posts p JOIN users u ON u.id = p.user_id
       WHERE ${filter} AND ${keyset.sql}
         AND ${visibleSql.post('p', '$1::uuid')}
       ORDER BY p.created_at DESC, p.id DESC
       LIMIT $2`,
      params,
    );
    const page = keysetPage(rows, limit);
    return { items: page.rows.map(toView), next_cursor: page.nextCursor };
  }

  /**
   * The following feed: the viewer's posts and those of whom they follow. The people followed
   * are a small share of all authors, so a page passes over many posts to find its own: they
   * are picked in an index-only scan of IDX_posts_feed_cover (created_at, id, user_id,
   * hidden: every column the filters need), and only the page's posts are read from the table.
   */
  private async followingPage(
    viewerId: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: PostView[]; next_cursor: string | null }> {
    const keyset = keysetCondition('q', cursor, 3);
    const rows = await rawQuery<PostRow>(
      this.dataSource,
      `WITH page AS (
         SELECT q.id FROM posts q
         WHERE (q.user_id = $1::uuid OR ${FollowsRepository.followsSql('$1::uuid', 'q.user_id')})
           AND ${keyset.sql}
           AND ${visibleSql.post('q', '$1::uuid')}
         ORDER BY q.created_at DESC, q.id DESC
         LIMIT $2
       )
       SELECT ${PAGE_COLUMNS}
       FROM page JOIN posts p ON p.id = page.id JOIN users u ON u.id = p.user_id
       ORDER BY p.created_at DESC, p.id DESC`,
      [viewerId, limit + 1, ...keyset.params],
    );
    const page = keysetPage(rows, limit);
    return { items: page.rows.map(toView), next_cursor: page.nextCursor };
  }

  /**
   * A hashtag's posts, newest first: walked from post_tags' (tag, created_at, post_id) index,
   * so a rare tag costs what a common one does.
   */
  private async tagPage(
    viewerId: string,
    tag: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: PostView[]; next_cursor: string | null }> {
    const keyset = keysetCondition('t', cursor, 4, 'desc', 'post_id');
    const rows = await rawQuery<PostRow>(
      this.dataSource,
      `SELECT ${PAGE_COLUMNS}
       FROM post_tags t JOIN posts p ON p.id = t.post_id JOIN users u ON u.id = p.user_id
       WHERE t.tag = $3 AND ${keyset.sql}
         AND ${visibleSql.post('p', '$1::uuid')}
       ORDER BY t.created_at DESC, t.post_id DESC
       LIMIT $2`,
      [viewerId, limit + 1, tag.toLowerCase(), ...keyset.params],
    );
    const page = keysetPage(rows, limit);
    return { items: page.rows.map(toView), next_cursor: page.nextCursor };
  }

  /** The post with its author (the entity the service changes), or null. */
  findWithAuthor(id: string): Promise<Post | null> {
    return this.dataSource
      .getRepository(Post)
      .findOne({ where: { id }, relations: { user: true } });
  }

  insert(values: Partial<Post>): Promise<Post> {
    const posts = this.dataSource.getRepository(Post);
    return posts.save(posts.create(values));
  }

  /** Writes the post's changed columns. */
  save(post: Post): Promise<Post> {
    return this.dataSource.getRepository(Post).save(post);
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.getRepository(Post).delete({ id });
  }
}
