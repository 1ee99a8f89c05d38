import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import type { EnvironmentVariables } from '../config/env.validation';
import { UsersService } from '../users/users.service';
import { runScript } from './run-script';

const USAGE = 'usage: npm run user:create-superuser -- --email EMAIL [--password PASSWORD]';

/**
 * Creates a superuser, or promotes the existing account with that email (and sets its
 * password when one is given). Uses the same configuration and database as the API.
 */
async function main(env: EnvironmentVariables): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' } },
  });
  if (!values.email) throw new Error(USAGE);
  const app = await NestFactory.createApplicationContext(AppModule.forRoot({ env }), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const { user, created } = await app
      .get(UsersService)
      .ensureSuperuser(values.email, values.password);
    console.log(`${created ? 'Created' : 'Promoted'} superuser ${user.email} (${user.id})`);
  } finally {
    await app.close();
  }
}

runScript(main);
