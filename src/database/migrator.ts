import type { DataSource } from 'typeorm';

// Arbitrary constant: the advisory lock that serialises migrations of concurrent instances.
const MIGRATION_LOCK_ID = 727_120_001;

/**
 * Runs pending migrations while holding an advisory lock, so parallel start-ups don't race.
 * `lock: false` for a single-connection pool (the embedded database has one owner anyway).
 */
export async function runMigrations(
  dataSource: DataSource,
  options: { lock?: boolean } = {},
): Promise<string[]> {
  if (options.lock === false) {
    return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
