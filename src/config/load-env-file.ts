import { existsSync } from 'node:fs';

/**
 * Reads ./.env into process.env (variables already set win), for the entry points to
 * validate before they hand the environment to the app.
 */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
