import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Room } from '../src/chat/entities/room.entity';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

describe('Chat (e2e)', () => {
  let t: TestApp;
  let owner: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const sockets: WsClient[] = [];

  const createRoom = async (user: TestUser, body: Record<string, unknown> = {}) => {
    const res = await t.http.post('/api/rooms', {
      token: user.token,
      json: { name: `room ${randomUUID().slice(0, 8)}`, ...body },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  };
  const connect = async (roomId: string, token: string) => {
    const client = await WsClient.connect(`${t.wsUrl}/api/ws/${roomId}?token=${token}`);
    sockets.push(client);
    return client;
  };
  const connected = async (roomId: string, user: TestUser) => {
    const client = await connect(roomId, user.token);
    await client.next('welcome');
    return client;
  };
  const say = (user: TestUser, roomId: string, json: Record<string, unknown>) =>
    t.http.post(`/api/rooms/${roomId}/messages`, { token: user.token, json });

  beforeAll(async () => {
    t = await createTestApp({ CHAT_RATE_LIMIT: '30', CHAT_TYPING_INTERVAL_MS: '0' });
    owner = await signUp(t.http);
    bob = await signUp(t.http);
    carol = await signUp(t.http);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(() => t.close());

  describe('rooms', () => {
    it('creates a room whose creator is owner and member', async () => {
      const res = await t.http.post('/api/rooms', {
        token: owner.token,
        json: { name: '  General  ', description: 'All talk' },
      });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'General',
        description: 'All talk',
        is_private: false,
        owner_id: owner.id,
        member_count: 1,
        online_count: 0,
        created_at: expect.any(String),
        last_seq: 0,
      });
      const members = await t.http.get(`/api/rooms/${res.body.id}/members`, { token: owner.token });
      expect(members.body).toEqual([
        expect.objectContaining({ id: owner.id, is_owner: true, online: false }),
      ]);
    });

    it('validates names', async () => {
      for (const name of ['', '   ', 'x'.repeat(101)]) {
        const res = await t.http.post('/api/rooms', { token: owner.token, json: { name } });
        expect(res.status).toBe(400);
      }
    });

    it('lists public rooms with search and pages, and my rooms with member=true', async () => {
      const tag = randomUUID().slice(0, 6);
      const pub = await createRoom(owner, { name: `lobby-${tag}` });
      const priv = await createRoom(owner, { name: `secret-${tag}`, is_private: true });
      const found = await t.http.get(`/api/rooms?q=${tag}`, { token: bob.token });
      expect(found.body.items.map((r: { id: string }) => r.id)).toEqual([pub.id]);
      const mine = await t.http.get(`/api/rooms?member=true&q=${tag}`, { token: owner.token });
      expect(mine.body.items.map((r: { id: string }) => r.id).sort()).toEqual(
        [pub.id, priv.id].sort(),
      );
      const pctq = await t.http.get('/api/rooms?q=%25', { token: bob.token });
      expect(pctq.status).toBe(200);
      const page1 = await t.http.get('/api/rooms?limit=1', { token: bob.token });
      expect(page1.body.items).toHaveLength(1);
      const page2 = await t.http.get(`/api/rooms?limit=1&cursor=${page1.body.next_cursor}`, {
        token: bob.token,
      });
      expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    });

    it('hides private rooms from non-members (404), joining included, exactly as a missing room', async () => {
      const priv = await createRoom(owner, { is_private: true });
      expect((await t.http.get(`/api/rooms/${priv.id}`, { token: bob.token })).status).toBe(404);
      expect(
        (await t.http.get(`/api/rooms/${priv.id}/messages`, { token: bob.token })).status,
      ).toBe(404);
      // Joining tells a private room from a missing one by nothing: same status, same body.
      const join = await t.http.post(`/api/rooms/${priv.id}/join`, { token: bob.token });
      const missing = await t.http.post(`/api/rooms/${randomUUID()}/join`, { token: bob.token });
      expect([join.status, missing.status]).toEqual([404, 404]);
      expect(join.body).toEqual(missing.body);
      expect(join.body.code).toBe('ROOM_NOT_FOUND');
      expect((await t.http.get(`/api/rooms/${randomUUID()}`, { token: bob.token })).body.code).toBe(
        'ROOM_NOT_FOUND',
      );
      // Nobody became a member on the way; a member joining again is a no-op.
      expect(
        (await t.http.get(`/api/rooms/${priv.id}`, { token: owner.token })).body.member_count,
      ).toBe(1);
      const again = await t.http.post(`/api/rooms/${priv.id}/join`, { token: owner.token });
      expect(again.status).toBe(200);
      expect(again.body.member_count).toBe(1);
    });

    it('lets the owner add members to a private room and remove them', async () => {
      const priv = await createRoom(owner, { is_private: true });
      const denied = await t.http.post(`/api/rooms/${priv.id}/members`, {
        token: bob.token,
        json: { user_id: bob.id },
      });
      expect(denied.status).toBe(404);
      const added = await t.http.post(`/api/rooms/${priv.id}/members`, {
        token: owner.token,
        json: { user_id: bob.id },
      });
      expect(added.status).toBe(201);
      expect(
        (await t.http.get(`/api/rooms/${priv.id}`, { token: bob.token })).body.member_count,
      ).toBe(2);
      const byMember = await t.http.post(`/api/rooms/${priv.id}/members`, {
        token: bob.token,
        json: { user_id: carol.id },
      });
      expect(byMember.status).toBe(403);
      expect(byMember.body.code).toBe('NOT_ROOM_OWNER');
      expect(
        (await t.http.delete(`/api/rooms/${priv.id}/members/${bob.id}`, { token: owner.token }))
          .status,
      ).toBe(204);
      expect((await t.http.get(`/api/rooms/${priv.id}`, { token: bob.token })).status).toBe(404);
    });

    it('join is idempotent; the owner leaving hands the room to the longest-standing member', async () => {
      const room = await createRoom(owner);
      expect((await t.http.post(`/api/rooms/${room.id}/join`, { token: bob.token })).status).toBe(
        200,
      );
      const again = await t.http.post(`/api/rooms/${room.id}/join`, { token: bob.token });
      expect(again.body.member_count).toBe(2);
      await t.http.post(`/api/rooms/${room.id}/join`, { token: carol.token });
      expect(
        (await t.http.post(`/api/rooms/${room.id}/leave`, { token: owner.token })).status,
      ).toBe(204);
      const after = await t.http.get(`/api/rooms/${room.id}`, { token: carol.token });
      expect(after.body).toMatchObject({ owner_id: bob.id, member_count: 2 });
    });

    it('lets only the owner edit and delete', async () => {
      const room = await createRoom(owner);
      await t.http.post(`/api/rooms/${room.id}/join`, { token: bob.token });
      expect(
        (await t.http.patch(`/api/rooms/${room.id}`, { token: bob.token, json: { name: 'mine' } }))
          .status,
      ).toBe(403);
      const edited = await t.http.patch(`/api/rooms/${room.id}`, {
        token: owner.token,
        json: { name: 'renamed', is_private: true },
      });
      expect(edited.body).toMatchObject({ name: 'renamed', is_private: true });
      expect((await t.http.delete(`/api/rooms/${room.id}`, { token: bob.token })).status).toBe(403);
      expect((await t.http.delete(`/api/rooms/${room.id}`, { token: owner.token })).status).toBe(
        204,
      );
      expect((await t.http.get(`/api/rooms/${room.id}`, { token: owner.token })).status).toBe(404);
    });
  });

  describe('messages (REST)', () => {
    it('numbers messages 1, 2, 3 and serves history and catch-up', async () => {
      const room = await createRoom(owner);
      for (const content of ['one', 'two', 'three'])
        expect((await say(owner, room.id, { content })).status).toBe(201);
      const latest = await t.http.get(`/api/rooms/${room.id}/messages?limit=2`, {
        token: owner.token,
      });
      expect(latest.body.items.map((m: { seq: number }) => m.seq)).toEqual([3, 2]);
      expect(latest.body.has_more).toBe(true);
      const older = await t.http.get(`/api/rooms/${room.id}/messages?before_seq=2`, {
        token: owner.token,
      });
      expect(older.body.items.map((m: { content: string }) => m.content)).toEqual(['one']);
      const after = await t.http.get(`/api/rooms/${room.id}/messages?after_seq=1`, {
        token: owner.token,
      });
      expect(after.body.items.map((m: { seq: number }) => m.seq)).toEqual([2, 3]);
      expect(latest.body.items[0]).toEqual({
        id: expect.any(String),
        room_id: room.id,
        seq: 3,
        user: { id: owner.id, username: owner.username, avatar_url: null },
        content: 'three',
        file: null,
        client_id: null,
        created_at: expect.any(String),
        edited_at: null,
      });
      expect(
        (await t.http.get(`/api/rooms/${room.id}`, { token: owner.token })).body.last_seq,
      ).toBe(3);
      const both = await t.http.get(`/api/rooms/${room.id}/messages?before_seq=3&after_seq=1`, {
        token: owner.token,
      });
      expect(both.status).toBe(400);
      expect(both.body.code).toBe('INVALID_QUERY');
      const negative = await t.http.get(`/api/rooms/${room.id}/messages?after_seq=-1`, {
        token: owner.token,
      });
      expect(negative.status).toBe(400);
    });

    it('gives concurrent senders consecutive seqs with no gaps or repeats', async () => {
      const room = await createRoom(owner);
      await t.http.post(`/api/rooms/${room.id}/join`, { token: bob.token });
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          say(i % 2 ? bob : owner, room.id, { content: `m${i}` }),
        ),
      );
      expect(results.every((r) => r.status === 201)).toBe(true);
      expect(results.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    });

    it('never rewinds the seq counter from a stale room entity (room edits)', async () => {
      const room = await createRoom(owner);
      const rooms = t.app.get(DataSource).getRepository(Room);
      // A room edit loads the row, and messages may arrive before it is saved back.
      const stale = await rooms.findOneByOrFail({ id: room.id });
      for (const content of ['a', 'b', 'c']) await say(owner, room.id, { content });
      stale.name = 'renamed';
      await rooms.save(stale);
      const next = await say(owner, room.id, { content: 'after the edit' });
      expect(next.status).toBe(201);
      expect(next.body.seq).toBe(4);
    });

    it('returns the stored message for a repeated client_id', async () => {
      const room = await createRoom(owner);
      const first = await say(owner, room.id, { content: 'once', client_id: 'abc-1' });
      const retry = await say(owner, room.id, { content: 'once', client_id: 'abc-1' });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(200);
      expect(retry.body.id).toBe(first.body.id);
      const racing = await Promise.all(
        [1, 2, 3].map(() => say(owner, room.id, { content: 'race', client_id: 'race-1' })),
      );
      expect(new Set(racing.map((r) => r.body.id)).size).toBe(1);
      const history = await t.http.get(`/api/rooms/${room.id}/messages`, { token: owner.token });
      expect(history.body.items).toHaveLength(2);
    });

    it('validates content and membership', async () => {
      const room = await createRoom(owner);
      expect((await say(owner, room.id, {})).body.code).toBe('MESSAGE_EMPTY');
      expect((await say(owner, room.id, { content: '   ' })).body.code).toBe('MESSAGE_EMPTY');
      expect((await say(owner, room.id, { content: 'x'.repeat(4001) })).status).toBe(400);
      expect((await say(owner, room.id, { content: 'x', client_id: 'bad id!' })).status).toBe(400);
      const outsider = await say(carol, room.id, { content: 'hi' });
      expect(outsider.status).toBe(403);
      expect(outsider.body.code).toBe('NOT_ROOM_MEMBER');
      expect(
        (await t.http.get(`/api/rooms/${room.id}/messages`, { token: carol.token })).status,
      ).toBe(403);
    });

    it('lets the author edit, and the author or the room owner delete', async () => {
      const room = await createRoom(owner);
      await t.http.post(`/api/rooms/${room.id}/join`, { token: bob.token });
      const msg = (await say(bob, room.id, { content: 'draft' })).body;
      const path = `/api/rooms/${room.id}/messages/${msg.id}`;
      expect(
        (await t.http.patch(path, { token: owner.token, json: { content: 'nope' } })).body.code,
      ).toBe('NOT_MESSAGE_AUTHOR');
      const edited = await t.http.patch(path, { token: bob.token, json: { content: 'final' } });
      expect(edited.body).toMatchObject({
        content: 'final',
        edited_at: expect.any(String),
        seq: msg.seq,
      });
      await t.http.post(`/api/rooms/${room.id}/join`, { token: carol.token });
      expect((await t.http.delete(path, { token: carol.token })).status).toBe(403);
      expect((await t.http.delete(path, { token: owner.token })).status).toBe(204);
      expect((await t.http.delete(path, { token: owner.token })).status).toBe(404);
    });
  });

  describe('WebSocket gateway', () => {
    it('closes with 4401 for a missing, invalid, expired or revoked token', async () => {
      const room = await createRoom(owner);
      expect(await (await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}`)).closed()).toBe(4401);
      expect(await (await connect(room.id, 'garbage')).closed()).toBe(4401);
      const revoked = await signUp(t.http);
      await t.http.post('/auth/jwt/logout', { token: revoked.token });
      expect(await (await connect(room.id, revoked.token)).closed()).toBe(4401);
    });

    it('closes with 4403 for an unknown room or a private room the user is not in', async () => {
      const priv = await createRoom(owner, { is_private: true });
      expect(await (await connect(randomUUID(), bob.token)).closed()).toBe(4403);
      expect(await (await connect('not-a-uuid', bob.token)).closed()).toBe(4403);
      expect(await (await connect(priv.id, bob.token)).closed()).toBe(4403);
      const ok = await connected(priv.id, owner);
      expect(ok.closeCode).toBeUndefined();
    });

    it('welcomes, makes the user a member of a public room, and tracks presence', async () => {
      const room = await createRoom(owner);
      const a = await connect(room.id, owner.token);
      const welcome = await a.next('welcome');
      expect(welcome).toMatchObject({
        room: { id: room.id, online_count: 1 },
        user: { id: owner.id },
        last_seq: 0,
      });
      await a.next('users_online', (f) => f.users.length === 1);
      const b = await connected(room.id, bob);
      await a.next('user_joined', (f) => f.user.id === bob.id);
      const online = await a.next('users_online', (f) => f.users.length === 2);
      expect(online.users.map((u: { id: string }) => u.id).sort()).toEqual(
        [owner.id, bob.id].sort(),
      );
      const members = await t.http.get(`/api/rooms/${room.id}/members`, { token: owner.token });
      expect(members.body.every((m: { online: boolean }) => m.online)).toBe(true);
      expect(
        (await t.http.get(`/api/rooms/${room.id}`, { token: owner.token })).body.online_count,
      ).toBe(2);

      // A second socket of the same user is not a new arrival; closing one of two is not a departure.
      const b2 = await connected(room.id, bob);
      b2.close();
      b.close();
      await a.next('user_left', (f) => f.user.id === bob.id);
      expect(a.ofType('user_joined').filter((f) => f.user.id === bob.id)).toHaveLength(1);
      expect(a.ofType('user_left')).toHaveLength(1);
    });

    it('delivers a socket message to the whole room, sender included, as the REST object', async () => {
      const room = await createRoom(owner);
      const a = await connected(room.id, owner);
      const b = await connected(room.id, bob);
      a.send({ type: 'message', content: 'hello over ws', client_id: 'ws-1' });
      const got = await b.next('message');
      const echoed = await a.next('message');
      expect(echoed.message).toEqual(got.message);
      expect(got.message).toMatchObject({
        seq: 1,
        content: 'hello over ws',
        client_id: 'ws-1',
        user: { id: owner.id },
      });
      const rest = await t.http.get(`/api/rooms/${room.id}/messages`, { token: owner.token });
      expect(rest.body.items[0]).toEqual(got.message);
      // REST-sent messages are pushed to sockets too.
      await say(bob, room.id, { content: 'from rest' });
      expect((await a.next('message', (f) => f.message.content === 'from rest')).message.seq).toBe(
        2,
      );
    });

    it('delivers concurrently sent messages to sockets in seq order', async () => {
      const room = await createRoom(owner);
      await t.http.post(`/api/rooms/${room.id}/join`, { token: bob.token });
      const a = await connected(room.id, carol);
      await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          say(i % 2 ? bob : owner, room.id, { content: `c${i}` }),
        ),
      );
      await a.next('message', (f) => f.message.seq === 15);
      expect(a.ofType('message').map((f) => f.message.seq)).toEqual(
        Array.from({ length: 15 }, (_, i) => i + 1),
      );
    });

    it('pushes edits and deletes', async () => {
      const room = await createRoom(owner);
      const a = await connected(room.id, owner);
      const msg = (await say(owner, room.id, { content: 'v1' })).body;
      await t.http.patch(`/api/rooms/${room.id}/messages/${msg.id}`, {
        token: owner.token,
        json: { content: 'v2' },
      });
      expect((await a.next('message_updated')).message).toMatchObject({
        id: msg.id,
        content: 'v2',
      });
      await t.http.delete(`/api/rooms/${room.id}/messages/${msg.id}`, { token: owner.token });
      expect((await a.next('message_deleted')).message.id).toBe(msg.id);
    });

    it('relays typing to others only, and answers ping', async () => {
      const room = await createRoom(owner);
      const a = await connected(room.id, owner);
      const b = await connected(room.id, bob);
      a.send({ type: 'typing', typing: true });
      expect(await b.next('typing')).toMatchObject({ user: { id: owner.id }, typing: true });
      a.send({ type: 'ping' });
      await a.next('pong');
      expect(a.ofType('typing')).toHaveLength(0);
    });

    it('answers bad frames with error frames and keeps the connection open', async () => {
      const room = await createRoom(owner);
      const a = await connected(room.id, owner);
      const cases: Array<[unknown, string]> = [
        ['not json', 'INVALID_JSON'],
        [[1, 2], 'INVALID_FRAME'],
        [{ content: 'no type' }, 'INVALID_FRAME'],
        [{ type: 'dance' }, 'UNKNOWN_TYPE'],
        [{ type: 'message' }, 'MESSAGE_EMPTY'],
        [{ type: 'message', content: 'x'.repeat(4001) }, 'VALIDATION_ERROR'],
        [{ type: 'message', content: 'x', extra: 1 }, 'VALIDATION_ERROR'],
        [{ type: 'typing', typing: 'yes' }, 'VALIDATION_ERROR'],
        [{ type: 'message', content: 'x'.repeat(70 * 1024) }, 'FRAME_TOO_LARGE'],
      ];
      for (const [frame, code] of cases) {
        const from = a.frames.length;
        a.send(frame);
        expect((await a.next('error', () => true, 3000, from)).code).toBe(code);
      }
      a.send({ type: 'ping' });
      await a.next('pong');
      expect(a.closeCode).toBeUndefined();

      // Sent all at once, they are answered in the order they arrived (cheap checks included).
      const from = a.frames.length;
      for (const [frame] of cases) a.send(frame);
      a.send({ type: 'ping' });
      await a.next('pong', () => true, 3000, from);
      expect(
        a.frames
          .slice(from)
          .filter((f) => f.type === 'error')
          .map((f) => f.code),
      ).toEqual(cases.map(([, code]) => code));
      // Nesting deeper than the API allows is refused before validation walks it.
      const deep = `{"type":"message","content":"x","extra":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      a.send(deep);
      expect((await a.next('error', () => true, 3000, a.frames.length)).code).toBe('INVALID_JSON');
      a.send({ type: 'ping' });
      await a.next('pong', () => true, 3000, a.frames.length);
    });

    it('takes the chat seed’s frames: file_id null means no file, client_id is echoed on errors', async () => {
      const room = await createRoom(owner);
      const a = await connected(room.id, owner);
      a.send({ type: 'message', content: 'plain', file_id: null });
      expect((await a.next('message')).message).toMatchObject({ content: 'plain', file: null });
      a.send({ type: 'message', content: 'x', file_id: randomUUID(), client_id: 'f-1' });
      expect(await a.next('error')).toMatchObject({ code: 'FILE_NOT_FOUND', client_id: 'f-1' });
      expect(a.closeCode).toBeUndefined();
    });

    it('keeps rooms apart: a member of A never receives frames of B', async () => {
      const roomA = await createRoom(owner);
      const roomB = await createRoom(bob, { is_private: true });
      const inA = await connected(roomA.id, carol);
      const inB = await connected(roomB.id, bob);
      inB.send({ type: 'message', content: 'secret' });
      inB.send({ type: 'typing', typing: true });
      await inB.next('message');
      await say(owner, roomA.id, { content: 'public' });
      await inA.next('message');
      expect(JSON.stringify(inA.frames)).not.toContain('secret');
      expect(inA.frames.every((f) => f.type !== 'message' || f.message.room_id === roomA.id)).toBe(
        true,
      );
    });

    it('closes a removed member’s sockets with 4403', async () => {
      const room = await createRoom(owner, { is_private: true });
      await t.http.post(`/api/rooms/${room.id}/members`, {
        token: owner.token,
        json: { user_id: carol.id },
      });
      const c = await connected(room.id, carol);
      await t.http.delete(`/api/rooms/${room.id}/members/${carol.id}`, { token: owner.token });
      expect(await c.closed()).toBe(4403);
    });

    it('lets a client catch up with after_seq after a reconnect', async () => {
      const room = await createRoom(owner);
      const b = await connected(room.id, bob);
      await say(owner, room.id, { content: 'seen' });
      const seen = await b.next('message');
      b.close();
      for (const content of ['missed 1', 'missed 2']) await say(owner, room.id, { content });
      const again = await connected(room.id, bob);
      expect((await again.next('welcome')).last_seq).toBe(3);
      const missed = await t.http.get(
        `/api/rooms/${room.id}/messages?after_seq=${seen.message.seq}`,
        { token: bob.token },
      );
      expect(missed.body.items.map((m: { content: string }) => m.content)).toEqual([
        'missed 1',
        'missed 2',
      ]);
    });
  });
});

describe('Chat rate limits (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('answers RATE_LIMITED past the per-socket limit and keeps the socket', async () => {
    t = await createTestApp({ CHAT_RATE_LIMIT: '5', CHAT_RATE_WINDOW_MS: '60000' });
    const user = await signUp(t.http);
    const room = await t.http.post('/api/rooms', { token: user.token, json: { name: 'busy' } });
    const ws = await WsClient.connect(`${t.wsUrl}/api/ws/${room.body.id}?token=${user.token}`);
    await ws.next('welcome');
    for (let i = 0; i < 7; i++) ws.send({ type: 'message', content: `m${i}` });
    await ws.next('error', (f) => f.code === 'RATE_LIMITED');
    await ws.next('message', (f) => f.message.seq === 5);
    ws.send({ type: 'ping' });
    await ws.next('pong');
    expect(ws.ofType('message')).toHaveLength(5);
    ws.close();
  });
});

describe('Chat heartbeat (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('drops a socket that stops answering pings, and keeps one that answers', async () => {
    t = await createTestApp({ CHAT_PING_INTERVAL_MS: '1000' });
    const user = await signUp(t.http);
    const room = (await t.http.post('/api/rooms', { token: user.token, json: { name: 'beat' } }))
      .body;
    const url = `${t.wsUrl}/api/ws/${room.id}?token=${user.token}`;
    const healthy = await WsClient.connect(url);
    const dead = await WsClient.connect(url, { autoPong: false });
    await healthy.next('welcome');
    await dead.next('welcome');
    expect(await dead.closed(5000)).toBe(1006);
    expect(healthy.closeCode).toBeUndefined();
    healthy.close();
  });
});

describe('Chat slow consumers (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('disconnects a client that stops reading instead of buffering for it', async () => {
    t = await createTestApp({
      CHAT_MAX_BUFFERED_BYTES: '65536',
      CHAT_RATE_LIMIT: '10000000',
      CHAT_TYPING_INTERVAL_MS: '0',
    });
    const typist = await signUp(t.http);
    const reader = await signUp(t.http);
    const room = (await t.http.post('/api/rooms', { token: typist.token, json: { name: 'flood' } }))
      .body;
    const slow = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${reader.token}`);
    await slow.next('welcome');
    const fast = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${typist.token}`);
    await fast.next('welcome');
    // The reader's TCP socket stops reading: what the server sends piles up.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const deadline = Date.now() + 20_000;
    const dropped = () =>
      fast.frames.some((f) => f.type === 'user_left' && f.user.id === reader.id);
    for (let i = 1; !dropped() && Date.now() < deadline; i++) {
      fast.send({ type: 'typing', typing: i % 2 === 0 });
      // A ping round trip every 200 frames keeps the typist within what the server takes.
      if (i % 200 === 0) {
        const from = fast.frames.length;
        fast.send({ type: 'ping' });
        await fast.next('pong', () => true, 5000, from);
      }
    }
    // The server cut the reader off (seen as user_left by the others) once its buffer passed the cap.
    expect(dropped()).toBe(true);
    // The fast client is unaffected.
    fast.send({ type: 'ping' });
    await fast.next('pong', () => true, 5000);
    fast.close();
  });
});

describe('Chat floods (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('cuts off a client whose frames pile up faster than they are handled (1008)', async () => {
    t = await createTestApp({ CHAT_RATE_LIMIT: '10000000' });
    const user = await signUp(t.http);
    const room = (await t.http.post('/api/rooms', { token: user.token, json: { name: 'flood' } }))
      .body;
    const c = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${user.token}`);
    await c.next('welcome');
    // Messages wait for the database one after the other: 5,000 at once cannot all queue.
    const burst = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify({ type: 'message', content: `f${i}` }),
    ).join('\n');
    for (const line of burst.split('\n')) c.ws.send(line);
    expect(await c.closed(20_000)).toBe(1008);
    // Nothing half-done: what was stored is numbered without gaps.
    const other = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${user.token}`);
    const lastSeq = (await other.next('welcome')).last_seq as number;
    expect(lastSeq).toBeGreaterThan(0);
    expect(lastSeq).toBeLessThan(5000);
    other.close();
  });
});

describe('Chat typing throttle (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('relays a typing state once per user and interval, across the user’s sockets', async () => {
    t = await createTestApp({ CHAT_TYPING_INTERVAL_MS: '60000' });
    const typist = await signUp(t.http);
    const watcher = await signUp(t.http);
    const room = (
      await t.http.post('/api/rooms', { token: typist.token, json: { name: 'typing' } })
    ).body;
    const url = (token: string) => `${t.wsUrl}/api/ws/${room.id}?token=${token}`;
    const w = await WsClient.connect(url(watcher.token));
    const one = await WsClient.connect(url(typist.token));
    const two = await WsClient.connect(url(typist.token));
    await Promise.all([w.next('welcome'), one.next('welcome'), two.next('welcome')]);
    one.send({ type: 'typing', typing: true });
    await w.next('typing');
    // The same state from the user's other socket, inside the interval: dropped.
    two.send({ type: 'typing', typing: true });
    two.send({ type: 'ping' });
    await two.next('pong');
    two.send({ type: 'typing', typing: false });
    await w.next('typing', (f) => f.typing === false);
    expect(w.ofType('typing').map((f) => f.typing)).toEqual([true, false]);
    for (const c of [w, one, two]) c.close();
  });
});
