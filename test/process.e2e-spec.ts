import { type ChildProcess, execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpClient } from './support/http';
import { spawnApp } from './support/process-instance';

/**
 * The compiled app as users run it (`npm start` runs dist/main.js), in embedded mode with
 * no configuration but a data directory: start-up, persistence, the superuser CLI,
 * graceful shutdown and fail-fast configuration.
 */
const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist', 'main.js');

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return env;
}

interface Running {
  child: ChildProcess;
  http: HttpClient;
  output: () => string;
  /** Resolves with the exit code, or the signal's name when the process re-raised it. */
  exited: Promise<number | string | null>;
}

async function startServer(dataDir: string, extra: Record<string, string> = {}): Promise<Running> {
  const app = await spawnApp(
    { DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', BCRYPT_ROUNDS: '12', ...extra },
    ROOT,
  );
  return {
    child: app.child,
    http: new HttpClient(app.url),
    output: app.output,
    exited: app.exited,
  };
}

describe('The compiled app in embedded mode (e2e)', () => {
  let dataDir: string;

  beforeAll(() => {
    if (!existsSync(MAIN))
      throw new Error('dist/main.js is missing: run `npm run build` (npm test does)');
    dataDir = mkdtempSync(join(tmpdir(), 'media-chat-proc-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts with no configuration, keeps data across restarts, and shuts down gracefully', async () => {
    const first = await startServer(dataDir);
    expect(first.output()).toMatch(/Embedded mode: no DATABASE_URL.*data in .*pg/);
    expect((await first.http.get('/health')).status).toBe(200);
    const reg = await first.http.post('/auth/register', {
      json: { email: 'keep@example.com', password: 'persisted pw' },
    });
    expect(reg.status).toBe(201);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(true);

    // The superuser CLI uses the running server's embedded database.
    // (Async: the server must keep running its event loop meanwhile.)
    const cli = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'dist', 'scripts', 'create-superuser.js'), '--email', 'keep@example.com'],
      {
        cwd: ROOT,
        env: cleanEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }),
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(cli.stdout).toContain('Promoted superuser keep@example.com');

    // A request in flight (a bcrypt cost-12 login) completes although SIGTERM arrives first.
    const login = first.http.post('/auth/jwt/login', {
      json: { email: 'keep@example.com', password: 'persisted pw' },
    });
    await new Promise((r) => setTimeout(r, 30));
    first.child.kill('SIGTERM');
    const res = await login;
    expect(res.status).toBe(200);
    // Nest closes everything, then re-raises the signal so the exit status says SIGTERM.
    expect(await first.exited).toBe('SIGTERM');
    expect(first.output()).not.toMatch(/"level":50/);
    expect(existsSync(join(dataDir, 'pg.lock'))).toBe(false);

    const second = await startServer(dataDir);
    try {
      // Same data and same signing key: the token issued before the restart still works.
      const me = await second.http.get('/users/me', { token: res.body.access_token });
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ email: 'keep@example.com', is_superuser: true });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('refuses to start in production without JWT_SECRET, with one line naming it', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      cwd: ROOT,
      env: cleanEnv({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://127.0.0.1:1/none',
        DATA_DIR: dataDir,
      }),
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'Invalid configuration: JWT_SECRET must be set when NODE_ENV=production',
    );
    expect(run.stdout).toBe('');
  });

  it('refuses to start in production without DATABASE_URL', () => {
    const run = spawnSync(process.execPath, [MAIN], {
      cwd: ROOT,
      env: cleanEnv({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), DATA_DIR: dataDir }),
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      'Invalid configuration: DATABASE_URL must be set when NODE_ENV=production',
    );
  });
});
