import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { AppModule } from '../../src/app.module';
import { EmbeddedDatabaseService } from '../../src/database/embedded-database.service';
import { createAdapter, setupApp } from '../../src/app.setup';
import { Mailer } from '../../src/mail/mailer';
import { HttpClient } from './http';
import { RecordingMailer } from './recording-mailer';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: NestFastifyApplication;
  http: HttpClient;
  mailer: RecordingMailer;
  /** The database this app uses (a fresh one per test file). */
  databaseUrl: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  close(): Promise<void>;
}

/**
 * A fresh database for one test file: a new database on the server of DATABASE_URL
 * (the machine's real PostgreSQL in CI), or an in-memory embedded PostgreSQL without it.
 */
// The server the suite was started against, read once: createTestApp rewrites DATABASE_URL.
const SERVER_DATABASE_URL = process.env.DATABASE_URL || undefined;

async function freshDatabase(): Promise<{ url?: string; drop(): Promise<void> }> {
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

/** Boots the real app (AppModule + setupApp, as main.ts does) on a loopback port. */
export async function createTestApp(
  env: Record<string, string> = {},
  options: { shareDatabaseWith?: TestApp } = {},
): Promise<TestApp> {
  // A second instance of the app on the first one's database (real or embedded).
  const shared = options.shareDatabaseWith?.databaseUrl;
  const database = shared ? { url: shared, drop: () => Promise.resolve() } : await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'media-chat-test-'));
  const settings: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    EMBEDDED_PG_DIR: database.url ? undefined : 'memory://',
    JWT_SECRET: TEST_JWT_SECRET,
    JWT_EXPIRES_IN: '3600',
    BCRYPT_ROUNDS: '4',
    THROTTLE_AUTH_LIMIT: '10000',
    THROTTLE_AUTH_TTL: '60',
    ALLOWED_ORIGINS: 'http://allowed.example',
    SMTP_URL: undefined,
    ...env,
  };
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }

  const mailer = new RecordingMailer();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot()] })
    .overrideProvider(Mailer)
    .useValue(mailer)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createAdapter(), {
    bufferLogs: true,
  });
  await setupApp(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    app,
    http: new HttpClient(`http://127.0.0.1:${port}`),
    mailer,
    databaseUrl: database.url ?? app.get(EmbeddedDatabaseService).url ?? '',
    wsUrl: `ws://127.0.0.1:${port}`,
    close: async () => {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
