import { existsSync } from 'node:fs';

/**
 * Reads ./.env into process.env (variables already set win) before anything validates the
 * environment, so the entry points and ConfigModule see the same values.
 */
export function loadEnvFile(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
