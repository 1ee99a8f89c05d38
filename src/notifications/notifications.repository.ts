import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { visibleSql } from '../access/visibility';
import { cursorTimestampSql, keysetCondition, keysetPage } from '../common/pagination/cursor';
import { rawQuery } from '../database/raw-query';
import type { NotificationType } from './entities/notification.entity';

/** A notification with its actor, as stored: the actor's avatar as its media key. */
export interface NotificationRecord {
  id: string;
  type: NotificationType;
  actor: { id: string; username: string; avatarStorage: string | null; avatarPath: string | null };
  post_id: string | null;
  comment_id: string | null;
  created_at: string;
  read_at: string | null;
}

interface NotificationRow {
  id: string;
  user_id: string;
  type: NotificationType;
  actor_id: string;
  username: string;
  avatar_storage: string | null;
  avatar_path: string | null;
  post_id: string | null;
  comment_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

const toRecord = (row: NotificationRow): NotificationRecord => ({
  id: row.id,
  type: row.type,
  actor: {
    id: row.actor_id,
    username: row.username,
    avatarStorage: row.avatar_storage,
    avatarPath: row.avatar_path,
  },
  post_id: row.post_id,
  comment_id: row.comment_id,
  created_at: row.created_at.toISOString(),
  read_at: row.read_at ? row.read_at.toISOString() : null,
});

const COLUMNS = `n.id, n.user_id, n.type, n.actor_id, a.username, a.avatar_storage, a.avatar_path,
  n.post_id, n.comment_id, n.created_at, n.read_at`;

/** The notifications table. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the notifications of one action, to each recipient it may reach: never to the
   * actor, never across a block, never to a banned account, and once per actor, type and
   * object (a like taken back and given again, or a caption edited with the same mention,
   * does not notify twice).
   */
  async insert(input: {
    type: NotificationType;
    actorId: string;
    userIds: string[];
    postId?: string | null;
    commentId?: string | null;
  }): Promise<Array<NotificationRecord & { user_id: string }>> {
    if (input.userIds.length === 0) return [];
    const rows = await rawQuery<NotificationRow>(
      this.dataSource,
      `WITH n AS (
         INSERT INTO notifications (user_id, type, actor_id, post_id, comment_id)
         SELECT u.id, $2::varchar, $3::uuid, $4::uuid, $5::uuid
         FROM users u
         WHERE u.id = ANY($1::uuid[]) AND u.id <> $3::uuid AND u.is_active
           AND ${visibleSql.person('u.id', '$3::uuid')}
           AND NOT EXISTS (
             SELECT 1 FROM notifications o
             WHERE o.user_id = u.id AND o.actor_id = $3::uuid AND o.type = $2::varchar
               AND o.post_id IS NOT DISTINCT FROM $4::uuid
               AND o.comment_id IS NOT DISTINCT FROM $5::uuid)
         RETURNING *
       )
       SELECT ${COLUMNS} FROM n JOIN users a ON a.id = n.actor_id`,
      [input.userIds, input.type, input.actorId, input.postId ?? null, input.commentId ?? null],
    );
    return rows.map((row) => ({ ...toRecord(row), user_id: row.user_id }));
  }

  /** The user's notifications, newest first, and how many are unread (one statement). */
  async page(
    userId: string,
    options: { limit?: number; cursor?: string },
  ): Promise<{ items: NotificationRecord[]; nextCursor: string | null; unread: number }> {
    const limit = options.limit ?? 20;
    const keyset = keysetCondition('n', options.cursor, 3);
    const rows = await rawQuery<NotificationRow & { cursor_at: string; unread: number }>(
      this.dataSource,
      `SELECT ${COLUMNS}, ${cursorTimestampSql('n')} AS cursor_at,
         (SELECT count(*)::int FROM notifications o
           WHERE ${visibleSql.notification('o', '$1::uuid')} AND o.read_at IS NULL) AS unread
       FROM notifications n JOIN users a ON a.id = n.actor_id
       WHERE ${visibleSql.notification('n', '$1::uuid')} AND ${keyset.sql}
       ORDER BY n.created_at DESC, n.id DESC
       LIMIT $2`,
      [userId, limit + 1, ...keyset.params],
    );
    const page = keysetPage(rows, limit);
    return {
      items: page.rows.map(toRecord),
      nextCursor: page.nextCursor,
      unread: rows[0]?.unread ?? (await this.unread(userId)),
    };
  }

  async unread(userId: string): Promise<number> {
    const [row] = await rawQuery<{ n: number }>(
      this.dataSource,
      `SELECT count(*)::int AS n FROM notifications o
       WHERE ${visibleSql.notification('o', '$1::uuid')} AND o.read_at IS NULL`,
      [userId],
    );
    return row.n;
  }

  /**
   * Marks some (`ids`) or all of the user's notifications read; returns the unread count.
   * Ids of other people's notifications are passed over.
   */
  async markRead(userId: string, ids: string[] | 'all'): Promise<number> {
    await rawQuery(
      this.dataSource,
      `UPDATE notifications n SET read_at = now()
       WHERE ${visibleSql.notification('n', '$1::uuid')} AND n.read_at IS NULL
         AND ($2::uuid[] IS NULL OR n.id = ANY($2::uuid[]))`,
      [userId, ids === 'all' ? null : ids],
    );
    return this.unread(userId);
  }

  /** The ids of active users with these usernames (mentions), case-insensitively. */
  async idsOfUsernames(usernames: string[]): Promise<string[]> {
    if (usernames.length === 0) return [];
    const rows = await rawQuery<{ id: string }>(
      this.dataSource,
      'SELECT id FROM users WHERE lower(username) = ANY($1::text[]) AND is_active',
      [usernames.map((u) => u.toLowerCase())],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Who among `userIds` (people connected to this instance) follows whom among `followeeIds`
   * (authors of new posts), as pairs: who hears of which post.
   */
  async followersAmong(
    followeeIds: string[],
    userIds: string[],
  ): Promise<Array<{ followerId: string; followeeId: string }>> {
    if (userIds.length === 0 || followeeIds.length === 0) return [];
    const rows = await rawQuery<{ follower_id: string; followee_id: string }>(
      this.dataSource,
      `SELECT follower_id, followee_id FROM follows
       WHERE followee_id = ANY($1::uuid[]) AND follower_id = ANY($2::uuid[])`,
      [followeeIds, userIds],
    );
    return rows.map((r) => ({ followerId: r.follower_id, followeeId: r.followee_id }));
  }
}
