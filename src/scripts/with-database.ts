import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { validateEnv } from '../config/env.validation';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { typeOrmOptions } from '../database/typeorm.options';

/**
 * Runs `work` with the database the app would use: DATABASE_URL, or the embedded one
 * (started here, or the running app's instance when the API is up).
 */
export async function withDatabaseUrl<T>(
  work: (url: string, embedded: boolean) => Promise<T>,
): Promise<T> {
  const env = validateEnv(process.env);
  if (env.DATABASE_URL) return work(env.DATABASE_URL, false);
  const dir = env.EMBEDDED_PG_DIR ?? resolve(env.DATA_DIR, 'pg');
  const embedded = new EmbeddedPostgres({
    dataDir: dir === 'memory://' ? dir : resolve(dir),
    maxConnections: 20,
  });
  const url = await embedded.start();
  try {
    return await work(url, true);
  } finally {
    await embedded.stop();
  }
}

/** An initialised DataSource on `url` for `work`, destroyed afterwards. */
export async function withDataSourceAt<T>(
  url: string,
  embedded: boolean,
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  // Two connections: one holds the migrations' advisory lock while the other migrates.
  const dataSource = await new DataSource(typeOrmOptions(url, 2)).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export function withDataSource<T>(
  work: (dataSource: DataSource, embedded: boolean) => Promise<T>,
): Promise<T> {
  return withDatabaseUrl((url, embedded) =>
    withDataSourceAt(url, embedded, (ds) => work(ds, embedded)),
  );
}
