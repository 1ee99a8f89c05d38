import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rawQuery } from '../database/raw-query';
import { userCardPage } from '../users/user-cards.repository';
import type { UserCardRow } from '../users/users.mapper';

/**
 * The blocks table: its writes and lists, and whether two people are apart (the fact the
 * visibility rules of src/access/visibility.ts look at).
 */
@Injectable()
export class BlocksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Blocks (idempotent) and removes the follows between the two, both ways, in one
   * statement. False when the user to block is gone.
   */
  async block(blockerId: string, blockedId: string): Promise<boolean> {
    const rows = await rawQuery<{ ok: boolean }>(
      this.dataSource,
      `WITH target AS (SELECT id FROM users WHERE id = $2::uuid),
       ins AS (
         INSERT INTO blocks (blocker_id, blocked_id) SELECT $1::uuid, id FROM target
         ON CONFLICT DO NOTHING
       ),
       unfollow AS (
         DELETE FROM follows
         WHERE (follower_id = $1::uuid AND followee_id = $2::uuid)
            OR (follower_id = $2::uuid AND followee_id = $1::uuid)
       )
       SELECT EXISTS (SELECT 1 FROM target) AS ok`,
      [blockerId, blockedId],
    );
    return rows[0].ok;
  }

  async unblock(blockerId: string, blockedId: string): Promise<void> {
    await rawQuery(
      this.dataSource,
      'DELETE FROM blocks WHERE blocker_id = $1::uuid AND blocked_id = $2::uuid',
      [blockerId, blockedId],
    );
  }

  /** Whether either of the two blocked the other. */
  async apart(a: string, b: string): Promise<boolean> {
    const rows = await rawQuery(
      this.dataSource,
      `SELECT 1 FROM blocks WHERE (blocker_id = $1::uuid AND blocked_id = $2::uuid)
         OR (blocker_id = $2::uuid AND blocked_id = $1::uuid) LIMIT 1`,
      [a, b],
    );
    return rows.length > 0;
  }

  /** Whom `userId` blocked, most recent first. */
  blocked(
    userId: string,
    options: { limit?: number; cursor?: string },
  ): Promise<{ rows: UserCardRow[]; nextCursor: string | null }> {
    return userCardPage(
      this.dataSource,
      'SELECT b.created_at, b.blocked_id AS id FROM blocks b WHERE b.blocker_id = $1::uuid',
      userId,
      options,
    );
  }
}
