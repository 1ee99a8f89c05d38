import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { visibleSql } from '../access/visibility';
import { rawQuery } from '../database/raw-query';
import { userCardPage } from '../users/user-cards.repository';
import type { UserCardRow } from '../users/users.mapper';

/** The post_likes table: likes, unlikes and who liked a post. posts.like_count follows by trigger. */
@Injectable()
export class LikesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * SQL that is true when the user `viewerParam` likes the post `postSql` (for feeds): a
   * scalar sub-select, so each row of a page is one primary-key probe. (As EXISTS, PostgreSQL
   * may instead hash every like of the viewer, once per page: a heavy liker's pages then pay
   * for all their likes.)
   */
  static likedBySql(viewerParam: string, postSql: string): string {
    return `coalesce((SELECT true FROM post_likes l WHERE l.post_id = ${postSql} AND l.user_id = ${viewerParam}), false)`;
  }

  /**
   * Idempotent (`created` says whether this call liked). No `authorId` when there is no such
   * post, or a block stands between the liker and its author.
   */
  async like(
    userId: string,
    postId: string,
  ): Promise<{ authorId: string | null; created: boolean }> {
    const rows = await rawQuery<{ author_id: string | null; created: boolean }>(
      this.dataSource,
      `WITH target AS (
         SELECT p.id, p.user_id FROM posts p
         WHERE p.id = $2::uuid AND ${visibleSql.post('p', '$1::uuid')}
       ),
       ins AS (
         INSERT INTO post_likes (post_id, user_id) SELECT id, $1::uuid FROM target
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT (SELECT user_id FROM target) AS author_id, EXISTS (SELECT 1 FROM ins) AS created`,
      [userId, postId],
    );
    return { authorId: rows[0].author_id, created: rows[0].created };
  }

  async unlike(userId: string, postId: string): Promise<void> {
    await rawQuery(
      this.dataSource,
      'DELETE FROM post_likes WHERE post_id = $1::uuid AND user_id = $2::uuid',
      [postId, userId],
    );
  }

  /** Who liked a post, most recent first; banned users are left out. */
  likers(
    postId: string,
    options: { limit?: number; cursor?: string },
  ): Promise<{ rows: UserCardRow[]; nextCursor: string | null }> {
    return userCardPage(
      this.dataSource,
      'SELECT l.created_at, l.user_id AS id FROM post_likes l WHERE l.post_id = $1::uuid',
      postId,
      options,
    );
  }
}
