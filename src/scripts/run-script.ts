import { type EnvironmentVariables, validateEnv } from '../config/env.validation';
import { loadEnvFile } from '../config/load-env-file';

/**
 * Entry point of a CLI script: reads .env, validates the environment once and hands it to
 * `main`, then exits with its code or one error line.
 */
export function runScript(main: (env: EnvironmentVariables) => Promise<number | void>): void {
  loadEnvFile();
  Promise.resolve()
    .then(() => main(validateEnv(process.env)))
    .then(
      (code) => process.exit(code ?? 0),
      (err: unknown) => {
        const detail = (err as { response?: { detail?: unknown } }).response?.detail;
        console.error(
          typeof detail === 'string' ? detail : err instanceof Error ? err.message : String(err),
        );
        process.exit(1);
      },
    );
}
