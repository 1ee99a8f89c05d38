import {
  type Instance,
  type ProcessInstance,
  startProcessInstance,
} from './support/process-instance';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('Chat across two instances through Redis (e2e)', () => {
  let one: TestApp;
  // The other instance runs as its own process, as instances do in production.
  let two: ProcessInstance;
  let alice: TestUser;
  let bob: TestUser;
  const sockets: WsClient[] = [];

  const open = async (app: Instance, roomId: string, user: TestUser) => {
    const client = await WsClient.connect(`${app.wsUrl}/api/ws/${roomId}?token=${user.token}`);
    sockets.push(client);
    await client.next('welcome');
    return client;
  };

  beforeAll(async () => {
    one = await createTestApp({ REDIS_URL, CHAT_TYPING_INTERVAL_MS: '0' });
    two = await startProcessInstance(
      { REDIS_URL, CHAT_TYPING_INTERVAL_MS: '0' },
      { shareDatabaseWith: one },
    );
    alice = await signUp(one.http);
    bob = await signUp(two.http);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('delivers messages, typing and presence between clients on different instances', async () => {
    const room = (
      await one.http.post('/api/rooms', { token: alice.token, json: { name: 'across' } })
    ).body;
    const a = await open(one, room.id, alice);
    const b = await open(two, room.id, bob);

    // Presence spans instances: alice (on one) sees bob (on two) arrive, and both are online.
    await a.next('user_joined', (f) => f.user.id === bob.id);
    await a.next('users_online', (f) => f.users.length === 2);
    const welcome = b.frames.find((f) => f.type === 'welcome');
    expect(welcome?.room.online_count).toBe(2);
    expect(
      (await two.http.get(`/api/rooms/${room.id}`, { token: bob.token })).body.online_count,
    ).toBe(2);

    a.send({ type: 'message', content: 'from instance one' });
    expect((await b.next('message')).message).toMatchObject({
      content: 'from instance one',
      seq: 1,
    });
    b.send({ type: 'message', content: 'from instance two' });
    expect((await a.next('message', (f) => f.message.seq === 2)).message.content).toBe(
      'from instance two',
    );

    // Both instances allocate from the same room counter: no repeated seq.
    await Promise.all([
      one.http.post(`/api/rooms/${room.id}/messages`, {
        token: alice.token,
        json: { content: 'x' },
      }),
      two.http.post(`/api/rooms/${room.id}/messages`, { token: bob.token, json: { content: 'y' } }),
    ]);
    await a.next('message', (f) => f.message.seq === 4);
    await b.next('message', (f) => f.message.seq === 4);

    b.send({ type: 'typing', typing: true });
    expect((await a.next('typing')).user.id).toBe(bob.id);

    b.close();
    await a.next('user_left', (f) => f.user.id === bob.id);
  });

  it('closes a kicked member’s socket on the other instance', async () => {
    const room = (
      await one.http.post('/api/rooms', {
        token: alice.token,
        json: { name: 'kick', is_private: true },
      })
    ).body;
    await one.http.post(`/api/rooms/${room.id}/members`, {
      token: alice.token,
      json: { user_id: bob.id },
    });
    const b = await open(two, room.id, bob);
    await one.http.delete(`/api/rooms/${room.id}/members/${bob.id}`, { token: alice.token });
    expect(await b.closed()).toBe(4403);
  });
});

describe('Chat with Redis unreachable (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('starts and keeps delivering locally', async () => {
    t = await createTestApp({ REDIS_URL: 'redis://127.0.0.1:1' });
    const user = await signUp(t.http);
    const other = await signUp(t.http);
    const room = (await t.http.post('/api/rooms', { token: user.token, json: { name: 'offline' } }))
      .body;
    const a = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${user.token}`);
    const b = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${other.token}`);
    await b.next('welcome');
    a.send({ type: 'message', content: 'still here' });
    expect((await b.next('message')).message.content).toBe('still here');
    a.close();
    b.close();
  });
});
