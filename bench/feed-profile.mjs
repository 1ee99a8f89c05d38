// npm run bench:feed:profile -- [--posts N] [--duration S] [--embedded]
// Where a feed request's CPU goes: runs the product under V8's CPU profiler (on a fresh
// database of DATABASE_URL's server, or on its embedded database with --embedded), seeds posts,
// drives GET /feed with autocannon, and prints the self time of the top functions, grouped
// by the package (or file of this project) they belong to.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { insertPosts, runner } from '../test/support/seed.cjs';
import { embeddedDatabaseUrl, freshDatabase, signUp, startApp } from './lib.mjs';

const { values } = parseArgs({
  options: {
    posts: { type: 'string', default: '20000' },
    duration: { type: 'string', default: '10' },
    top: { type: 'string', default: '15' },
    embedded: { type: 'boolean', default: false },
  },
});
if (!process.env.DATABASE_URL && !values.embedded) {
  console.error('bench:feed:profile needs DATABASE_URL (a PostgreSQL server to seed), or --embedded');
  process.exit(2);
}

const profileDir = mkdtempSync(join(tmpdir(), 'feed-profile-'));
const database = values.embedded
  ? { url: undefined, drop: async () => {} }
  : await freshDatabase('bench_profile');
let app;
try {
  app = await startApp(
    database.url ? { DATABASE_URL: database.url, LOG_LEVEL: 'warn' } : { LOG_LEVEL: 'warn' },
    { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] },
  );
  const viewer = await signUp(app.url, `profile${Date.now()}@bench.test`);
  const db = new pg.Client({ connectionString: database.url ?? embeddedDatabaseUrl(app.dataDir) });
  await db.connect();
  await insertPosts(runner(db), { authorIds: [viewer.id], total: Number(values.posts) });
  await db.end();
  const result = await autocannon({
    url: `${app.url}/feed?limit=20`,
    connections: 20,
    duration: Number(values.duration),
    headers: { authorization: `Bearer ${viewer.token}` },
  });
  console.log(
    `GET /feed: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, ` +
      `p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx`,
  );
} finally {
  // A failed start-up leaves no app, but the database is dropped all the same.
  await app?.stop();
  if (app) rmSync(app.dataDir, { recursive: true, force: true });
  await database.drop();
}

// One profile per thread: the API's main thread (thread 0) and, on the embedded database,
// the thread PGlite runs on; bcrypt threads stay idle here.
const files = readdirSync(profileDir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .sort();
if (files.length === 0) {
  console.error('no profile was written');
  process.exit(1);
}
const profiles = files.map((f) => ({
  thread: Number(f.split('.')[4]),
  profile: JSON.parse(readFileSync(join(profileDir, f), 'utf8')),
}));
if (!process.env.KEEP_PROFILE) rmSync(profileDir, { recursive: true, force: true });
else console.log(profileDir);

const where = (url) => {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes('/dist/')) return `app:${url.split('/dist/')[1]}`;
  return url.startsWith('node:') ? url : url ? 'node' : 'native';
};
// piscina's idle bcrypt threads block in Atomics.wait, which the profiler samples as JS.
const idle = new Set(['(idle)', '(program)', 'atomicsWaitLoop']);

for (const { thread, profile } of profiles) report(thread, profile);

function report(thread, profile) {
  // Self time per node: samples × the interval between them.
  const selfMs = new Map();
  const intervals = profile.timeDeltas;
  profile.samples.forEach((id, i) =>
    selfMs.set(id, (selfMs.get(id) ?? 0) + (intervals[i] ?? 0) / 1000),
  );
  const total = [...selfMs.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byPlace = new Map();
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    const { functionName, url } = node.callFrame;
    if (idle.has(functionName)) continue;
    busy += ms;
    const fn = `${functionName || '(anonymous)'} (${where(url)})`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
    const place = functionName === '(garbage collector)' ? 'GC' : where(url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + ms);
  }
  // A thread that did (almost) nothing is not worth a table.
  if (busy < 100) return;
  const name = thread === 0 ? 'main thread' : `worker thread ${thread}`;
  const show = (title, map) => {
    console.log(
      `\n${name}: ${title} (share of busy CPU, ${(busy / 1000).toFixed(1)} s busy of ${(total / 1000).toFixed(1)} s)`,
    );
    for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
      console.log(`${((100 * ms) / busy).toFixed(1).padStart(5)}%  ${key}`);
  };
  show('by package or file', byPlace);
  show('by function', byFunction);
}
