import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from './http';
import { testSettings } from './test-app';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'dist', 'main.js');
// Enough of the log to show why an instance failed, without holding every request line.
const KEPT_OUTPUT = 256 * 1024;

/** Another instance of the app: the compiled server in a process of its own. */
export interface ProcessInstance {
  http: HttpClient;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  /** What the process has written so far (the tail of it), stdout and stderr together. */
  output(): string;
  /** SIGTERM, as an orchestrator stops an instance; resolves once the process has exited. */
  close(): Promise<void>;
}

/** What a test reaches an instance by, whether it runs in the test's process or its own. */
export type Instance = Pick<ProcessInstance, 'http' | 'wsUrl'>;

export interface ProcessInstanceOptions {
  /** The database of the instance it runs beside (TestApp.databaseUrl). */
  shareDatabaseWith: { databaseUrl: string };
}

/** The compiled server (`node dist/main.js`) running in a process of its own, listening. */
export interface SpawnedApp {
  child: ChildProcess;
  /** http://127.0.0.1:<port>, read off its start-up line. */
  url: string;
  /** What the process has written so far (the tail of it), stdout and stderr together. */
  output(): string;
  /** Resolves with the exit code, or the signal's name when the process re-raised it. */
  exited: Promise<number | string | null>;
}

/**
 * Starts dist/main.js (built by `npm test`'s pretest, or `npx nest build`) in `cwd` with
 * only `env` (and PATH, HOME) for its environment, and waits for it to listen; a process
 * that exits or does not listen within 45 s is killed and its output thrown.
 */
export async function spawnApp(env: Record<string, string>, cwd: string): Promise<SpawnedApp> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npx nest build`');
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (data: Buffer) => {
    out = (out + data.toString()).slice(-KEPT_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const url = await listeningUrl(child, () => out).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw err;
  });
  return { child, url, output: () => out, exited };
}

/**
 * Starts the compiled server with the settings of a test app, `env` on top, on a free
 * loopback port. A second instance of a cross-instance test runs this way, as in production:
 * nothing process-wide (Passport's strategy registry, module state) can then be shared with
 * the first.
 */
export async function startProcessInstance(
  env: Record<string, string>,
  { shareDatabaseWith }: ProcessInstanceOptions,
): Promise<ProcessInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'media-chat-instance-'));
  const app = await spawnApp(
    {
      ...testSettings(shareDatabaseWith.databaseUrl, dataDir, env),
      PORT: '0',
      HOST: '127.0.0.1',
      // The start-up line names the port.
      LOG_LEVEL: 'info',
    },
    // Not the project's directory: its .env must not configure the instance.
    dataDir,
  ).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const { child, url } = app;
  return {
    http: new HttpClient(url),
    wsUrl: url.replace(/^http/, 'ws'),
    output: app.output,
    close: async () => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await app.exited;
      clearTimeout(killer);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function listeningUrl(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const match = /API listening on (http:\/\/[\d.:[\]]+)/.exec(output());
    if (match) return match[1];
    if (child.exitCode !== null || child.signalCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the instance did not start:\n${output()}`);
}
