import { join } from 'node:path';
import { APP_ENV, mediaConfig, throttleConfig } from '../src/config/configuration';
import type { EnvironmentVariables } from '../src/config/env.validation';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp } from './support/users';

/**
 * The configuration reaches an app through its providers (AppModule.forRoot's environment),
 * so apps with different settings run side by side in one process, and process.env is
 * neither read nor written to configure them.
 */
describe('Configuration through providers (e2e)', () => {
  let strict: TestApp;
  let lenient: TestApp;
  let envBefore: NodeJS.ProcessEnv;
  let envAfter: NodeJS.ProcessEnv;

  beforeAll(async () => {
    envBefore = { ...process.env };
    strict = await createTestApp({ THROTTLE_AUTH_LIMIT: '2', MAX_UPLOAD_BYTES: '1000' });
    lenient = await createTestApp(
      {
        THROTTLE_AUTH_LIMIT: '50',
        MAX_UPLOAD_BYTES: '2000',
        JWT_SECRET: 'another-secret-that-is-long-enough-for-hs256-98765',
      },
      { shareDatabaseWith: strict },
    );
    envAfter = { ...process.env };
  });
  afterAll(async () => {
    await lenient?.close();
    await strict?.close();
  });

  it('leaves process.env as it found it', () => {
    expect(envAfter).toEqual(envBefore);
  });

  it('gives each app the namespaces of its own environment', () => {
    expect(strict.app.get<EnvironmentVariables>(APP_ENV).THROTTLE_AUTH_LIMIT).toBe(2);
    expect(lenient.app.get<EnvironmentVariables>(APP_ENV).THROTTLE_AUTH_LIMIT).toBe(50);
    expect(strict.app.get(throttleConfig.KEY)).toMatchObject({ authLimit: 2 });
    expect(lenient.app.get(throttleConfig.KEY)).toMatchObject({ authLimit: 50 });
    expect(strict.app.get(mediaConfig.KEY)).toMatchObject({ dir: join(strict.dataDir, 'media') });
    expect(lenient.app.get(mediaConfig.KEY)).toMatchObject({ dir: join(lenient.dataDir, 'media') });
  });

  it('serves each app with its own settings at the same time', async () => {
    const login = (t: TestApp) =>
      t.http.post('/auth/jwt/login', {
        json: { email: 'nobody@example.com', password: 'wrong password' },
      });
    const statuses = async (t: TestApp) => {
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) seen.push((await login(t)).status);
      return seen;
    };
    const [strictStatuses, lenientStatuses] = await Promise.all([
      statuses(strict),
      statuses(lenient),
    ]);
    expect(strictStatuses.slice(0, 2)).not.toContain(429);
    expect(strictStatuses[2]).toBe(429);
    expect(lenientStatuses).not.toContain(429);

    const allowed = await Promise.all(
      [strict, lenient].map(async (t) => (await t.http.get('/api/uploads/types/allowed')).body),
    );
    expect(allowed.map((body: { max_file_size: number }) => body.max_file_size)).toEqual([
      1000, 2000,
    ]);
  });

  it('authenticates each app with its own keys: Passport strategies are not shared', async () => {
    const user = await signUp(lenient.http);
    const [own, other] = await Promise.all(
      [lenient, strict].map((t) => t.http.get('/users/me', { token: user.token })),
    );
    expect(own.status).toBe(200);
    expect([other.status, other.body.code]).toEqual([401, 'INVALID_TOKEN']);
  });
});
