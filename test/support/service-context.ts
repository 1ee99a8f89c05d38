import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { Mailer } from '../../src/mail/mailer';
import { RecordingMailer } from './recording-mailer';
import { freshDatabase, TEST_JWT_SECRET } from './test-app';

export interface ServiceContext {
  app: INestApplicationContext;
  get<T>(type: new (...args: never[]) => T): T;
  close(): Promise<void>;
}

/**
 * The app's providers on a fresh database, without HTTP: for service-tier ("medium") tests
 * that call services directly, with the same modules, migrations and configuration as the app.
 */
export async function createServiceContext(
  env: Record<string, string> = {},
): Promise<ServiceContext> {
  const database = await freshDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'media-chat-medium-'));
  const settings: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    EMBEDDED_PG_DIR: database.url ? undefined : 'memory://',
    JWT_SECRET: TEST_JWT_SECRET,
    BCRYPT_ROUNDS: '4',
    SMTP_URL: undefined,
    REDIS_URL: undefined,
    ...env,
  };
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot()] })
    .overrideProvider(Mailer)
    .useValue(new RecordingMailer())
    .compile();
  const app = await moduleRef.init();
  return {
    app,
    get: (type) => app.get(type),
    close: async () => {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
