// How the app reaches the database: only `*.repository.ts` files do (dependency-cruiser
// enforces it), and all of them the same way, with the DataSource injected:
// - hand-written SQL runs through rawQuery() below, on the pool;
// - whole entities are loaded and saved through `dataSource.getRepository(Entity)`, where
//   TypeORM's mapping spares a column list (users, posts, rooms, uploads);
// - a unit of work is one repository method around `dataSource.transaction((manager) => …)`
//   that uses only `manager` inside: a query on another pooled connection waits for the
//   transaction, and on the embedded database deadlocks.
// Services ask repositories; they never hold a DataSource, an entity repository or a manager.
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Runs one statement on the pg pool behind TypeORM: same pool and connections, without a
 * QueryRunner, logging hooks and result wrapping per statement, which the hot paths (every
 * authenticated request's account check, the feed, chat messages) feel. Errors are pg's own
 * (pg-errors reads them as it reads TypeORM's). Not for use inside a transaction (it takes
 * its own connection).
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
