import { loadEnvFile } from '../config/load-env-file';

/** Entry point of a CLI script: reads .env, runs `main`, exits with its code or one error line. */
export function runScript(main: () => Promise<number | void>): void {
  loadEnvFile();
  main().then(
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
