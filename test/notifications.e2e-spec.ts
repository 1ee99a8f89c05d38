import { DataSource } from 'typeorm';
import { form, jpeg } from './support/media-fixtures';
import {
  type Instance,
  type ProcessInstance,
  startProcessInstance,
} from './support/process-instance';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('Notifications (e2e)', () => {
  let one: TestApp;
  // The other instance runs as its own process, as instances do in production.
  let two: ProcessInstance;
  const sockets: WsClient[] = [];

  const post = async (t: Instance, user: TestUser, caption = ''): Promise<string> => {
    const res = await t.http.post('/upload', {
      token: user.token,
      multipart: form({ file: { bytes: await jpeg(8, 8), name: 'p.jpg' }, caption }),
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const list = async (user: TestUser) =>
    (await one.http.get('/notifications?limit=100', { token: user.token })).body as {
      items: Array<{ id: string; type: string; actor: { id: string }; post_id: string | null }>;
      unread_count: number;
    };
  const listen = async (t: Instance, user: TestUser) => {
    const ws = await WsClient.connect(`${t.wsUrl}/api/ws/notifications?token=${user.token}`);
    sockets.push(ws);
    await ws.next('unread_count');
    return ws;
  };

  beforeAll(async () => {
    one = await createTestApp({ REDIS_URL });
    two = await startProcessInstance({ REDIS_URL }, { shareDatabaseWith: one });
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it('follow, like, comment, reply and mention notify; the list carries the unread count', async () => {
    const [ann, ben, cat] = [
      await signUp(one.http),
      await signUp(one.http),
      await signUp(one.http),
    ];
    await one.http.post(`/users/${ann.id}/follow`, { token: ben.token });
    const annPost = await post(one, ann, 'hello');
    await one.http.post(`/posts/${annPost}/like`, { token: ben.token });
    const comment = await one.http.post(`/posts/${annPost}/comments`, {
      token: ben.token,
      json: { content: `nice, @${cat.username}!` },
    });
    await one.http.post(`/posts/${annPost}/comments`, {
      token: cat.token,
      json: { content: 'indeed', parent_id: comment.body.id },
    });

    const forAnn = await list(ann);
    expect(forAnn.items.map((n) => [n.type, n.actor.id])).toEqual([
      ['comment', cat.id],
      ['comment', ben.id],
      ['like', ben.id],
      ['follow', ben.id],
    ]);
    expect(forAnn.unread_count).toBe(4);
    expect(forAnn.items[2].post_id).toBe(annPost);
    const forBen = await list(ben);
    expect(forBen.items.map((n) => [n.type, n.actor.id])).toEqual([['reply', cat.id]]);
    const forCat = await list(cat);
    expect(forCat.items.map((n) => n.type)).toEqual(['mention']);

    // Read: some by id, then all.
    const read = await one.http.post('/notifications/read', {
      token: ann.token,
      json: { ids: [forAnn.items[0].id] },
    });
    expect(read.status).toBe(204);
    expect((await list(ann)).unread_count).toBe(3);
    await one.http.post('/notifications/read', { token: ann.token, json: { all: true } });
    const after = await list(ann);
    expect(after.unread_count).toBe(0);
    expect(after.items.every((n) => (n as unknown as { read_at: string }).read_at)).toBe(true);
    const bad = await one.http.post('/notifications/read', { token: ann.token, json: {} });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_ERROR']);
  });

  it("marking another user's notifications read by id changes nothing for them", async () => {
    const [gil, hal] = [await signUp(one.http), await signUp(one.http)];
    await one.http.post(`/users/${gil.id}/follow`, { token: hal.token });
    await post(one, gil, `hello @${hal.username}`);
    const before = await list(gil);
    expect(before.unread_count).toBe(1);
    const halOwn = (await list(hal)).items.map((n) => n.id);

    // hal names gil's notification among his own: only his own are marked.
    const read = await one.http.post('/notifications/read', {
      token: hal.token,
      json: { ids: [...before.items.map((n) => n.id), ...halOwn] },
    });
    expect(read.status).toBe(204);
    const after = await list(gil);
    expect(after.unread_count).toBe(1);
    expect(after.items).toEqual(before.items);
    expect((after.items[0] as unknown as { read_at: string | null }).read_at).toBeNull();
    expect((await list(hal)).unread_count).toBe(0);
  });

  it('never for your own actions, never across a block, and a repeated like notifies once', async () => {
    const [dan, eve] = [await signUp(one.http), await signUp(one.http)];
    const danPost = await post(one, dan, `me myself @${dan.username}`);
    await one.http.post(`/posts/${danPost}/like`, { token: dan.token });
    await one.http.post(`/posts/${danPost}/comments`, {
      token: dan.token,
      json: { content: 'me' },
    });
    expect((await list(dan)).items).toEqual([]);

    for (let i = 0; i < 3; i++) {
      await one.http.post(`/posts/${danPost}/like`, { token: eve.token });
      await one.http.delete(`/posts/${danPost}/like`, { token: eve.token });
    }
    expect((await list(dan)).items.map((n) => n.type)).toEqual(['like']);

    await one.http.post(`/users/${eve.id}/block`, { token: dan.token });
    // Blocked: eve can no longer reach dan's posts; a mention from her does not reach him.
    const evePost = await post(one, eve, `hey @${dan.username}`);
    expect(evePost).toBeTruthy();
    expect((await list(dan)).items.map((n) => n.type)).toEqual(['like']);
  });

  it('pushes live to every socket of the user, on both instances', async () => {
    const [fay, gus] = [await signUp(one.http), await signUp(one.http)];
    const onOne = await listen(one, fay);
    const onTwo = await listen(two, fay);
    // gus acts through instance two; fay hears on both.
    await two.http.post(`/users/${fay.id}/follow`, { token: gus.token });
    for (const ws of [onOne, onTwo]) {
      const frame = await ws.next('notification');
      expect(frame.notification).toMatchObject({
        type: 'follow',
        actor: { id: gus.id, username: gus.username, avatar_url: null },
        read_at: null,
      });
      await ws.next('unread_count', (f) => f.count === 1);
    }
    await one.http.post('/notifications/read', { token: fay.token, json: { all: true } });
    await onTwo.next('unread_count', (f) => f.count === 0);
  });

  it('announces a new post to the author’s connected followers on every instance, and to no one else', async () => {
    const [ann, ben, cat] = [
      await signUp(one.http),
      await signUp(one.http),
      await signUp(one.http),
    ];
    await one.http.post(`/users/${ann.id}/follow`, { token: ben.token });
    const benOnTwo = await listen(two, ben);
    const catOnOne = await listen(one, cat);
    const annOnOne = await listen(one, ann);
    const id = await post(one, ann, 'fresh');
    const frame = await benOnTwo.next('post');
    expect(frame).toEqual({ type: 'post', post_id: id, author_id: ann.id });
    // A later post by cat reaching ben would show ben's socket still listens; cat's and ann's
    // sockets got nothing about ann's post by then (cat does not follow ann; no one hears of
    // their own posts).
    await one.http.post(`/users/${cat.id}/follow`, { token: ben.token });
    const catPost = await post(two, cat);
    await benOnTwo.next('post', (f) => f.post_id === catPost);
    expect(catOnOne.ofType('post')).toEqual([]);
    expect(annOnOne.ofType('post')).toEqual([]);
    // A burst: each post announced once (they are gathered into one lookup per tick).
    const burst = await Promise.all([1, 2, 3].map((n) => post(one, ann, `burst ${n}`)));
    for (const postId of burst) await benOnTwo.next('post', (f) => f.post_id === postId);
    const announced = benOnTwo.ofType('post').map((f) => f.post_id);
    expect(announced.filter((p) => burst.includes(p as string))).toHaveLength(3);
    // The post announced is readable by the follower.
    const read = await one.http.get(`/posts/${id}`, { token: ben.token });
    expect(read.status).toBe(200);
  });

  it('uses the chat sockets’ handshake rules and close codes', async () => {
    const bad = await WsClient.connect(`${one.wsUrl}/api/ws/notifications?token=nope`);
    await bad.closed();
    expect(bad.closeCode).toBe(4401);
    const none = await WsClient.connect(`${one.wsUrl}/api/ws/notifications`);
    await none.closed();
    expect(none.closeCode).toBe(4401);
    // A ban closes an open socket at the next re-check.
    const hal = await signUp(one.http);
    const ws = await listen(one, hal);
    await one.app
      .get(DataSource)
      .query(
        'UPDATE users SET is_active = false, token_version = token_version + 1 WHERE id = $1',
        [hal.id],
      );
    await ws.closed(6000);
    expect(ws.closeCode).toBe(4401);
  });
});

describe('Per-user limits on social actions (e2e)', () => {
  it('answer 429 RATE_LIMITED with Retry-After past the limit, counted across instances', async () => {
    const env = {
      REDIS_URL,
      RATE_LIMIT_LIKES: '3',
      RATE_LIMIT_FOLLOWS: '2',
      RATE_LIMIT_WINDOW: '600',
    };
    const one = await createTestApp(env);
    const two = await startProcessInstance(env, { shareDatabaseWith: one });
    try {
      const [liker, author] = [await signUp(one.http), await signUp(one.http)];
      const posts: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await one.http.post('/upload', {
          token: author.token,
          multipart: form({ file: { bytes: await jpeg(8, 8), name: 'p.jpg' } }),
        });
        posts.push(res.body.id as string);
      }
      // Two likes through one instance, one through the other: the limit (3) is shared.
      expect((await one.http.post(`/posts/${posts[0]}/like`, { token: liker.token })).status).toBe(
        204,
      );
      expect((await two.http.post(`/posts/${posts[1]}/like`, { token: liker.token })).status).toBe(
        204,
      );
      expect((await one.http.post(`/posts/${posts[2]}/like`, { token: liker.token })).status).toBe(
        204,
      );
      const limited = await two.http.post(`/posts/${posts[3]}/like`, { token: liker.token });
      expect([limited.status, limited.body.code]).toEqual([429, 'RATE_LIMITED']);
      const retry = Number(limited.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(600);
      // Per user and per action: others are not held back, nor other actions.
      expect((await two.http.post(`/posts/${posts[3]}/like`, { token: author.token })).status).toBe(
        204,
      );
      expect(
        (await one.http.post(`/users/${author.id}/follow`, { token: liker.token })).status,
      ).toBe(204);
    } finally {
      await two.close();
      await one.close();
    }
  });
});
