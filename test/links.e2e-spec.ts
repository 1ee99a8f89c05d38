import { request as httpRequest } from 'node:http';
import { createTestApp, type TestApp } from './support/test-app';
import { form, jpeg, png } from './support/media-fixtures';
import { signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

interface RawResponse {
  status: number;
  body: any;
}

/** A request with headers fetch() will not send as given (Host, X-Forwarded-*). */
function raw(
  t: TestApp,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<RawResponse> {
  const url = new URL(t.http.baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: { ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const auth = (user: TestUser, headers: Record<string, string> = {}) => ({
  authorization: `Bearer ${user.token}`,
  ...headers,
});

// Rows keep storage paths; links are made per response: PUBLIC_URL when set, otherwise the
// origin the client reached (Host; X-Forwarded-* only behind a trusted proxy).
describe('Links follow the host and port the app is reached at', () => {
  let t: TestApp;
  let alice: TestUser;
  let postId: string;

  beforeAll(async () => {
    t = await createTestApp();
    alice = await signUp(t.http);
    const post = await t.http.post('/upload', {
      token: alice.token,
      multipart: form({ file: { bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' } }),
    });
    expect(post.status).toBe(201);
    postId = post.body.id;
    const avatar = await t.http.post('/users/me/avatar', {
      token: alice.token,
      multipart: form({ file: { bytes: await png(64, 64), name: 'me.png', type: 'image/png' } }),
    });
    expect(avatar.status).toBe(201);
  });
  afterAll(() => t.close());

  it('on a non-default port, links point at that port and the files are there', async () => {
    const feed = await t.http.get('/feed', { token: alice.token });
    const [post] = feed.body.items;
    expect(post.url).toMatch(new RegExp(`^${t.http.baseUrl}/media/posts/[\\w-]+\\.jpg$`));
    expect(post.thumbnail_url).toBe(`${post.url}?tr=w-400%2Ch-400%2Cc-at_max`);
    expect(post.author.avatar_url).toMatch(new RegExp(`^${t.http.baseUrl}/media/avatars/`));
    for (const link of [post.url, post.thumbnail_url, post.author.avatar_url]) {
      const file = await fetch(link);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toMatch(/^image\//);
    }
  });

  it('the same rows read through another Host get links to that host', async () => {
    const headers = auth(alice, { host: 'media.example:8123' });
    const feed = await raw(t, 'GET', '/feed', headers);
    expect(feed.status).toBe(200);
    const [post] = feed.body.items;
    expect(post.url).toMatch(/^http:\/\/media\.example:8123\/media\/posts\//);
    expect(post.thumbnail_url).toMatch(/^http:\/\/media\.example:8123\/media\/posts\/.+\?tr=/);
    expect(post.author.avatar_url).toMatch(/^http:\/\/media\.example:8123\/media\/avatars\//);
    const one = await raw(t, 'GET', `/posts/${postId}`, auth(alice, { host: 'other.test' }));
    expect(one.body.url).toMatch(/^http:\/\/other\.test\/media\/posts\//);
    const me = await raw(t, 'GET', '/users/me', auth(alice, { host: 'other.test' }));
    expect(me.body.avatar_url).toMatch(/^http:\/\/other\.test\/media\/avatars\//);
    const transformed = await raw(
      t,
      'GET',
      `/posts/${postId}/url?tr=w-100`,
      auth(alice, { host: 'other.test' }),
    );
    expect(transformed.body.url).toMatch(/^http:\/\/other\.test\/media\/posts\/.+\?tr=w-100$/);
  });

  it('X-Forwarded-* is ignored unless TRUST_PROXY is on', async () => {
    const feed = await raw(
      t,
      'GET',
      '/feed',
      auth(alice, {
        host: 'internal:3000',
        'x-forwarded-host': 'evil.example',
        'x-forwarded-proto': 'https',
      }),
    );
    expect(feed.body.items[0].url).toMatch(/^http:\/\/internal:3000\/media\//);
  });

  it('a Host that is not a host name gives links to http://localhost:<PORT>', async () => {
    for (const host of ['evil.example/phish?x=', 'a"b', 'x y']) {
      const feed = await raw(t, 'GET', '/feed', auth(alice, { host }));
      if (feed.status !== 200) {
        // Node's HTTP parser refuses some of these before the app sees them.
        expect(feed.status).toBe(400);
        continue;
      }
      expect(feed.body.items[0].url).toMatch(/^http:\/\/localhost:\d+\/media\//);
    }
  });

  it('chat files and message history follow the host too', async () => {
    const upload = await t.http.post('/api/uploads', {
      token: alice.token,
      multipart: form({ file: { bytes: await png(8, 8), name: 'p.png', type: 'image/png' } }),
    });
    expect(upload.body.public_url).toMatch(new RegExp(`^${t.http.baseUrl}/media/private/uploads/`));
    const room = await t.http.post('/api/rooms', { token: alice.token, json: { name: 'links' } });
    await t.http.post(`/api/rooms/${room.body.id}/messages`, {
      token: alice.token,
      json: { content: 'see', file_id: upload.body.id },
    });
    const history = await raw(
      t,
      'GET',
      `/api/rooms/${room.body.id}/messages`,
      auth(alice, { host: 'chat.example:9000' }),
    );
    const [message] = history.body.items;
    expect(message.file.url).toMatch(/^http:\/\/chat\.example:9000\/media\/private\/uploads\//);
    expect(message.user.avatar_url).toMatch(/^http:\/\/chat\.example:9000\/media\/avatars\//);
    const file = await raw(
      t,
      'GET',
      `/api/uploads/${upload.body.id}`,
      auth(alice, { host: 'chat.example:9000' }),
    );
    expect(file.body.public_url).toMatch(/^http:\/\/chat\.example:9000\/media\/private\/uploads\//);
  });

  it('each chat socket gets links for the host it connected through', async () => {
    const bob = await signUp(t.http);
    const room = await t.http.post('/api/rooms', { token: alice.token, json: { name: 'hosts' } });
    const roomId = room.body.id as string;
    await t.http.post(`/api/rooms/${roomId}/members`, {
      token: alice.token,
      json: { user_id: bob.id },
    });
    const a = await WsClient.connect(`${t.wsUrl}/api/ws/${roomId}?token=${alice.token}`, {
      headers: { host: 'one.example:7001' },
    });
    const b = await WsClient.connect(`${t.wsUrl}/api/ws/${roomId}?token=${bob.token}`, {
      headers: { host: 'two.example' },
    });
    try {
      const welcome = await a.next('welcome');
      expect(welcome.user.avatar_url).toMatch(/^http:\/\/one\.example:7001\/media\/avatars\//);
      await b.next('welcome');
      const upload = await t.http.post('/api/uploads', {
        token: alice.token,
        multipart: form({ file: { bytes: await png(8, 8), name: 'q.png', type: 'image/png' } }),
      });
      a.send({ type: 'message', content: 'file', file_id: upload.body.id });
      const [seenByA, seenByB] = await Promise.all([a.next('message'), b.next('message')]);
      expect(seenByA.message.file.url).toMatch(
        /^http:\/\/one\.example:7001\/media\/private\/uploads\//,
      );
      expect(seenByB.message.file.url).toMatch(/^http:\/\/two\.example\/media\/private\/uploads\//);
      expect(seenByB.message.user.avatar_url).toMatch(/^http:\/\/two\.example\/media\/avatars\//);
      const pathOf = (url: string) => new URL(url).pathname;
      expect(pathOf(seenByA.message.file.url)).toBe(pathOf(seenByB.message.file.url));
    } finally {
      a.ws.close();
      b.ws.close();
    }
  });

  it('email links use the request origin only for loopback or ALLOWED_HOSTS', async () => {
    const port = new URL(t.http.baseUrl).port;
    const register = (email: string, host: string) =>
      raw(t, 'POST', '/auth/register', { host }, { email, password: 'a good password' });
    const link = (email: string) => {
      const mail = [...t.mailer.sent].reverse().find((m) => m.to === email);
      return /here: (\S+)/.exec(mail?.text ?? '')?.[1];
    };
    expect((await register('loop@example.com', `127.0.0.1:${port}`)).status).toBe(201);
    await waitFor(() => link('loop@example.com'));
    expect(link('loop@example.com')).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/verify\\?token=ey`),
    );
    // A password reset link mailed to a victim must not point where the asker chose.
    expect((await register('victim@example.com', 'attacker.example')).status).toBe(201);
    await waitFor(() => link('victim@example.com'));
    expect(link('victim@example.com')).toMatch(
      new RegExp(`^http://localhost:${t.env.PORT}/verify\\?token=`),
    );
    const forgot = await raw(
      t,
      'POST',
      '/auth/forgot-password',
      { host: 'attacker.example' },
      { email: 'victim@example.com' },
    );
    expect(forgot.status).toBe(202);
    await waitFor(() => (t.mailer.count('victim@example.com') === 2 ? true : undefined));
    expect(link('victim@example.com')).toMatch(
      new RegExp(`^http://localhost:${t.env.PORT}/reset-password\\?token=`),
    );
  });
});

describe('Links with a configured origin or a trusted proxy', () => {
  it('PUBLIC_URL wins over Host; ALLOWED_HOSTS admits a host for email links', async () => {
    const t = await createTestApp({ PUBLIC_URL: 'https://api.example.org/', TRUST_PROXY: 'true' });
    const t2 = await createTestApp({ ALLOWED_HOSTS: 'api.example.net' });
    try {
      const user = await signUp(t.http);
      await t.http.post('/upload', {
        token: user.token,
        multipart: form({ file: { bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' } }),
      });
      const feed = await raw(t, 'GET', '/feed', auth(user, { host: 'other.test' }));
      expect(feed.body.items[0].url).toMatch(/^https:\/\/api\.example\.org\/media\/posts\//);
      await waitFor(() => t.mailer.sent.find((m) => m.to === user.email));
      expect(t.mailer.sent.find((m) => m.to === user.email)?.text).toContain(
        'https://api.example.org/verify?token=',
      );

      const res = await raw(
        t2,
        'POST',
        '/auth/register',
        { host: 'api.example.net:8443', 'x-forwarded-proto': 'https' },
        { email: 'listed@example.com', password: 'a good password' },
      );
      expect(res.status).toBe(201);
      await waitFor(() => t2.mailer.sent.find((m) => m.to === 'listed@example.com'));
      // No TRUST_PROXY on t2: the forwarded scheme is not believed.
      expect(t2.mailer.sent.find((m) => m.to === 'listed@example.com')?.text).toContain(
        'http://api.example.net:8443/verify?token=',
      );
    } finally {
      await t.close();
      await t2.close();
    }
  });

  it('behind a trusted proxy, X-Forwarded-Host and -Proto make the links', async () => {
    const t = await createTestApp({ TRUST_PROXY: 'true' });
    try {
      const user = await signUp(t.http);
      await t.http.post('/upload', {
        token: user.token,
        multipart: form({ file: { bytes: await jpeg(), name: 'a.jpg', type: 'image/jpeg' } }),
      });
      const feed = await raw(
        t,
        'GET',
        '/feed',
        auth(user, {
          host: '10.0.0.5:3000',
          'x-forwarded-host': 'www.example.com, proxy.internal',
          'x-forwarded-proto': 'https',
        }),
      );
      expect(feed.body.items[0].url).toMatch(/^https:\/\/www\.example\.com\/media\/posts\//);
    } finally {
      await t.close();
    }
  });
});

async function waitFor<T>(probe: () => T | undefined, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
