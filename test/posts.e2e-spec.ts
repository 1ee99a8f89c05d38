import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { MediaService } from '../src/media/media.service';
import { UsersService } from '../src/users/users.service';
import { FakeImageKit } from './support/fake-imagekit';
import { form, html, jpeg, mp4, png } from './support/media-fixtures';
import { createTestApp, type TestApp } from './support/test-app';
import { logIn, signUp, type TestUser } from './support/users';

const MAX_UPLOAD = 300 * 1024;
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

describe.each(['local', 'imagekit'] as const)('Posts and media (%s driver)', (driver) => {
  let t: TestApp;
  let fake: FakeImageKit;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;
  let mediaDir: string;
  let image: Buffer;

  const upload = (
    user: TestUser,
    file?: { bytes: Buffer; name: string; type?: string },
    caption?: string,
  ) => t.http.post('/upload', { token: user.token, multipart: form({ file, caption }) });
  const postRows = async () =>
    Number((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM posts'))[0].n);
  const storedLocalFiles = () =>
    existsSync(join(mediaDir, 'posts')) ? readdirSync(join(mediaDir, 'posts')) : [];
  const tempFiles = () =>
    existsSync(join(mediaDir, '.tmp')) ? readdirSync(join(mediaDir, '.tmp')) : [];

  beforeAll(async () => {
    fake = new FakeImageKit();
    await fake.start();
    const env: Record<string, string> = {
      MAX_UPLOAD_BYTES: String(MAX_UPLOAD),
      MEDIA_DELETE_RETRY_MS: '3600000',
    };
    if (driver === 'imagekit') {
      Object.assign(env, {
        IMAGEKIT_PRIVATE_KEY: fake.privateKey,
        IMAGEKIT_PUBLIC_KEY: 'public_test',
        IMAGEKIT_URL_ENDPOINT: fake.urlEndpoint,
        IMAGEKIT_BASE_URL: fake.baseUrl,
        IMAGEKIT_TIMEOUT_MS: '1500',
      });
    }
    t = await createTestApp(env);
    mediaDir = join(t.dataDir, 'media');
    alice = await signUp(t.http);
    bob = await signUp(t.http);
    await t.app.get(UsersService).ensureSuperuser('root@example.com', 'root password');
    admin = {
      id: '',
      email: 'root@example.com',
      password: 'root password',
      username: '',
      token: await logIn(t.http, 'root@example.com', 'root password'),
    };
    image = await png();
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  describe('POST /upload', () => {
    it('stores an image and answers with the post', async () => {
      const res = await upload(
        alice,
        { bytes: image, name: 'sunset.png', type: 'image/png' },
        'Sunset',
      );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        user_id: alice.id,
        author: { id: alice.id, username: alice.username, avatar_url: null },
        caption: 'Sunset',
        url: expect.any(String),
        thumbnail_url: expect.any(String),
        file_type: 'image',
        mime_type: 'image/png',
        file_name: 'sunset.png',
        size: expect.any(Number),
        width: 640,
        height: 480,
        duration: null,
        like_count: 0,
        comment_count: 0,
        liked_by_me: false,
        hidden: false,
        created_at: expect.any(String),
        updated_at: expect.any(String),
        is_owner: true,
      });
      expect(JSON.stringify(res.body)).not.toContain(alice.email);
      if (driver === 'local') {
        const file = await t.http.bytes(pathOf(res.body.url));
        expect(file.status).toBe(200);
        expect(file.headers.get('content-type')).toBe('image/png');
        expect(file.headers.get('cache-control')).toContain('max-age=31536000');
        // Re-encoded without metadata (PNG stays lossless): the same pixels, other bytes.
        expect(file.body.length).toBe(res.body.size);
        expect(await samePixels(file.body, image)).toBe(true);
        const part = await t.http.bytes(pathOf(res.body.url), { range: 'bytes=0-99' });
        expect(part.status).toBe(206);
        expect(part.body.length).toBe(100);
        const thumb = await t.http.bytes(pathOf(res.body.thumbnail_url));
        const meta = await sharp(thumb.body).metadata();
        expect([meta.width, meta.height]).toEqual([400, 300]);
      } else {
        const received = fake.uploads.at(-1);
        expect(received?.bytes.length).toBe(res.body.size);
        expect(await samePixels(received!.bytes, image)).toBe(true);
        expect(received?.folder).toBe('/media-chat/posts');
        expect(res.body.url).toBe(`${fake.urlEndpoint}${received?.filePath}`);
        expect(res.body.thumbnail_url).toContain('w-400,h-400,c-at_max');
      }
    });

    it('accepts videos, recognized by their bytes', async () => {
      const res = await upload(alice, {
        bytes: mp4(),
        name: 'clip.bin',
        type: 'application/octet-stream',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        file_type: 'video',
        mime_type: 'video/mp4',
        caption: '',
      });
      if (driver === 'local') {
        expect(res.body.url).toMatch(/\.mp4$/);
        expect([res.body.width, res.body.height]).toEqual([null, null]);
      } else {
        // ImageKit's poster frame, in the same 400x400 box as image thumbnails; the file is
        // named by what it is (.mp4), not by the client's name (.bin).
        expect(res.body.thumbnail_url).toMatch(
          /\/clip_\w+\.mp4\/ik-thumbnail\.jpg\?tr=w-400,h-400,c-at_max$/,
        );
        // ImageKit measures videos; its dimensions are kept.
        expect([res.body.width, res.body.height]).toEqual([1280, 720]);
      }
    });

    it('goes by the content, not the name: a PNG named .mp4 is an image', async () => {
      const res = await upload(alice, { bytes: image, name: 'movie.mp4', type: 'video/mp4' });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ file_type: 'image', mime_type: 'image/png' });
    });

    it('rejects HTML sent as image/png with 415 and stores nothing', async () => {
      const rows = await postRows();
      const uploads = fake.uploads.length;
      const files = storedLocalFiles().length;
      const res = await upload(alice, { bytes: html, name: 'cat.png', type: 'image/png' });
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(await postRows()).toBe(rows);
      expect(fake.uploads.length).toBe(uploads);
      expect(storedLocalFiles().length).toBe(files);
      expect(tempFiles()).toEqual([]);
    });

    it('rejects a truncated image with 400 INVALID_IMAGE', async () => {
      const res = await upload(alice, {
        bytes: (await jpeg()).subarray(0, 400),
        name: 'cut.jpg',
        type: 'image/jpeg',
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('INVALID_IMAGE');
    });

    it('rejects a file over MAX_UPLOAD_BYTES with 413 and discards the partial upload', async () => {
      const rows = await postRows();
      const big = Buffer.concat([image, Buffer.alloc(MAX_UPLOAD, 7)]);
      const res = await upload(alice, { bytes: big, name: 'big.png', type: 'image/png' });
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ code: 'FILE_TOO_LARGE', max_bytes: MAX_UPLOAD });
      expect(await postRows()).toBe(rows);
      expect(tempFiles()).toEqual([]);
    });

    it('rejects an empty file, a missing file and a non-multipart body', async () => {
      const empty = await upload(alice, { bytes: Buffer.alloc(0), name: 'empty.png' });
      expect(empty.status).toBe(400);
      expect(empty.body.code).toBe('EMPTY_FILE');
      const missing = await upload(alice, undefined, 'just a caption');
      expect(missing.status).toBe(400);
      expect(missing.body.code).toBe('FILE_REQUIRED');
      const json = await t.http.post('/upload', { token: alice.token, json: { caption: 'x' } });
      expect(json.status).toBe(415);
    });

    it('rejects a caption over 2,200 characters and unknown fields', async () => {
      const long = await upload(alice, { bytes: image, name: 'a.png' }, 'x'.repeat(2201));
      expect(long.status).toBe(400);
      expect(long.body.code).toBe('CAPTION_TOO_LONG');
      const data = form({ file: { bytes: image, name: 'a.png' } });
      data.append('user_id', bob.id);
      const extra = await t.http.post('/upload', { token: alice.token, multipart: data });
      expect(extra.status).toBe(400);
      expect(extra.body.code).toBe('UNEXPECTED_FIELD');
    });

    it('needs a token', async () => {
      const res = await t.http.post('/upload', {
        multipart: form({ file: { bytes: image, name: 'a.png' } }),
      });
      expect(res.status).toBe(401);
    });
  });

  describe('feed', () => {
    it('pages newest first with no duplicates or gaps while new posts arrive', async () => {
      const author = await signUp(t.http);
      const created: string[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await upload(author, { bytes: image, name: `p${i}.png` }, `post ${i}`);
        created.push(res.body.id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `/users/${author.id}/posts?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await t.http.get(query, { token: bob.token });
        expect(page.status).toBe(200);
        seen.push(...page.body.items.map((p: { id: string }) => p.id));
        cursor = page.body.next_cursor;
        // A post published mid-way must not shift later pages.
        if (pages++ === 0) await upload(author, { bytes: image, name: 'late.png' }, 'late');
      } while (cursor);
      expect(seen).toEqual([...created].reverse());
      expect(pages).toBe(3);
    });

    it('serves the global feed at /feed and /feeds with is_owner', async () => {
      const feed = await t.http.get('/feed?limit=100', { token: alice.token });
      const alias = await t.http.get('/feeds?limit=100', { token: alice.token });
      expect(feed.status).toBe(200);
      expect(alias.body).toEqual(feed.body);
      const times = feed.body.items.map((p: { created_at: string }) => p.created_at);
      expect([...times].sort().reverse()).toEqual(times);
      expect(feed.body.items.some((p: { is_owner: boolean }) => p.is_owner)).toBe(true);
      expect(
        feed.body.items.every(
          (p: { is_owner: boolean; user_id: string }) => p.is_owner === (p.user_id === alice.id),
        ),
      ).toBe(true);
    });

    it('validates limit and cursor', async () => {
      for (const q of [
        'limit=0',
        'limit=101',
        'limit=abc',
        'cursor=bogus',
        'cursor=' + Buffer.from('x|y').toString('base64url'),
      ]) {
        const res = await t.http.get(`/feed?${q}`, { token: alice.token });
        expect(res.status).toBe(400);
      }
      expect((await t.http.get('/feed?cursor=bogus', { token: alice.token })).body.code).toBe(
        'INVALID_CURSOR',
      );
    });

    it('counts posts in the profile and lists mine', async () => {
      const user = await signUp(t.http);
      await upload(user, { bytes: image, name: 'a.png' });
      await upload(user, { bytes: image, name: 'b.png' });
      expect((await t.http.get('/users/me', { token: user.token })).body.post_count).toBe(2);
      expect((await t.http.get(`/users/${user.id}`, { token: bob.token })).body.post_count).toBe(2);
      const mine = await t.http.get('/users/me/posts', { token: user.token });
      expect(mine.body.items).toHaveLength(2);
      expect(mine.body.next_cursor).toBeNull();
    });
  });

  describe('post management', () => {
    let postId: string;
    let postUrl: string;
    beforeEach(async () => {
      const res = await upload(alice, { bytes: image, name: 'mine.png' }, 'original');
      postId = res.body.id;
      postUrl = res.body.url;
    });

    it('GET /posts/{id}, 404 for unknown or malformed ids', async () => {
      const res = await t.http.get(`/posts/${postId}`, { token: bob.token });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: postId, is_owner: false, caption: 'original' });
      expect(
        (await t.http.get('/posts/00000000-0000-4000-8000-000000000000', { token: bob.token })).body
          .code,
      ).toBe('POST_NOT_FOUND');
      expect((await t.http.get('/posts/nope', { token: bob.token })).status).toBe(404);
    });

    it('lets the author edit the caption, not others', async () => {
      const other = await t.http.patch(`/posts/${postId}`, {
        token: bob.token,
        json: { caption: 'hijacked' },
      });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('NOT_POST_OWNER');
      const mine = await t.http.patch(`/posts/${postId}`, {
        token: alice.token,
        json: { caption: 'edited' },
      });
      expect(mine.status).toBe(200);
      expect(mine.body.caption).toBe('edited');
      const bad = await t.http.patch(`/posts/${postId}`, {
        token: alice.token,
        json: { caption: 'x'.repeat(2201) },
      });
      expect(bad.status).toBe(400);
    });

    it('replaces the media, keeping id and caption, and deletes the old file', async () => {
      const other = await t.http.put(`/posts/${postId}/media`, {
        token: bob.token,
        multipart: form({ file: { bytes: await jpeg(), name: 'x.jpg' } }),
      });
      expect(other.status).toBe(403);
      const oldFileId = fake.uploads.at(-1)?.fileId;
      const res = await t.http.put(`/posts/${postId}/media`, {
        token: alice.token,
        multipart: form({ file: { bytes: await jpeg(), name: 'new.jpg' } }),
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: postId,
        caption: 'original',
        mime_type: 'image/jpeg',
        width: 320,
        height: 240,
      });
      expect(res.body.url).not.toBe(postUrl);
      if (driver === 'local') {
        expect((await t.http.bytes(pathOf(postUrl))).status).toBe(404);
        expect((await t.http.bytes(pathOf(res.body.url))).status).toBe(200);
      } else {
        expect(fake.deleted).toContain(oldFileId);
      }
    });

    it('lets the author delete, refuses others, removes the file', async () => {
      expect((await t.http.delete(`/posts/${postId}`, { token: bob.token })).status).toBe(403);
      const res = await t.http.delete(`/posts/${postId}`, { token: alice.token });
      expect(res.status).toBe(204);
      expect((await t.http.get(`/posts/${postId}`, { token: alice.token })).status).toBe(404);
      if (driver === 'local') expect((await t.http.bytes(pathOf(postUrl))).status).toBe(404);
      else expect(fake.deleted).toContain(fake.uploads.at(-1)?.fileId);
    });

    it('lets a superuser delete anyone’s post', async () => {
      expect((await t.http.delete(`/posts/${postId}`, { token: admin.token })).status).toBe(204);
    });

    it('builds transformed URLs and rejects unsupported transformations', async () => {
      const res = await t.http.get(`/posts/${postId}/url?tr=w-100,h-50,c-force`, {
        token: bob.token,
      });
      expect(res.status).toBe(200);
      if (driver === 'local') {
        const file = await t.http.bytes(pathOf(res.body.url));
        const meta = await sharp(file.body).metadata();
        expect([meta.width, meta.height, meta.format]).toEqual([100, 50, 'png']);
      } else {
        expect(res.body.url).toContain('w-100,h-50,c-force');
        expect(res.body.url.startsWith(fake.urlEndpoint)).toBe(true);
      }
      const bad = await t.http.get(`/posts/${postId}/url?tr=e-shadow`, { token: bob.token });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('UNSUPPORTED_TRANSFORMATION');
      expect(bad.body.detail).toContain('Supported:');
    });

    it('overlays another post image (l-image), never a chat file', async () => {
      const other = await upload(bob, { bytes: await jpeg(40, 40), name: 'badge.jpg' });
      const host = (await t.http.get(`/posts/${other.body.id}`, { token: bob.token })).body;
      // The layer's path as the driver stores it, with @@ for /.
      const layerPath =
        driver === 'local'
          ? new URL(host.url).pathname.replace(/^\/media\//, '')
          : fake.uploads.at(-1)!.filePath.replace(/^\//, '');
      const target = await upload(alice, { bytes: image, name: 'base.png' });
      const tr = `l-image,i-${layerPath.replace(/\//g, '@@')},w-40,h-40,lx-0,ly-0,l-end`;
      const res = await t.http.get(`/posts/${target.body.id}/url?tr=${encodeURIComponent(tr)}`, {
        token: alice.token,
      });
      expect(res.status).toBe(200);
      if (driver === 'local') {
        const file = await t.http.bytes(pathOf(res.body.url));
        const { data } = await sharp(file.body).raw().toBuffer({ resolveWithObject: true });
        // The top-left pixel is the badge's (#3366aa), not the gradient's black corner.
        const badge = [0x33, 0x66, 0xaa];
        expect([0, 1, 2].every((i) => Math.abs(data[i] - badge[i]) < 24)).toBe(true);
      } else {
        expect(res.body.url).toContain(
          `l-image,i-${layerPath.replace(/\//g, '@@')},lx-0,ly-0,w-40,h-40,l-end`,
        );
      }
      const chat = await t.http.post('/api/uploads', {
        token: alice.token,
        multipart: form({ file: { bytes: await jpeg(20, 20), name: 'secret.jpg' } }),
      });
      const chatPath =
        driver === 'local'
          ? new URL(chat.body.public_url).pathname.replace(/^\/media\//, '')
          : fake.uploads.at(-1)!.filePath.replace(/^\//, '');
      const refused = await t.http.get(
        `/posts/${target.body.id}/url?tr=${encodeURIComponent(`l-image,i-${chatPath.replace(/\//g, '@@')},l-end`)}`,
        { token: alice.token },
      );
      expect(refused.status).toBe(400);
      expect(refused.body.code).toBe('LAYER_NOT_FOUND');
    });
  });

  describe('avatars', () => {
    it('sets avatar_url from an uploaded image and deletes the previous one', async () => {
      const user = await signUp(t.http);
      const first = await t.http.post('/users/me/avatar', {
        token: user.token,
        multipart: form({ file: { bytes: image, name: 'me.png' } }),
      });
      expect(first.status).toBe(201);
      expect(first.body.avatar_url).toEqual(expect.any(String));
      const firstId = fake.uploads.at(-1)?.fileId;
      const second = await t.http.post('/users/me/avatar', {
        token: user.token,
        multipart: form({ file: { bytes: await jpeg(), name: 'me2.jpg' } }),
      });
      expect(second.body.avatar_url).not.toBe(first.body.avatar_url);
      if (driver === 'imagekit') expect(fake.deleted).toContain(firstId);
      else expect((await t.http.bytes(pathOf(first.body.avatar_url))).status).toBe(404);
      const video = await t.http.post('/users/me/avatar', {
        token: user.token,
        multipart: form({ file: { bytes: mp4(), name: 'v.mp4' } }),
      });
      expect(video.status).toBe(415);
    });
  });

  if (driver === 'local') {
    describe('local transformations (checked with sharp)', () => {
      let path: string;
      beforeAll(async () => {
        path = pathOf((await upload(alice, { bytes: image, name: 'src.png' })).body.url);
      });
      const render = async (tr: string) => {
        const res = await t.http.bytes(`${path}?tr=${encodeURIComponent(tr)}`);
        expect(res.status).toBe(200);
        return {
          res,
          meta: await sharp(res.body).metadata(),
          stats: await sharp(res.body).stats(),
        };
      };

      it('resizes with each crop mode', async () => {
        expect((await render('w-320,h-320,c-at_max')).meta).toMatchObject({
          width: 320,
          height: 240,
        });
        expect((await render('w-320,h-320,c-at_least')).meta).toMatchObject({
          width: 427,
          height: 320,
        });
        expect((await render('w-200,h-200,c-maintain_ratio')).meta).toMatchObject({
          width: 200,
          height: 200,
        });
        expect((await render('w-100,h-300,c-force')).meta).toMatchObject({
          width: 100,
          height: 300,
        });
        expect((await render('w-160')).meta).toMatchObject({ width: 160, height: 120 });
      });

      it('converts format and quality', async () => {
        const webp = await render('w-200,f-webp,q-50');
        expect(webp.meta.format).toBe('webp');
        expect(webp.res.headers.get('content-type')).toBe('image/webp');
        expect((await render('f-jpg')).meta.format).toBe('jpeg');
        expect((await render('f-avif')).meta.format).toBe('heif');
      });

      it('applies grayscale, blur and a text overlay', async () => {
        const gray = await render('e-grayscale');
        const [r, g, b] = gray.stats.channels;
        expect(Math.abs(r.mean - g.mean)).toBeLessThan(1);
        expect(Math.abs(g.mean - b.mean)).toBeLessThan(1);
        const sharpness = (await render('w-200')).stats.sharpness;
        expect((await render('w-200:bl-20')).stats.sharpness).toBeLessThan(sharpness);
        const plain = await render('w-300');
        const text = await render('w-300,l-text,i-Hello,fs-48,co-ffffff,l-end');
        expect(text.res.body.equals(plain.res.body)).toBe(false);
        expect(text.stats.channels[2].max).toBe(255);
      });

      it('rejects unsupported parameters and keeps files private', async () => {
        const res = await t.http.get(`${path}?tr=e-shadow`);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('UNSUPPORTED_TRANSFORMATION');
        expect((await t.http.get('/media/.tmp/x')).status).toBe(404);
        expect((await t.http.get('/media/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
      });
    });
  }

  if (driver === 'imagekit') {
    describe('ImageKit failures', () => {
      afterEach(() => {
        fake.uploadMode = 'ok';
        fake.deleteMode = 'ok';
        fake.release();
      });

      it('answers 502 MEDIA_UPLOAD_FAILED when ImageKit fails, with no post row', async () => {
        const rows = await postRows();
        fake.uploadMode = 'fail';
        const res = await upload(alice, { bytes: image, name: 'a.png' });
        expect(res.status).toBe(502);
        expect(res.body.code).toBe('MEDIA_UPLOAD_FAILED');
        expect(res.text).not.toContain(fake.baseUrl);
        expect(await postRows()).toBe(rows);
      });

      it('answers 504 MEDIA_UPLOAD_TIMEOUT when ImageKit hangs', async () => {
        const rows = await postRows();
        fake.uploadMode = 'hang';
        const res = await upload(alice, { bytes: image, name: 'a.png' });
        expect(res.status).toBe(504);
        expect(res.body.code).toBe('MEDIA_UPLOAD_TIMEOUT');
        expect(await postRows()).toBe(rows);
      });

      it('removes the post at once when ImageKit is down, and deletes the file later', async () => {
        const created = await upload(alice, { bytes: image, name: 'a.png' });
        const fileId = fake.uploads.at(-1)?.fileId ?? '';
        fake.deleteMode = 'fail';
        expect(
          (await t.http.delete(`/posts/${created.body.id}`, { token: alice.token })).status,
        ).toBe(204);
        expect((await t.http.get(`/posts/${created.body.id}`, { token: alice.token })).status).toBe(
          404,
        );
        expect(fake.files.has(fileId)).toBe(true);
        const pending = await t.app.get(DataSource).query('SELECT file_id FROM media_deletions');
        expect(pending).toEqual([{ file_id: fileId }]);

        fake.deleteMode = 'ok';
        const media = t.app.get(MediaService);
        expect(await media.retryPendingDeletes(new Date(Date.now() + 2 * 3600_000))).toBe(1);
        expect(fake.deleted).toContain(fileId);
        expect(await t.app.get(DataSource).query('SELECT * FROM media_deletions')).toEqual([]);
      });

      it('deletes the stored file again when the row cannot be written', async () => {
        const media = t.app.get(MediaService);
        const before = fake.deleted.length;
        const ghost = {
          ...((await t.app.get(UsersService).findById(alice.id)) as object),
          id: '00000000-0000-4000-8000-000000000000',
        };
        const { writeFileSync, mkdirSync } = await import('node:fs');
        mkdirSync(media.tempDir, { recursive: true });
        const tempPath = join(media.tempDir, 'ghost.upload');
        writeFileSync(tempPath, image);
        const { PostsService } = await import('../src/posts/posts.service');
        await expect(
          t.app
            .get(PostsService)
            .create(
              ghost as never,
              { field: 'file', fileName: 'g.png', tempPath, size: image.length },
              '',
            ),
        ).rejects.toThrow();
        expect(fake.deleted.length).toBe(before + 1);
        expect(fake.deleted.at(-1)).toBe(fake.uploads.at(-1)?.fileId);
      });
    });
  }
});

/** Whether two images decode to the same pixels. */
async function samePixels(a: Buffer, b: Buffer): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map((i) => sharp(i).raw().toBuffer()));
  return x.equals(y);
}
