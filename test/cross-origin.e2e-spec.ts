import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { form, png } from './support/media-fixtures';
import { CHROMIUM, launchChromium } from './support/chromium';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';

const CLIP = readFileSync(join(__dirname, 'fixtures', 'clip.webm'));

/** A page served from another origin (its own port) that embeds and fetches `urls`. */
function otherOrigin(urls: { image: string; video: string; api: string }): Promise<Server> {
  const page = `<!DOCTYPE html><html><body>
<img id="image" src="${urls.image}">
<video id="video" src="${urls.video}" muted playsinline preload="auto"></video>
<script>
  window.fetched = fetch(${JSON.stringify(urls.image)}).then((r) => r.status, (e) => 'blocked: ' + e);
  window.api = fetch(${JSON.stringify(urls.api)}).then((r) => r.status, () => 'blocked');
</script>
</body></html>`;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Skipped only outside CI where no Chromium is installed (CI installs Debian's).
(existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip)(
  'Media embedded by a page on another origin, in Chromium (e2e)',
  () => {
    let t: TestApp;
    let user: TestUser;
    let browser: Browser;

    beforeAll(async () => {
      t = await createTestApp();
      user = await signUp(t.http);
      // The clip plays without a click.
      browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
    });
    afterAll(async () => {
      await browser?.close();
      await t.close();
    });

    async function post(bytes: Buffer, name: string, type: string): Promise<string> {
      const res = await t.http.post('/upload', {
        token: user.token,
        multipart: form({ file: { bytes, name, type }, caption: name }),
      });
      expect(res.status).toBe(201);
      // The file's path on this app (the stored URL's host is the configured public one).
      return `${t.http.baseUrl}${new URL(res.body.url as string).pathname}`;
    }

    it('shows an image, plays a video and lets a script read the image; the API stays closed', async () => {
      const image = await post(await png(48, 32), 'photo.png', 'image/png');
      const video = await post(CLIP, 'clip.webm', 'video/webm');
      const site = await otherOrigin({ image, video, api: `${t.http.baseUrl}/health` });
      const pageUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
      try {
        const page = await browser.newPage();
        const blocked: string[] = [];
        page.on('requestfailed', (r) => blocked.push(`${r.url()} ${r.failure()?.errorText}`));
        await page.goto(pageUrl);

        // Page scripts as strings: they run in the browser, not under this file's types.
        await page.waitForFunction('document.getElementById("image").complete');
        expect(await page.evaluate('document.getElementById("image").naturalWidth')).toBe(48);

        const played = await page.evaluate<{ currentTime: number; width: number }>(`(async () => {
          const v = document.getElementById('video');
          await v.play();
          await new Promise((resolve) => {
            const check = () => (v.currentTime > 0.2 ? resolve() : setTimeout(check, 50));
            check();
          });
          return { currentTime: v.currentTime, width: v.videoWidth };
        })()`);
        expect(played.currentTime).toBeGreaterThan(0.2);
        expect(played.width).toBe(64);

        // fetch() of a public file works from anywhere; the JSON API only from ALLOWED_ORIGINS.
        expect(await page.evaluate('window.fetched')).toBe(200);
        expect(await page.evaluate('window.api')).toBe('blocked');
        expect(blocked.filter((b) => b.includes('/media/'))).toEqual([]);
      } finally {
        await new Promise((resolve) => site.close(resolve));
      }
    });
  },
);

describe('Public media headers (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('allow cross-origin embedding and reading of public files', async () => {
    const user = await signUp(t.http);
    const res = await t.http.post('/upload', {
      token: user.token,
      multipart: form({ file: { bytes: await png(8, 8), name: 'p.png', type: 'image/png' } }),
    });
    const path = new URL(res.body.url as string).pathname;
    const served = await fetch(`${t.http.baseUrl}${path}`, {
      headers: { origin: 'http://elsewhere.example' },
    });
    expect(served.status).toBe(200);
    expect(served.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(served.headers.get('access-control-allow-origin')).toBe('*');
    // The API's own answers keep the same-origin policy.
    const api = await fetch(`${t.http.baseUrl}/health`, {
      headers: { origin: 'http://elsewhere.example' },
    });
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });
});
