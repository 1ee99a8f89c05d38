import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGliteBridge } from './pglite-bridge';

/** What the embedded database's thread is started with. */
export interface EmbeddedWorkerData {
  /** Data directory, or undefined for an in-memory database. */
  dataDir?: string;
  maxConnections: number;
}

/** Messages from the thread: its port once serving, or why it could not start. */
export type EmbeddedWorkerMessage =
  { type: 'ready'; port: number } | { type: 'failed'; message: string } | { type: 'stopped' };

// PGlite runs PostgreSQL in WASM synchronously: on its own thread, planning and executing
// queries take the second core instead of the API's event loop.
async function serve(port: MessagePort): Promise<void> {
  const { dataDir, maxConnections } = workerData as EmbeddedWorkerData;
  const db = await PGlite.create(dataDir);
  const server = new PGliteBridge(db, maxConnections);
  const listening = await server.listen('127.0.0.1', 0);
  port.on('message', (message: unknown) => {
    if (message !== 'stop') return;
    void (async () => {
      await server.close();
      await db.close();
      port.postMessage({ type: 'stopped' } satisfies EmbeddedWorkerMessage);
      port.close();
    })();
  });
  port.postMessage({ type: 'ready', port: listening } satisfies EmbeddedWorkerMessage);
}

type MessagePort = NonNullable<typeof parentPort>;
if (parentPort) {
  const port = parentPort;
  serve(port).catch((err: unknown) => {
    port.postMessage({
      type: 'failed',
      message: err instanceof Error ? err.message : String(err),
    } satisfies EmbeddedWorkerMessage);
    port.close();
  });
}
