import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsersService } from '../src/users/users.service';
import type { HttpResponse } from './support/http';
import { png } from './support/media-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { logIn, signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

/**
 * Every operation of the committed OpenAPI document, with hostile text in every string
 * input it has (path parameters, query parameters, JSON and form fields, multipart fields),
 * one input at a time while the others are valid, against real objects of the caller's.
 * PostgreSQL refuses NUL in text: a NUL anywhere is 400 VALIDATION_ERROR; the other hostile
 * values may be accepted or refused, but never with a 5xx.
 */

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  minimum?: number;
};
type Parameter = { in: string; name: string; schema?: Schema };
type Operation = {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: unknown[];
};

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const NUL_VALUES = ['a\u0000b', '\u0000', 'ok\u0000'];
const CONTROL = Array.from({ length: 32 }, (_, i) => String.fromCharCode(i))
  .filter((c) => c !== '\u0000')
  .join('');
const OTHER_VALUES = [
  `a${CONTROL}\u007f\u2028\u2029b`,
  '\u001b[31mred\u001b[0m',
  '\ud800',
  'x'.repeat(200_000),
];

/** Percent-encoded; a lone surrogate (no UTF-8 form) as the bytes of one, invalid UTF-8. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

function resolve(schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(doc.components.schemas[schema.$ref.split('/').pop()!]);
  const parts = schema.allOf ?? schema.oneOf ?? schema.anyOf;
  if (parts) {
    const merged: Schema = { properties: {}, required: [] };
    for (const part of parts.map(resolve)) {
      if (part.type && !merged.type) merged.type = part.type;
      if (part.format && !merged.format) merged.format = part.format;
      if (part.enum && !merged.enum) merged.enum = part.enum;
      Object.assign(merged.properties!, part.properties);
      merged.required!.push(...(part.required ?? []));
    }
    if (!Object.keys(merged.properties!).length) delete merged.properties;
    return { ...schema, ...merged, allOf: undefined, oneOf: undefined, anyOf: undefined };
  }
  return schema;
}

describe('Hostile input in every field of every operation (e2e)', () => {
  let t: TestApp;
  let admin: TestUser;
  let victim: TestUser;
  const ids: Record<string, string> = {};
  let serial = 0;
  let imageBytes: Buffer;

  const base = (name: string, raw: Schema | undefined): unknown => {
    const schema = resolve(raw);
    if (schema.enum?.length) return schema.enum[0];
    switch (schema.type) {
      case 'boolean':
        return false;
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'array':
        return [base(name, schema.items)];
      case 'object':
        return Object.fromEntries(
          (schema.required ?? []).map((key) => [key, base(key, schema.properties?.[key])]),
        );
    }
    if (schema.format === 'email' || name === 'email' || name === 'username')
      return name === 'username' ? `fz${(serial += 1)}` : `fz${(serial += 1)}@example.com`;
    if (schema.format === 'password' || name.includes('password')) return 'a good password';
    if (schema.format === 'uuid' || name.endsWith('_id') || name === 'ids') {
      if (name === 'user_id') return victim.id;
      if (name === 'target_id') return ids.victimPost;
      if (name === 'file_id' || name === 'id') return ids.upload;
      return ids.notification;
    }
    return 'hello';
  };

  /** Every string input of a JSON value: paths to set, with `set` making the variant. */
  const stringSlots = (value: unknown, schema: Schema, path: string[] = []): string[][] => {
    const s = resolve(schema);
    if (s.type === 'object' || s.properties) {
      return Object.entries(s.properties ?? {}).flatMap(([key, sub]) =>
        stringSlots((value as Record<string, unknown>)?.[key], sub, [...path, key]),
      );
    }
    if (s.type === 'array') return stringSlots(undefined, s.items ?? {}, [...path, '0']);
    return s.type === 'string' ? [path] : [];
  };
  const withValue = (value: unknown, path: string[], hostile: string): unknown => {
    if (path.length === 0) return hostile;
    const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
    copy[path[0]] = withValue(copy[path[0]], path.slice(1), hostile);
    return copy;
  };

  const pathValue = (path: string, name: string): string => {
    if (name === 'username') return victim.username;
    if (name === 'tag') return 'tag';
    if (name === 'userId') return victim.id;
    if (name === 'messageId') return ids.message;
    if (path.startsWith('/users/')) return victim.id;
    if (path.startsWith('/posts/')) return ids.post;
    if (path.startsWith('/comments/')) return ids.comment;
    if (path.startsWith('/api/rooms/')) return ids.room;
    if (path.startsWith('/api/uploads/')) return ids.upload;
    if (path.startsWith('/admin/reports/')) return ids.report;
    throw new Error(`no value for ${name} of ${path}`);
  };

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.get(UsersService).ensureSuperuser('fuzz@example.com', 'a good password');
    const token = await logIn(t.http, 'fuzz@example.com', 'a good password');
    const me = await t.http.get('/users/me', { token });
    admin = {
      id: me.body.id,
      email: 'fuzz@example.com',
      password: 'a good password',
      username: me.body.username,
      token,
    };
    victim = await signUp(t.http);
    const image = (imageBytes = await png(8, 8));
    const upload = (user: TestUser, caption: string) => {
      const data = new FormData();
      data.append('caption', caption);
      data.append('file', new Blob([image]), 'p.png');
      return t.http.post('/upload', { token: user.token, multipart: data });
    };
    ids.post = (await upload(admin, 'mine #tag')).body.id;
    ids.victimPost = (await upload(victim, 'theirs')).body.id;
    ids.comment = (
      await t.http.post(`/posts/${ids.post}/comments`, {
        token: admin.token,
        json: { content: 'c' },
      })
    ).body.id;
    ids.room = (
      await t.http.post('/api/rooms', { token: admin.token, json: { name: 'fuzz room' } })
    ).body.id;
    await t.http.post(`/api/rooms/${ids.room}/members`, {
      token: admin.token,
      json: { user_id: victim.id },
    });
    ids.message = (
      await t.http.post(`/api/rooms/${ids.room}/messages`, {
        token: admin.token,
        json: { content: 'm' },
      })
    ).body.id;
    const file = new FormData();
    file.append('file', new Blob([image]), 'f.png');
    ids.upload = (
      await t.http.post('/api/uploads', { token: admin.token, multipart: file })
    ).body.id;
    await t.http.post(`/users/${admin.id}/follow`, { token: victim.token });
    ids.notification = (await t.http.get('/notifications', { token: admin.token })).body.items[0]
      ?.id;
    ids.report = (
      await t.http.post('/reports', {
        token: admin.token,
        json: { target_type: 'post', target_id: ids.victimPost, reason: 'spam' },
      })
    ).body.id;
    for (const [name, id] of Object.entries(ids)) if (!id) throw new Error(`no ${name}`);
  });
  afterAll(() => t.close());

  it('answers NUL with 400 VALIDATION_ERROR and nothing hostile with a 5xx', async () => {
    const failures: string[] = [];
    let sent = 0;
    const check = (label: string, hostile: string, res: HttpResponse) => {
      sent += 1;
      if (res.status >= 500) failures.push(`${label}: ${res.status} ${res.text.slice(0, 200)}`);
      else if (hostile.includes('\u0000') && res.body?.code !== 'VALIDATION_ERROR')
        failures.push(`${label} with NUL: ${res.status} ${res.body?.code}`);
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    // Destructive operations last, so every other one meets its objects.
    operations.sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));

    for (const { path, method, op } of operations) {
      // A fresh token per operation: none of them may be spent by an earlier one.
      const token = await logIn(t.http, admin.email, admin.password);
      const params = op.parameters ?? [];
      const fill = (overrides: Record<string, string> = {}) =>
        path.replace(/\{(\w+)\}/g, (_, name: string) =>
          encode(overrides[name] ?? pathValue(path, name)),
        );
      const query = (overrides: Record<string, string> = {}) => {
        const q = new URLSearchParams();
        for (const p of params.filter((x) => x.in === 'query'))
          if (overrides[p.name] !== undefined) q.set(p.name, overrides[p.name]);
        const s = q.toString();
        return s ? `?${s}` : '';
      };
      const content = op.requestBody?.content ?? {};
      const jsonSchema = content['application/json']?.schema;
      const formSchema = content['application/x-www-form-urlencoded']?.schema;
      const multipartSchema = content['multipart/form-data']?.schema;
      const body = jsonSchema ? base('body', jsonSchema) : undefined;
      const send = (url: string, options: Parameters<TestApp['http']['request']>[2] = {}) =>
        t.http.request(method, url, { token, ...options });
      const sendBody = (url: string) => {
        if (jsonSchema) return send(url, { json: body });
        if (multipartSchema) return send(url, { multipart: multipartOf({}) });
        return send(url);
      };
      const multipartOf = (fields: Record<string, string>, fileName = 'p.png') => {
        const data = new FormData();
        const schema = resolve(multipartSchema);
        for (const [key, sub] of Object.entries(schema.properties ?? {})) {
          if (resolve(sub).format === 'binary' || key === 'file' || key === 'files') continue;
          if (fields[key] !== undefined) data.append(key, fields[key]);
        }
        data.append('file', new Blob([imageBytes]), fileName);
        return data;
      };

      for (const hostile of [...NUL_VALUES, ...OTHER_VALUES]) {
        for (const p of params.filter((x) => x.in === 'path')) {
          check(
            `${method} ${path} path ${p.name}`,
            hostile,
            await sendBody(fill({ [p.name]: hostile })),
          );
        }
        for (const p of params.filter((x) => x.in === 'query')) {
          check(
            `${method} ${path} query ${p.name}`,
            hostile,
            await sendBody(fill() + query({ [p.name]: hostile })),
          );
        }
        if (jsonSchema) {
          for (const slot of stringSlots(body, jsonSchema)) {
            const variant = withValue(body, slot, hostile);
            check(
              `${method} ${path} json ${slot.join('.')}`,
              hostile,
              await send(fill(), { json: variant }),
            );
          }
          // An unknown key is refused by the whitelist; a NUL in a key is still a NUL.
          check(
            `${method} ${path} json key`,
            hostile,
            await send(fill(), { json: { ...(body as object), [hostile.slice(0, 40)]: 'x' } }),
          );
        }
        if (formSchema) {
          const form = Object.fromEntries(
            Object.keys(resolve(formSchema).properties ?? {}).map((k) => [k, String(base(k, {}))]),
          );
          for (const key of Object.keys(form)) {
            check(
              `${method} ${path} form ${key}`,
              hostile,
              await send(fill(), { form: { ...form, [key]: hostile } }),
            );
          }
        }
        if (multipartSchema) {
          const schema = resolve(multipartSchema);
          for (const [key, sub] of Object.entries(schema.properties ?? {})) {
            if (resolve(sub).format === 'binary' || key === 'file' || key === 'files') continue;
            check(
              `${method} ${path} multipart ${key}`,
              hostile,
              await send(fill(), { multipart: multipartOf({ [key]: hostile }) }),
            );
          }
          // The file's own name is sanitized, never refused for its characters.
          const named = await send(fill(), { multipart: multipartOf({}, `${hostile}.png`) });
          sent += 1;
          if (named.status >= 500) failures.push(`${method} ${path} file name: ${named.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // Every operation took part (none was skipped by a gap in the fixtures).
    expect(sent).toBeGreaterThan(1000);
    // The app still answers, and the fixtures' owner is intact.
    expect((await t.http.get('/hello')).status).toBe(200);
  });

  it('answers NUL in a chat frame with an error frame, and keeps the socket', async () => {
    const token = await logIn(t.http, admin.email, admin.password);
    const ws = await WsClient.connect(`${t.wsUrl}/api/ws/${ids.room}?token=${token}`);
    await ws.next('welcome');
    ws.send({ type: 'message', content: 'a\u0000b', client_id: 'nul-1' });
    const error = await ws.next('error', (f) => f.client_id === 'nul-1');
    expect(error.code).toBe('VALIDATION_ERROR');
    ws.send({ type: 'message', content: 'ok', client_id: 'x\u0000' });
    expect((await ws.next('error', (f) => f.client_id === 'x\u0000')).code).toBe(
      'VALIDATION_ERROR',
    );
    ws.send({ type: 'message', content: `still${CONTROL}here`, client_id: 'ok-1' });
    const stored = await ws.next('message', (f) => f.message.client_id === 'ok-1');
    expect(stored.message.content).toBe(`still${CONTROL}here`);
    ws.close();
    // A NUL in the handshake's room id or token is a refused handshake, not a crash.
    const badRoom = await WsClient.connect(`${t.wsUrl}/api/ws/a%00b?token=${token}`);
    expect(await badRoom.closed()).toBe(4403);
    const badToken = await WsClient.connect(`${t.wsUrl}/api/ws/${ids.room}?token=a%00b`);
    expect(await badToken.closed()).toBe(4401);
  });
});
