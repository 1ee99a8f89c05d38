import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

// Requests a client sends before its startup message: SSL and GSS encryption (answered "no")
// and query cancellation (not supported by PGlite: ignored).
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
// Messages of the extended query protocol that PostgreSQL only answers at the next Sync (or
// Flush): Parse, Bind, Describe, Execute, Close.
const PART_OF_A_BATCH = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));
const TERMINATE = 'X'.charCodeAt(0);

interface Batch {
  connection: Connection;
  bytes: Uint8Array;
  done: () => void;
}

/**
 * The Postgres wire protocol in front of one PGlite instance, for several pooled client
 * connections.
 *
 * PGlite is a single backend session. A client's batch of extended-protocol messages (the
 * Parse, Bind, Describe, Execute, Sync a parameterised query sends at once) runs there as one
 * unit, so the unnamed statement and portal of one connection are never replaced by
 * another's halfway through: `@electric-sql/pglite-socket` queues every message on its own,
 * which interleaves concurrent connections' batches and limits a pool to one connection.
 * Batches run one at a time in arrival order; while a connection holds a transaction open,
 * only its own batches run, and the transaction is rolled back if it disconnects.
 */
export class PGliteBridge {
  private server?: Server;
  private readonly queue: Batch[] = [];
  private readonly connections = new Set<Connection>();
  private running = false;
  /** The connection whose transaction is open, if any. */
  private owner?: Connection;

  constructor(
    private readonly db: PGlite,
    private readonly maxConnections: number,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    server.maxConnections = this.maxConnections;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.idle();
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const connection: Connection = new Connection(socket, (bytes): Promise<void> =>
      this.enqueue(connection, bytes),
    );
    this.connections.add(connection);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(connection);
      connection.closed = true;
      for (let i = this.queue.length - 1; i >= 0; i--)
        if (this.queue[i].connection === connection) this.queue.splice(i, 1)[0].done();
      if (this.owner === connection) void this.rollBack();
    });
  }

  private enqueue(connection: Connection, bytes: Uint8Array): Promise<void> {
    return new Promise((done) => {
      this.queue.push({ connection, bytes, done });
      void this.drain();
    });
  }

  private next(): Batch | undefined {
    if (!this.owner) return this.queue.shift();
    const index = this.queue.findIndex((batch) => batch.connection === this.owner);
    return index === -1 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let batch = this.next(); batch; batch = this.next()) {
        const { connection, bytes, done } = batch;
        try {
          await this.db.execProtocolRawStream(bytes, {
            // The chunk is a view of PGlite's memory, reused by the next call: copy it.
            onRawData: (chunk) => connection.write(Buffer.from(chunk)),
          });
        } catch {
          // PGlite answers SQL errors in the protocol; a throw means the session is broken.
          connection.socket.destroy();
        }
        this.owner = this.db.isInTransaction() && !connection.closed ? connection : undefined;
        if (this.db.isInTransaction() && connection.closed) await this.rollBackNow();
        done();
      }
    } finally {
      this.running = false;
    }
  }

  private async rollBack(): Promise<void> {
    // A batch of the closed connection may be running: the drain loop rolls back after it.
    if (this.running) return;
    this.running = true;
    try {
      await this.rollBackNow();
    } finally {
      this.running = false;
    }
    void this.drain();
  }

  private async rollBackNow(): Promise<void> {
    this.owner = undefined;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
  }

  private async idle(): Promise<void> {
    while (this.running) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** One client connection: cuts its byte stream into batches and passes them on in order. */
class Connection {
  closed = false;
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  // Batches of one connection run in its order: the next is handed over once one is done.
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: Socket,
    private readonly run: (bytes: Uint8Array) => Promise<void>,
  ) {
    socket.on('data', (data: Buffer) => this.receive(data));
  }

  write(chunk: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(chunk);
  }

  private receive(data: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, data]) : data;
    let batchEnd = 0;
    let offset = 0;
    while (
      this.buffer.length - offset >= 5 ||
      (!this.started && this.buffer.length - offset >= 8)
    ) {
      if (!this.started) {
        // Before the startup message: a length and a code, no type byte.
        const length = this.buffer.readInt32BE(offset);
        if (this.buffer.length - offset < length) break;
        const code = this.buffer.readInt32BE(offset + 4);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N');
        } else if (code === CANCEL_REQUEST) {
          this.socket.destroy();
          return;
        } else {
          this.started = true;
          this.pass(this.buffer.subarray(offset, offset + length));
        }
        offset += length;
        batchEnd = offset;
        continue;
      }
      const type = this.buffer[offset];
      const length = 1 + this.buffer.readInt32BE(offset + 1);
      if (this.buffer.length - offset < length) break;
      if (type === TERMINATE) {
        // The session is shared: the client's goodbye ends its connection, not PGlite's.
        if (offset > batchEnd) this.pass(this.buffer.subarray(batchEnd, offset));
        this.socket.end();
        this.buffer = Buffer.alloc(0);
        return;
      }
      offset += length;
      // A batch ends at Sync, Flush or any message answered on its own (a simple query,
      // a password); Parse, Bind, Describe, Execute and Close wait for it.
      if (!PART_OF_A_BATCH.has(type)) {
        this.pass(this.buffer.subarray(batchEnd, offset));
        batchEnd = offset;
      }
    }
    // Unfinished messages, and a batch still waiting for its Sync, stay for the next data.
    this.buffer = this.buffer.subarray(batchEnd);
  }

  private pass(bytes: Buffer): void {
    // Copied: the receive buffer is kept and sliced further.
    const copy = new Uint8Array(bytes);
    this.chain = this.chain.then(() => (this.closed ? undefined : this.run(copy)));
  }
}
