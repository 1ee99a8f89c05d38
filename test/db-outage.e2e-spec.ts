import type { HttpResponse } from './support/http';
import { TestRedis } from './support/redis-server';
import type { TcpProxy } from './support/tcp-proxy';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

/** Retries `request` until `done` accepts its answer (the pool reconnecting, Redis returning). */
async function eventually(
  request: () => Promise<HttpResponse>,
  done: (res: HttpResponse) => boolean,
  timeoutMs = 10_000,
): Promise<HttpResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await request();
    if (done(res) || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function expectUnavailable(res: HttpResponse): void {
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({
    status_code: 503,
    error: 'Service Unavailable',
    detail: expect.any(String),
    code: 'SERVICE_UNAVAILABLE',
  });
  expect(res.headers.get('retry-after')).toBe('5');
  expect(res.headers.get('www-authenticate')).toBeNull();
  // Neither the driver's message (host, port) nor SQL nor a stack trace reaches the client.
  expect(res.text).not.toMatch(/ECONN|127\.0\.0\.1|terminated|SELECT|\bat \S+ \(/i);
}

describe('Database outage (e2e)', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp({}, { databaseProxy: true });
    proxy = t.databaseProxy!;
    user = await signUp(t.http);
  });
  afterAll(() => t.close());

  const login = (email: string, password: string) =>
    t.http.post('/auth/jwt/login', { form: { username: email, password } });
  const register = (email: string) =>
    t.http.post('/auth/register', { json: { email, password: 'a good password' } });

  it('reports the database up and Redis disabled when REDIS_URL is not set', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'disabled' } },
      error: {},
      details: { database: { status: 'up' }, redis: { status: 'disabled' } },
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('answers 503 SERVICE_UNAVAILABLE while the database is unreachable, then recovers', async () => {
    await proxy.stop();

    // A valid token: the guard cannot check the account, which is not the token's fault.
    expectUnavailable(await t.http.get('/users/me', { token: user.token }));
    // A bad token is still a 401: it is rejected before the database is needed.
    const forged = await t.http.get('/users/me', { token: `${user.token.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('INVALID_TOKEN');

    expectUnavailable(await login(user.email, user.password));
    expectUnavailable(await register(`outage.${Date.now()}@example.com`));

    const health = await t.http.get('/health');
    expectUnavailable(health);
    expect(health.body.checks).toEqual({
      database: { status: 'down', message: expect.any(String) },
      redis: { status: 'disabled' },
    });
    expect((await t.http.get('/health/live')).status).toBe(200);

    // Back without restarting the app: the pool opens new connections on demand.
    await proxy.start();
    const healthy = await eventually(
      () => t.http.get('/health'),
      (res) => res.status === 200,
    );
    expect(healthy.body.info.database.status).toBe('up');
    expect((await t.http.get('/users/me', { token: user.token })).status).toBe(200);
    expect((await login(user.email, user.password)).status).toBe(200);
    expect((await register(`after.${Date.now()}@example.com`)).status).toBe(201);
  });

  it('closes chat handshakes with 1013 and answers sends with SERVICE_UNAVAILABLE, then recovers', async () => {
    const room = (await t.http.post('/api/rooms', { token: user.token, json: { name: 'outage' } }))
      .body;
    const url = `${t.wsUrl}/api/ws/${room.id}?token=${user.token}`;
    const open = await WsClient.connect(url);
    await open.next('welcome');

    await proxy.stop();
    // Try again later, with the same token: not 4401, which tells clients to log in again.
    expect(await (await WsClient.connect(url)).closed()).toBe(1013);
    open.send({ type: 'message', content: 'during', client_id: 'outage-1' });
    expect(await open.next('error', () => true, 10_000)).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      client_id: 'outage-1',
    });
    expect(open.closeCode).toBeUndefined();

    await proxy.start();
    await eventually(
      () => t.http.get('/health'),
      (res) => res.status === 200,
    );
    // The client's retry with the same client_id is stored once and delivered.
    open.send({ type: 'message', content: 'during', client_id: 'outage-1' });
    expect((await open.next('message')).message).toMatchObject({ seq: 1, client_id: 'outage-1' });
    const again = await WsClient.connect(url);
    expect((await again.next('welcome')).last_seq).toBe(1);
    again.close();
    open.close();
  });

  it('survives a second outage in a row', async () => {
    await proxy.stop();
    expectUnavailable(await t.http.get('/users/me', { token: user.token }));
    await proxy.start();
    const me = await eventually(
      () => t.http.get('/users/me', { token: user.token }),
      (res) => res.status === 200,
    );
    expect(me.body.email).toBe(user.email);
  });
});

describe('Readiness with Redis (e2e)', () => {
  const redis = new TestRedis();
  let t: TestApp;

  beforeAll(async () => {
    await redis.start();
    t = await createTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  it('is "degraded" (still 200) while Redis is down, and "ok" once it is back', async () => {
    const up = await t.http.get('/health');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
      error: {},
    });

    await redis.stop();
    const degraded = await eventually(
      () => t.http.get('/health'),
      (res) => res.body.status === 'degraded',
    );
    expect(degraded.status).toBe(200);
    expect(degraded.body).toMatchObject({
      status: 'degraded',
      info: { database: { status: 'up' } },
      error: { redis: { status: 'down' } },
      details: { database: { status: 'up' }, redis: { status: 'down' } },
    });

    await redis.start();
    const back = await eventually(
      () => t.http.get('/health'),
      (res) => res.body.status === 'ok',
    );
    expect(back.status).toBe(200);
    expect(back.body.details.redis.status).toBe('up');
  });
});
