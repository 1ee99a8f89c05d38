import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { createAdapter } from '../app.setup';
import type { EnvironmentVariables } from '../config/env.validation';
import { buildOpenApiDocument } from '../docs/openapi';
import { runScript } from './run-script';

const TARGET = resolve(__dirname, '../../openapi.json');

/**
 * Writes openapi.json from the app's routes (`--check`: fails when the committed file is
 * stale). Preview mode scans the modules without instantiating providers: no database needed.
 */
async function main(env: EnvironmentVariables): Promise<number> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot({ env }),
    createAdapter(undefined, env),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  const document = `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
  await app.close();
  if (process.argv.includes('--check')) {
    const committed = readFileSync(TARGET, 'utf8');
    if (committed !== document) {
      console.error('openapi.json is stale: run `npm run openapi` and commit the result');
      return 1;
    }
    console.log('openapi.json is up to date');
    return 0;
  }
  writeFileSync(TARGET, document);
  console.log(`Wrote ${TARGET}`);
  return 0;
}

runScript(main);
