// npm run bench:feed -- [--posts N] [--authors N] [--duration S] [--rounds N] [--connections C]
//                        [--warmup S] [--embedded-rounds N] [--storm-rounds N] [--storm-logins N]
//
// GET /feed?limit=20 in one run, on a fresh database of DATABASE_URL's server (dropped at the
// end) seeded with N posts (default 100,000) by about 1,000 authors:
//   1. the product side by side with a bare fastify + pg server doing the same per-request
//      work (bench/feed-bare.mjs), on the first page and on a page 90% deep, interleaved
//      product, bare, product, bare; after a byte-for-byte comparison of their answers;
//   2. the product on its embedded database (PGlite, no DATABASE_URL) with the same seed,
//      interleaved with the product on PostgreSQL;
//   3. the feed on a product with the default BCRYPT_ROUNDS=12 while concurrent logins run
//      continuously, interleaved with the same product unloaded.
// Prints every round, then the medians as a table (plain and Markdown) and the targets.
// Exit code 1 when the two servers' answers differ or a measured request failed; a missed
// target is reported, not an error (the figures depend on the machine's load).
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import bcrypt from 'bcrypt';
import pg from 'pg';
import { insertPosts, insertUsers, runner } from '../test/support/seed.cjs';
import { FEED_PAGE_SQL } from './feed-bare.mjs';
import {
  cleanUpOnSignals,
  embeddedDatabaseUrl,
  freshDatabase,
  processCpuSeconds,
  runCleanupSteps,
  signUp,
  startApp,
  startScript,
} from './lib.mjs';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '100000' },
    authors: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '2' },
    'embedded-rounds': { type: 'string', default: '2' },
    'storm-rounds': { type: 'string', default: '2' },
    'storm-logins': { type: 'string', default: '20' },
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
const AUTHORS = int('authors', 2);
const DURATION = int('duration', 1);
const ROUNDS = int('rounds', 1);
const CONNECTIONS = int('connections', 1);
const WARMUP = int('warmup', 0);
const EMBEDDED_ROUNDS = int('embedded-rounds', 1);
const STORM_ROUNDS = int('storm-rounds', 1);
const STORM_LOGINS = int('storm-logins', 1);

if (!process.env.DATABASE_URL) {
  console.error(
    'bench:feed needs DATABASE_URL (a PostgreSQL server where it may create and drop a database), ' +
      'e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:feed\n' +
      'The side-by-side with the bare server and the embedded-versus-PostgreSQL comparison both need it.',
  );
  process.exit(2);
}

const PAGE_SIZE = 20;
const DB_POOL_MAX = 10;
// Given to both servers: links in the answers are built under it, the same by both.
const PUBLIC_URL = 'http://localhost:3000';
// Characters JSON must escape, and some it need not, in every third caption: serialisers
// that differ on any of them fail the byte comparison.
const CAPTION_EXTRAS = ' "quoted" back\\slash\ttab\nnewline émoji 🌅 <b>&amp;</b> \u2028 \u0001';
const LOGIN_PASSWORD = 'bench password';
const STORM_RAMP_MS = 1500;
/** Pause after each run: requests a stopped run left in flight are not charged to the next. */
const SETTLE_MS = 500;
/** Above this share of one core the load generator itself may be what limits a run. */
const CLIENT_BOUND_CPU = 0.9;

const TARGETS = {
  productOverBare: 0.8,
  p99Ms: 50,
  deepVsFirst: 1.1,
  embeddedOverPostgres: 0.6,
  stormShare: 0.7,
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---- clean-up, also on error and Ctrl-C ----------------------------------------------------

let database;
const apps = new Set();
let bare;
const clients = new Set();
const cannons = new Set();
let storm;
/** Servers and the database being created: a signal then waits for them, to remove them too. */
const starting = new Set();
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const c of cannons) c.stop();
    if (storm) storm.stopped = true;
    await Promise.allSettled(starting);
    const steps = [
      ...[...clients].map((c) => ['closing a database connection', () => c.end()]),
      ['stopping the bare server', () => bare?.stop()],
      ...[...apps].flatMap((a) => [
        [`stopping ${a.label}`, () => a.stop()],
        // The data directory holds the embedded database when DATABASE_URL is unset.
        [
          `removing the data directory of ${a.label}`,
          () => rmSync(a.dataDir, { recursive: true, force: true }),
        ],
      ]),
      ['dropping the bench database', () => database?.drop()],
    ];
    await runCleanupSteps(steps);
  })();
  return cleaning;
}
cleanUpOnSignals(cleanup);
// Output piped into a reader that quits early (| head) must not skip the clean-up.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
process.once('uncaughtException', (err) => {
  console.error(`bench:feed: ${err.stack ?? err}`);
  void cleanup().finally(() => process.exit(1));
});

/** Runs `create` (which registers what it made for clean-up) so that cleanup() waits for it. */
async function creating(create) {
  // After a signal the run goes on until its current step returns: start nothing new.
  if (cleaning) throw Object.assign(new Error('stopping'), { reported: true });
  const promise = create();
  starting.add(promise);
  try {
    return await promise;
  } finally {
    starting.delete(promise);
  }
}

function launch(label, overrides) {
  return creating(async () => {
    const app = await startApp({ PUBLIC_URL, DB_POOL_MAX: String(DB_POOL_MAX), ...overrides });
    app.label = label;
    apps.add(app);
    return app;
  });
}

async function retire(app) {
  await app.stop();
  rmSync(app.dataDir, { recursive: true, force: true });
  apps.delete(app);
}

async function connect(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.add(client);
  return client;
}

async function disconnect(client) {
  clients.delete(client);
  await client.end();
}

async function account(url, email) {
  const user = await signUp(url, email, LOGIN_PASSWORD);
  if (!user.id || !user.token)
    throw new Error(`signing up ${email} failed: ${JSON.stringify(user)}`);
  return user;
}

// ---- seed ---------------------------------------------------------------------------------

/**
 * AUTHORS - 1 authors besides `viewer` and POSTS posts spread over all of them, in bulk SQL.
 * Two posts share each created_at (the id breaks the tie, as the cursor must), every tenth is a
 * video (no thumbnail, no dimensions, a size beyond 32 bits), half the authors have an avatar.
 * The viewer writes the newest post and every AUTHORS-th, so both measured pages hold one
 * of the caller's own posts (is_owner).
 */
async function seed(db, viewerId) {
  const started = performance.now();
  const run = runner(db);
  const others = await insertUsers(run, {
    count: AUTHORS - 1,
    prefix: 'feed-author',
    hashedPassword: bcrypt.hashSync(randomUUID(), 4),
  });
  const authorIds = [viewerId, ...others];
  const newest = (await db.query(`SELECT now()::text AS t`)).rows[0].t;
  const BATCH = 50_000;
  for (let from = 1; from <= POSTS; from += BATCH) {
    await insertPosts(run, {
      authorIds,
      total: POSTS,
      from,
      to: Math.min(POSTS, from + BATCH - 1),
      newest,
      captionExtra: CAPTION_EXTRAS,
    });
  }
  // Hint bits and statistics now, not during the first measured requests.
  await db.query('VACUUM ANALYZE users');
  await db.query('VACUUM ANALYZE posts');
  return (performance.now() - started) / 1000;
}

/** The cursor the product hands out after the post at `offset` (cursor.ts), and that post's id. */
async function positionAt(db, offset) {
  const { rows } = await db.query(
    `SELECT id, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
       FROM posts ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1`,
    [offset],
  );
  const row = rows[0];
  return {
    id: row.id,
    at: row.at,
    cursor: Buffer.from(`${row.at}|${row.id}`).toString('base64url'),
  };
}

/** The first and the 90%-deep page, with what their answers must start with. */
async function feedPages(db) {
  const deep = Math.floor(POSTS * 0.9);
  const before = await positionAt(db, deep - 1);
  return [
    {
      key: 'first',
      label: 'first page',
      path: `/feed?limit=${PAGE_SIZE}`,
      firstId: (await positionAt(db, 0)).id,
    },
    {
      key: 'deep',
      label: `page after #${deep.toLocaleString('en-US')}`,
      path: `/feed?limit=${PAGE_SIZE}&cursor=${before.cursor}`,
      firstId: (await positionAt(db, deep)).id,
      cursorAt: before,
    },
  ];
}

// ---- answers: sanity and byte-for-byte comparison -------------------------------------------

async function get(base, path, token) {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

function checkPage(who, page, answer, items = PAGE_SIZE) {
  if (answer.status !== 200) {
    throw new Error(
      `${who}: ${page.label} answered ${answer.status}: ${answer.bytes.toString().slice(0, 300)}`,
    );
  }
  const body = JSON.parse(answer.bytes.toString());
  if (body.items?.length !== items)
    throw new Error(`${who}: ${page.label} has ${body.items?.length} items, not ${items}`);
  if (page.firstId && body.items[0].id !== page.firstId) {
    throw new Error(
      `${who}: ${page.label} starts at post ${body.items[0].id}, not at ${page.firstId}`,
    );
  }
  return body;
}

/** Where two JSON values differ, as paths (values, key sets and key order), at most `max`. */
function jsonDifferences(a, b, path = '$', out = [], max = 8) {
  if (out.length >= max) return out;
  const show = (v) => (v === undefined ? 'absent' : JSON.stringify(v)?.slice(0, 100));
  if (
    a === null ||
    b === null ||
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    if (!Object.is(a, b)) out.push(`${path}: product ${show(a)}, bare ${show(b)}`);
    return out;
  }
  if (Array.isArray(a)) {
    if (a.length !== b.length) out.push(`${path}: product ${a.length} entries, bare ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++)
      jsonDifferences(a[i], b[i], `${path}[${i}]`, out, max);
    return out;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const missing = ka.filter((k) => !(k in b));
  const extra = kb.filter((k) => !(k in a));
  if (missing.length) out.push(`${path}: only the product has ${missing.join(', ')}`);
  if (extra.length) out.push(`${path}: only the bare server has ${extra.join(', ')}`);
  const common = ka.filter((k) => k in b);
  if (!missing.length && !extra.length && ka.join() !== kb.join()) {
    out.push(`${path}: key order differs: product ${ka.join(',')}; bare ${kb.join(',')}`);
  }
  for (const k of common) jsonDifferences(a[k], b[k], `${path}.${k}`, out, max);
  return out;
}

/** A readable account of how two answers to one request differ; null when they are identical. */
function describeDifference(product, reference) {
  const lines = [];
  if (product.status !== reference.status)
    lines.push(`status: product ${product.status}, bare ${reference.status}`);
  if (product.type !== reference.type)
    lines.push(`content-type: product ${product.type}, bare ${reference.type}`);
  if (!product.bytes.equals(reference.bytes)) {
    const a = product.bytes;
    const b = reference.bytes;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const around = (buf) =>
      JSON.stringify(buf.subarray(Math.max(0, i - 60), i + 60).toString('utf8'));
    lines.push(
      `body: product ${a.length} bytes, bare ${b.length} bytes; first difference at byte ${i}`,
    );
    lines.push(`  product: ...${around(a)}...`);
    lines.push(`  bare:    ...${around(b)}...`);
    try {
      const diffs = jsonDifferences(JSON.parse(a.toString()), JSON.parse(b.toString()));
      if (diffs.length) lines.push('  as JSON:', ...diffs.map((d) => `    ${d}`));
      else lines.push('  as JSON: the same values (a difference in whitespace or escaping)');
    } catch {
      lines.push('  (at least one body is not JSON)');
    }
  }
  return lines.length ? lines : null;
}

// ---- load ---------------------------------------------------------------------------------

/** One autocannon run against `target` (its process's CPU time measured around it). */
async function load(target, path, token, seconds) {
  const cpuBefore = processCpuSeconds(target.pid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const cannon = autocannon({
    url: target.url + path,
    headers: { authorization: `Bearer ${token}` },
    connections: CONNECTIONS,
    duration: seconds,
  });
  cannons.add(cannon);
  const r = await cannon;
  cannons.delete(cannon);
  const elapsed = (performance.now() - started) / 1000;
  const cpuAfter = processCpuSeconds(target.pid);
  const client = process.cpuUsage(clientBefore);
  await sleep(SETTLE_MS);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    failed: r.errors + r.timeouts + r.non2xx,
    cpuMsPerRequest:
      cpuBefore === null || cpuAfter === null || !r.requests.total
        ? null
        : ((cpuAfter - cpuBefore) * 1000) / r.requests.total,
    clientCpu: (client.user + client.system) / 1e6 / elapsed,
  };
}

const fmtRate = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const fmtMs = (n) => (Number.isFinite(n) ? (Number.isInteger(n) ? String(n) : n.toFixed(1)) : '-');
const fmtCpu = (n) => (Number.isFinite(n) ? n.toFixed(3) : '-');
const fmtRatio = (n) => (Number.isFinite(n) ? `${n.toFixed(2)}x` : '-');
const fmtPct = (n) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : '-');

function logRun(prefix, r) {
  console.log(
    `  ${prefix.padEnd(48)} ${fmtRate(r.rps).padStart(7)} req/s  p50 ${fmtMs(r.p50).padStart(3)} ms  ` +
      `p99 ${fmtMs(r.p99).padStart(3)} ms  ${fmtCpu(r.cpuMsPerRequest)} ms CPU/req  ` +
      `client CPU ${fmtPct(r.clientCpu)}${r.failed ? `  ${r.failed} FAILED REQUESTS` : ''}`,
  );
  if (r.failed) process.exitCode = 1;
}

/** Medians over rounds of every figure of a series of runs. */
function summarise(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuMsPerRequest: median(runs.map((r) => r.cpuMsPerRequest)),
    failed: runs.reduce((n, r) => n + r.failed, 0),
    clientBound: runs.some((r) => r.clientCpu >= CLIENT_BOUND_CPU),
  };
}

/** Round i of `a` over round i of `b`, median over the rounds (both ran back to back). */
const pairedRatio = (a, b) => median(a.map((r, i) => r.rps / b[i].rps));

/**
 * Logins with the right password, `count` at a time, until stopped. Each is a full bcrypt
 * comparison at the account's cost on the product's thread pool.
 */
function loginStorm(url, email, count) {
  const state = { stopped: false, ok: 0, failed: 0, lastError: '' };
  const body = JSON.stringify({ email, password: LOGIN_PASSWORD });
  state.done = Promise.all(
    Array.from({ length: count }, async () => {
      while (!state.stopped) {
        try {
          const res = await fetch(`${url}/auth/jwt/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          await res.arrayBuffer();
          if (res.status === 200) state.ok++;
          else {
            state.failed++;
            state.lastError = `HTTP ${res.status}`;
          }
        } catch (err) {
          state.failed++;
          state.lastError = err.message;
          await sleep(100);
        }
      }
    }),
  );
  return state;
}

// ---- tables -------------------------------------------------------------------------------

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

function printMarkdown(header, rows, rightFrom = 2) {
  const md = (cells) =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\*/g, '\\*')).join(' | ')} |`;
  console.log(md(header));
  console.log(`|${header.map((_, i) => (i < rightFrom ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const r of rows) console.log(md(r));
}

// ---- the run ------------------------------------------------------------------------------

try {
  await creating(async () => (database = await freshDatabase('bench_feed')));
  console.log(
    `bench:feed: ${POSTS.toLocaleString('en-US')} posts by ${AUTHORS.toLocaleString('en-US')} authors; ` +
      `${CONNECTIONS} connections, ${DURATION} s per run, rounds: ${ROUNDS} side by side, ` +
      `${EMBEDDED_ROUNDS} embedded, ${STORM_ROUNDS} login storm; node ${process.version}, ` +
      `${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at start`,
  );

  // 1. The product on PostgreSQL beside the bare server, same database, same pool size.
  const product = await launch('the product (PostgreSQL)', { DATABASE_URL: database.url });
  const viewer = await account(product.url, `feed-viewer.${Date.now()}@bench.test`);
  const db = await connect(database.url);
  const seededIn = await seed(db, viewer.id);
  console.log(
    `seeded ${POSTS.toLocaleString('en-US')} posts into PostgreSQL in ${seededIn.toFixed(1)} s`,
  );
  const pages = await feedPages(db);
  const deepPage = pages[1];
  const plan = await db.query(`EXPLAIN ${FEED_PAGE_SQL}`, [
    PAGE_SIZE + 1,
    deepPage.cursorAt.at,
    deepPage.cursorAt.id,
    viewer.id,
  ]);
  console.log(`plan of the bare server's query, ${deepPage.label}:`);
  for (const line of plan.rows) console.log(`  ${line['QUERY PLAN']}`);
  const secondCursor = (await positionAt(db, PAGE_SIZE - 1)).cursor;
  const lastPage = await positionAt(db, POSTS - 6);
  await disconnect(db);

  await creating(async () => {
    bare = await startScript('feed-bare.mjs', {
      DATABASE_URL: database.url,
      DB_POOL_MAX: String(DB_POOL_MAX),
      JWT_SECRET: product.env.JWT_SECRET,
      PUBLIC_URL,
    });
  });
  const targets = {
    product: { name: 'product', url: product.url, pid: product.child.pid },
    bare: { name: 'bare', url: bare.url, pid: bare.child.pid },
  };

  // The same requests to both, compared byte for byte before anything is timed: a ratio of
  // two servers that answer differently would mean nothing.
  const firstAnswer = await get(product.url, pages[0].path, viewer.token);
  const firstBody = checkPage('product', pages[0], firstAnswer);
  if (firstBody.next_cursor !== secondCursor) {
    throw new Error(
      `the product's next_cursor ${firstBody.next_cursor} is not the bench's encoding of the 20th post ` +
        `(${secondCursor}): align positionAt() with src/common/pagination/cursor.ts`,
    );
  }
  const comparisons = [
    ...pages,
    {
      label: 'second page (next_cursor of the first)',
      path: `/feed?limit=${PAGE_SIZE}&cursor=${secondCursor}`,
    },
    {
      label: 'last page (5 posts, no next_cursor)',
      path: `/feed?limit=${PAGE_SIZE}&cursor=${lastPage.cursor}`,
      items: 5,
    },
  ];
  let mismatch = false;
  for (const page of comparisons) {
    const a = await get(product.url, page.path, viewer.token);
    const b = await get(bare.url, page.path, viewer.token);
    checkPage('product', page, a, page.items);
    const diff = describeDifference(a, b);
    if (diff) {
      mismatch = true;
      console.error(`\nMISMATCH on the ${page.label} (GET ${page.path}):`);
      for (const line of diff) console.error(`  ${line}`);
    }
  }
  if (mismatch) {
    console.error(
      '\nThe bare server no longer answers as the product does: update FEED_PAGE_SQL or toPost ' +
        "in bench/feed-bare.mjs (or the seed, for media URLs) to the product's feed, then run again.",
    );
    process.exitCode = 1;
    throw Object.assign(new Error('answers differ'), { reported: true });
  }
  console.log(`answers identical, byte for byte: ${comparisons.map((p) => p.label).join('; ')}`);

  if (WARMUP) {
    console.log(`warm-up: ${WARMUP} s per server and page`);
    for (const page of pages)
      for (const t of Object.values(targets)) await load(t, page.path, viewer.token, WARMUP);
  }
  const sideBySide = { first: { product: [], bare: [] }, deep: { product: [], bare: [] } };
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`side by side, round ${round}/${ROUNDS}`);
    for (const page of pages) {
      for (const t of Object.values(targets)) {
        const r = await load(t, page.path, viewer.token, DURATION);
        sideBySide[page.key][t.name].push(r);
        logRun(`${page.label}, ${t.name}`, r);
      }
    }
  }
  await bare.stop();
  bare = undefined;

  // 2. The product on its embedded database, interleaved with the PostgreSQL one, which
  // stays up (idle while the other runs).
  const embedded = await launch('the product (embedded PGlite)', {});
  const embeddedViewer = await account(embedded.url, `feed-viewer.${Date.now()}@bench.test`);
  const edb = await connect(embeddedDatabaseUrl(embedded.dataDir));
  const embeddedSeededIn = await seed(edb, embeddedViewer.id);
  console.log(
    `seeded ${POSTS.toLocaleString('en-US')} posts into the embedded database in ${embeddedSeededIn.toFixed(1)} s`,
  );
  const embeddedPages = await feedPages(edb);
  await disconnect(edb);
  for (const page of embeddedPages)
    checkPage('embedded product', page, await get(embedded.url, page.path, embeddedViewer.token));
  const embeddedTarget = { name: 'embedded', url: embedded.url, pid: embedded.child.pid };
  if (WARMUP)
    for (const page of embeddedPages)
      await load(embeddedTarget, page.path, embeddedViewer.token, WARMUP);
  const versus = { first: { embedded: [], postgres: [] }, deep: { embedded: [], postgres: [] } };
  for (let round = 1; round <= EMBEDDED_ROUNDS; round++) {
    console.log(`embedded versus PostgreSQL, round ${round}/${EMBEDDED_ROUNDS}`);
    for (const [i, page] of pages.entries()) {
      const onPostgres = await load(targets.product, page.path, viewer.token, DURATION);
      versus[page.key].postgres.push(onPostgres);
      logRun(`${page.label}, product on PostgreSQL`, onPostgres);
      const onEmbedded = await load(
        embeddedTarget,
        embeddedPages[i].path,
        embeddedViewer.token,
        DURATION,
      );
      versus[page.key].embedded.push(onEmbedded);
      logRun(`${page.label}, product on embedded PGlite`, onEmbedded);
    }
  }
  await retire(embedded);
  await retire(product);

  // 3. Logins at the production cost: a new account hashed at cost 12 on a product started
  // with it; the viewer's token stays valid (same database and secret).
  const stormy = await launch('the product (BCRYPT_ROUNDS=12)', {
    DATABASE_URL: database.url,
    BCRYPT_ROUNDS: '12',
  });
  const stormTarget = { name: 'product', url: stormy.url, pid: stormy.child.pid };
  const loginUser = await account(stormy.url, `feed-login.${Date.now()}@bench.test`);
  if (WARMUP) await load(stormTarget, pages[0].path, viewer.token, WARMUP);
  const stormRuns = { unloaded: [], storm: [] };
  const logins = [];
  for (let round = 1; round <= STORM_ROUNDS; round++) {
    console.log(
      `login storm (${STORM_LOGINS} concurrent logins at BCRYPT_ROUNDS=12), round ${round}/${STORM_ROUNDS}`,
    );
    const quiet = await load(stormTarget, pages[0].path, viewer.token, DURATION);
    stormRuns.unloaded.push(quiet);
    logRun('first page, no logins', quiet);
    storm = loginStorm(stormy.url, loginUser.email, STORM_LOGINS);
    // The hashing queue fills before anything is measured.
    await sleep(STORM_RAMP_MS);
    const okBefore = storm.ok;
    const measuredFrom = performance.now();
    const loaded = await load(stormTarget, pages[0].path, viewer.token, DURATION);
    const loginsPerSecond = (storm.ok - okBefore) / ((performance.now() - measuredFrom) / 1000);
    storm.stopped = true;
    await storm.done;
    stormRuns.storm.push(loaded);
    logins.push(loginsPerSecond);
    logRun(`first page, ${STORM_LOGINS} logins running`, loaded);
    console.log(
      `  logins: ${loginsPerSecond.toFixed(1)}/s completed while measured, ${storm.failed} failed`,
    );
    if (storm.failed) {
      console.error(`  logins failed (last: ${storm.lastError}): the storm figure is not valid`);
      process.exitCode = 1;
    }
    storm = undefined;
  }
  await retire(stormy);

  // ---- results ----
  const s = {
    first: { product: summarise(sideBySide.first.product), bare: summarise(sideBySide.first.bare) },
    deep: { product: summarise(sideBySide.deep.product), bare: summarise(sideBySide.deep.bare) },
  };
  const ratio = {
    first: pairedRatio(sideBySide.first.product, sideBySide.first.bare),
    deep: pairedRatio(sideBySide.deep.product, sideBySide.deep.bare),
  };
  const e = {
    first: summarise(versus.first.embedded),
    deep: summarise(versus.deep.embedded),
    firstRatio: pairedRatio(versus.first.embedded, versus.first.postgres),
    deepRatio: pairedRatio(versus.deep.embedded, versus.deep.postgres),
  };
  const quiet = summarise(stormRuns.unloaded);
  const loaded = summarise(stormRuns.storm);
  const stormShare = pairedRatio(stormRuns.storm, stormRuns.unloaded);
  const deepVsFirst = {
    product: s.first.product.rps / s.deep.product.rps,
    bare: s.first.bare.rps / s.deep.bare.rps,
  };

  const mark = (x) => (x.clientBound ? ' *' : '') + (x.failed ? ` (${x.failed} failed)` : '');
  const row = (scenario, server, x, note) => [
    scenario,
    server,
    fmtRate(x.rps) + mark(x),
    fmtMs(x.p50),
    fmtMs(x.p99),
    fmtCpu(x.cpuMsPerRequest),
    note,
  ];
  const header = ['Scenario', 'Server', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'Ratio'];
  const rows = [
    row(
      pages[0].label,
      'product (PostgreSQL)',
      s.first.product,
      `${fmtRatio(ratio.first)} of bare`,
    ),
    row(pages[0].label, 'bare fastify + pg', s.first.bare, ''),
    row(pages[1].label, 'product (PostgreSQL)', s.deep.product, `${fmtRatio(ratio.deep)} of bare`),
    row(pages[1].label, 'bare fastify + pg', s.deep.bare, ''),
    row(
      pages[0].label,
      'product (embedded PGlite)',
      e.first,
      `${fmtRatio(e.firstRatio)} of PostgreSQL`,
    ),
    row(
      pages[1].label,
      'product (embedded PGlite)',
      e.deep,
      `${fmtRatio(e.deepRatio)} of PostgreSQL`,
    ),
    row(`${pages[0].label}, no logins`, 'product, BCRYPT_ROUNDS=12', quiet, ''),
    row(
      `${pages[0].label}, ${STORM_LOGINS} logins running`,
      'product, BCRYPT_ROUNDS=12',
      loaded,
      `${fmtPct(stormShare)} of unloaded`,
    ),
  ];
  const ok = (pass) => (pass ? 'yes' : 'NO');
  const checks = [
    [
      'product/bare, first page',
      fmtRatio(ratio.first),
      `>= ${TARGETS.productOverBare}x`,
      ok(ratio.first >= TARGETS.productOverBare),
    ],
    [
      'product/bare, deep page',
      fmtRatio(ratio.deep),
      `>= ${TARGETS.productOverBare}x`,
      ok(ratio.deep >= TARGETS.productOverBare),
    ],
    [
      'product p99, first page',
      `${fmtMs(s.first.product.p99)} ms`,
      `< ${TARGETS.p99Ms} ms`,
      ok(s.first.product.p99 < TARGETS.p99Ms),
    ],
    [
      'product p99, deep page',
      `${fmtMs(s.deep.product.p99)} ms`,
      `< ${TARGETS.p99Ms} ms`,
      ok(s.deep.product.p99 < TARGETS.p99Ms),
    ],
    [
      'product first page req/s over deep page req/s',
      `${fmtRatio(deepVsFirst.product)} (bare ${fmtRatio(deepVsFirst.bare)})`,
      `<= ${TARGETS.deepVsFirst}x`,
      ok(deepVsFirst.product <= TARGETS.deepVsFirst),
    ],
    [
      'embedded/PostgreSQL, first page',
      fmtRatio(e.firstRatio),
      `>= ${TARGETS.embeddedOverPostgres}x`,
      ok(e.firstRatio >= TARGETS.embeddedOverPostgres),
    ],
    [
      'embedded/PostgreSQL, deep page',
      fmtRatio(e.deepRatio),
      `>= ${TARGETS.embeddedOverPostgres}x`,
      ok(e.deepRatio >= TARGETS.embeddedOverPostgres),
    ],
    [
      'feed under a login storm / unloaded',
      fmtPct(stormShare),
      `>= ${fmtPct(TARGETS.stormShare)}`,
      ok(stormShare >= TARGETS.stormShare),
    ],
  ];
  const checkHeader = ['Target', 'Measured', 'Goal', 'Met'];
  const notes = [
    `Medians over rounds; ratios are the median of each round's pair run back to back. ${CONNECTIONS} connections, ${DURATION} s per run, autocannon (latency in whole ms).`,
    "CPU ms/req: the server process's CPU time over the requests it answered; on PostgreSQL the database's own CPU is excluded, embedded it is included (PGlite runs in the product's process), under the login storm so is the hashing.",
    `Login storm: ${STORM_LOGINS} clients logging in back to back with the right password (cost 12), ${logins.map((l) => l.toFixed(1)).join(', ')} logins/s.`,
    ...(rows.some((r) => r[2].includes(' *'))
      ? [
          `* the bench client used ${CLIENT_BOUND_CPU * 100}%+ of a core in a round: that figure may be limited by the load generator.`,
        ]
      : []),
  ];

  console.log('');
  console.log(
    `feed under a login storm: ${fmtRate(loaded.rps)} req/s = ${fmtPct(stormShare)} of unloaded (${fmtRate(quiet.rps)} req/s)`,
  );
  console.log('');
  printTable(header, rows);
  console.log('');
  printTable(checkHeader, checks);
  for (const n of notes) console.log(n);

  console.log('\nMarkdown:\n');
  console.log(
    `${POSTS.toLocaleString('en-US')} posts, ${AUTHORS.toLocaleString('en-US')} authors, ${os.cpus().length} cores, node ${process.version}.\n`,
  );
  printMarkdown(header, rows);
  console.log('');
  printMarkdown(checkHeader, checks, 1);
  console.log('');
  for (const n of notes) console.log(n.replace(/^\* /, '\\* '));
} catch (err) {
  // After a signal, the steps it interrupted fail: that is no news.
  if (!err.reported && !cleaning) {
    console.error(`bench:feed failed: ${err.stack ?? err}`);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}
