import { join } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * Every entity file of the app, for the command-line tools (migrations check and generate),
 * which run without the app's modules. The app itself has each feature register its own
 * entities (TypeOrmModule.forFeature with autoLoadEntities): no list names them all.
 */
export const ENTITY_FILES = join(__dirname, '..', '**', '*.entity.{js,ts}');

/**
 * One definition of the connection, shared by the app, the CLI scripts and the tests.
 * `entities`: none by default (the app's modules add theirs); ENTITY_FILES for the tools.
 */
export function typeOrmOptions(
  url: string,
  poolMax = 10,
  entities: DataSourceOptions['entities'] = [],
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // PGlite has no uuid-ossp; gen_random_uuid() is built into PostgreSQL 13+.
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    extra: {
      max: poolMax,
      idleTimeoutMillis: 30_000,
      // Bounds both a new connection and the wait for a free pooled one: a database that
      // does not answer turns into a 503 after 5 s instead of requests hanging forever.
      // No statement or query timeout: migrations and admin scripts share these options and
      // may legitimately run longer, and pg's client-side query_timeout leaves the
      // connection busy with the abandoned query.
      connectionTimeoutMillis: 5_000,
      // Lets the kernel notice, in the end, a peer that vanished without a reset (host down,
      // network partition) under a connection waiting for an answer.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    },
  };
}
