import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeImageKit } from './support/fake-imagekit';
import { createTestApp, type TestApp } from './support/test-app';
import { samples } from './support/upload-fixtures';
import { signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

const MAX = 200 * 1024;
const CATEGORY: Record<string, string> = {
  pdf: 'document',
  doc: 'document',
  xls: 'document',
  ppt: 'document',
  docx: 'document',
  xlsx: 'document',
  pptx: 'document',
  txt: 'document',
  csv: 'document',
  jpg: 'image',
  png: 'image',
  gif: 'image',
  webp: 'image',
  svg: 'image',
  mp3: 'audio',
  wav: 'audio',
  ogg: 'audio',
  mp4: 'video',
  avi: 'video',
  mov: 'video',
  zip: 'archive',
  rar: 'archive',
  '7z': 'archive',
};

describe('Chat uploads (e2e)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  let files: Record<string, Buffer>;
  // The path and query of a link (links to chat files carry their signature in the query).
  const path = (url: string) => {
    const { pathname, search } = new URL(url);
    return pathname + search;
  };
  const upload = (user: TestUser, parts: Array<[string, Buffer]>) => {
    const form = new FormData();
    for (const [name, bytes] of parts) form.append('file', new Blob([bytes]), name);
    return t.http.post('/api/uploads/multiple', { token: user.token, multipart: form });
  };
  const stored = () => {
    const dir = join(t.dataDir, 'media', 'uploads');
    return existsSync(dir) ? readdirSync(dir).length : 0;
  };

  beforeAll(async () => {
    t = await createTestApp({ MAX_UPLOAD_BYTES: String(MAX) });
    alice = await signUp(t.http);
    bob = await signUp(t.http);
    files = await samples();
  });
  afterAll(() => t.close());

  it('lists what is allowed', async () => {
    const res = await t.http.get('/api/uploads/types/allowed');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ max_file_size: MAX, max_files: 10 });
    expect(Object.keys(res.body.categories).sort()).toEqual([
      'archive',
      'audio',
      'document',
      'image',
      'video',
    ]);
    expect(res.body.categories.document.extensions).toEqual(
      expect.arrayContaining(['pdf', 'docx', 'csv']),
    );
  });

  it.each(Object.keys(CATEGORY))('accepts a .%s file in its category', async (ext) => {
    const res = await upload(alice, [[`sample.${ext}`, files[ext]]]);
    expect(res.status).toBe(201);
    expect(res.body).toEqual([
      {
        id: expect.any(String),
        file_name: `sample.${ext}`,
        mime_type: expect.any(String),
        size: expect.any(Number),
        category: CATEGORY[ext],
        // Chat files are private: a signed link that expires.
        public_url: expect.stringMatching(
          new RegExp(`/media/private/uploads/[0-9a-f-]+\\.${ext}\\?exp=\\d+&sig=[\\w-]{22}$`),
        ),
        created_at: expect.any(String),
      },
    ]);
    const served = await t.http.bytes(path(res.body[0].public_url));
    expect(served.status).toBe(200);
    expect(served.body.length).toBe(res.body[0].size);
    // Images (and videos ffmpeg can read) are stored without their metadata; the rest as sent.
    if (!['image', 'video'].includes(CATEGORY[ext]))
      expect(served.body.equals(files[ext])).toBe(true);
    // Without the signature the file is refused before it is read.
    const unsigned = await t.http.get(path(res.body[0].public_url).split('?')[0]);
    expect(unsigned.status).toBe(403);
    expect(unsigned.body.code).toBe('MEDIA_LINK_INVALID');
  });

  it('answers one object for one file on POST /api/uploads, with or without the trailing slash', async () => {
    for (const route of ['/api/uploads', '/api/uploads/']) {
      const form = new FormData();
      form.append('file', new Blob([files.pdf]), 'notes.pdf');
      const res = await t.http.post(route, { token: alice.token, multipart: form });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ file_name: 'notes.pdf', category: 'document' });
      expect(typeof res.body.id).toBe('string');
      expect(typeof res.body.public_url).toBe('string');
    }
    const two = new FormData();
    two.append('file', new Blob([files.txt]), 'a.txt');
    two.append('file', new Blob([files.txt]), 'b.txt');
    const before = stored();
    const res = await t.http.post('/api/uploads', { token: alice.token, multipart: two });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TOO_MANY_FILES');
    expect(stored()).toBe(before);
    const none = await t.http.post('/api/uploads', {
      token: alice.token,
      multipart: new FormData(),
    });
    expect(none.status).toBe(400);
  });

  it('takes up to 10 files at once and refuses an 11th, storing nothing', async () => {
    const ten = await upload(
      alice,
      Array.from({ length: 10 }, (_, i): [string, Buffer] => [`f${i}.txt`, files.txt]),
    );
    expect(ten.status).toBe(201);
    expect(ten.body).toHaveLength(10);
    const before = stored();
    const eleven = await upload(
      alice,
      Array.from({ length: 11 }, (_, i): [string, Buffer] => [`f${i}.txt`, files.txt]),
    );
    expect(eleven.status).toBe(400);
    expect(eleven.body.code).toBe('TOO_MANY_FILES');
    expect(stored()).toBe(before);
  });

  it('rejects an oversize file with 413 and a bad file among good ones with nothing stored', async () => {
    const before = stored();
    const big = await upload(alice, [
      ['ok.txt', files.txt],
      ['big.zip', Buffer.concat([files.zip, Buffer.alloc(MAX)])],
    ]);
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('FILE_TOO_LARGE');
    const mixed = await upload(alice, [
      ['ok.png', files.png],
      ['fake.pdf', files.png],
    ]);
    expect(mixed.status).toBe(415);
    expect(stored()).toBe(before);
  });

  it.each([
    ['a PNG named .pdf', 'fake.pdf', 'png'],
    ['a ZIP named .docx', 'fake.docx', 'zip'],
    ['binary named .txt', 'fake.txt', 'mp4'],
    ['HTML named .svg', 'page.svg', 'txt'],
    ['an executable type', 'run.exe', 'zip'],
    ['no extension', 'README', 'txt'],
  ])('rejects %s with 415', async (_case, name, content) => {
    const res = await upload(alice, [[name, files[content]]]);
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects empty files and missing parts, and sanitizes names', async () => {
    expect((await upload(alice, [['empty.txt', Buffer.alloc(0)]])).body.code).toBe('EMPTY_FILE');
    expect((await upload(alice, [])).status).toBe(400);
    const res = await upload(alice, [['../../etc/\u0007evil.txt', files.txt]]);
    expect(res.status).toBe(201);
    expect(res.body[0].file_name).toBe('evil.txt');
  });

  it('serves SVG and documents as attachments under a sandbox CSP; images inline', async () => {
    const [svg] = (await upload(alice, [['x.svg', files.svg]])).body;
    const res = await t.http.bytes(path(svg.public_url));
    expect(res.headers.get('content-disposition')).toMatch(/^attachment/);
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const [png] = (await upload(alice, [['x.png', files.png]])).body;
    const img = await t.http.bytes(path(png.public_url));
    expect(img.headers.get('content-disposition')).toBeNull();
    expect(img.headers.get('content-type')).toBe('image/png');
  });

  it('attaches an own upload to a message; others cannot attach it or see it unless shared', async () => {
    const room = (await t.http.post('/api/rooms', { token: alice.token, json: { name: 'files' } }))
      .body;
    await t.http.post(`/api/rooms/${room.id}/join`, { token: bob.token });
    const [doc] = (await upload(alice, [['report.pdf', files.pdf]])).body;
    expect((await t.http.get(`/api/uploads/${doc.id}`, { token: bob.token })).status).toBe(404);
    const stolen = await t.http.post(`/api/rooms/${room.id}/messages`, {
      token: bob.token,
      json: { file_id: doc.id },
    });
    expect(stolen.status).toBe(404);
    expect(stolen.body.code).toBe('FILE_NOT_FOUND');

    const ws = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${bob.token}`);
    await ws.next('welcome');
    const sent = await t.http.post(`/api/rooms/${room.id}/messages`, {
      token: alice.token,
      json: { file_id: doc.id },
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      content: '',
      file: {
        id: doc.id,
        file_name: 'report.pdf',
        mime_type: 'application/pdf',
        size: files.pdf.length,
        url: expect.stringContaining(doc.public_url.split('?')[0]),
      },
    });
    expect((await ws.next('message')).message.file.id).toBe(doc.id);
    ws.close();
    // Now shared in a room bob is in: he may read it; a stranger may not.
    expect((await t.http.get(`/api/uploads/${doc.id}`, { token: bob.token })).status).toBe(200);
    const stranger = await signUp(t.http);
    expect((await t.http.get(`/api/uploads/${doc.id}`, { token: stranger.token })).status).toBe(
      404,
    );

    expect((await t.http.delete(`/api/uploads/${doc.id}`, { token: bob.token })).status).toBe(404);
    expect((await t.http.delete(`/api/uploads/${doc.id}`, { token: alice.token })).status).toBe(
      204,
    );
    expect((await t.http.bytes(path(doc.public_url))).status).toBe(404);
    const history = await t.http.get(`/api/rooms/${room.id}/messages`, { token: bob.token });
    expect(history.body.items[0]).toMatchObject({ id: sent.body.id, file: null });
  });

  it('needs a token to upload', async () => {
    const form = new FormData();
    form.append('file', new Blob([files.txt]), 'a.txt');
    expect((await t.http.post('/api/uploads', { multipart: form })).status).toBe(401);
  });
});

describe('Chat uploads on the ImageKit driver (e2e)', () => {
  let t: TestApp;
  let fake: FakeImageKit;
  let user: TestUser;
  let files: Record<string, Buffer>;

  beforeAll(async () => {
    fake = new FakeImageKit();
    await fake.start();
    t = await createTestApp({
      IMAGEKIT_PRIVATE_KEY: fake.privateKey,
      IMAGEKIT_PUBLIC_KEY: 'public_test',
      IMAGEKIT_URL_ENDPOINT: fake.urlEndpoint,
      IMAGEKIT_BASE_URL: fake.baseUrl,
    });
    user = await signUp(t.http);
    files = await samples();
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('stores checked files on ImageKit and deletes them there', async () => {
    const form = new FormData();
    for (const name of ['notes.pdf', 'diagram.svg', 'photo.png']) {
      form.append('file', new Blob([files[name.split('.')[1]]]), name);
    }
    const res = await t.http.post('/api/uploads/multiple', { token: user.token, multipart: form });
    expect(res.status).toBe(201);
    expect(res.body.map((u: { category: string }) => u.category)).toEqual([
      'document',
      'image',
      'image',
    ]);
    const received = fake.uploads.slice(-3);
    expect(received.map((u) => u.folder)).toEqual([
      '/media-chat/uploads',
      '/media-chat/uploads',
      '/media-chat/uploads',
    ]);
    expect(received[0].bytes.equals(files.pdf)).toBe(true);
    // Uploaded as private files, linked with ImageKit's signed URLs.
    expect(received.map((u) => u.isPrivateFile)).toEqual([true, true, true]);
    expect(res.body[0].public_url).toMatch(
      new RegExp(`^${fake.urlEndpoint}${received[0].filePath}\\?ik-t=\\d+&ik-s=[0-9a-f]{40}$`),
    );

    expect(
      (await t.http.delete(`/api/uploads/${res.body[0].id}`, { token: user.token })).status,
    ).toBe(204);
    expect(fake.deleted).toContain(received[0].fileId);
  });

  it('stores nothing when ImageKit fails part-way', async () => {
    const before = fake.files.size;
    const uploads = fake.uploads.length;
    fake.failUploadsAfter = 1;
    const form = new FormData();
    form.append('file', new Blob([files.txt]), 'a.txt');
    form.append('file', new Blob([files.csv]), 'b.csv');
    const res = await t.http.post('/api/uploads/multiple', { token: user.token, multipart: form });
    fake.failUploadsAfter = null;
    expect(res.status).toBe(502);
    // The first file had been stored: it is deleted again.
    expect(fake.uploads.length).toBe(uploads + 1);
    expect(fake.deleted).toContain(fake.uploads.at(-1)?.fileId);
    expect(fake.files.size).toBe(before);
  });
});
