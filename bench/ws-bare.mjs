// A bare reference for bench/ws.mjs: the product's chat socket protocol, the subset the
// bench uses, on `ws` + `pg` with no framework, against the product's own database (tables
// from its migrations). The product's cost on top of this is its framework's and its extra
// per-message work.
//
//   GET ws://HOST:PORT/api/ws/{room_id}?token=JWT  -> {"type":"welcome",...,"last_seq":N}
//   {"type":"message","content":"...","client_id"?}  -> {"type":"message","message":{...}} to the room
//   {"type":"ping"}                                  -> {"type":"pong"}
//
// Env: DATABASE_URL, JWT_SECRET (required); DB_POOL_MAX (10), JWT_AUDIENCE
// (media-chat:auth), HOST (127.0.0.1), PORT (0: any free port), CHAT_MAX_BUFFERED_BYTES (4 MiB).
// Prints `listening on ws://HOST:PORT` once it accepts connections.
import { createSecretKey } from 'node:crypto';
import { createServer } from 'node:http';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { WebSocket, WebSocketServer } from 'ws';

// The product's message store statement, taken from the build so the two servers always do
// the same database work: $1 room, $2 user, $3 content, $4 client_id, $5 file_id; one row
// with `created` true (stored), false (a repeated client_id) or null (refused).
const { INSERT_MESSAGE_SQL: STORE_MESSAGE_SQL } = await import(
  new URL('../dist/chat/messages.repository.js', import.meta.url).href
);

// The product's handshake account check (AccountsRepository.findForToken in src/auth), verbatim.
const ACCOUNT_SQL = `SELECT u.*, EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = $2) AS token_revoked
       FROM users u WHERE u.id = $1`;

// The room and the user's membership in one round trip, as RoomsService.getVisible.
const ROOM_SQL = `SELECT r.id, r.name, r.description, r.is_private, r.owner_id, r.last_seq, r.created_at,
       EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.user_id = $2) AS is_member
       FROM rooms r WHERE r.id = $1`;

// Opening a public room's socket makes the user a member, as in the product.
const JOIN_SQL = `INSERT INTO room_members (room_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`;

const WS_PATH = '/api/ws';
const CLOSE = { UNAUTHORIZED: 4401, FORBIDDEN: 4403, GOING_AWAY: 1001 };
const MAX_FRAME_BYTES = 64 * 1024;
const MAX_MESSAGE = 4000;
const REORDER_WAIT_MS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLIENT_ID = /^[\w.:-]{1,64}$/;
const MESSAGE_KEYS = new Set(['content', 'file_id', 'client_id']);

const env = process.env;
if (!env.DATABASE_URL || !env.JWT_SECRET) {
  console.error('ws-bare: DATABASE_URL and JWT_SECRET are required');
  process.exit(2);
}
// A string secret makes jsonwebtoken try (and fail) to parse it as a public key on every verify.
const SECRET = createSecretKey(Buffer.from(env.JWT_SECRET));
const AUDIENCE = env.JWT_AUDIENCE || 'media-chat:auth';
const MAX_BUFFERED = Number(env.CHAT_MAX_BUFFERED_BYTES || 4 * 1024 * 1024);

const pool = new pg.Pool({
  connectionString: env.DATABASE_URL,
  max: Number(env.DB_POOL_MAX || 10),
});
pool.on('error', (err) =>
  console.error(`ws-bare: idle database connection failed: ${err.message}`),
);

/**
 * Per room: its open sockets, the next seq to deliver, and messages that completed ahead of
 * it (statements of one room finish in any order across pooled connections).
 */
const rooms = new Map();

const server = createServer((_req, res) => {
  res.writeHead(404).end();
});
const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url ?? '/', 'ws://localhost');
  if (!url.pathname.startsWith(`${WS_PATH}/`)) return void socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, req, url));
});

function onConnection(ws, req, url) {
  const ready = accept(ws, req, url).catch((err) => {
    console.error(`ws-bare: handshake failed: ${err.message}`);
    ws.close(1011, 'Internal error');
    return null;
  });
  // Frames that arrive during the handshake wait for it; a socket's frames run one after the
  // other, so a client's messages get seqs in the order it sent them (as in the product).
  ws.on('message', (data, isBinary) => {
    void ready.then((client) => {
      if (!client) return;
      const frame = parse(client, data, isBinary);
      if (frame)
        client.queue = client.queue.then(() => onFrame(client, frame)).catch(() => undefined);
    });
  });
  ws.on('close', () => void ready.then((client) => client && leave(client)));
  ws.on('error', () => undefined);
}

async function authenticate(token) {
  const payload = jwt.verify(token, SECRET, { algorithms: ['HS256'], audience: AUDIENCE });
  if (!UUID.test(payload.sub) || !UUID.test(payload.jti) || typeof payload.ver !== 'number') {
    throw new Error('invalid token');
  }
  const { rows } = await pool.query(ACCOUNT_SQL, [payload.sub, payload.jti]);
  const user = rows[0];
  if (!user || !user.is_active || user.token_revoked || user.token_version !== payload.ver) {
    throw new Error('invalid token');
  }
  return user;
}

async function accept(ws, req, url) {
  const roomId = decodeURIComponent(url.pathname.slice(WS_PATH.length + 1));
  const token =
    url.searchParams.get('token') ?? /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  let user;
  try {
    if (!token) throw new Error('no token');
    user = await authenticate(token);
  } catch {
    ws.close(CLOSE.UNAUTHORIZED, 'Unauthorized');
    return null;
  }
  const room = UUID.test(roomId)
    ? (await pool.query(ROOM_SQL, [roomId, user.id])).rows[0]
    : undefined;
  if (!room || (room.is_private && !room.is_member)) {
    ws.close(CLOSE.FORBIDDEN, 'Forbidden');
    return null;
  }
  if (!room.is_member) await pool.query(JOIN_SQL, [room.id, user.id]);
  if (ws.readyState !== WebSocket.OPEN) return null;
  const lastSeq = Number(room.last_seq);
  let state = rooms.get(room.id);
  if (!state) {
    state = { sockets: new Set(), next: lastSeq + 1, pending: new Map(), timer: undefined };
    rooms.set(room.id, state);
  }
  const chatUser = { id: user.id, username: user.username, avatar_url: user.avatar_url };
  const client = { ws, user: chatUser, roomId: room.id, queue: Promise.resolve() };
  state.sockets.add(client);
  // The product's welcome also counts members and online users; the bench reads only last_seq.
  send(
    client,
    JSON.stringify({
      type: 'welcome',
      room: {
        id: room.id,
        name: room.name,
        description: room.description,
        is_private: room.is_private,
        owner_id: room.owner_id,
        created_at: room.created_at.toISOString(),
        last_seq: lastSeq,
      },
      user: chatUser,
      last_seq: lastSeq,
    }),
  );
  return client;
}

function leave(client) {
  const state = rooms.get(client.roomId);
  if (!state?.sockets.delete(client) || state.sockets.size > 0) return;
  clearTimeout(state.timer);
  rooms.delete(client.roomId);
}

function parse(client, data, isBinary) {
  if (data.byteLength > MAX_FRAME_BYTES) {
    return void error(client, 'FRAME_TOO_LARGE', `Frames are limited to ${MAX_FRAME_BYTES} bytes`);
  }
  if (isBinary) return void error(client, 'INVALID_FRAME', 'Frames are JSON text');
  let frame;
  try {
    frame = JSON.parse(data.toString('utf8'));
  } catch {
    return void error(client, 'INVALID_JSON', 'The frame is not valid JSON');
  }
  if (
    typeof frame !== 'object' ||
    frame === null ||
    Array.isArray(frame) ||
    typeof frame.type !== 'string'
  ) {
    return void error(client, 'INVALID_FRAME', 'A frame is a JSON object with a "type"');
  }
  return frame;
}

async function onFrame(client, { type, ...body }) {
  if (type === 'ping') return send(client, '{"type":"pong"}');
  if (type === 'message') return onMessage(client, body);
  error(client, 'UNKNOWN_TYPE', `Unknown frame type "${type.slice(0, 40)}"`);
}

async function onMessage(client, body) {
  const clientId = typeof body.client_id === 'string' ? body.client_id : undefined;
  const unknown = Object.keys(body).find((k) => !MESSAGE_KEYS.has(k));
  if (unknown)
    return error(client, 'VALIDATION_ERROR', `property ${unknown} should not exist`, clientId);
  if (body.file_id !== undefined) {
    return error(
      client,
      'VALIDATION_ERROR',
      "file_id is outside this server's protocol subset",
      clientId,
    );
  }
  if (body.content !== undefined && typeof body.content !== 'string') {
    return error(client, 'VALIDATION_ERROR', 'content must be a string', clientId);
  }
  if (body.client_id !== undefined && (clientId === undefined || !CLIENT_ID.test(clientId))) {
    return error(
      client,
      'VALIDATION_ERROR',
      'client_id must be 1-64 characters of letters, digits, _ . : -',
      clientId,
    );
  }
  const content = body.content?.trim() ? body.content : '';
  if (!content)
    return error(client, 'MESSAGE_EMPTY', 'content is required (1-4000 characters)', clientId);
  if (content.length > MAX_MESSAGE) {
    return error(
      client,
      'MESSAGE_TOO_LONG',
      `content must be at most ${MAX_MESSAGE} characters`,
      clientId,
    );
  }
  let row;
  try {
    const { rows } = await pool.query(STORE_MESSAGE_SQL, [
      client.roomId,
      client.user.id,
      content,
      clientId ?? null,
      null,
    ]);
    row = rows[0];
  } catch (err) {
    // A retried client_id: the product answers nothing either (the first one was delivered).
    if (err.code === '23505' && err.constraint === 'UQ_messages_client_id') return;
    console.error(`ws-bare: storing a message failed: ${err.message}`);
    return error(client, 'INTERNAL_ERROR', 'The message could not be sent', clientId);
  }
  if (!row || row.created === null) return error(client, 'ROOM_NOT_FOUND', 'Room not found', clientId);
  // A retried client_id: stored before, delivered then.
  if (row.created === false) return;
  const seq = Number(row.seq);
  const frame = JSON.stringify({
    type: 'message',
    message: {
      id: row.id,
      room_id: client.roomId,
      seq,
      user: client.user,
      content,
      file: null,
      client_id: clientId ?? null,
      created_at: row.created_at.toISOString(),
      edited_at: null,
    },
  });
  deliverInOrder(client.roomId, seq, frame);
}

/** Strictly by seq per room; a seq that never shows up is skipped after REORDER_WAIT_MS. */
function deliverInOrder(roomId, seq, frame) {
  const state = rooms.get(roomId);
  if (!state) return;
  // Encoded once for the whole room rather than once per socket.
  const broadcast = (text) => {
    const data = Buffer.from(text);
    for (const client of state.sockets) send(client, data);
  };
  if (seq < state.next) return broadcast(frame);
  state.pending.set(seq, frame);
  const flush = () => {
    let ready;
    while ((ready = state.pending.get(state.next)) !== undefined) {
      state.pending.delete(state.next);
      state.next += 1;
      broadcast(ready);
    }
    clearTimeout(state.timer);
    state.timer = undefined;
    if (state.pending.size > 0) {
      state.timer = setTimeout(() => {
        state.next = Math.min(...state.pending.keys());
        flush();
      }, REORDER_WAIT_MS);
      state.timer.unref();
    }
  };
  flush();
}

/** A reader that does not keep up is dropped, at the product's default threshold. */
function send(client, data) {
  const { ws } = client;
  if (ws.readyState !== WebSocket.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED) return void ws.terminate();
  ws.send(data, { binary: false });
}

function error(client, code, detail, clientId) {
  send(
    client,
    JSON.stringify({ type: 'error', code, detail, ...(clientId ? { client_id: clientId } : {}) }),
  );
}

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  for (const state of rooms.values()) clearTimeout(state.timer);
  for (const ws of wss.clients) ws.close(CLOSE.GOING_AWAY, 'Server shutting down');
  server.close();
  // Give the close frames a moment to leave, then cut whoever has not answered.
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (const ws of wss.clients) ws.terminate();
  server.closeAllConnections();
  await pool.end().catch(() => undefined);
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// Fail at start-up, not at the first handshake, when the database is unreachable.
await pool.query('SELECT 1 FROM rooms LIMIT 1');
server.listen(Number(env.PORT || 0), env.HOST || '127.0.0.1', () => {
  const { address, port } = server.address();
  console.log(`listening on ws://${address}:${port}`);
});
