// npm run bench:ws -- [--duration S]
// Chat fan-out through the real gateway: N clients in one room (100, then 1,000) and many
// rooms, senders at a fixed rate. Prints deliveries/s and send-to-receive latency, and
// checks that every client saw every message exactly once, in seq order.
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { freshDatabase, signUp, startApp } from './lib.mjs';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' } } });
const DURATION_MS = Number(values.duration) * 1000;

const database = await freshDatabase('bench_ws');
const app = await startApp({
  ...(database.url ? { DATABASE_URL: database.url, DB_POOL_MAX: '20' } : {}),
  CHAT_RATE_LIMIT: '1000000',
  CHAT_TYPING_INTERVAL_MS: '0',
});
const wsBase = app.url.replace('http', 'ws');
const api = (path, token, body) =>
  fetch(app.url + path, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  }).then((r) => r.json());

const users = [];
for (let i = 0; i < 20; i++) users.push(await signUp(app.url, `ws${i}.${Date.now()}@example.com`));

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function openClients(roomId, count) {
  const clients = [];
  for (let i = 0; i < count; i++) {
    const user = users[i % users.length];
    const client = { user, seqs: [], latencies: [], ws: new WebSocket(`${wsBase}/api/ws/${roomId}?token=${user.token}`) };
    client.ws.on('message', (data) => {
      const text = data.toString();
      if (!text.startsWith('{"type":"message"')) return;
      const frame = JSON.parse(text);
      client.seqs.push(frame.message.seq);
      client.latencies.push(performance.now() - Number(frame.message.content.split(' ')[1]));
    });
    await new Promise((resolve, reject) => {
      client.ws.once('message', resolve); // welcome
      client.ws.once('error', reject);
      client.ws.once('close', (code) => reject(new Error(`socket closed with ${code}`)));
    });
    clients.push(client);
  }
  return clients;
}

/** Senders spread over the rooms send `rate` messages/s in total for the duration. */
async function scenario(label, roomCount, clientsPerRoom, rate) {
  const rooms = [];
  for (let r = 0; r < roomCount; r++) {
    const room = await api('/api/rooms', users[0].token, { name: `bench ${label} ${r}` });
    rooms.push({ id: room.id, clients: await openClients(room.id, clientsPerRoom) });
  }
  await new Promise((r) => setTimeout(r, 300));
  const sent = new Map(rooms.map((r) => [r.id, 0]));
  const started = performance.now();
  let next = started;
  let i = 0;
  while (performance.now() - started < DURATION_MS) {
    const room = rooms[i % rooms.length];
    const sender = room.clients[i % room.clients.length];
    sender.ws.send(JSON.stringify({ type: 'message', content: `t ${performance.now()}` }));
    sent.set(room.id, sent.get(room.id) + 1);
    i++;
    next += 1000 / rate;
    const wait = next - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (i % 50 === 0) await new Promise((r) => setImmediate(r));
  }
  const expected = [...sent.values()].reduce((a, b) => a + b, 0) * clientsPerRoom;
  const all = rooms.flatMap((r) => r.clients);
  const deadline = performance.now() + 30_000;
  const received = () => all.reduce((n, c) => n + c.seqs.length, 0);
  while (received() < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const elapsed = (performance.now() - started) / 1000;
  let ok = true;
  for (const room of rooms) {
    const want = sent.get(room.id);
    for (const c of room.clients) {
      const inOrder = c.seqs.every((s, k) => s === k + 1);
      if (c.seqs.length !== want || !inOrder) ok = false;
    }
  }
  const latencies = all.flatMap((c) => c.latencies).sort((a, b) => a - b);
  console.log(
    `${label}: ${roomCount} room(s) x ${clientsPerRoom} clients, ${rate} msg/s sent: ` +
      `${Math.round(received() / elapsed).toLocaleString()} deliveries/s, ` +
      `latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, ` +
      `${received().toLocaleString()}/${expected.toLocaleString()} delivered, ` +
      `${ok ? 'every client saw every message once, in seq order' : 'MISSING, DUPLICATED OR OUT-OF-ORDER MESSAGES'}`,
  );
  for (const c of all) c.ws.close();
  if (!ok) process.exitCode = 1;
}

try {
  await scenario('one room, 100 clients', 1, 100, 500);
  await scenario('one room, 100 clients, half rate', 1, 100, 250);
  await scenario('one room, 1,000 clients', 1, 1000, 50);
  await scenario('50 rooms', 50, 20, 250);
} finally {
  await app.stop();
  await database.drop();
}
