// bench:feed, social part: the following feed beside the global one, and what the like and
// comment counts cost, on PostgreSQL (DATABASE_URL). Seeds --posts posts (default 1,000,000)
// by --users users (10,000), each following --follows others (200), then measures, round
// after round, back to back:
//   1. GET /feed (scope=all) and GET /feed?scope=following on the product, first page;
//   2. the bare server (bench/feed-bare.mjs) with and without the counts columns.
// Targets: following feed p99 < 50 ms at 20 connections and within 1.3x of the global
// feed's req/s; the counts cost at most 1.15x.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import bcrypt from 'bcrypt';
import pg from 'pg';
import {
  cleanUpOnSignals,
  freshDatabase,
  runCleanupSteps,
  signUp,
  startApp,
  startScript,
} from './lib.mjs';
import { insertPosts, insertUsers, runner } from '../test/support/seed.cjs';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '1000000' },
    users: { type: 'string', default: '10000' },
    follows: { type: 'string', default: '200' },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
  },
});
const int = (name, min) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} takes a whole number of at least ${min}`);
    process.exit(2);
  }
  return n;
};
const POSTS = int('posts', 100);
const USERS = int('users', 10);
const FOLLOWS = Math.min(int('follows', 1), USERS - 1);
const DURATION = int('duration', 1);
const ROUNDS = int('rounds', 1);
const CONNECTIONS = int('connections', 1);
const PUBLIC_URL = 'http://localhost:3000';
const PAGE = '/feed?limit=20';

if (!process.env.DATABASE_URL) {
  console.error('bench:feed (social) needs DATABASE_URL (a PostgreSQL server to create a database on)');
  process.exit(2);
}

let database;
let app;
const bares = [];
const cannons = new Set();
let cleaning;
const cleanup = () =>
  (cleaning ??= (async () => {
    for (const c of cannons) c.stop();
    await runCleanupSteps([
      ...bares.map((b) => ['stopping a bare server', () => b.stop()]),
      ['stopping the product', () => app?.stop()],
      ['removing the data directory', () => app && rmSync(app.dataDir, { recursive: true, force: true })],
      ['dropping the bench database', () => database?.drop()],
    ]);
  })());
cleanUpOnSignals(cleanup);

async function load(url, path, token, duration = DURATION) {
  const cannon = autocannon({
    url: url + path,
    headers: { authorization: `Bearer ${token}` },
    connections: CONNECTIONS,
    duration,
  });
  cannons.add(cannon);
  const r = await cannon;
  cannons.delete(cannon);
  await new Promise((resolve) => setTimeout(resolve, 300));
  return { rps: r.requests.average, p99: r.latency.p99, failed: r.errors + r.timeouts + r.non2xx };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

try {
  database = await freshDatabase('bench_social');
  app = await startApp({ DATABASE_URL: database.url, PUBLIC_URL, DB_POOL_MAX: '10' });
  const viewer = await signUp(app.url, `social-viewer.${Date.now()}@bench.test`);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const run = runner(db);
  const started = performance.now();
  const others = await insertUsers(run, {
    count: USERS - 1,
    prefix: 'social',
    hashedPassword: bcrypt.hashSync(randomUUID(), 4),
  });
  const authors = [viewer.id, ...others];
  const newest = (await db.query('SELECT now()::text AS t')).rows[0].t;
  for (let from = 1; from <= POSTS; from += 50_000) {
    await insertPosts(run, {
      authorIds: authors,
      total: POSTS,
      from,
      to: Math.min(POSTS, from + 49_999),
      newest,
    });
  }
  // Everyone follows FOLLOWS others, spread evenly (user i follows i+37k for k = 1..FOLLOWS).
  await db.query(
    `WITH idx AS (SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS i FROM users)
     INSERT INTO follows (follower_id, followee_id)
     SELECT a.id, b.id FROM idx a
     CROSS JOIN generate_series(1, $1::int) AS k
     JOIN idx b ON b.i = (a.i + k * 37) % (SELECT count(*) FROM idx)
     WHERE a.id <> b.id
     ON CONFLICT DO NOTHING`,
    [FOLLOWS],
  );
  // The viewer likes every fifth of the newest 10,000 posts (liked_by_me, like_count).
  await db.query(
    `INSERT INTO post_likes (post_id, user_id)
     SELECT id, $1::uuid FROM (SELECT id, row_number() OVER (ORDER BY created_at DESC) AS n
                               FROM posts ORDER BY created_at DESC LIMIT 10000) s
     WHERE n % 5 = 0`,
    [viewer.id],
  );
  await db.query('VACUUM ANALYZE');
  const [{ n: follows }] = (await db.query('SELECT count(*)::int AS n FROM follows')).rows;
  console.log(
    `seeded ${POSTS.toLocaleString('en-US')} posts, ${USERS.toLocaleString('en-US')} users, ` +
      `${follows.toLocaleString('en-US')} follows in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  // The product's page pick (PostsRepository.followingPage), as it runs for the viewer.
  const plan = await db.query(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT q.id FROM posts q
     WHERE (q.user_id = $1::uuid OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1::uuid AND f.followee_id = q.user_id))
       AND NOT q.user_id IN (SELECT b.blocked_id FROM blocks b WHERE b.blocker_id = $1::uuid
                             UNION ALL SELECT b.blocker_id FROM blocks b WHERE b.blocked_id = $1::uuid)
       AND (NOT q.hidden OR q.user_id = $1::uuid
            OR EXISTS (SELECT 1 FROM users su WHERE su.id = $1::uuid AND su.is_superuser))
     ORDER BY q.created_at DESC, q.id DESC LIMIT 21`,
    [viewer.id],
  );
  console.log("plan of the following feed's page pick:");
  for (const line of plan.rows) console.log(`  ${line['QUERY PLAN']}`);
  await db.end();

  for (const counts of ['1', '0']) {
    bares.push(
      await startScript('feed-bare.mjs', {
        DATABASE_URL: database.url,
        DB_POOL_MAX: '10',
        JWT_SECRET: app.env.JWT_SECRET,
        PUBLIC_URL,
        BARE_COUNTS: counts,
      }),
    );
  }
  const [withCounts, withoutCounts] = bares;
  const runs = { all: [], following: [], counts: [], noCounts: [] };
  const targets = [
    ['all', app.url, PAGE],
    ['following', app.url, `${PAGE}&scope=following`],
    ['counts', withCounts.url, PAGE],
    ['noCounts', withoutCounts.url, PAGE],
  ];
  // Warm-up: each server's code is compiled and its caches filled before anything counts.
  for (const [, url, path] of targets) await load(url, path, viewer.token, 2);
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`round ${round}/${ROUNDS}`);
    for (const [key, url, path] of targets) {
      const r = await load(url, path, viewer.token);
      runs[key].push(r);
      console.log(
        `  ${key.padEnd(10)} ${Math.round(r.rps).toLocaleString('en-US').padStart(7)} req/s  p99 ${r.p99} ms` +
          (r.failed ? `  ${r.failed} FAILED` : ''),
      );
      if (r.failed) process.exitCode = 1;
    }
  }
  const rps = (key) => median(runs[key].map((r) => r.rps));
  const p99 = (key) => median(runs[key].map((r) => r.p99));
  const paired = (a, b) => median(runs[a].map((r, i) => r.rps / runs[b][i].rps));
  const allOverFollowing = paired('all', 'following');
  const countsCost = paired('noCounts', 'counts');
  const row = (cells) => `| ${cells.join(' | ')} |`;
  console.log('');
  console.log(row(['Target', 'Measured', 'Goal', 'Met']));
  console.log(row(['---', '---:', '---:', '---:']));
  console.log(row(['global feed, req/s (p99)', `${Math.round(rps('all'))} (${p99('all')} ms)`, '', '']));
  console.log(
    row(['following feed, req/s (p99)', `${Math.round(rps('following'))} (${p99('following')} ms)`, '', '']),
  );
  console.log(
    row(['following feed p99', `${p99('following')} ms`, '< 50 ms', p99('following') < 50 ? 'yes' : 'NO']),
  );
  console.log(
    row([
      'global req/s over following req/s',
      `${allOverFollowing.toFixed(2)}x`,
      '<= 1.3x',
      allOverFollowing <= 1.3 ? 'yes' : 'NO',
    ]),
  );
  console.log(
    row([
      'feed without counts over with counts (bare)',
      `${countsCost.toFixed(2)}x`,
      '<= 1.15x',
      countsCost <= 1.15 ? 'yes' : 'NO',
    ]),
  );
  console.log(
    `\nMedians over ${ROUNDS} rounds, ${CONNECTIONS} connections, ${DURATION} s per run; ratios are medians of each round's pair.`,
  );
} catch (err) {
  console.error(`bench:feed (social): ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
