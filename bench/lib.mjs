// Shared helpers of the benchmark scripts: run the compiled app (dist/main.js) as users do.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';

export const ROOT = new URL('..', import.meta.url).pathname;

// A bench that ends before its own clean-up reached a child (an error or a signal while the
// child was starting) must not leave it running.
const liveChildren = new Set();
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});
function track(child) {
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

export function freePort() {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts dist/main.js on a free port with the bench's settings plus `overrides`; resolves once
 * /health answers. `env` in the result is what the app was given (scripts that talk to its
 * database or verify its tokens need the same values).
 */
export async function startApp(overrides = {}, { nodeArgs = [] } = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'media-chat-bench-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    BCRYPT_ROUNDS: '4',
    THROTTLE_AUTH_LIMIT: '100000',
    JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    ...overrides,
  };
  const child = track(
    spawn(process.execPath, [...nodeArgs, join(ROOT, 'dist/main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url, dataDir, env, stop: () => stop(child) };
    } catch {
      // not up yet
    }
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error('the app exited during start-up');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
  throw new Error('the app did not become healthy in 60 s');
}

/**
 * Starts a bench script (a path under bench/) as its own process, so it gets its own event
 * loop as the app does. The script announces readiness with a stdout line
 * `listening on <url>`; everything else it prints is passed through.
 */
export async function startScript(script, env = {}) {
  const child = track(
    spawn(process.execPath, [join(ROOT, 'bench', script)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in 30 s`));
    }, 30_000);
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited during start-up (${signal ?? code})`));
    };
    child.once('exit', onExit);
    let ready = false;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = !ready && /^listening on (\S+)/.exec(line);
      if (!match) return void console.log(line);
      ready = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(match[1]);
    });
  });
  return { child, url, stop: () => stop(child) };
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    // A process stuck in shutdown must not keep the bench (and its database) alive.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * URL of the embedded database an app started without DATABASE_URL serves (other processes
 * may connect to it: its lock file next to the data directory records the port).
 */
export function embeddedDatabaseUrl(dataDir) {
  const { port } = JSON.parse(readFileSync(join(dataDir, 'pg.lock'), 'utf8'));
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

/** CPU seconds (user + system) a process has used so far; null where /proc is unavailable. */
export function processCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces: utime and stime are the
    // 14th and 15th fields, in clock ticks (100 per second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export async function signUp(url, email = `bench${Date.now()}@example.com`, password = 'bench password') {
  const reg = await fetch(`${url}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const user = await reg.json();
  const login = await fetch(`${url}/auth/jwt/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { ...user, token: (await login.json()).access_token };
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * A fresh database on the server of DATABASE_URL ({url: undefined} without it: the app then
 * uses its embedded database). drop() removes it again.
 */
export async function freshDatabase(prefix) {
  if (!process.env.DATABASE_URL) return { url: undefined, drop: async () => {} };
  const name = `${prefix}_${Date.now()}`;
  const run = async (sql) => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/**
 * Runs clean-up steps `[what, step]` one after the other; a failing step is reported and
 * marks the run failed, and the others still run.
 */
export async function runCleanupSteps(steps) {
  for (const [what, step] of steps) {
    try {
      await step();
    } catch (err) {
      console.error(`${what} failed: ${err.message}`);
      process.exitCode = 1;
    }
  }
}

/** Ctrl-C or SIGTERM runs `cleanup` (servers, databases) before the process exits. */
export function cleanUpOnSignals(cleanup) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the servers and dropping the bench database`);
      void cleanup().finally(() => process.exit(130));
    });
  }
}
