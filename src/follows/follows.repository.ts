import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { visibleSql } from '../access/visibility';
import { rawQuery } from '../database/raw-query';
import { userCardPage } from '../users/user-cards.repository';
import type { UserCardRow } from '../users/users.mapper';

/** The follows table: its writes, its figures, and the lists. */
@Injectable()
export class FollowsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * SQL that is true when the user `viewerParam` follows the author column `authorSql`
   * (the following feed composes it; follows stay this folder's table).
   */
  static followsSql(viewerParam: string, authorSql: string): string {
    return `EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerParam} AND f.followee_id = ${authorSql})`;
  }

  /**
   * Idempotent: following twice is following (`created` says whether this call did). Not
   * `found` when the followee is gone or banned, or a block stands between the two.
   */
  async follow(
    followerId: string,
    followeeId: string,
  ): Promise<{ found: boolean; created: boolean }> {
    const rows = await rawQuery<{ found: boolean; created: boolean }>(
      this.dataSource,
      `WITH target AS (
         SELECT u.id FROM users u
         WHERE u.id = $2::uuid AND u.is_active
           AND ${visibleSql.person('u.id', '$1::uuid')}
       ),
       ins AS (
         INSERT INTO follows (follower_id, followee_id)
         SELECT $1::uuid, id FROM target
         ON CONFLICT DO NOTHING
         RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM target) AS found, EXISTS (SELECT 1 FROM ins) AS created`,
      [followerId, followeeId],
    );
    return rows[0];
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await rawQuery(
      this.dataSource,
      'DELETE FROM follows WHERE follower_id = $1::uuid AND followee_id = $2::uuid',
      [followerId, followeeId],
    );
  }

  /**
   * A profile's figures in one statement: followers and following (active users only), and,
   * seen by `viewerId`, whether each follows the other.
   */
  async figures(
    userId: string,
    viewerId: string,
  ): Promise<{
    followerCount: number;
    followingCount: number;
    isFollowing: boolean;
    followsYou: boolean;
  }> {
    const [row] = await rawQuery<{
      followers: number;
      following: number;
      is_following: boolean;
      follows_you: boolean;
    }>(
      this.dataSource,
      `SELECT
         (SELECT count(*)::int FROM follows f JOIN users u ON u.id = f.follower_id AND u.is_active
           WHERE f.followee_id = $1::uuid) AS followers,
         (SELECT count(*)::int FROM follows f JOIN users u ON u.id = f.followee_id AND u.is_active
           WHERE f.follower_id = $1::uuid) AS following,
         EXISTS (SELECT 1 FROM follows WHERE follower_id = $2::uuid AND followee_id = $1::uuid)
           AS is_following,
         EXISTS (SELECT 1 FROM follows WHERE follower_id = $1::uuid AND followee_id = $2::uuid)
           AS follows_you`,
      [userId, viewerId],
    );
    return {
      followerCount: row.followers,
      followingCount: row.following,
      isFollowing: row.is_following,
      followsYou: row.follows_you,
    };
  }

  /**
   * Who follows `userId` (`direction: 'followers'`) or whom `userId` follows ('following'),
   * most recent first, keyset on (when followed, user id); banned users are left out.
   */
  page(
    userId: string,
    direction: 'followers' | 'following',
    options: { limit?: number; cursor?: string },
  ): Promise<{ rows: UserCardRow[]; nextCursor: string | null }> {
    const [mine, other] =
      direction === 'followers' ? ['followee_id', 'follower_id'] : ['follower_id', 'followee_id'];
    return userCardPage(
      this.dataSource,
      `SELECT f.created_at, f.${other} AS id FROM follows f WHERE f.${mine} = $1::uuid`,
      userId,
      options,
    );
  }
}
