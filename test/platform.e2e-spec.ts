import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from './support/test-app';

describe('Platform (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /hello answers for the seed clients', async () => {
    const res = await t.http.get('/hello');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Hello World' });
  });

  it('GET /health reports the database up', async () => {
    const res = await t.http.get('/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.info.database.status).toBe('up');
    expect((await t.http.get('/health/live')).body).toEqual({ status: 'ok' });
  });

  it('serves Swagger UI at /docs and the OpenAPI document at /docs-json', async () => {
    const ui = await t.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    const doc = await t.http.get('/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.securitySchemes.oauth2.flows.password.tokenUrl).toBe(
      '/auth/jwt/login',
    );
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/auth/register', '/users/me', '/users/{id}', '/health']),
    );
    expect(doc.body.paths['/users/me'].get.security).toEqual(
      expect.arrayContaining([{ bearer: [] }, { oauth2: [] }]),
    );
  });

  it('the committed openapi.json matches the running app', async () => {
    const committed = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8'));
    const live = (await t.http.get('/docs-json')).body;
    expect(live).toEqual(committed);
  });

  it('lists null in every nullable enum (OpenAPI 3.0.3: an enum is the whole set of values)', async () => {
    const doc = (await t.http.get('/docs-json')).body as unknown;
    const wrong: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}/${i}`));
      if (!node || typeof node !== 'object') return;
      const schema = node as { nullable?: boolean; enum?: unknown[] };
      if (schema.nullable && schema.enum && !schema.enum.includes(null)) wrong.push(path);
      for (const [key, value] of Object.entries(node)) walk(value, `${path}/${key}`);
    };
    walk(doc, '#');
    expect(wrong).toEqual([]);
  });

  it('serves ReDoc from the installed package at /redoc', async () => {
    const page = await t.http.get('/redoc');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<redoc spec-url="/docs-json">');
    expect(page.text).not.toMatch(/https?:\/\/(cdn|unpkg|fonts)/);
    const bundle = await t.http.get('/redoc/redoc.standalone.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(bundle.text.length).toBeGreaterThan(100_000);
  });

  it('sends security headers that still let the docs load their own scripts', async () => {
    const res = await t.http.get('/docs');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    // API answers and unknown routes carry them too.
    for (const path of ['/hello', '/no-such-route']) {
      const other = await t.http.get(path);
      expect(other.headers.get('content-security-policy')).toBe(csp);
      expect(other.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
  });

  it('answers CORS preflights for ALLOWED_ORIGINS only', async () => {
    const allowed = await t.http.request('OPTIONS', '/users/me', {
      headers: {
        origin: 'http://allowed.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
    const other = await t.http.request('OPTIONS', '/users/me', {
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('gives every response a request id, keeping a sane one sent by the caller', async () => {
    const minted = await t.http.get('/hello');
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.http.get('/hello', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    const bogus = await t.http.get('/hello', { headers: { 'x-request-id': 'a b <script>' } });
    expect(bogus.headers.get('x-request-id')).not.toBe('a b <script>');
  });

  describe('error shape', () => {
    const shape = {
      status_code: expect.any(Number),
      error: expect.any(String),
      detail: expect.any(String),
      code: expect.any(String),
    };

    it('unknown route: 404 NOT_FOUND', async () => {
      const res = await t.http.get('/no/such/route');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({
        ...shape,
        status_code: 404,
        error: 'Not Found',
        code: 'NOT_FOUND',
      });
    });

    it('malformed JSON: 400 INVALID_JSON', async () => {
      const res = await t.http.post('/auth/register', {
        body: '{"email": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ ...shape, code: 'INVALID_JSON' });
    });

    it('unsupported content type: 415', async () => {
      const res = await t.http.post('/auth/register', {
        body: 'hello',
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ ...shape, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('body over the limit: 413', async () => {
      const res = await t.http.post('/auth/register', {
        json: { email: 'a@b.co', password: 'x'.repeat(2 * 1024 * 1024) },
      });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ ...shape, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('missing body: 400 VALIDATION_ERROR with per-field errors', async () => {
      const res = await t.http.post('/auth/register');
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_ERROR');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'email',
        'password',
      ]);
    });
  });

  // Last: it takes the database away.
  it('GET /health answers 503 when the database is unreachable', async () => {
    await t.app.get(DataSource).destroy();
    const res = await t.http.get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status_code: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(res.body.checks.database.status).toBe('down');
    expect(res.text).not.toMatch(/SELECT|stack/i);
    expect((await t.http.get('/hello')).status).toBe(200);
  });
});
