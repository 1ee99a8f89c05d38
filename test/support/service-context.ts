import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { Mailer } from '../../src/mail/mailer';
import { RecordingMailer } from './recording-mailer';
import { freshDatabase, testEnv } from './test-app';

export interface ServiceContext {
  app: INestApplicationContext;
  get<T>(type: abstract new (...args: never[]) => T): T;
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
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot({ env: testEnv(database.url, dataDir, env) })],
  })
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
