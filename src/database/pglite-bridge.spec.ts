import { PGlite } from '@electric-sql/pglite';
import { Client, Pool } from 'pg';
import { PGliteBridge } from './pglite-bridge';

describe('PGliteBridge', () => {
  let db: PGlite;
  let bridge: PGliteBridge;
  let url: string;

  beforeAll(async () => {
    db = await PGlite.create();
    await db.exec('CREATE TABLE items (id int PRIMARY KEY, label text NOT NULL)');
    bridge = new PGliteBridge(db, 20);
    const port = await bridge.listen('127.0.0.1', 0);
    url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  });

  afterAll(async () => {
    await bridge.close();
    await db.close();
  });

  beforeEach(() => db.exec('TRUNCATE items'));

  async function connected(): Promise<Client> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  }

  it('keeps the parameterised queries of concurrent connections apart', async () => {
    const pool = new Pool({ connectionString: url, max: 10 });
    try {
      const answers = await Promise.all(
        Array.from({ length: 400 }, (_, i) =>
          pool.query<{ n: number; s: string }>('SELECT $1::int AS n, $2::text AS s', [i, `q${i}`]),
        ),
      );
      answers.forEach((answer, i) => expect(answer.rows).toEqual([{ n: i, s: `q${i}` }]));
    } finally {
      await pool.end();
    }
  });

  it('runs nothing of another connection while a transaction is open', async () => {
    const writer = await connected();
    const reader = await connected();
    try {
      await writer.query('BEGIN');
      await writer.query('INSERT INTO items VALUES ($1, $2)', [1, 'uncommitted']);
      let seen: number | undefined;
      const read = reader
        .query<{ n: number }>('SELECT count(*)::int AS n FROM items')
        .then((r) => (seen = r.rows[0].n));
      await new Promise((resolve) => setTimeout(resolve, 150));
      // The session is shared: reading now would see the writer's uncommitted row.
      expect(seen).toBeUndefined();
      await writer.query('INSERT INTO items VALUES ($1, $2)', [2, 'uncommitted']);
      await writer.query('ROLLBACK');
      await read;
      expect(seen).toBe(0);
    } finally {
      await writer.end();
      await reader.end();
    }
  });

  it('rolls back the transaction of a connection that goes away', async () => {
    const writer = await connected();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items VALUES ($1, $2)', [1, 'lost']);
    const gone = new Promise((resolve) => writer.once('end', resolve));
    writer.on('error', () => undefined);
    (
      writer as unknown as { connection: { stream: { destroy(): void } } }
    ).connection.stream.destroy();
    await gone;

    const reader = await connected();
    try {
      const { rows } = await reader.query<{ n: number }>('SELECT count(*)::int AS n FROM items');
      expect(rows[0].n).toBe(0);
      await reader.query('INSERT INTO items VALUES ($1, $2)', [1, 'kept']);
      expect(db.isInTransaction()).toBe(false);
    } finally {
      await reader.end();
    }
  });

  it('answers errors in the protocol and goes on', async () => {
    const client = await connected();
    try {
      await expect(client.query('SELECT $1::int', ['not a number'])).rejects.toThrow(
        /invalid input syntax/,
      );
      await client.query('BEGIN');
      await expect(client.query('SELECT 1/0')).rejects.toThrow(/division by zero/);
      await client.query('ROLLBACK');
      expect((await client.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await client.end();
    }
  });
});
