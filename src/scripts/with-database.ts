import { DataSource } from 'typeorm';
import { databaseConfig } from '../config/configuration';
import type { EnvironmentVariables } from '../config/env.validation';
import { EmbeddedPostgres } from '../database/embedded-postgres';
import { ENTITY_FILES, typeOrmOptions } from '../database/typeorm.options';

/**
 * Runs `work` with the database the app would use: DATABASE_URL, or the embedded one
 * (started here, or the running app's instance when the API is up).
 */
export async function withDatabaseUrl<T>(
  env: EnvironmentVariables,
  work: (url: string, embedded: boolean) => Promise<T>,
): Promise<T> {
  const config = databaseConfig(env);
  if (config.url) return work(config.url, false);
  const embedded = new EmbeddedPostgres({ dataDir: config.embeddedDir, maxConnections: 20 });
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
  work: (dataSource: DataSource) => Promise<T>,
): Promise<T> {
  // Two connections: one holds the migrations' advisory lock while the other migrates.
  const dataSource = await new DataSource(typeOrmOptions(url, 2, [ENTITY_FILES])).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export function withDataSource<T>(
  env: EnvironmentVariables,
  work: (dataSource: DataSource, embedded: boolean) => Promise<T>,
): Promise<T> {
  return withDatabaseUrl(env, (url, embedded) => withDataSourceAt(url, (ds) => work(ds, embedded)));
}
