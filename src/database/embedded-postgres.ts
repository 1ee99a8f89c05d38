import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgresOptions {
  /** Directory of the data files, or 'memory://' for a throw-away database. */
  dataDir: string;
  /** Upper bound of client connections (the pg pool's max plus room for tools). */
  maxConnections: number;
}

interface LockFile {
  pid: number;
  port: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once('error', () => resolvePromise(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolvePromise(false);
    });
  });
}

/**
 * PostgreSQL compiled to WASM (PGlite) served over the Postgres wire protocol on a
 * loopback port, so the app uses the same `pg` driver as with a real server.
 *
 * PGlite must never open one data directory twice: a lock file next to it records the
 * owning process and port, and a second process on the same machine (the superuser CLI
 * while the API runs, say) connects to the running instance instead of opening the files.
 */
export class EmbeddedPostgres {
  private db?: PGlite;
  private server?: PGLiteSocketServer;
  private ownsLock = false;
  url?: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get inMemory(): boolean {
    return this.options.dataDir === 'memory://';
  }

  private get lockPath(): string {
    return `${this.options.dataDir}.lock`;
  }

  async start(): Promise<string> {
    if (this.url) return this.url;
    if (!this.inMemory) {
      const running = await this.findRunningInstance();
      if (running) {
        this.url = running;
        return running;
      }
      mkdirSync(dirname(this.options.dataDir), { recursive: true });
    }
    this.db = await PGlite.create(this.inMemory ? undefined : this.options.dataDir);
    this.server = new PGLiteSocketServer({
      db: this.db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: this.options.maxConnections,
    });
    await this.server.start();
    const port = Number(this.server.getServerConn().split(':').pop());
    if (!this.inMemory) {
      const lock: LockFile = { pid: process.pid, port };
      writeFileSync(this.lockPath, JSON.stringify(lock));
      this.ownsLock = true;
    }
    this.url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    return this.url;
  }

  /** True when this process opened the data files (false when it reuses another process's). */
  get isOwner(): boolean {
    return this.db !== undefined;
  }

  private async findRunningInstance(): Promise<string | undefined> {
    if (!existsSync(this.lockPath)) return undefined;
    try {
      const lock = JSON.parse(readFileSync(this.lockPath, 'utf8')) as LockFile;
      if (lock.pid !== process.pid && isAlive(lock.pid) && (await canConnect(lock.port))) {
        return `postgres://postgres:postgres@127.0.0.1:${lock.port}/postgres`;
      }
    } catch {
      // unreadable lock: treat as stale
    }
    return undefined;
  }

  /** Call after every client (the TypeORM DataSource) has disconnected. */
  async stop(): Promise<void> {
    await this.server?.stop();
    await this.db?.close();
    if (this.ownsLock) rmSync(this.lockPath, { force: true });
    this.server = undefined;
    this.db = undefined;
    this.url = undefined;
    this.ownsLock = false;
  }
}
