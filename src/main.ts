import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { ConfigValidationError, validateEnv } from './config/env.validation';
import { loadEnvFile } from './config/load-env-file';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  // Fail fast with one line naming the bad variable, before anything starts.
  const env = validateEnv(process.env);
  const app = await createApp(env);
  // SIGTERM/SIGINT: stop accepting, let in-flight requests finish, then close the database.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen({ port: env.PORT, host: env.HOST });
  new Logger('Bootstrap').log(`API listening on ${await app.getUrl()} (docs at /docs)`);
}

bootstrap().catch((err: unknown) => {
  const message =
    err instanceof ConfigValidationError
      ? err.message
      : `Start-up failed: ${err instanceof Error ? err.message : String(err)}`;
  console.error(message);
  process.exit(1);
});
