import { MAX_JSON_DEPTH } from '../src/common/http/json-body';
import type { HttpResponse } from './support/http';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

const JSON_TYPE = { 'content-type': 'application/json' };

/** `{"a":{"a":...1...}}`: `depth` objects inside each other. */
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

function expectError(res: HttpResponse, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(res.body).toEqual({
    status_code: status,
    error: expect.any(String),
    detail: expect.any(String),
    code,
  });
}

describe('Bad input (e2e)', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    user = await signUp(t.http);
  });
  afterAll(() => t.close());

  describe('deeply nested JSON', () => {
    it('rejects a 20 KB body nested 10,000 objects deep with 400 INVALID_JSON', async () => {
      const body = nestedObjects(10_000);
      expect(body.length).toBeLessThan(64 * 1024);
      const res = await t.http.post('/auth/register', { body, headers: JSON_TYPE });
      expectError(res, 400, 'INVALID_JSON');
      expect(res.body.detail).toContain(String(MAX_JSON_DEPTH));
      // The process is intact and still serves requests that need the body parser.
      expect((await t.http.get('/hello')).status).toBe(200);
      const ok = await t.http.post('/auth/register', {
        json: { email: `after.deep.${Date.now()}@example.com`, password: 'a good password' },
      });
      expect(ok.status).toBe(201);
    });

    it('rejects it on an authenticated route too, and arrays as well as objects', async () => {
      const objects = await t.http.patch('/users/me', {
        token: user.token,
        body: nestedObjects(10_000),
        headers: JSON_TYPE,
      });
      expectError(objects, 400, 'INVALID_JSON');
      const arrays = await t.http.patch('/users/me', {
        token: user.token,
        body: nestedArrays(10_000),
        headers: JSON_TYPE,
      });
      expectError(arrays, 400, 'INVALID_JSON');
      const login = await t.http.post('/auth/jwt/login', {
        body: `{"email":${nestedArrays(10_000)}}`,
        headers: JSON_TYPE,
      });
      expectError(login, 400, 'INVALID_JSON');
      expect((await t.http.get('/users/me', { token: user.token })).status).toBe(200);
    });

    it(`accepts ${MAX_JSON_DEPTH} levels and rejects ${MAX_JSON_DEPTH + 1}`, async () => {
      // The outer object is level 1: `extra` holds the remaining levels.
      const body = (depth: number) =>
        `{"email":"deep@example.com","password":"a good password","extra":${nestedObjects(depth - 1)}}`;
      const atLimit = await t.http.post('/auth/register', {
        body: body(MAX_JSON_DEPTH),
        headers: JSON_TYPE,
      });
      // Parsed: the validation pipe then refuses the unknown field.
      expect(atLimit.status).toBe(400);
      expect(atLimit.body.code).toBe('VALIDATION_ERROR');
      expect(atLimit.body.errors.map((e: { field: string }) => e.field)).toEqual(['extra']);
      const over = await t.http.post('/auth/register', {
        body: body(MAX_JSON_DEPTH + 1),
        headers: JSON_TYPE,
      });
      expectError(over, 400, 'INVALID_JSON');
      const arrays = await t.http.post('/auth/register', {
        body: `{"extra":${nestedArrays(MAX_JSON_DEPTH - 1)}}`,
        headers: JSON_TYPE,
      });
      expect(arrays.body.code).toBe('VALIDATION_ERROR');
    });

    it('does not count brackets inside strings, escaped quotes included', async () => {
      const bio = `${'[{'.repeat(60)} "quoted \\" ]}`.slice(0, 200);
      const res = await t.http.patch('/users/me', {
        token: user.token,
        body: `{"bio":${JSON.stringify('\\"' + '[{'.repeat(100))}}`,
        headers: JSON_TYPE,
      });
      expect(res.status).toBe(200);
      expect(res.body.bio).toBe('\\"' + '[{'.repeat(100));
      const other = await t.http.patch('/users/me', { token: user.token, json: { bio } });
      expect(other.status).toBe(200);
      expect(other.body.bio).toBe(bio);
    });
  });

  describe('errors the HTTP server raises itself', () => {
    it('a path parameter over 100 characters: 414 URI_TOO_LONG', async () => {
      const res = await t.http.get(`/users/${'a'.repeat(200)}`, { token: user.token });
      expectError(res, 414, 'URI_TOO_LONG');
      expect(res.body.error).toBe('URI Too Long');
      // The path is not echoed back.
      expect(res.text).not.toContain('a'.repeat(101));
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('a malformed percent-encoding in the path: 400 INVALID_URL', async () => {
      const res = await t.http.get('/users/%zz');
      expectError(res, 400, 'INVALID_URL');
    });

    it('an empty JSON body: 400 INVALID_JSON', async () => {
      const res = await t.http.post('/auth/register', { body: '', headers: JSON_TYPE });
      expectError(res, 400, 'INVALID_JSON');
    });

    it('a content type no route reads, on an authenticated route: 415', async () => {
      const res = await t.http.patch('/users/me', {
        token: user.token,
        body: '<bio>x</bio>',
        headers: { 'content-type': 'application/xml' },
      });
      expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('a JSON body just over 1 MiB: 413 PAYLOAD_TOO_LARGE', async () => {
      const res = await t.http.patch('/users/me', {
        token: user.token,
        body: JSON.stringify({ bio: 'x'.repeat(1024 * 1024) }),
        headers: JSON_TYPE,
      });
      expectError(res, 413, 'PAYLOAD_TOO_LARGE');
    });

    it('a method no route has: 404 NOT_FOUND in our shape', async () => {
      const res = await t.http.request('PUT', '/hello');
      expectError(res, 404, 'NOT_FOUND');
    });
  });

  describe('prototype pollution', () => {
    afterEach(() => {
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    });

    it('refuses __proto__ and constructor.prototype keys in JSON, at any depth', async () => {
      for (const body of [
        '{"__proto__":{"polluted":true},"email":"p@example.com","password":"a good password"}',
        '{"constructor":{"prototype":{"polluted":true}},"email":"p@example.com","password":"a good password"}',
        '{"email":"p@example.com","password":"a good password","x":[{"__proto__":{"polluted":true}}]}',
      ]) {
        const res = await t.http.post('/auth/register', { body, headers: JSON_TYPE });
        expectError(res, 400, 'INVALID_JSON');
      }
    });

    it('refuses a __proto__ field in a form body', async () => {
      const res = await t.http.post('/auth/jwt/login', {
        body: '__proto__[polluted]=true&username=a%40b.co&password=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(400);
      const dunder = await t.http.post('/auth/jwt/login', {
        body: '__proto__=x&username=a%40b.co&password=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectError(dunder, 400, 'BAD_REQUEST');
    });
  });
});
