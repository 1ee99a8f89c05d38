import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cursorTimestampSql, keysetCondition, keysetPage } from '../common/pagination/cursor';
import { rawQuery } from '../database/raw-query';
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
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

/** Only what the response shows: never the author's email or password hash. */
const PAGE_COLUMNS = `p.id, p.user_id, u.username, u.avatar_storage, u.avatar_path, p.caption,
  p.storage, p.file_path, p.file_type, p.mime_type, p.file_name, p.size, p.width, p.height,
  p.duration, p.thumbnail_path, p.created_at, p.updated_at, ${cursorTimestampSql('p')} AS cursor_at`;

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
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The posts' hot read path in hand-written SQL: one statement per page, keyset on
 * (created_at, id) so a deep page costs what the first does, rows mapped straight to the
 * response without entity hydration. Writes stay on TypeORM.
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

  /** A page of posts, newest first (all, or one author's), and the cursor of the next. */
  async page(options: {
    limit?: number;
    cursor?: string;
    userId?: string;
  }): Promise<{ items: PostView[]; next_cursor: string | null }> {
    const limit = options.limit ?? 20;
    const params: unknown[] = [limit + 1];
    let byAuthor = 'TRUE';
    if (options.userId) {
      params.push(options.userId);
      byAuthor = `p.user_id = $${params.length}::uuid`;
    }
    const keyset = keysetCondition('p', options.cursor, params.length + 1);
    params.push(...keyset.params);
    const rows = await rawQuery<PostRow>(
      this.dataSource,
      `SELECT ${PAGE_COLUMNS}
       FROM posts p JOIN users u ON u.id = p.user_id
       WHERE ${byAuthor} AND ${keyset.sql}
       ORDER BY p.created_at DESC, p.id DESC
       LIMIT $1`,
      params,
    );
    const page = keysetPage(rows, limit);
    return {
      items: page.rows.map(toView),
      next_cursor: page.nextCursor,
    };
  }
}
