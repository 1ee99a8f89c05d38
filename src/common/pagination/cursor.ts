import { badRequest } from '../errors/app.exception';

/** Keyset position for lists ordered by (created_at DESC, id DESC). */
export interface FeedCursor {
  /** created_at with microseconds, exactly as PostgreSQL stores it. */
  createdAt: string;
  id: string;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: FeedCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(raw: string): FeedCursor {
  const [createdAt, id, extra] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !TIMESTAMP.test(createdAt ?? '') || !UUID.test(id ?? '')) {
    throw badRequest(
      'INVALID_CURSOR',
      'The cursor is malformed; use next_cursor from a previous page',
    );
  }
  return { createdAt, id };
}

/** SQL rendering created_at with microseconds, as the cursor needs it. */
export const cursorTimestampSql = (alias: string) =>
  `to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * The keyset part of a page query on (created_at, id), newest first (`desc`, the default) or
 * oldest first (`asc`): the condition for rows after `cursor` (with its two parameters
 * numbered from `firstParam`), or none on the first page.
 */
export function keysetCondition(
  alias: string,
  cursor: string | undefined,
  firstParam: number,
  order: 'desc' | 'asc' = 'desc',
  idColumn = 'id',
): { sql: string; params: string[] } {
  if (!cursor) return { sql: 'TRUE', params: [] };
  const { createdAt, id } = decodeCursor(cursor);
  const after = order === 'desc' ? '<' : '>';
  return {
    sql: `(${alias}.created_at, ${alias}.${idColumn}) ${after} ($${firstParam}::timestamptz, $${firstParam + 1}::uuid)`,
    params: [createdAt, id],
  };
}

/** A page from `limit + 1` rows that carry `id` and `cursor_at` (cursorTimestampSql). */
export function keysetPage<T extends { id: string; cursor_at: string }>(
  rows: T[],
  limit: number,
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor:
      rows.length > limit && last ? encodeCursor({ createdAt: last.cursor_at, id: last.id }) : null,
  };
}
