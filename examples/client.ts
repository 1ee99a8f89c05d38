// A typed client of the API in a few lines: types generated from openapi.json by
// openapi-typescript (`npm run client:check` writes them to examples/generated/api.d.ts),
// requests made with openapi-fetch. Run against a server: `API_URL=http://localhost:3000`.
import createClient from 'openapi-fetch';
import type { paths } from './generated/api';

const api = createClient<paths>({ baseUrl: process.env.API_URL ?? 'http://localhost:3000' });

// A 1x1 PNG, as a photo to post.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function main(): Promise<void> {
  const email = `example.${Date.now()}@example.com`;
  const password = 'an example password';

  const registered = await api.POST('/auth/register', { body: { email, password } });
  if (!registered.data) throw new Error(`register: ${JSON.stringify(registered.error)}`);

  // The OAuth2 password flow: a form with the email as username.
  const login = await api.POST('/auth/jwt/login', {
    body: { username: email, password },
    bodySerializer: (body) => new URLSearchParams(body as Record<string, string>),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (!login.data) throw new Error(`login: ${JSON.stringify(login.error)}`);
  const headers = { authorization: `Bearer ${login.data.access_token}` };

  const upload = await api.POST('/upload', {
    headers,
    body: { file: 'photo.png', caption: 'Posted from a generated client' },
    bodySerializer: (body) => {
      const form = new FormData();
      form.append('caption', body.caption ?? '');
      form.append('file', new Blob([PNG], { type: 'image/png' }), 'photo.png');
      return form;
    },
  });
  if (!upload.data) throw new Error(`upload: ${JSON.stringify(upload.error)}`);

  const feed = await api.GET('/feed', { headers, params: { query: { limit: 5 } } });
  if (!feed.data) throw new Error(`feed: ${JSON.stringify(feed.error)}`);
  if (!feed.data.items.some((post) => post.id === upload.data.id)) throw new Error('post not in feed');

  const room = await api.POST('/api/rooms', {
    headers,
    body: { name: `example room ${Date.now()}`, is_private: false },
  });
  if (!room.data) throw new Error(`room: ${JSON.stringify(room.error)}`);
  const roomPath = { path: { id: room.data.id } };

  const sent = await api.POST('/api/rooms/{id}/messages', {
    headers,
    params: roomPath,
    body: { content: 'Hello from a generated client', file_id: null },
  });
  if (!sent.data) throw new Error(`send: ${JSON.stringify(sent.error)}`);

  const history = await api.GET('/api/rooms/{id}/messages', { headers, params: roomPath });
  if (!history.data) throw new Error(`history: ${JSON.stringify(history.error)}`);
  const seqs = history.data.items.map((message) => message.seq);

  console.log(
    `registered ${registered.data.email}, posted ${upload.data.id} (${upload.data.file_type}), ` +
      `feed of ${feed.data.items.length}, room ${room.data.name}: messages ${seqs.join(', ')}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
