// npm run bench:ws -- [--duration S]
// Chat fan-out through the product's gateway and, in the same run, through a bare `ws` + `pg`
// server with the same protocol subset on the same database (bench/ws-bare.mjs): the ratio
// of the two is what the framework and the product's extra work cost. Each scenario runs on
// the product, then on the bare server, with the same users and fresh rooms. Prints
// deliveries/s and send-to-receive latency of both, and checks that every client of either
// server saw every message exactly once, in seq order (exit code 1 if not).
// With DATABASE_URL: a fresh database on that server, dropped at the end. Without: the
// product's embedded PGlite, which the bare server reaches through the product's socket.
import { rmSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
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

const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' } } });
const DURATION_MS = Number(values.duration) * 1000;
if (!(DURATION_MS > 0)) {
  console.error('--duration takes a positive number of seconds');
  process.exit(2);
}

const SCENARIOS = [
  // Closed loop: each sender keeps `inFlight` messages unanswered and sends the next one when
  // its own comes back, so the offered load follows what the server absorbs and queues stay
  // bounded. Enough senders to keep the whole pool busy on either server (both handle one
  // socket's frames one after the other).
  {
    name: '(a) ceiling: 1 room x 100 clients, closed loop',
    rooms: 1,
    clients: 100,
    closedLoop: { senders: 50, inFlight: 2 },
  },
  { name: '(b) 1 room x 100 clients, 500 msg/s', rooms: 1, clients: 100, rate: 500 },
  { name: '(c) 1 room x 1,000 clients, 50 msg/s', rooms: 1, clients: 1000, rate: 50 },
  { name: '(d) 50 rooms x 20 clients, 250 msg/s', rooms: 50, clients: 20, rate: 250 },
];
const WARM_UP = {
  name: 'warm-up: 1 room x 20 clients, closed loop',
  rooms: 1,
  clients: 20,
  closedLoop: { senders: 20, inFlight: 2 },
};
const USERS = 20;
const POOL_MAX = 20;
const OPEN_CONCURRENCY = 25;
const DRAIN_TIMEOUT_MS = 30_000;
const STALL_MS = 3000;
/** Pause between runs, so one server's clean-up (closing sockets, presence) is not measured on the next. */
const SETTLE_MS = 500;
/** Above this share of one core the load generator itself may be what limits a run. */
const CLIENT_BOUND_CPU = 0.9;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Every client socket of the run, so none outlives it whatever fails. */
const openSockets = new Set();
let database;
let app;
let bare;
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const ws of openSockets) ws.terminate();
    await runCleanupSteps([
      ['stopping the bare server', () => bare?.stop()],
      ['stopping the product', () => app?.stop()],
      // The app's data directory holds the embedded database when DATABASE_URL is unset.
      [
        "removing the product's data directory",
        () => app && rmSync(app.dataDir, { recursive: true, force: true }),
      ],
      ['dropping the bench database', () => database?.drop()],
    ]);
  })();
  return cleaning;
}
cleanUpOnSignals(cleanup);

/** Latencies in 0.05 ms buckets up to 60 s: exact enough, and flat in memory at any rate. */
class Histogram {
  static WIDTH = 0.05;
  counts = new Uint32Array(Math.ceil(60_000 / Histogram.WIDTH) + 1);
  total = 0;
  add(ms) {
    this.counts[Math.min(this.counts.length - 1, Math.max(0, Math.floor(ms / Histogram.WIDTH)))]++;
    this.total++;
  }
  percentile(p) {
    if (!this.total) return NaN;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i];
      if (seen >= rank) return (i + 0.5) * Histogram.WIDTH;
    }
    return NaN;
  }
}

async function api(path, token, body) {
  const res = await fetch(app.url + path, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * One scenario on one server: fresh rooms (created through the product's API, so both servers
 * see the same kind of rows), clients opened and welcomed, load for `durationMs`, then a wait
 * until every open client has every message (or nothing arrives for STALL_MS).
 */
async function run(target, scenario, users, durationMs) {
  const hist = new Histogram();
  const errors = [];
  const closed = scenario.closedLoop ? { sending: true } : undefined;
  let delivered = 0;
  let lastDeliveryAt = 0;
  let closing = false;

  const flag = (client, problem) => {
    client.problem ??= problem;
  };
  const sendFrom = (client) => {
    client.sentCount++;
    const tag = `${client.idx}.${client.sentCount}`;
    client.room.sentTags.add(tag);
    client.ws.send(JSON.stringify({ type: 'message', content: `t ${performance.now()} ${tag}` }));
  };
  const onDelivery = (client, message) => {
    const now = performance.now();
    delivered++;
    lastDeliveryAt = now;
    client.count++;
    const { room } = client;
    if (message.room_id !== room.id) flag(client, `a message of room ${message.room_id}`);
    if (message.seq === client.next) client.next++;
    else if (message.seq < client.next)
      flag(client, `seq ${message.seq} again or late (expected ${client.next})`);
    else {
      flag(
        client,
        `seq ${client.next}${message.seq - 1 > client.next ? `..${message.seq - 1}` : ''} missing`,
      );
      client.next = message.seq + 1;
    }
    const [, sentAt, tag] = String(message.content).split(' ');
    hist.add(now - Number(sentAt));
    const k = message.seq - room.base - 1;
    if (k >= 0) {
      if (room.order[k] === undefined) room.order[k] = tag;
      else if (room.order[k] !== tag)
        flag(client, `seq ${message.seq} carried two different messages`);
    }
    if (client.inFlight > 0 && Number.parseInt(tag, 10) === client.idx) {
      client.inFlight--;
      if (closed.sending) {
        client.inFlight++;
        sendFrom(client);
      }
    }
  };

  const openClient = (room, idx, user) =>
    new Promise((resolve, reject) => {
      const client = {
        idx,
        room,
        user,
        count: 0,
        next: 0,
        sentCount: 0,
        inFlight: 0,
        problem: undefined,
      };
      const ws = new WebSocket(`${target.wsBase}/api/ws/${room.id}?token=${user.token}`, {
        perMessageDeflate: false,
      });
      client.ws = ws;
      openSockets.add(ws);
      const timer = setTimeout(
        () => reject(new Error(`${target.name}: no welcome in 15 s`)),
        15_000,
      );
      ws.on('message', (data) => {
        let frame;
        try {
          frame = JSON.parse(data);
        } catch {
          return flag(client, 'a frame that is not JSON');
        }
        if (frame.type === 'message') return onDelivery(client, frame.message);
        if (frame.type === 'error') return void errors.push(`${frame.code}: ${frame.detail}`);
        if (frame.type === 'welcome' && !client.welcomed) {
          client.welcomed = true;
          room.base ??= frame.last_seq;
          if (frame.last_seq !== room.base || typeof frame.last_seq !== 'number') {
            flag(client, `welcome last_seq ${frame.last_seq}, others had ${room.base}`);
          }
          client.next = frame.last_seq + 1;
          clearTimeout(timer);
          resolve(client);
        }
      });
      ws.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`${target.name}: ${err.message}`));
      });
      ws.on('close', (code) => {
        openSockets.delete(ws);
        client.closed = true;
        clearTimeout(timer);
        if (!closing) flag(client, `socket closed by the server (${code})`);
        reject(new Error(`${target.name}: socket closed with ${code} during the handshake`));
      });
    });

  const rooms = [];
  for (let r = 0; r < scenario.rooms; r++) {
    const created = await api('/api/rooms', users[0].token, { name: `bench ${target.name} ${r}` });
    const room = { id: created.id, base: undefined, clients: [], sentTags: new Set(), order: [] };
    rooms.push(room);
    for (let k = 0; k < scenario.clients; k += OPEN_CONCURRENCY) {
      const batch = [];
      for (let j = k; j < Math.min(scenario.clients, k + OPEN_CONCURRENCY); j++) {
        batch.push(openClient(room, r * scenario.clients + j, users[j % users.length]));
      }
      room.clients.push(...(await Promise.all(batch)));
    }
  }
  const all = rooms.flatMap((r) => r.clients);
  // Join notices and presence frames of the handshakes are over before anything is timed.
  await sleep(300);

  const serverCpuBefore = processCpuSeconds(target.pid);
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  if (closed) {
    for (const room of rooms) {
      for (const client of room.clients.slice(0, scenario.closedLoop.senders)) {
        for (let k = 0; k < scenario.closedLoop.inFlight; k++) {
          client.inFlight++;
          sendFrom(client);
        }
      }
    }
    await sleep(durationMs);
    closed.sending = false;
  } else {
    let next = started;
    for (let i = 0; performance.now() - started < durationMs; i++) {
      const room = rooms[i % rooms.length];
      sendFrom(room.clients[Math.floor(i / rooms.length) % room.clients.length]);
      next += 1000 / scenario.rate;
      const wait = next - performance.now();
      if (wait > 1) await sleep(wait);
      else if (i % 50 === 0) await new Promise((r) => setImmediate(r));
    }
  }
  const drained = () => all.every((c) => c.closed || c.count >= c.room.sentTags.size);
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  // A lost message never arrives: stop once nothing has come for a while (longer than the
  // servers hold a message back waiting for an earlier seq).
  const sendingEnded = performance.now();
  const stalled = () => performance.now() - Math.max(lastDeliveryAt, sendingEnded) > STALL_MS;
  while (!drained() && performance.now() < deadline && !stalled()) await sleep(20);
  const elapsedS = ((lastDeliveryAt || performance.now()) - started) / 1000;
  const serverCpuAfter = processCpuSeconds(target.pid);
  const clientCpu = process.cpuUsage(clientCpuBefore);

  const problems = [];
  let sent = 0;
  for (const room of rooms) {
    sent += room.sentTags.size;
    for (const c of room.clients) {
      if (c.count !== room.sentTags.size && !c.problem)
        flag(c, `${c.count} of ${room.sentTags.size} messages`);
      if (c.problem) problems.push(`client ${c.idx}: ${c.problem}`);
    }
    const stray = room.order.findIndex((tag) => !room.sentTags.has(tag));
    if (room.order.length !== room.sentTags.size || stray !== -1) {
      problems.push(
        `room ${room.id}: ${room.order.length} seqs for ${room.sentTags.size} messages sent`,
      );
    }
  }
  for (const e of errors) problems.push(`error frame ${e}`);

  closing = true;
  await Promise.all(
    all.map(
      (c) =>
        new Promise((resolve) => {
          if (c.ws.readyState === WebSocket.CLOSED) return resolve();
          const timer = setTimeout(() => {
            c.ws.terminate();
            resolve();
          }, 5000);
          c.ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          c.ws.close();
        }),
    ),
  );
  await sleep(SETTLE_MS);

  const serverCpuS =
    serverCpuBefore === null || serverCpuAfter === null ? null : serverCpuAfter - serverCpuBefore;
  const clientCpuS = (clientCpu.user + clientCpu.system) / 1e6;
  return {
    sent,
    delivered,
    expected: all.reduce((n, c) => n + c.room.sentTags.size, 0),
    perSecond: delivered / elapsedS,
    p50: hist.percentile(50),
    p99: hist.percentile(99),
    ok: problems.length === 0,
    problems,
    serverCpu: serverCpuS === null ? null : serverCpuS / elapsedS,
    serverUsPerDelivery:
      serverCpuS === null || delivered === 0 ? null : (serverCpuS / delivered) * 1e6,
    clientCpu: clientCpuS / elapsedS,
  };
}

const fmtRate = (n) => Math.round(n).toLocaleString('en-US');
const fmtMs = (n) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const fmtCpu = (n) => (n === null ? '?' : `${Math.round(n * 100)}%`);

function report(target, scenario, r) {
  console.log(
    `  ${target.name.padEnd(7)} ${fmtRate(r.perSecond).padStart(9)} deliveries/s, p50 ${fmtMs(r.p50)} ms, ` +
      `p99 ${fmtMs(r.p99)} ms, ${r.delivered.toLocaleString('en-US')}/${r.expected.toLocaleString('en-US')} ` +
      `delivered of ${r.sent.toLocaleString('en-US')} messages; CPU: server ${fmtCpu(r.serverCpu)} ` +
      `(${r.serverUsPerDelivery === null ? '?' : r.serverUsPerDelivery.toFixed(1)} µs/delivery), ` +
      `bench client ${fmtCpu(r.clientCpu)} of a core; ` +
      (r.ok
        ? 'every client saw every message once, in seq order'
        : 'MISSING, DUPLICATED OR OUT-OF-ORDER MESSAGES'),
  );
  for (const p of r.problems.slice(0, 5)) console.log(`      ${p}`);
  if (r.problems.length > 5) console.log(`      ... and ${r.problems.length - 5} more`);
  if (!r.ok) process.exitCode = 1;
}

function printTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

try {
  database = await freshDatabase('bench_ws');
  // Without DATABASE_URL the product runs one connection whatever DB_POOL_MAX says
  // (PGlite is a single session); the bare server then gets one too.
  const poolMax = database.url ? POOL_MAX : 1;
  app = await startApp({
    ...(database.url ? { DATABASE_URL: database.url, DB_POOL_MAX: String(poolMax) } : {}),
    JWT_AUDIENCE: 'media-chat:bench',
    CHAT_RATE_LIMIT: '1000000',
    CHAT_TYPING_INTERVAL_MS: '0',
  });
  bare = await startScript('ws-bare.mjs', {
    DATABASE_URL: database.url ?? embeddedDatabaseUrl(app.dataDir),
    DB_POOL_MAX: String(poolMax),
    JWT_SECRET: app.env.JWT_SECRET,
    JWT_AUDIENCE: app.env.JWT_AUDIENCE,
  });
  const targets = [
    { name: 'product', wsBase: app.url.replace('http', 'ws'), pid: app.child.pid },
    { name: 'bare', wsBase: bare.url, pid: bare.child.pid },
  ];
  const stamp = Date.now();
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(await signUp(app.url, `ws${i}.${stamp}@example.com`));

  const dbLabel = database.url
    ? `PostgreSQL (fresh database), pool ${poolMax} per server`
    : "embedded PGlite inside the product process, 1 connection per server (its queries for the bare server run on the product's CPU too)";
  console.log(
    `bench:ws: ${dbLabel}; ${DURATION_MS / 1000} s per run; node ${process.version}, ` +
      `${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)} at start`,
  );

  const warmUpMs = Math.min(1500, DURATION_MS);
  console.log(WARM_UP.name);
  for (const target of targets)
    report(target, WARM_UP, await run(target, WARM_UP, users, warmUpMs));

  const results = [];
  for (const scenario of SCENARIOS) {
    console.log(scenario.name);
    const product = await run(targets[0], scenario, users, DURATION_MS);
    report(targets[0], scenario, product);
    const reference = await run(targets[1], scenario, users, DURATION_MS);
    report(targets[1], scenario, reference);
    results.push({ scenario, product, reference });
  }

  // Only comparable when the database runs outside both: embedded, the product's process
  // also executes the bare server's queries.
  const cpuRatio = (p, b) =>
    database.url && p.serverUsPerDelivery && b.serverUsPerDelivery
      ? `${(p.serverUsPerDelivery / b.serverUsPerDelivery).toFixed(2)}x`
      : '-';
  const mark = (r) => (r.clientCpu !== null && r.clientCpu >= CLIENT_BOUND_CPU ? ' *' : '');
  const header = [
    'scenario',
    'product deliveries/s',
    'p50 ms',
    'p99 ms',
    'bare deliveries/s',
    'p50 ms',
    'p99 ms',
    'product/bare',
    'CPU/delivery product/bare',
    'correct (product/bare)',
  ];
  const rows = results.map(({ scenario, product: p, reference: b }) => [
    scenario.name,
    fmtRate(p.perSecond) + mark(p),
    fmtMs(p.p50),
    fmtMs(p.p99),
    fmtRate(b.perSecond) + mark(b),
    fmtMs(b.p50),
    fmtMs(b.p99),
    `${(p.perSecond / b.perSecond).toFixed(2)}x`,
    cpuRatio(p, b),
    `${p.ok ? 'ok' : 'FAIL'} / ${b.ok ? 'ok' : 'FAIL'}`,
  ]);
  const notes = [
    'Latency: from send to receipt, over every delivery. At a fixed rate both servers deliver what is offered',
    'while they keep up (ratio near 1.00x): compare the latencies there; (a) is the throughput comparison.',
    "CPU/delivery: server process CPU time per delivery, product over bare (the database's own CPU excluded).",
    ...(rows.some((r) => r.some((c) => c.endsWith(' *')))
      ? [
          `* the bench client used ${CLIENT_BOUND_CPU * 100}%+ of a core: that figure may be limited by the load generator.`,
        ]
      : []),
  ];
  console.log('');
  printTable(header, rows);
  for (const n of notes) console.log(n);

  console.log('\nMarkdown:\n');
  const md = (cells) => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  console.log(`${dbLabel}; ${DURATION_MS / 1000} s per run; ${os.cpus().length} cores.\n`);
  console.log(
    md([
      'Scenario',
      'Product deliveries/s',
      'Product p50 (ms)',
      'Product p99 (ms)',
      'Bare deliveries/s',
      'Bare p50 (ms)',
      'Bare p99 (ms)',
      'Product/bare',
      'CPU/delivery product/bare',
      'Correct (product / bare)',
    ]),
  );
  console.log(`|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const r of rows) console.log(md(r.map((c) => c.replace(/ \*$/, ' \\*'))));
  console.log('');
  for (const n of notes) console.log(n.replace(/^\* /, '\\* '));
} finally {
  await cleanup();
}
