import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModuleRef } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import type { DestinationStream } from 'pino';
import { AppModule } from '../../src/app.module';
import { createAppLogger } from '../../src/common/logging/app-logger';
import { databaseConfig, type ConfigType } from '../../src/config/configuration';
import { type EnvironmentVariables, validateEnv } from '../../src/config/env.validation';
import { EmbeddedDatabaseService } from '../../src/database/embedded-database.service';
import { createAdapter, setupApp } from '../../src/app.setup';
import { Mailer } from '../../src/mail/mailer';
import { HttpClient } from './http';
import { RecordingMailer } from './recording-mailer';
import { TcpProxy } from './tcp-proxy';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  http: HttpClient;
  mailer: RecordingMailer;
  /** The database this app uses (a fresh one per test file), reached directly. */
  databaseUrl: string;
  /** With `databaseProxy`: what stands between the app and its database. */
  databaseProxy?: TcpProxy;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  /** The validated environment this app runs with (the test's settings on testEnv's). */
  env: EnvironmentVariables;
  /** This app's DATA_DIR, a fresh temporary directory removed by close(). */
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A fresh database for one test file: a new database on the server of DATABASE_URL
 * (the machine's real PostgreSQL in CI), or an in-memory embedded PostgreSQL without it.
 */
// The machine's server the suite was started against (the apps get a database of their own).
const SERVER_DATABASE_URL = process.env.DATABASE_URL || undefined;

export async function freshDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
  const serverUrl = SERVER_DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: () => Promise.resolve() };
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Resolves the database URL as the app does (DATABASE_URL, or the embedded server it starts
 * with its usual one-connection pool), then hands the app a proxy in front of it instead.
 */
class ProxiedDatabaseService extends EmbeddedDatabaseService {
  proxy?: TcpProxy;

  override async resolveUrl(): Promise<string> {
    const url = await super.resolveUrl();
    this.proxy = TcpProxy.forUrl(url);
    await this.proxy.start();
    return this.proxy.rewrite(url);
  }
}

export interface TestAppOptions {
  shareDatabaseWith?: TestApp;
  /** Route the app's database connections through a TcpProxy the test can stop and start. */
  databaseProxy?: boolean;
  /** Providers replaced by test doubles (the real-time bus port, for one). */
  providers?: Array<{ provide: unknown; useValue: unknown }>;
  /** Where the app's log lines go instead of stdout (still filtered by LOG_LEVEL). */
  logDestination?: DestinationStream;
}

/**
 * The validated environment of a test app: the settings every test app runs with (a fresh
 * data dir, fast bcrypt, no mail server), then the test's own (undefined unsets one). Built
 * from these alone, not from process.env: apps with different settings can run side by side,
 * and the machine's variables do not leak into a test.
 */
export function testEnv(
  databaseUrl: string | undefined,
  dataDir: string,
  overrides: Record<string, string | undefined> = {},
): EnvironmentVariables {
  return validateEnv(testSettings(databaseUrl, dataDir, overrides));
}

/** testEnv's variables as an environment holds them (strings; unset ones left out). */
export function testSettings(
  databaseUrl: string | undefined,
  dataDir: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const settings: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    EMBEDDED_PG_DIR: databaseUrl ? undefined : 'memory://',
    JWT_SECRET: TEST_JWT_SECRET,
    JWT_EXPIRES_IN: '3600',
    BCRYPT_ROUNDS: '4',
    THROTTLE_AUTH_LIMIT: '10000',
    THROTTLE_AUTH_TTL: '60',
    ALLOWED_ORIGINS: 'http://allowed.example',
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(settings).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Boots the real app (AppModule + setupApp, as main.ts does) on a loopback port. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  // A second instance of the app on the first one's database (real or embedded).
  const shared = options.shareDatabaseWith?.databaseUrl;
  const database = shared ? { url: shared, drop: () => Promise.resolve() } : await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'media-chat-test-'));
  const appEnv = testEnv(database.url, dataDir, env);

  const logger = createAppLogger(appEnv.LOG_LEVEL, options.logDestination);
  const mailer = new RecordingMailer();
  const builder = Test.createTestingModule({
    imports: [AppModule.forRoot({ logger, env: appEnv })],
  })
    .overrideProvider(Mailer)
    .useValue(mailer);
  for (const { provide, useValue } of options.providers ?? []) {
    builder.overrideProvider(provide).useValue(useValue);
  }
  if (options.databaseProxy) {
    builder.overrideProvider(EmbeddedDatabaseService).useFactory({
      inject: [databaseConfig.KEY, ModuleRef],
      factory: (config: ConfigType<typeof databaseConfig>, ref: ModuleRef) =>
        new ProxiedDatabaseService(config, ref),
    });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createAdapter(logger, appEnv),
    {
      bufferLogs: true,
    },
  );
  await setupApp(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const databaseService = app.get(EmbeddedDatabaseService);
  const databaseProxy =
    databaseService instanceof ProxiedDatabaseService ? databaseService.proxy : undefined;

  return {
    app,
    http: new HttpClient(`http://127.0.0.1:${port}`),
    mailer,
    databaseUrl: database.url ?? databaseService.url ?? '',
    databaseProxy,
    wsUrl: `ws://127.0.0.1:${port}`,
    env: appEnv,
    dataDir,
    close: async () => {
      // Running again so the app can close its connections normally.
      await databaseProxy?.start();
      await app.close();
      await databaseProxy?.stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
