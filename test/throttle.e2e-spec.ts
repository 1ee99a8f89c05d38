import { createTestApp, type TestApp } from './support/test-app';

describe('Rate limiting of the auth routes (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ THROTTLE_AUTH_LIMIT: '3', THROTTLE_AUTH_TTL: '60' });
  });
  afterAll(() => t.close());

  it('answers 429 RATE_LIMITED with Retry-After once the limit is spent', async () => {
    const attempt = () =>
      t.http.post('/auth/jwt/login', {
        form: { username: 'x@example.com', password: 'wrong password' },
      });
    for (let i = 0; i < 3; i++) expect((await attempt()).status).toBe(400);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      status_code: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
    });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('does not limit the other routes', async () => {
    for (let i = 0; i < 6; i++) expect((await t.http.get('/hello')).status).toBe(200);
  });
});
