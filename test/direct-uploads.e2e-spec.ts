import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { DIRECT_UPLOAD_ABANDONED_AFTER_MS, DirectUploads } from '../src/media/direct-uploads';
import { FakeImageKit } from './support/fake-imagekit';
import { describeImage, photoWithMetadata } from './support/media-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

interface UploadAuth {
  token: string;
  expire: number;
  signature: string;
  public_key: string;
  upload_url: string;
  folder: string;
}

/** What a browser does with the parameters: one multipart POST straight to ImageKit. */
async function browserUpload(
  auth: UploadAuth,
  bytes: Buffer,
  fileName: string | null,
  folder = auth.folder,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.append('file', new Blob([bytes]), fileName ?? 'blob');
  if (fileName !== null) form.append('fileName', fileName);
  form.append('folder', folder);
  form.append('publicKey', auth.public_key);
  form.append('token', auth.token);
  form.append('expire', String(auth.expire));
  form.append('signature', auth.signature);
  const res = await fetch(auth.upload_url, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Direct uploads (ImageKit)', () => {
  let t: TestApp;
  let fake: FakeImageKit;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    fake = new FakeImageKit();
    await fake.start();
    t = await createTestApp({
      IMAGEKIT_PRIVATE_KEY: fake.privateKey,
      IMAGEKIT_PUBLIC_KEY: fake.publicKey,
      IMAGEKIT_URL_ENDPOINT: fake.urlEndpoint,
      IMAGEKIT_BASE_URL: fake.baseUrl,
      MAX_UPLOAD_BYTES: String(200 * 1024),
    });
    alice = await signUp(t.http);
    bob = await signUp(t.http);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const uploadAuth = async (user: TestUser) => {
    const res = await t.http.get<UploadAuth>('/media/upload-auth', { token: user.token });
    expect(res.status).toBe(200);
    return res.body;
  };

  it('hands out short-lived parameters for the user own folder', async () => {
    const auth = await uploadAuth(alice);
    expect(auth).toMatchObject({
      public_key: fake.publicKey,
      upload_url: `${fake.baseUrl}/api/v1/files/upload`,
      folder: `/media-chat/direct/${alice.id}`,
      token: expect.stringMatching(/^[0-9a-f-]{36}$/),
      signature: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    const left = auth.expire - Date.now() / 1000;
    expect(left).toBeGreaterThan(500);
    expect(left).toBeLessThanOrEqual(600);
    expect((await t.http.get('/media/upload-auth')).status).toBe(401);
  });

  it('turns a direct upload into a post stored like any other, and deletes the original', async () => {
    const photo = await photoWithMetadata('jpeg');
    const uploaded = await browserUpload(await uploadAuth(alice), photo, 'my holiday (1).jpg');
    expect(uploaded.status).toBe(200);
    // As ImageKit names it: characters outside letters, digits and .-_ become _.
    expect(uploaded.body.name).toMatch(/^my_holiday__1__\w+\.jpg$/);
    const directId = uploaded.body.fileId as string;

    const res = await t.http.post('/posts', {
      token: alice.token,
      json: { file_id: directId, caption: 'From the browser' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      caption: 'From the browser',
      file_type: 'image',
      mime_type: 'image/jpeg',
      width: 20,
      height: 40,
      is_owner: true,
    });
    const stored = fake.uploads.at(-1)!;
    expect(stored.folder).toBe('/media-chat/posts');
    expect(res.body.url).toBe(`${fake.urlEndpoint}${stored.filePath}`);
    expect(await describeImage(stored.bytes)).toMatchObject({ exif: false, xmp: false, leaks: [] });
    expect(res.body.size).toBe(stored.bytes.length);
    expect(fake.deleted).toContain(directId);

    const again = await t.http.post('/posts', { token: alice.token, json: { file_id: directId } });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('UPLOAD_NOT_FOUND');
  });

  it('takes a file once, even when two requests race for it', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#abc' } })
      .png()
      .toBuffer();
    const { body } = await browserUpload(await uploadAuth(alice), png, 'race.png');
    const both = await Promise.all(
      [1, 2].map(() =>
        t.http.post('/posts', { token: alice.token, json: { file_id: body.fileId } }),
      ),
    );
    const statuses = both.map((r) => r.status).sort();
    expect(statuses[0]).toBe(201);
    expect([404, 409]).toContain(statuses[1]);
    const posts = await t.http.get('/users/me/posts', { token: alice.token });
    expect(
      posts.body.items.filter((p: { file_name: string }) => p.file_name.startsWith('race')),
    ).toHaveLength(1);
  });

  it('deletes direct uploads no post took once they are old, and nothing else', async () => {
    const sweeper = t.app.get(DirectUploads);
    const png = await sharp({ create: { width: 6, height: 6, channels: 3, background: '#123' } })
      .png()
      .toBuffer();
    const abandoned = await browserUpload(await uploadAuth(bob), png, 'forgotten.png');
    const fresh = await browserUpload(await uploadAuth(bob), png, 'fresh.png');
    const taken = await browserUpload(await uploadAuth(bob), png, 'taken.png');
    const [abandonedId, freshId, takenId] = [abandoned, fresh, taken].map(
      (u) => u.body.fileId as string,
    );
    // A day and a bit ago, as far as ImageKit knows.
    fake.files.get(abandonedId)!.createdAt = new Date(Date.now() - 25 * 60 * 60 * 1000);
    // One being taken right now (claimed): left alone whatever its age.
    fake.files.get(takenId)!.createdAt = new Date(Date.now() - 25 * 60 * 60 * 1000);
    await t.app
      .get(DataSource)
      .query('INSERT INTO direct_upload_claims (file_id, user_id) VALUES ($1, $2)', [
        takenId,
        bob.id,
      ]);
    // Posts and avatars elsewhere in the library are never touched.
    const others = [...fake.files.values()].filter((f) => !f.folder.includes('/direct/'));
    for (const f of others) f.createdAt = new Date(0);

    const deleted = await sweeper.sweep(new Date(Date.now() - DIRECT_UPLOAD_ABANDONED_AFTER_MS));
    expect(deleted).toBe(1);
    expect(fake.files.has(abandonedId)).toBe(false);
    expect(fake.files.has(freshId)).toBe(true);
    expect(fake.files.has(takenId)).toBe(true);
    for (const f of others) expect(fake.files.has(f.fileId)).toBe(true);
    // The swept one is gone for good; the sweep's own claim is not left behind.
    const late = await t.http.post('/posts', { token: bob.token, json: { file_id: abandonedId } });
    expect([late.status, late.body.code]).toEqual([404, 'UPLOAD_NOT_FOUND']);
    const left = await t.app
      .get(DataSource)
      .query('SELECT 1 FROM direct_upload_claims WHERE file_id = $1', [abandonedId]);
    expect(left).toEqual([]);
    // The fresh one still becomes a post.
    const post = await t.http.post('/posts', { token: bob.token, json: { file_id: freshId } });
    expect(post.status).toBe(201);
  });

  it("refuses another user's file, a file outside the folder, a wrong type and a large file", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#abc' } })
      .png()
      .toBuffer();
    const mine = await browserUpload(await uploadAuth(alice), png, 'mine.png');
    const stolen = await t.http.post('/posts', {
      token: bob.token,
      json: { file_id: mine.body.fileId },
    });
    expect([stolen.status, stolen.body.code]).toEqual([404, 'UPLOAD_NOT_FOUND']);

    const outside = await browserUpload(await uploadAuth(alice), png, 'x.png', '/elsewhere');
    const res = await t.http.post('/posts', {
      token: alice.token,
      json: { file_id: outside.body.fileId },
    });
    expect([res.status, res.body.code]).toEqual([404, 'UPLOAD_NOT_FOUND']);

    const pdf = await browserUpload(await uploadAuth(alice), Buffer.from('%PDF-1.4\n'), 'a.pdf');
    const typed = await t.http.post('/posts', {
      token: alice.token,
      json: { file_id: pdf.body.fileId },
    });
    expect([typed.status, typed.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);

    const big = await sharp({
      create: {
        width: 400,
        height: 400,
        channels: 3,
        background: '#000000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    const large = await browserUpload(await uploadAuth(alice), big, 'big.png');
    const sized = await t.http.post('/posts', {
      token: alice.token,
      json: { file_id: large.body.fileId },
    });
    expect([sized.status, sized.body.code]).toEqual([413, 'FILE_TOO_LARGE']);

    const bad = await t.http.post('/posts', { token: alice.token, json: { file_id: '../x' } });
    expect([bad.status, bad.body.code]).toEqual([400, 'VALIDATION_ERROR']);
  });

  it('the fake answers as ImageKit does: one use per token, fileName required, AVIF is an image', async () => {
    const auth = await uploadAuth(alice);
    const avif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
      .avif()
      .toBuffer();
    const first = await browserUpload(auth, avif, 'pic.avif');
    expect(first.status).toBe(200);
    expect(first.body.fileType).toBe('image');
    expect(first.body.mime).toBe('image/avif');
    expect((await browserUpload(auth, avif, 'again.avif')).status).toBe(403);
    expect((await browserUpload(await uploadAuth(alice), avif, null)).status).toBe(400);
    const forged = { ...(await uploadAuth(alice)), signature: '0'.repeat(40) };
    expect((await browserUpload(forged, avif, 'x.avif')).status).toBe(403);
  });
});

describe('Direct uploads with the local driver', () => {
  it('answer 404 DIRECT_UPLOAD_UNAVAILABLE', async () => {
    const t = await createTestApp();
    try {
      const user = await signUp(t.http);
      const auth = await t.http.get('/media/upload-auth', { token: user.token });
      expect([auth.status, auth.body.code]).toEqual([404, 'DIRECT_UPLOAD_UNAVAILABLE']);
      const post = await t.http.post('/posts', { token: user.token, json: { file_id: 'abc' } });
      expect([post.status, post.body.code]).toEqual([404, 'DIRECT_UPLOAD_UNAVAILABLE']);
    } finally {
      await t.close();
    }
  });
});
