import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs one statement on the pg pool behind TypeORM, for the hot read paths (every
 * authenticated request's account check, the feed): same pool and connections, without a
 * QueryRunner, logging hooks and result wrapping per statement. Not for use inside a
 * transaction (it takes its own connection).
 */
export async function rawQuery<T>(
  dataSource: DataSource,
  sql: string,
  params: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  return (await pool.query(sql, params)).rows as T[];
}

/** `s` matched literally by LIKE/ILIKE (with `ESCAPE '\\'`, PostgreSQL's default escape). */
export const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
