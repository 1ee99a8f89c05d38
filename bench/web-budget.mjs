// npm run bench:web: the web client's budgets, measured in headless Chromium against the
// app as npm start serves it (embedded database, or DATABASE_URL): the JavaScript a first
// load fetches (gzipped), the feed's first contentful paint, and how deep the chain of API
// requests behind the feed is. Targets: < 150 KB, < 1 s, <= 2.
import { rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import sharp from 'sharp';
import { cleanUpOnSignals, freshDatabase, runCleanupSteps, signUp, startApp } from './lib.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const POSTS = 20;

let database;
let app;
let browser;
let cleaning;
const cleanup = () =>
  (cleaning ??= runCleanupSteps([
    ['closing the browser', () => browser?.close()],
    ['stopping the app', () => app?.stop()],
    ['removing its data directory', () => app && rmSync(app.dataDir, { recursive: true, force: true })],
    ['dropping the bench database', () => database?.drop()],
  ]));
cleanUpOnSignals(cleanup);

try {
  database = await freshDatabase('bench_web');
  app = await startApp(database.url ? { DATABASE_URL: database.url } : {});
  const email = `web-budget.${Date.now()}@bench.test`;
  const user = await signUp(app.url, email);
  for (let i = 0; i < POSTS; i++) {
    const image = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: i * 12, g: 120, b: 200 } },
    })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('caption', `Post ${i}`);
    form.append('file', new Blob([image], { type: 'image/jpeg' }), `p${i}.jpg`);
    const res = await fetch(`${app.url}/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.token}` },
      body: form,
    });
    if (res.status !== 201) throw new Error(`seeding a post failed: ${res.status}`);
  }

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext();
  // A signed-in browser: the session cookie, as after logging in.
  const session = await context.request.post(`${app.url}/auth/session`, {
    data: { email, password: 'bench password' },
  });
  if (!session.ok()) throw new Error(`starting a session failed: ${session.status()}`);
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push({ r, start: performance.now(), end: Infinity }));
  page.on('requestfinished', (r) => {
    const entry = requests.find((e) => e.r === r);
    if (entry) entry.end = performance.now();
  });
  let scriptBytes = 0;
  let scriptGzip = 0;
  page.on('response', async (res) => {
    if (res.request().resourceType() !== 'script') return;
    const body = await res.body();
    scriptBytes += body.length;
    scriptGzip += gzipSync(body).length;
  });
  await page.goto(`${app.url}/`);
  await page.getByRole('article').first().waitFor();
  await page.waitForLoadState('networkidle');
  const fcp = await page.evaluate(
    () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  );
  const feedPainted = await page.evaluate(() => performance.now());

  // Depth: 1 + the deepest request that had finished before this one started.
  const depth = new Map();
  for (const e of requests) {
    let d = 1;
    for (const o of requests) if (o !== e && o.end <= e.start) d = Math.max(d, (depth.get(o) ?? 1) + 1);
    depth.set(e, d);
  }
  const api = requests.filter((e) => ['fetch', 'xhr'].includes(e.r.resourceType()));
  const apiDepth = new Map();
  for (const e of api) {
    let d = 1;
    for (const o of api) if (o !== e && o.end <= e.start) d = Math.max(d, (apiDepth.get(o) ?? 1) + 1);
    apiDepth.set(e, d);
  }
  const feed = api.find((e) => new URL(e.r.url()).pathname === '/feed');
  console.log('requests of the first load, in order:');
  for (const e of requests) {
    const path = new URL(e.r.url()).pathname;
    console.log(`  depth ${depth.get(e)}  ${e.r.resourceType().padEnd(8)} ${path}`);
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const rows = [
    ['first-load JavaScript (gzipped)', `${kb(scriptGzip)} (${kb(scriptBytes)} raw)`, '< 150 KB', scriptGzip < 150 * 1024],
    ['first contentful paint', `${Math.round(fcp)} ms`, '< 1000 ms', fcp < 1000],
    ['page settled (first post shown, network idle)', `${Math.round(feedPainted)} ms after navigation start`, '', true],
    ['API requests chained before the feed is read', `${feed ? apiDepth.get(feed) : '-'}`, '<= 2', feed ? apiDepth.get(feed) <= 2 : false],
  ];
  console.log('\n| Budget | Measured | Goal | Met |\n| --- | ---: | ---: | ---: |');
  for (const [what, measured, goal, met] of rows)
    console.log(`| ${what} | ${measured} | ${goal} | ${goal ? (met ? 'yes' : 'NO') : ''} |`);
  if (rows.some(([, , goal, met]) => goal && !met)) process.exitCode = 1;
} catch (err) {
  console.error(`bench:web: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
