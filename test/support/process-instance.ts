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

/**
 * Starts `node dist/main.js` (built by `npm test`'s pretest, or `npx nest build`) with the
 * settings of a test app, `env` on top, on a free loopback port. A second instance of a
 * cross-instance test runs this way, as in production: nothing process-wide (Passport's
 * strategy registry, module state) can then be shared with the first.
 */
export async function startProcessInstance(
  env: Record<string, string>,
  { shareDatabaseWith }: ProcessInstanceOptions,
): Promise<ProcessInstance> {
  if (!existsSync(MAIN)) throw new Error('dist/main.js is missing: run `npx nest build`');
  const dataDir = mkdtempSync(join(tmpdir(), 'media-chat-instance-'));
  const child = spawn(process.execPath, [MAIN], {
    // Not the project's directory: its .env must not configure the instance.
    cwd: dataDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...testSettings(shareDatabaseWith.databaseUrl, dataDir, env),
      PORT: '0',
      HOST: '127.0.0.1',
      // The start-up line names the port.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (data: Buffer) => {
    out = (out + data.toString()).slice(-KEPT_OUTPUT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  };

  const url = await listeningUrl(child, () => out).catch(async (err: unknown) => {
    await stop('SIGKILL');
    throw err;
  });
  return {
    http: new HttpClient(url),
    wsUrl: url.replace(/^http/, 'ws'),
    output: () => out,
    close: async () => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await stop('SIGTERM');
      clearTimeout(killer);
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
