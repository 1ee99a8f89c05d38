import type { DataSource } from 'typeorm';
import { cursorTimestampSql, keysetCondition, keysetPage } from '../common/pagination/cursor';
import { rawQuery } from '../database/raw-query';
import type { UserCardRow } from './users.mapper';

/**
 * A page of user cards over an edge list (followers, following, likers): `edges` is a SELECT
 * of `created_at` and the user as `id` using `$1` for `key`, newest first, keyset on (edge
 * time, user id); banned users are left out.
 */
export async function userCardPage(
  dataSource: DataSource,
  edges: string,
  key: string,
  options: { limit?: number; cursor?: string },
): Promise<{ rows: UserCardRow[]; nextCursor: string | null }> {
  const limit = options.limit ?? 20;
  const keyset = keysetCondition('x', options.cursor, 3);
  const rows = await rawQuery<UserCardRow & { cursor_at: string }>(
    dataSource,
    `SELECT u.id, u.username, u.bio, u.avatar_storage, u.avatar_path,
            ${cursorTimestampSql('x')} AS cursor_at
     FROM (${edges}) x
     JOIN users u ON u.id = x.id AND u.is_active
     WHERE ${keyset.sql}
     ORDER BY x.created_at DESC, x.id DESC
     LIMIT $2`,
    [key, limit + 1, ...keyset.params],
  );
  return keysetPage(rows, limit);
}
