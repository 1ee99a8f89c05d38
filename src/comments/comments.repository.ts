import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cursorTimestampSql, keysetCondition, keysetPage } from '../common/pagination/cursor';
import { visibleSql } from '../access/visibility';
import { rawQuery } from '../database/raw-query';

export interface CommentRow {
  id: string;
  post_id: string;
  parent_id: string | null;
  author_id: string;
  username: string;
  avatar_storage: string | null;
  avatar_path: string | null;
  content: string;
  reply_count: number;
  hidden: boolean;
  created_at: Date;
  edited_at: Date | null;
  /** The post's author (who may delete any comment on it). */
  post_author_id: string;
  /** A reply's top-level comment's author. */
  parent_author_id: string | null;
}

const COLUMNS = `c.id, c.post_id, c.parent_id, c.author_id, u.username, u.avatar_storage,
  u.avatar_path, c.content, c.reply_count, c.hidden, c.created_at, c.edited_at, p.user_id AS post_author_id,
  (SELECT pa.author_id FROM comments pa WHERE pa.id = c.parent_id) AS parent_author_id`;
/** The comment rows (`comments c`, or a data-modifying CTE named c) with author and post. */
const from = (rows = 'comments c') =>
  `${rows} JOIN users u ON u.id = c.author_id JOIN posts p ON p.id = c.post_id`;
const FROM = from();

/** The comments table: one statement per read, oldest first keyset pages. */
@Injectable()
export class CommentsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: string): Promise<CommentRow | null> {
    const rows = await rawQuery<CommentRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM ${FROM} WHERE c.id = $1::uuid`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Adds a comment; a reply to a reply attaches to its top-level comment. Null when the post
   * is gone, or the parent is not a comment of this post.
   */
  async insert(input: {
    postId: string;
    authorId: string;
    parentId: string | null;
    content: string;
  }): Promise<CommentRow | null> {
    const rows = await rawQuery<CommentRow>(
      this.dataSource,
      `WITH parent AS (
         SELECT coalesce(pc.parent_id, pc.id) AS id FROM comments pc
         WHERE pc.id = $3::uuid AND pc.post_id = $1::uuid
           AND ${visibleSql.comment('pc', '$2::uuid')}
       ),
       c AS (
         INSERT INTO comments (post_id, author_id, parent_id, content)
         SELECT p.id, $2::uuid, (SELECT id FROM parent), $4::varchar FROM posts p
         WHERE p.id = $1::uuid AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM parent))
           AND ${visibleSql.post('p', '$2::uuid')}
         RETURNING *
       )
       SELECT ${COLUMNS} FROM ${from('c')}`,
      [input.postId, input.authorId, input.parentId, input.content],
    );
    return rows[0] ?? null;
  }

  async edit(id: string, content: string): Promise<CommentRow | null> {
    const rows = await rawQuery<CommentRow>(
      this.dataSource,
      `WITH c AS (
         UPDATE comments SET content = $2::varchar, edited_at = now() WHERE id = $1::uuid
         RETURNING *
       )
       SELECT ${COLUMNS} FROM ${from('c')}`,
      [id, content],
    );
    return rows[0] ?? null;
  }

  async setHidden(id: string, hidden: boolean): Promise<boolean> {
    const rows = await rawQuery(
      this.dataSource,
      'UPDATE comments SET hidden = $2 WHERE id = $1::uuid RETURNING 1',
      [id, hidden],
    );
    return rows.length > 0;
  }

  async delete(id: string): Promise<void> {
    await rawQuery(this.dataSource, 'DELETE FROM comments WHERE id = $1::uuid', [id]);
  }

  /**
   * A post's top-level comments (`of: 'post'`) or a comment's replies (`of: 'parent'`),
   * oldest first, without those of people apart from the viewer (a block either way).
   */
  async page(
    viewerId: string,
    of: 'post' | 'parent',
    key: string,
    options: { limit?: number; cursor?: string },
  ): Promise<{ rows: CommentRow[]; nextCursor: string | null }> {
    const limit = options.limit ?? 20;
    const keyset = keysetCondition('c', options.cursor, 4, 'asc');
    const filter =
      of === 'post' ? 'c.post_id = $1::uuid AND c.parent_id IS NULL' : 'c.parent_id = $1::uuid';
    const rows = await rawQuery<CommentRow & { cursor_at: string }>(
      this.dataSource,
      `SELECT ${COLUMNS}, ${cursorTimestampSql('c')} AS cursor_at
       FROM ${FROM}
       WHERE ${filter} AND ${keyset.sql}
         AND ${visibleSql.comment('c', '$3::uuid')}
       ORDER BY c.created_at ASC, c.id ASC
       LIMIT $2`,
      [key, limit + 1, viewerId, ...keyset.params],
    );
    return keysetPage(rows, limit);
  }
}
