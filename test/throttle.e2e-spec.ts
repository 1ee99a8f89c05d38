import { PATH_METADATA } from '@nestjs/common/constants';
import { getStorageToken } from '@nestjs/throttler';
import { AuthController } from '../src/auth/auth.controller';
import { RedisThrottlerStorage } from '../src/auth/redis-throttler.storage';
import { RealtimeBus } from '../src/realtime/realtime-bus';
import { TokenService } from '../src/auth/token.service';
import type { User } from '../src/users/entities/user.entity';
import { UsersService } from '../src/users/users.service';
import type { HttpResponse } from './support/http';
import {
  type Instance,
  type ProcessInstance,
  startProcessInstance,
} from './support/process-instance';
import { TestRedis } from './support/redis-server';
import { createTestApp, type TestApp } from './support/test-app';

const LIMIT = 3;
const SETTINGS = { THROTTLE_AUTH_LIMIT: String(LIMIT), THROTTLE_AUTH_TTL: '60' };

/**
 * Every auth route, with the paths that share its limit (aliases are served by one handler)
 * and a body. The guard runs before validation, so most bodies need not be valid.
 */
const AUTH_ROUTES: Array<{ name: string; paths: string[]; json: object; signedIn?: boolean }> = [
  { name: 'register', paths: ['/auth/register', '/api/users/register'], json: {} },
  {
    name: 'login',
    paths: ['/auth/jwt/login', '/api/users/login'],
    json: { email: 'x@example.com', password: 'wrong password' },
  },
  // Authentication comes first: only signed-in requests reach its limit.
  { name: 'logout', paths: ['/auth/jwt/logout'], json: {}, signedIn: true },
  { name: 'forgot-password', paths: ['/auth/forgot-password'], json: { email: 'x@example.com' } },
  { name: 'reset-password', paths: ['/auth/reset-password'], json: { token: 'x', password: 'y' } },
  {
    name: 'request-verify-token',
    paths: ['/auth/request-verify-token'],
    json: { email: 'x@example.com' },
  },
  { name: 'verify', paths: ['/auth/verify'], json: { token: 'x' } },
];

/** The paths AuthController serves, from its route metadata. */
function authControllerPaths(): string[] {
  const proto = AuthController.prototype as unknown as Record<string, object>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor')
    .flatMap((name) => [Reflect.getMetadata(PATH_METADATA, proto[name]) as string | string[]])
    .flat()
    .map((path) => `/${path}`);
}

describe('Rate limiting of the auth routes (e2e)', () => {
  describe('one instance', () => {
    let t: TestApp;
    let user: User;
    // Issued directly: signing up and logging in through the API would spend their limits.
    const freshToken = () => t.app.get(TokenService).issueAccessToken(user);

    beforeAll(async () => {
      t = await createTestApp(SETTINGS);
      user = await t.app
        .get(UsersService)
        .create({ email: 'limited@example.com', password: 'a good password' });
    });
    afterAll(() => t.close());

    it('covers every auth route', () => {
      expect(AUTH_ROUTES.flatMap((r) => r.paths).sort()).toEqual(authControllerPaths().sort());
    });

    it.each(AUTH_ROUTES)(
      'limits $name to the configured number of requests, aliases included',
      async ({ paths, json, signedIn }) => {
        // Alternating between aliases: they count against one limit.
        const attempt = async (i: number) =>
          t.http.post(paths[i % paths.length], {
            json,
            token: signedIn ? await freshToken() : undefined,
          });
        for (let i = 0; i < LIMIT; i++) expect((await attempt(i)).status).not.toBe(429);
        const limited = await attempt(LIMIT);
        expect(limited.status).toBe(429);
        expect(limited.body).toMatchObject({
          status_code: 429,
          error: 'Too Many Requests',
          code: 'RATE_LIMITED',
        });
        const retryAfter = Number(limited.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(60);
      },
    );

    it('does not limit the other routes', async () => {
      for (let i = 0; i < 6; i++) expect((await t.http.get('/hello')).status).toBe(200);
    });
  });

  describe('a Redis down at start-up', () => {
    const redis = new TestRedis();
    afterAll(() => redis.stop());

    it('counts in memory until Redis comes up, then in Redis', async () => {
      await redis.start(); // to get a port, then nothing listens on it
      await redis.stop();
      const started = Date.now();
      const storage = await RedisThrottlerStorage.connect(redis.url, { waitMs: 200 });
      try {
        expect(Date.now() - started).toBeLessThan(1000);
        expect(storage.shared).toBe(false);
        const hit = () => storage.increment('client', 60_000, 1, 60_000, 'default');
        expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
        expect(await hit()).toMatchObject({ isBlocked: true });

        await redis.start();
        const deadline = Date.now() + 10_000;
        while (!storage.shared && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        // A fresh count: what was counted in memory stays in memory.
        expect(await hit()).toMatchObject({ totalHits: 1, timeToExpire: 60, isBlocked: false });
        const blocked = await hit();
        expect(blocked).toMatchObject({ totalHits: 2, isBlocked: true });
        expect(blocked.timeToBlockExpire).toBeGreaterThan(55);
      } finally {
        storage.onApplicationShutdown();
      }
    });
  });

  describe('two instances sharing a Redis', () => {
    const redis = new TestRedis();
    let one: TestApp;
    // The other instance runs as its own process, as instances do in production.
    let two: ProcessInstance;
    const storageOf = (app: TestApp) => app.app.get<RedisThrottlerStorage>(getStorageToken());

    /** Sends a request and checks it was answered quickly and without a server error. */
    const timed = async (request: Promise<HttpResponse>): Promise<number> => {
      const started = Date.now();
      const res = await request;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(res.status).toBeLessThan(500);
      return res.status;
    };

    beforeAll(async () => {
      await redis.start();
      one = await createTestApp({ ...SETTINGS, REDIS_URL: redis.url });
      two = await startProcessInstance(
        { ...SETTINGS, REDIS_URL: redis.url },
        { shareDatabaseWith: one },
      );
    });
    afterAll(async () => {
      await two?.close();
      await one?.close();
      await redis.stop();
    });

    it('count against one limit', async () => {
      expect(storageOf(one)).toBeInstanceOf(RedisThrottlerStorage);
      const forgot = (app: Instance) =>
        app.http.post('/auth/forgot-password', { json: { email: 'x@example.com' } });
      expect((await forgot(one)).status).toBe(202);
      expect((await forgot(two)).status).toBe(202);
      expect((await forgot(one)).status).toBe(202);
      const limited = await forgot(two);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('do not wait long on a Redis that stopped answering', async () => {
      redis.pause();
      try {
        const reset = one.http.post('/auth/reset-password', {
          json: { token: 'x', password: 'y' },
        });
        expect(await timed(reset)).toBe(400);
      } finally {
        redis.resume();
      }
    });

    it('each count alone while Redis is down, and share again once it is back', async () => {
      const RECOVERED = 'Redis reachable again: rate limits are shared';
      const recoveriesOfTwo = () => two.output().split(RECOVERED).length - 1;
      const recoveredBefore = recoveriesOfTwo();
      await redis.stop();
      const requestVerify = (app: Instance) =>
        app.http.post('/auth/request-verify-token', { json: { email: 'x@example.com' } });
      for (const app of [one, two, one, two, one, two]) {
        expect(await timed(requestVerify(app))).toBe(202);
      }
      expect(await timed(requestVerify(one))).toBe(429);

      await redis.start();
      const deadline = Date.now() + 10_000;
      // The real-time bus too: closing while it reconnects leaves its client's timers behind.
      // The other process says so in its log (its throttler storage) and its health (its bus).
      const back = async () =>
        storageOf(one).shared &&
        one.app.get(RealtimeBus).status === 'up' &&
        recoveriesOfTwo() > recoveredBefore &&
        (await two.http.get('/health')).body.details?.redis?.status === 'up';
      while (!(await back()) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const verify = (app: Instance) => app.http.post('/auth/verify', { json: { token: 'x' } });
      for (const app of [one, two, one]) expect((await verify(app)).status).toBe(400);
      expect((await verify(two)).status).toBe(429);
    });
  });
});
