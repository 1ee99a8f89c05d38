// npm run bench:feed -- [--posts N] [--duration S] [--connections C]
// Seeds N posts (default 100,000) and measures GET /feed on the first page and on a page
// deep in the feed with autocannon. With DATABASE_URL it uses a fresh database on that
// server; without, the embedded database.
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { embeddedDatabaseUrl, freshDatabase, signUp, startApp } from './lib.mjs';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '100000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
  },
});
const POSTS = Number(values.posts);
const DURATION = Number(values.duration);
const CONNECTIONS = Number(values.connections);

const database = await freshDatabase('bench_feed');
const dbUrl = database.url;
const app = await startApp(dbUrl ? { DATABASE_URL: dbUrl } : {});
try {
  const authors = [];
  for (let i = 0; i < 10; i++) authors.push(await signUp(app.url, `author${i}.${Date.now()}@example.com`));
  const db = new pg.Client({ connectionString: dbUrl ?? embeddedDatabaseUrl(app.dataDir) });
  await db.connect();
  const started = Date.now();
  // Posts one second apart, spread over the authors, in batches to keep transactions small.
  const BATCH = 50_000;
  for (let from = 1; from <= POSTS; from += BATCH) {
    const to = Math.min(POSTS, from + BATCH - 1);
    await db.query(
      `INSERT INTO posts (user_id, caption, storage, file_id, file_path, url, thumbnail_url, file_type, mime_type, file_name, size, width, height, created_at, updated_at)
       SELECT ($1::uuid[])[1 + (g % $2)], 'post ' || g, 'local', 'posts/seed-' || g || '.jpg', 'posts/seed-' || g || '.jpg',
              'http://localhost:3000/media/posts/seed-' || g || '.jpg', NULL, 'image', 'image/jpeg', 'seed.jpg', 12345, 640, 480,
              now() - make_interval(secs => $3 - g), now() - make_interval(secs => $3 - g)
       FROM generate_series($4::int, $5::int) AS g`,
      [authors.map((a) => a.id), authors.length, POSTS, from, to],
    );
  }
  await db.query('ANALYZE posts');
  console.log(`seeded ${POSTS.toLocaleString()} posts in ${((Date.now() - started) / 1000).toFixed(1)} s (${dbUrl ? 'PostgreSQL' : 'embedded PGlite'})`);

  // A cursor 90% of the way down the feed.
  const deep = Math.floor(POSTS * 0.9);
  const row = (
    await db.query(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, id FROM posts ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
      [deep],
    )
  ).rows[0];
  const cursor = Buffer.from(`${row.at}|${row.id}`).toString('base64url');
  const plan = await db.query(
    `EXPLAIN SELECT p.*, u.username FROM posts p JOIN users u ON u.id = p.user_id
     WHERE (p.created_at, p.id) < ($1::timestamptz, $2::uuid) ORDER BY p.created_at DESC, p.id DESC LIMIT 21`,
    [row.at, row.id],
  );
  console.log('query plan of a deep page:');
  for (const line of plan.rows) console.log(`  ${line['QUERY PLAN']}`);
  await db.end();

  const headers = { authorization: `Bearer ${authors[0].token}` };
  // Warm-up (JIT, connection pool, caches) before anything is measured.
  await autocannon({ url: `${app.url}/feed?limit=20`, headers, connections: CONNECTIONS, duration: 2 });
  for (const [label, path] of [
    ['first page ', '/feed?limit=20'],
    [`page at #${deep.toLocaleString()}`, `/feed?limit=20&cursor=${cursor}`],
  ]) {
    const check = await fetch(app.url + path, { headers });
    const body = await check.json();
    if (check.status !== 200 || body.items.length !== 20) throw new Error(`unexpected answer for ${path}: ${check.status}`);
    const result = await autocannon({ url: app.url + path, headers, connections: CONNECTIONS, duration: DURATION });
    const errors = result.errors + result.non2xx;
    console.log(
      `${label}: ${Math.round(result.requests.average).toLocaleString()} req/s, ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `${result.requests.total.toLocaleString()} requests, ${errors} errors ` +
        `(${CONNECTIONS} connections, ${DURATION} s)`,
    );
  }
} finally {
  await app.stop();
  await database.drop();
}
