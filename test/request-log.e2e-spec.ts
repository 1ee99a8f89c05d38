import { randomUUID } from 'node:crypto';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  context?: string;
  [field: string]: unknown;
}

const INFO = 30;
const WARN = 40;

describe('Request logs (e2e)', () => {
  let t: TestApp;
  let user: TestUser;
  const written: string[] = [];
  const lines = () => written.map((line) => JSON.parse(line) as LogLine);
  const everything = () => written.join('');

  /** The request lines of one response: written once the response has been sent. */
  const requestLines = async (res: { headers: Headers }): Promise<LogLine[]> => {
    const reqId = res.headers.get('x-request-id');
    expect(reqId).toBeTruthy();
    const deadline = Date.now() + 2000;
    let found: LogLine[] = [];
    while (Date.now() < deadline) {
      found = lines().filter((l) => l.reqId === reqId);
      if (found.length > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    return found;
  };

  beforeAll(async () => {
    t = await createTestApp(
      { LOG_LEVEL: 'info' },
      { logDestination: { write: (line: string) => void written.push(line) } },
    );
    user = await signUp(t.http);
  });
  afterAll(() => t.close());

  it("writes Nest's own logs to the same destination, as JSON", () => {
    expect(lines()).toContainEqual(
      expect.objectContaining({ level: INFO, context: 'NestApplication' }),
    );
  });

  it('logs an authenticated request once, with its route, status, duration and id', async () => {
    const res = await t.http.get('/users/me', {
      token: user.token,
      headers: { cookie: 'session=cookie-value-never-logged' },
    });
    expect(res.status).toBe(200);
    const logged = await requestLines(res);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual({
      level: INFO,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      reqId: res.headers.get('x-request-id'),
      method: 'GET',
      url: '/users/me',
      route: '/users/me',
      statusCode: 200,
      responseTime: expect.any(Number),
      msg: 'request completed',
    });
    expect(logged[0].responseTime).toBeGreaterThanOrEqual(0);
    const log = everything();
    expect(log).not.toContain(user.token);
    expect(log).not.toContain(user.token.split('.')[2]);
    expect(log).not.toContain('cookie-value-never-logged');
    expect(log).not.toContain(user.password);
  });

  it("uses the caller's request id", async () => {
    const res = await t.http.get('/users/me', {
      token: user.token,
      headers: { 'x-request-id': 'trace-42' },
    });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    expect(await requestLines(res)).toEqual([
      expect.objectContaining({ reqId: 'trace-42', statusCode: 200 }),
    ]);
  });

  it('logs the route pattern of a parameterised route', async () => {
    const id = randomUUID();
    const res = await t.http.get(`/users/${id}`, { token: user.token });
    expect(res.status).toBe(404);
    expect(await requestLines(res)).toEqual([
      expect.objectContaining({
        level: WARN,
        method: 'GET',
        url: `/users/${id}`,
        route: '/users/:id',
        statusCode: 404,
      }),
    ]);
  });

  it('logs an unknown route as a warning, without the credentials of its query', async () => {
    const res = await t.http.get(`/api/ws?token=${user.token}&room=7`);
    expect(res.status).toBe(404);
    const [line] = await requestLines(res);
    expect(line).toMatchObject({
      level: WARN,
      method: 'GET',
      url: '/api/ws?token=[Redacted]&room=7',
      statusCode: 404,
    });
    expect(line).not.toHaveProperty('route');
    expect(everything()).not.toContain(user.token);
  });

  it('logs a refused login as a warning, never its body', async () => {
    const res = await t.http.post('/auth/jwt/login', {
      form: { username: user.email, password: 'wrong-password-never-logged' },
    });
    expect(res.status).toBe(400);
    expect(await requestLines(res)).toEqual([
      expect.objectContaining({
        level: WARN,
        method: 'POST',
        route: '/auth/jwt/login',
        statusCode: 400,
      }),
    ]);
    expect(everything()).not.toContain('wrong-password-never-logged');
  });

  it('logs the answers Fastify gives before routing (414)', async () => {
    const res = await t.http.get(`/users/${'x'.repeat(101)}`, { token: user.token });
    expect(res.status).toBe(414);
    expect(await requestLines(res)).toEqual([
      expect.objectContaining({ level: WARN, method: 'GET', statusCode: 414 }),
    ]);
  });

  it('does not log the liveness probe', async () => {
    const res = await t.http.get('/health/live');
    expect(res.status).toBe(200);
    // A later request's line is there: the probe's would have been written before it.
    const after = await t.http.get('/hello');
    expect(await requestLines(after)).toHaveLength(1);
    expect(lines().filter((l) => l.reqId === res.headers.get('x-request-id'))).toEqual([]);
  });
});
