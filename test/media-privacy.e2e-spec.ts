import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { LinkSigner } from '../src/media/link-signer';
import { MediaService } from '../src/media/media.service';
import { FakeImageKit } from './support/fake-imagekit';
import { describeImage, form, LEAKS, photoWithMetadata } from './support/media-fixtures';
import { createTestApp, TEST_JWT_SECRET, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

const CLIP = readFileSync(join(__dirname, 'fixtures', 'clip.mp4'));
/** What the clip's container says about it (ffmpeg wrote these tags). */
const CLIP_LEAKS = ['+48.8584+002.2945', 'iPhone 15', 'Holiday'];

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};
const RED = [255, 0, 0];
const BLUE = [0, 0, 255];
const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 40);

describe.each(['local', 'imagekit'] as const)('Photo metadata (%s driver)', (driver) => {
  let t: TestApp;
  let fake: FakeImageKit;
  let alice: TestUser;

  beforeAll(async () => {
    fake = new FakeImageKit();
    await fake.start();
    t = await createTestApp(
      driver === 'imagekit'
        ? {
            IMAGEKIT_PRIVATE_KEY: fake.privateKey,
            IMAGEKIT_PUBLIC_KEY: 'public_test',
            IMAGEKIT_URL_ENDPOINT: fake.urlEndpoint,
            IMAGEKIT_BASE_URL: fake.baseUrl,
          }
        : {},
    );
    alice = await signUp(t.http);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  /** The bytes stored for a link the API gave: served by the app, or received by ImageKit. */
  const storedBytes = async (url: string): Promise<Buffer> => {
    if (driver === 'imagekit') {
      const path = new URL(url).pathname.replace(new URL(fake.urlEndpoint).pathname, '');
      const file = fake.uploads.find((u) => u.filePath === path);
      if (!file) throw new Error(`nothing uploaded at ${path}`);
      return file.bytes;
    }
    const res = await t.http.bytes(pathOf(url));
    expect(res.status).toBe(200);
    return res.body;
  };

  it.each(['jpeg', 'png', 'webp'] as const)(
    'a %s post keeps its look and colour profile, and loses EXIF, GPS and XMP',
    async (format) => {
      const photo = await photoWithMetadata(format);
      const before = await describeImage(photo);
      // The planted metadata is really there to begin with.
      expect(before).toMatchObject({ orientation: 6, exif: true, xmp: true, icc: true });
      const res = await t.http.post('/upload', {
        token: alice.token,
        multipart: form({ file: { bytes: photo, name: `photo.${format}` } }),
      });
      expect(res.status).toBe(201);
      expect([res.body.width, res.body.height]).toEqual([20, 40]);
      const stored = await storedBytes(res.body.url);
      expect(res.body.size).toBe(stored.length);
      const after = await describeImage(stored);
      expect(after).toMatchObject({
        width: 20,
        height: 40,
        exif: false,
        xmp: false,
        iptc: false,
        icc: true,
        leaks: [],
      });
      expect(after.orientation ?? 1).toBe(1);
      // Turned as it was shown: the red half on top.
      expect(near(after.top, RED)).toBe(true);
      expect(near(after.bottom, BLUE)).toBe(true);
    },
  );

  it('avatars and chat images are stored without metadata too', async () => {
    const photo = await photoWithMetadata('jpeg');
    const avatar = await t.http.post('/users/me/avatar', {
      token: alice.token,
      multipart: form({ file: { bytes: photo, name: 'me.jpg' } }),
    });
    expect(avatar.status).toBe(201);
    const original = avatar.body.avatar_url.split('?')[0];
    expect((await describeImage(await storedBytes(original))).leaks).toEqual([]);
    expect((await describeImage(await storedBytes(original))).exif).toBe(false);

    const chat = await t.http.post('/api/uploads', {
      token: alice.token,
      multipart: form({ file: { bytes: photo, name: 'holiday.jpg' } }),
    });
    expect(chat.status).toBe(201);
    const bytes =
      driver === 'imagekit'
        ? (fake.uploads.at(-1)?.bytes as Buffer)
        : await storedBytes(chat.body.public_url);
    expect(await describeImage(bytes)).toMatchObject({ exif: false, xmp: false, leaks: [] });
    expect(chat.body.size).toBe(bytes.length);
  });

  it('keeps no copy of the original bytes anywhere', async () => {
    const photo = await photoWithMetadata('jpeg');
    await t.http.post('/upload', {
      token: alice.token,
      multipart: form({ file: { bytes: photo, name: 'again.jpg' } }),
    });
    const { spawnSync } = await import('node:child_process');
    // Every file the app wrote (media, cache, temp), searched for the planted strings.
    for (const leak of LEAKS) {
      const grep = spawnSync('grep', ['-rlaF', leak, t.dataDir], { encoding: 'utf8' });
      expect([leak, grep.status, grep.stdout]).toEqual([leak, 1, '']);
    }
  });
});

describe('Videos on the local driver', () => {
  let t: TestApp;
  let alice: TestUser;
  beforeAll(async () => {
    t = await createTestApp();
    alice = await signUp(t.http);
  });
  afterAll(() => t.close());

  it('get their tags removed, dimensions, duration and a poster frame; delete removes both', async () => {
    const res = await t.http.post('/upload', {
      token: alice.token,
      multipart: form({ file: { bytes: CLIP, name: 'holiday.mp4' } }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ file_type: 'video', width: 160, height: 120, duration: 2 });
    const video = await t.http.bytes(pathOf(res.body.url));
    expect(video.body.length).toBe(res.body.size);
    for (const leak of CLIP_LEAKS)
      expect(CLIP.includes(leak) && !video.body.includes(leak)).toBe(true);
    const poster = await t.http.bytes(pathOf(res.body.thumbnail_url));
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(poster.body).metadata();
    expect([meta.width, meta.height]).toEqual([160, 120]);

    expect((await t.http.delete(`/posts/${res.body.id}`, { token: alice.token })).status).toBe(204);
    expect((await t.http.bytes(pathOf(res.body.url))).status).toBe(404);
    expect((await t.http.bytes(pathOf(res.body.thumbnail_url))).status).toBe(404);
  });
});

// An app of its own, with no other app open: the log line is read from its logger.
describe('Videos without ffmpeg', () => {
  it('one start-up line says so, and the fields stay null', async () => {
    // Test apps log through Nest's testing logger; the warning is read where it is made.
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const notFound = () =>
      warn.mock.calls.filter(([m]) => String(m).includes('ffmpeg/ffprobe not found'));
    const bare = await createTestApp({
      FFMPEG_PATH: '/nonexistent/ffmpeg',
      FFPROBE_PATH: '/nonexistent/ffprobe',
    });
    try {
      expect(notFound()).toHaveLength(1);
      const user = await signUp(bare.http);
      const res = await bare.http.post('/upload', {
        token: user.token,
        multipart: form({ file: { bytes: CLIP, name: 'holiday.mp4' } }),
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        width: null,
        height: null,
        duration: null,
        thumbnail_url: null,
      });
      // Stored as sent: the tags are still there, as the log line warned.
      const stored = await bare.http.bytes(pathOf(res.body.url));
      expect(stored.body.equals(CLIP)).toBe(true);
      expect(notFound()).toHaveLength(1);
    } finally {
      warn.mockRestore();
      await bare.close();
    }
  });
});

describe('Private files (local driver)', () => {
  let t: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    t = await createTestApp({ MEDIA_SIGNED_URL_TTL: '120' });
    alice = await signUp(t.http);
    bob = await signUp(t.http);
  });
  afterAll(() => t.close());

  it('chat files are served only through fresh signed links; posts stay public and cacheable', async () => {
    const up = await t.http.post('/api/uploads', {
      token: alice.token,
      multipart: form({ file: { bytes: Buffer.from('%PDF-1.4\n%secret\n'), name: 'a.pdf' } }),
    });
    expect(up.status).toBe(201);
    const link = new URL(up.body.public_url);
    const path = link.pathname.replace(/^\/media\//, '');
    const exp = Number(link.searchParams.get('exp'));
    // About MEDIA_SIGNED_URL_TTL from now (rounded up to the minute).
    expect(exp * 1000 - Date.now()).toBeGreaterThan(110_000);
    expect(exp * 1000 - Date.now()).toBeLessThan(190_000);

    const ok = await t.http.bytes(pathOf(up.body.public_url));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toMatch(/^private, max-age=\d+$/);

    const tries: Array<[string, string]> = [
      [link.pathname, 'MEDIA_LINK_INVALID'],
      [`${link.pathname}?exp=${exp}&sig=${'A'.repeat(22)}`, 'MEDIA_LINK_INVALID'],
      [
        `${link.pathname}?exp=${exp + 60}&sig=${link.searchParams.get('sig')}`,
        'MEDIA_LINK_INVALID',
      ],
      [
        `${link.pathname}?tr=w-10&exp=${exp}&sig=${link.searchParams.get('sig')}`,
        'MEDIA_LINK_INVALID',
      ],
    ];
    // Signed with the app's key, but expired an hour ago.
    const old = new LinkSigner(TEST_JWT_SECRET).sign(path, undefined, 60, Date.now() - 3_600_000);
    tries.push([`${link.pathname}?exp=${old.exp}&sig=${old.sig}`, 'MEDIA_LINK_EXPIRED']);
    // Even a file that does not exist answers the same: nothing is looked up unsigned.
    tries.push([
      '/media/private/uploads/00000000-0000-4000-8000-000000000000.pdf',
      'MEDIA_LINK_INVALID',
    ]);
    for (const [url, code] of tries) {
      const res = await t.http.get(url);
      expect([url, res.status, res.body.code]).toEqual([url, 403, code]);
    }

    // Each response signs afresh: a later read gives a link at least as long-lived.
    const again = await t.http.get(`/api/uploads/${up.body.id}`, { token: alice.token });
    expect(Number(new URL(again.body.public_url).searchParams.get('exp'))).toBeGreaterThanOrEqual(
      exp,
    );

    const post = await t.http.post('/upload', {
      token: alice.token,
      multipart: form({
        file: {
          bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
            .png()
            .toBuffer(),
          name: 'p.png',
        },
      }),
    });
    const pub = await t.http.bytes(pathOf(post.body.url));
    expect(pub.status).toBe(200);
    expect(pub.headers.get('cache-control')).toContain('immutable');
    expect(new URL(post.body.url).search).toBe('');
  });

  it('a member removed from a private room gets no new links to its files', async () => {
    const room = await t.http.post('/api/rooms', {
      token: alice.token,
      json: { name: 'secret', is_private: true },
    });
    await t.http.post(`/api/rooms/${room.body.id}/members`, {
      token: alice.token,
      json: { user_id: bob.id },
    });
    const up = await t.http.post('/api/uploads', {
      token: alice.token,
      multipart: form({ file: { bytes: Buffer.from('%PDF-1.4\n'), name: 'plan.pdf' } }),
    });
    await t.http.post(`/api/rooms/${room.body.id}/messages`, {
      token: alice.token,
      json: { file_id: up.body.id },
    });
    const seen = await t.http.get(`/api/rooms/${room.body.id}/messages`, { token: bob.token });
    expect(seen.body.items[0].file.url).toContain('sig=');
    expect((await t.http.get(`/api/uploads/${up.body.id}`, { token: bob.token })).status).toBe(200);

    await t.http.delete(`/api/rooms/${room.body.id}/members/${bob.id}`, { token: alice.token });
    expect(
      (await t.http.get(`/api/rooms/${room.body.id}/messages`, { token: bob.token })).status,
    ).toBe(404);
    expect((await t.http.get(`/api/uploads/${up.body.id}`, { token: bob.token })).status).toBe(404);
  });
});

describe('Deletes purge the CDN (ImageKit)', () => {
  let t: TestApp;
  let fake: FakeImageKit;
  let alice: TestUser;
  beforeAll(async () => {
    fake = new FakeImageKit();
    await fake.start();
    t = await createTestApp({
      IMAGEKIT_PRIVATE_KEY: fake.privateKey,
      IMAGEKIT_PUBLIC_KEY: 'public_test',
      IMAGEKIT_URL_ENDPOINT: fake.urlEndpoint,
      IMAGEKIT_BASE_URL: fake.baseUrl,
      MEDIA_DELETE_RETRY_MS: '3600000',
    });
    alice = await signUp(t.http);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  const post = async () => {
    const res = await t.http.post('/upload', {
      token: alice.token,
      multipart: form({
        file: {
          bytes: await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
            .png()
            .toBuffer(),
          name: 'p.png',
        },
      }),
    });
    return { id: res.body.id as string, upload: fake.uploads.at(-1)! };
  };

  it('a deleted post is purged from the CDN', async () => {
    const { id, upload } = await post();
    expect((await t.http.delete(`/posts/${id}`, { token: alice.token })).status).toBe(204);
    expect(fake.deleted).toContain(upload.fileId);
    expect(fake.purged).toContain(`${fake.urlEndpoint}${upload.filePath}`);
  });

  it('a purge that fails is retried with the delete, through media_deletions', async () => {
    const { id, upload } = await post();
    fake.purgeMode = 'fail';
    expect((await t.http.delete(`/posts/${id}`, { token: alice.token })).status).toBe(204);
    const url = `${fake.urlEndpoint}${upload.filePath}`;
    expect(fake.purged).not.toContain(url);
    const pending = await t.app.get(DataSource).query('SELECT file_id, path FROM media_deletions');
    expect(pending).toEqual([{ file_id: upload.fileId, path: upload.filePath }]);
    fake.purgeMode = 'ok';
    expect(
      await t.app.get(MediaService).retryPendingDeletes(new Date(Date.now() + 7_200_000)),
    ).toBe(1);
    expect(fake.purged).toContain(url);
    expect(await t.app.get(DataSource).query('SELECT * FROM media_deletions')).toEqual([]);
  });
});
