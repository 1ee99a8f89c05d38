import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { WEB_DIR } from '../src/web/web.controller';
import { DataSource } from 'typeorm';
import { FakeImageKit } from './support/fake-imagekit';
import { form, jpeg, png } from './support/media-fixtures';
import { signUp } from './support/users';
import { CHROMIUM, launchChromium } from './support/chromium';
import { createTestApp, type TestApp } from './support/test-app';

const SHOTS = join(__dirname, '..', 'reports', 'screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now (axe is evaluated
 * through the DevTools protocol: the page's CSP, rightly, allows no injected script).
 */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }>;
        };
      }
    ).axe;
    const { violations } = await axe.run();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} elements)`);
  });
}

// The web client as a person uses it, in headless Chromium against the app as npm start
// serves it (the built client in web/dist). Skipped only where neither exists outside CI.
((existsSync(CHROMIUM) && existsSync(WEB_DIR)) || process.env.CI ? describe : describe.skip)(
  'Web client in Chromium (e2e)',
  () => {
    let t: TestApp;
    let browser: Browser;
    let page: Page;
    /** Errors the page reported: CSP violations, failed scripts, uncaught exceptions. */
    const problems: string[] = [];

    beforeAll(async () => {
      t = await createTestApp();
      browser = await launchChromium();
      const context = await browser.newContext();
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      page = await context.newPage();
      // Failed requests are judged by their responses (below), not the console's echo of them.
      page.on(
        'console',
        (m) =>
          m.type() === 'error' &&
          !m.text().startsWith('Failed to load resource') &&
          problems.push(m.text()),
      );
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        // Expected: no session yet (refresh 401) and the deliberately wrong password (400).
        const expected =
          (path === '/auth/jwt/refresh' && r.status() === 401) ||
          (path === '/auth/session' && r.status() === 400) ||
          // The reset page given a bad token, on purpose.
          (path === '/auth/reset-password' && r.status() === 400) ||
          // The local media driver: no direct uploads, so the page posts through the API.
          (path === '/media/upload-auth' && r.status() === 404) ||
          // The deliberately wrong file type.
          (path === '/upload' && r.status() === 415);
        if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${path}`);
      });
      mkdirSync(SHOTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      await t.close();
    });

    /** A new person in a browser context of their own, registered through the page. */
    const person = async (
      name: string,
      options: { viewport?: { width: number; height: number }; isMobile?: boolean } = {},
    ): Promise<{ page: Page; email: string }> => {
      const email = `${name}${Date.now()}@example.com`;
      const context = await browser.newContext(options);
      const p = await context.newPage();
      p.on('pageerror', (e) => problems.push(`${name}: ${e.message}`));
      await p.goto(`${t.http.baseUrl}/register`);
      await p.getByLabel('Email').fill(email);
      await p.getByLabel('Password').fill('a good password');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByRole('button', { name: 'Log out' }).waitFor();
      return { page: p, email };
    };
    const userOf = async (email: string): Promise<{ id: string; username: string }> => {
      const [row] = await t.app
        .get(DataSource)
        .query<Array<{ id: string; username: string }>>(
          'SELECT id, username FROM users WHERE email = $1',
          [email],
        );
      return row;
    };

    it('register, verify through the emailed link, post, like, delete, log out and in', async () => {
      const email = `web${Date.now()}@example.com`;
      const password = 'a good password';
      await page.goto(`${t.http.baseUrl}/register`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.getByText('Check your email to verify your address').waitFor();
      await page.screenshot({ path: join(SHOTS, 'feed-empty.png') });

      // The verification email's link, as mailed (loopback: it points at this server).
      const mail = [...t.mailer.sent].reverse().find((m) => m.to === email);
      const link = /here: (\S+)/.exec(mail?.text ?? '')?.[1] ?? '';
      expect(link.startsWith(`${t.http.baseUrl}/verify?token=`)).toBe(true);
      await page.goto(link);
      await page.getByText('Your email address is verified.').waitFor();

      await page.goto(`${t.http.baseUrl}/upload`);
      // A file that is not an image or a video: the API's words, nothing posted.
      await page.getByLabel('File').setInputFiles({
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('not a picture'),
      });
      await page.getByRole('button', { name: 'Post' }).click();
      expect(await page.getByRole('alert').textContent()).toMatch(/not an accepted type/);
      await page.getByLabel('File').setInputFiles({
        name: 'sunset.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(64, 48),
      });
      await page.getByAltText('Preview of the chosen file').waitFor();
      await page.getByLabel('Caption').fill('Sunset from the browser');
      await page.getByRole('button', { name: 'Post' }).click();
      const card = page.getByRole('article', { name: /Post by/ });
      await card.waitFor();
      const image = card.getByAltText('Sunset from the browser');
      await image.waitFor();
      expect(
        await image.evaluate((img) => {
          const loaded = img as unknown as { complete: boolean; naturalWidth: number };
          return loaded.complete && loaded.naturalWidth;
        }),
      ).toBe(64);
      await page.screenshot({ path: join(SHOTS, 'feed.png') });

      await card.getByRole('button', { name: /Like/ }).click();
      await card.getByRole('button', { name: /Like 1/ }).waitFor();
      await card.getByRole('button', { name: '0 comments' }).click();
      await card.getByRole('textbox', { name: 'Comment' }).fill('What a sky!');
      await card.getByRole('button', { name: 'Add comment' }).click();
      await card.getByRole('list', { name: 'Comments' }).getByText('What a sky!').waitFor();
      await card.getByRole('button', { name: '1 comment' }).waitFor();

      // The transformation editor: resize, rotate, a filter and a text, previewed live from
      // the transformation's URL, which "Copy URL" copies.
      await card.getByRole('button', { name: 'Transform' }).click();
      const editor = card.getByRole('form', { name: 'Transform image' });
      await editor.getByLabel('Width', { exact: true }).fill('32');
      await editor.getByLabel('Rotate').selectOption('90');
      await editor.getByLabel('Filter').selectOption('e-grayscale');
      await editor.getByLabel('Text overlay').fill('Hi, there');
      const preview = editor.getByAltText('Transformed: Sunset from the browser');
      type Img = { complete: boolean; naturalWidth: number; naturalHeight: number; src: string };
      // The preview follows the settings: it shows once the last of them is in its URL.
      await page.waitForFunction(
        (img) => {
          const i = img as unknown as Img;
          return i.complete && i.naturalWidth > 0 && i.src.includes('l-text');
        },
        await preview.elementHandle(),
      );
      // 64x48 resized to 32 wide (32x24), then turned a quarter: 24x32.
      expect(
        await preview.evaluate((img) => {
          const i = img as unknown as Img;
          return `${i.naturalWidth}x${i.naturalHeight}`;
        }),
      ).toBe('24x32');
      await page.screenshot({ path: join(SHOTS, 'editor.png') });
      await editor.getByRole('button', { name: 'Copy URL' }).click();
      await editor.getByText('Copied').waitFor();
      const copied = await page.evaluate<string>('navigator.clipboard.readText()');
      expect(copied).toBe(await editor.getByLabel('Transformation URL').inputValue());
      expect(decodeURIComponent(copied)).toContain('w-32');
      const fetched = await fetch(copied);
      expect(fetched.status).toBe(200);
      expect(fetched.headers.get('content-type')).toMatch(/^image\//);
      await card.getByRole('button', { name: 'Transform' }).click();

      page.once('dialog', (d) => void d.accept());
      await card.getByRole('button', { name: 'Delete post' }).click();
      await page.getByText('No posts yet.').waitFor();

      // A reload keeps the session (the refresh cookie), not the token (memory only).
      await page.reload();
      await page.getByRole('button', { name: 'Log out' }).waitFor();
      expect(
        await page.evaluate('JSON.stringify(sessionStorage) + JSON.stringify(localStorage)'),
      ).toBe('{}{}');
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill('wrong password');
      await page.getByRole('button', { name: 'Log in' }).click();
      // The API's own words.
      await page.getByRole('alert').waitFor();
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('tab', { name: 'Following' }).waitFor();
      // After logging out, a reload finds no session.
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.reload();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      expect(problems).toEqual([]);
    });

    it('a session survives a refresh limit and reloads racing the rotation; logging out holds even when the page goes at once', async () => {
      const { page: p, email } = await person('sess');
      const me = await userOf(email);
      const signedIn = () => p.getByRole('button', { name: 'Log out' }).waitFor();

      // Reloads that cut each other short: the refresh of one page load is in flight when the
      // next load sends the same cookie. The grace window keeps the session.
      for (let i = 0; i < 3; i += 1) await p.goto(t.http.baseUrl, { waitUntil: 'commit' });
      await p.goto(t.http.baseUrl);
      await signedIn();

      // The server says "too many refreshes" (429 with Retry-After) on the next load: the page
      // waits its turn and stays signed in, instead of sending the person to log in.
      let limited = 0;
      await p.route('**/auth/jwt/refresh', async (route) => {
        if (limited++ > 0) return route.continue();
        await route.fulfill({
          status: 429,
          headers: { 'retry-after': '1', 'content-type': 'application/json' },
          body: JSON.stringify({
            status_code: 429,
            error: 'Too Many Requests',
            detail: 'Too many refreshes of this session',
            code: 'RATE_LIMITED',
          }),
        });
      });
      await p.reload();
      await signedIn();
      expect(limited).toBe(2);
      await p.unroute('**/auth/jwt/refresh');

      // Log out and reload at once: the logout is finished, and the session is gone for good.
      await p.getByRole('button', { name: 'Log out' }).click();
      await p.reload();
      await p.getByRole('heading', { name: 'Log in' }).waitFor();
      // Log out and close the tab at once: the next tab of this browser finds no session.
      await p.getByLabel('Email').fill(email);
      await p.getByLabel('Password').fill('a good password');
      await p.getByRole('button', { name: 'Log in' }).click();
      await signedIn();
      await p.getByRole('button', { name: 'Log out' }).click();
      await p.close();
      const next = await p.context().newPage();
      await next.goto(t.http.baseUrl);
      await next.getByRole('heading', { name: 'Log in' }).waitFor();
      const [live] = await t.app
        .get(DataSource)
        .query<Array<{ n: number }>>(
          'SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1 AND revoked_at IS NULL',
          [me.id],
        );
      expect(live.n).toBe(0);
      await next.context().close();
    });

    it('serves the pages under the strict CSP, the links of reset emails land on a page', async () => {
      const res = await fetch(`${t.http.baseUrl}/reset-password?token=x`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await res.text();
      expect(html).not.toMatch(/<script>(?!<\/script>)/);
      await page.goto(`${t.http.baseUrl}/reset-password?token=bad`);
      await page.getByLabel('Password').fill('another good password');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toMatch(/invalid or has expired/);
    });

    it('two people chat in one room: live messages, typing, who is online', async () => {
      const people = await Promise.all(
        ['ada', 'bo'].map(async (name) => {
          const email = `${name}${Date.now()}@example.com`;
          const context = await browser.newContext();
          const p = await context.newPage();
          p.on('pageerror', (e) => problems.push(e.message));
          await p.goto(`${t.http.baseUrl}/register`);
          await p.getByLabel('Email').fill(email);
          await p.getByLabel('Password').fill('a good password');
          await p.getByRole('button', { name: 'Create account' }).click();
          await p.getByRole('button', { name: 'Log out' }).waitFor();
          return p;
        }),
      );
      const [ada, bo] = people;
      await ada.getByRole('link', { name: 'Chat', exact: true }).click();
      await ada.getByLabel('Room name').fill('Garden club');
      await ada.getByRole('button', { name: 'Create room' }).click();
      await ada.getByRole('heading', { name: 'Garden club' }).waitFor();

      await bo.goto(`${t.http.baseUrl}/chat`);
      await bo.getByRole('button', { name: 'Join Garden club' }).click();
      await bo.getByRole('heading', { name: 'Garden club' }).waitFor();
      await ada.getByText(/2 online/).waitFor();

      await ada.getByLabel('Message').pressSequentially('Hello Bo');
      await bo.getByText(/is typing/).waitFor();
      await ada.getByLabel('Message').press('Enter');
      await bo.getByRole('list', { name: 'Conversation' }).getByText('Hello Bo').waitFor();
      await bo.getByLabel('Message').fill('Hi Ada!');
      await bo.getByLabel('Message').press('Enter');
      await ada.getByRole('list', { name: 'Conversation' }).getByText('Hi Ada!').waitFor();
      // A file attached to a message: uploaded first, then sent with it; shown to both.
      await ada.getByLabel('Attach file').setInputFiles({
        name: 'plan.png',
        mimeType: 'image/png',
        buffer: await png(24, 16),
      });
      await ada.getByText('Attached: plan.png').waitFor();
      await ada.getByLabel('Message').fill('See the plan');
      await ada.getByLabel('Message').press('Enter');
      const shared = bo.getByRole('list', { name: 'Conversation' }).getByAltText('plan.png');
      await shared.waitFor();
      await bo.waitForFunction(
        (img) => (img as unknown as { naturalWidth: number }).naturalWidth === 24,
        await shared.elementHandle(),
      );
      await ada.screenshot({ path: join(SHOTS, 'chat.png') });
      // Each message once.
      expect(
        await ada.getByRole('list', { name: 'Conversation' }).getByRole('listitem').count(),
      ).toBe(3);
      for (const p of people) await p.context().close();
    });

    it('a follower sees a new post in "Following" live; profiles, settings, search and tags', async () => {
      // The notifications sockets opened from here on, so the test can cut them.
      const notificationSockets: Socket[] = [];
      const server = t.app.getHttpServer();
      const record = (req: IncomingMessage, socket: Socket) => {
        if (req.url?.startsWith('/api/ws/notifications')) notificationSockets.push(socket);
      };
      server.on('upgrade', record);
      const author = await signUp(t.http);
      const { page: fan, email } = await person('fan');
      // The author's profile, found by the search box.
      await fan.getByLabel('Search').fill(author.username);
      await fan.getByLabel('Search').press('Enter');
      await fan
        .getByRole('list', { name: 'People' })
        .getByRole('link', { name: author.username })
        .click();
      await fan.getByRole('heading', { name: author.username }).waitFor();
      await fan.getByText('0 followers', { exact: true }).waitFor();
      await fan.getByRole('button', { name: 'Follow' }).click();
      await fan.getByText('1 follower', { exact: true }).waitFor();
      expect(
        (await t.http.get(`/users/${author.id}`, { token: author.token })).body.follower_count,
      ).toBe(1);

      await fan.getByRole('link', { name: 'Feed' }).click();
      await fan.getByRole('tab', { name: 'Following' }).click();
      await fan.getByText('No posts yet.').waitFor();
      // The author posts (as any client does); the fan's page shows it without a reload.
      const posted = await t.http.post('/upload', {
        token: author.token,
        multipart: form({
          file: { bytes: await jpeg(40, 30), name: 'beach.jpg' },
          caption: 'Low tide #beach with @nobody_here',
        }),
      });
      expect(posted.status).toBe(201);
      const card = fan.getByRole('article', { name: `Post by ${author.username}` });
      await card.getByAltText('Low tide #beach with @nobody_here').waitFor();
      expect(await fan.getByRole('article').count()).toBe(1);
      await fan.screenshot({ path: join(SHOTS, 'following-live.png') });

      // A post made while the fan's connection is down shows once it is back.
      await fan.context().setOffline(true);
      for (const socket of notificationSockets) socket.destroy();
      // More than a page (10) of them: the feed starts over from the newest page rather
      // than leave a hole between it and what was listed.
      const away = Array.from({ length: 12 }, (_, i) => `Away ${i + 1}`);
      for (const caption of away) {
        const missed = await t.http.post('/upload', {
          token: author.token,
          multipart: form({ file: { bytes: await jpeg(40, 30), name: 'dusk.jpg' }, caption }),
        });
        expect(missed.status).toBe(201);
      }
      await fan.context().setOffline(false);
      await fan.getByAltText('Away 12', { exact: true }).waitFor();
      // Scrolling on reaches the post that was listed before the break.
      const before = fan.getByAltText('Low tide #beach with @nobody_here');
      for (let i = 0; i < 20 && (await before.count()) === 0; i++) {
        await fan.evaluate('scrollTo(0, document.body.scrollHeight)');
        await fan.waitForTimeout(200);
      }
      await before.waitFor();
      // Newest first, each once, none missing.
      expect(
        await fan
          .getByRole('article')
          .getByRole('img')
          .evaluateAll((all) => all.map((i) => (i as unknown as { alt: string }).alt)),
      ).toEqual([...away.reverse(), 'Low tide #beach with @nobody_here']);
      server.off('upgrade', record);

      // The caption's tag is a link to the tag's page.
      await card.getByRole('link', { name: '#beach' }).click();
      await fan.getByRole('heading', { name: '#beach' }).waitFor();
      await fan.getByRole('article', { name: `Post by ${author.username}` }).waitFor();
      // A post found by a word of its caption.
      await fan.getByLabel('Search').fill('tide');
      await fan.getByLabel('Search').press('Enter');
      await fan.getByRole('heading', { name: 'Results for “tide”' }).waitFor();
      await fan.getByRole('article', { name: `Post by ${author.username}` }).waitFor();

      // Settings: username, bio and avatar; the profile shows them.
      const me = await userOf(email);
      await fan.getByRole('link', { name: 'Settings' }).click();
      const username = `fan_${me.id.slice(0, 8)}`;
      await fan.getByLabel('Username').fill(username);
      await fan.getByLabel('Bio').fill('I like beaches');
      await fan.getByRole('button', { name: 'Save' }).click();
      await fan.getByRole('status').getByText('Saved').waitFor();
      await fan.getByLabel('Avatar').setInputFiles({
        name: 'me.png',
        mimeType: 'image/png',
        buffer: await png(30, 30),
      });
      await fan.getByText('Avatar updated').waitFor();
      // The password: wrong current password is refused in the API's words; the right one
      // changes it and the page stays signed in (a new session with the new password).
      await fan.getByLabel('New password').fill('an even better password');
      await fan.getByLabel('Current password').fill('not my password');
      await fan.getByRole('button', { name: 'Save' }).click();
      await fan.getByRole('alert').waitFor();
      await fan.getByLabel('Current password').fill('a good password');
      await fan.getByRole('button', { name: 'Save' }).click();
      await fan.getByRole('status').getByText('Saved').waitFor();
      await fan.reload();
      await fan.getByRole('link', { name: 'Profile', exact: true }).click();
      await fan.getByRole('heading', { name: username }).waitFor();
      await fan.getByText('I like beaches').waitFor();
      const avatar = fan.getByAltText(`${username}'s avatar`);
      await avatar.waitFor();
      expect(
        await avatar.evaluate((i) => (i as unknown as { naturalWidth: number }).naturalWidth),
      ).toBeGreaterThan(0);
      await fan.screenshot({ path: join(SHOTS, 'profile.png') });
      expect(
        (
          await t.http.post('/auth/jwt/login', {
            form: { username: email, password: 'an even better password' },
          })
        ).status,
      ).toBe(200);
      await fan.context().close();
      expect(problems).toEqual([]);
    });

    it('a dropped chat connection reconnects and shows what was missed (over a page of it), once', async () => {
      const { page: cy } = await person('cy');
      const other = await signUp(t.http);
      const room = await t.http.post('/api/rooms', {
        token: other.token,
        json: { name: 'Night shift', is_private: false },
      });
      const roomId = room.body.id as string;
      // Every upgrade of this room's socket, so the test can cut them as a network would.
      const upgrades: Socket[] = [];
      const server = t.app.getHttpServer();
      const record = (req: IncomingMessage, socket: Socket) => {
        if (req.url?.startsWith(`/api/ws/${roomId}`)) upgrades.push(socket);
      };
      server.on('upgrade', record);
      try {
        await cy.goto(`${t.http.baseUrl}/chat`);
        await cy.getByRole('button', { name: 'Join Night shift' }).click();
        await cy.getByText(/1 online/).waitFor();
        const say = (content: string) =>
          t.http.post(`/api/rooms/${roomId}/messages`, { token: other.token, json: { content } });
        await say('before the cut');
        const list = cy.getByRole('list', { name: 'Conversation' });
        await list.getByText('before the cut').waitFor();

        // Offline, then the connection drops: reconnecting fails until the network is back.
        await cy.context().setOffline(true);
        for (const socket of upgrades) socket.destroy();
        await cy.getByText('offline').waitFor();
        // More than one page of history (100) is missed: all of it comes back.
        const missed = Array.from({ length: 105 }, (_, i) => `missed ${i + 1}`);
        for (const content of missed) await say(content);
        const caughtUp = cy.waitForResponse((r) => r.url().includes('after_seq='));
        await cy.context().setOffline(false);
        expect((await caughtUp).status()).toBe(200);
        await list.getByText(/ missed 105$/).waitFor();
        await cy.getByText(/1 online/).waitFor();
        await say('after the cut');
        await list.getByText('after the cut').waitFor();
        // Each message once, in order.
        expect(await list.getByRole('listitem').allTextContents()).toEqual(
          ['before the cut', ...missed, 'after the cut'].map((c) => `${other.username} ${c}`),
        );
        expect(upgrades.length).toBeGreaterThanOrEqual(2);
      } finally {
        server.off('upgrade', record);
        await cy.context().close();
      }
    });

    it('a room’s history loads older messages as the reader scrolls up, keeping their place', async () => {
      const { page: dee } = await person('dee');
      const other = await signUp(t.http);
      const room = await t.http.post('/api/rooms', {
        token: other.token,
        json: { name: 'Long story', is_private: false },
      });
      const roomId = room.body.id as string;
      for (let i = 1; i <= 65; i++) {
        const sent = await t.http.post(`/api/rooms/${roomId}/messages`, {
          token: other.token,
          json: { content: `line ${i}` },
        });
        expect(sent.status).toBe(201);
      }
      await dee.goto(`${t.http.baseUrl}/chat`);
      await dee.getByRole('button', { name: 'Join Long story' }).click();
      const list = dee.getByRole('list', { name: 'Conversation' });
      // The newest 50, scrolled to the newest.
      await list.getByText('line 65', { exact: false }).waitFor();
      expect(await list.getByRole('listitem').count()).toBe(50);
      // Scrolled to the top: the 15 older ones come, above the one that was first.
      await list.evaluate((el) => {
        (el as unknown as { scrollTop: number }).scrollTop = 0;
      });
      await list.getByText(/ line 1$/).waitFor({ state: 'attached' });
      const texts = await list.getByRole('listitem').allTextContents();
      expect(texts).toEqual(
        Array.from({ length: 65 }, (_, i) => `${other.username} line ${i + 1}`),
      );
      // The reader's place is kept: the message that was first (line 16) is still in view,
      // the older ones above it, out of view until scrolled to.
      type Box = { top: number; bottom: number };
      type El = {
        getBoundingClientRect(): Box;
        querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): Box }>;
      };
      const place = await list.evaluate((el) => {
        const box = (el as unknown as El).getBoundingClientRect();
        const items = (el as unknown as El).querySelectorAll('li');
        const [before, first] = [items[14], items[15]].map((i) => i.getBoundingClientRect());
        return {
          firstInView: first.top >= box.top && first.top < box.bottom,
          olderAbove: before.bottom <= box.top + 1,
        };
      });
      expect(place).toEqual({ firstInView: true, olderAbove: true });
      await dee.context().close();
    });

    it('a video post plays in its card, with its poster frame', async () => {
      const { page: viewer } = await person('vid');
      await viewer.goto(`${t.http.baseUrl}/upload`);
      await viewer.getByLabel('File').setInputFiles({
        name: 'clip.webm',
        mimeType: 'video/webm',
        buffer: readFileSync(join(__dirname, 'fixtures', 'clip.webm')),
      });
      await viewer.getByLabel('Preview').waitFor();
      await viewer.getByLabel('Caption').fill('A short clip');
      await viewer.getByRole('button', { name: 'Post' }).click();
      const video = viewer.getByRole('article').first().getByLabel('A short clip');
      await video.waitFor();
      // The browser reads the stored file's metadata (it is a playable video) and shows the
      // poster frame the server made.
      await viewer.waitForFunction(
        (v) => {
          const el = v as unknown as { readyState: number; duration: number };
          return el.readyState >= 1 && el.duration > 0;
        },
        await video.elementHandle(),
      );
      const poster = await video.getAttribute('poster');
      expect(poster).toBeTruthy();
      const res = await fetch(new URL(poster!, t.http.baseUrl));
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'image/jpeg']);
      await viewer.context().close();
    });

    it('works on a phone-sized screen: no sideways scrolling, every page usable', async () => {
      const { page: phone } = await person('phone', {
        viewport: { width: 390, height: 844 },
        isMobile: true,
      });
      const overflow = () =>
        phone.evaluate(() => {
          const d = (
            globalThis as unknown as {
              document: { documentElement: { scrollWidth: number; clientWidth: number } };
            }
          ).document;
          return d.documentElement.scrollWidth - d.documentElement.clientWidth;
        });
      const widths: Record<string, number> = {};
      await phone.goto(`${t.http.baseUrl}/upload`);
      await phone.getByLabel('File').setInputFiles({
        name: 'wide.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpeg(1600, 600),
      });
      await phone.getByLabel('Caption').fill('A very wide picture #panorama');
      await phone.getByRole('button', { name: 'Post' }).click();
      await phone.getByAltText('A very wide picture #panorama').waitFor();
      widths.feed = await overflow();
      await phone.screenshot({ path: join(SHOTS, 'phone-feed.png'), fullPage: true });
      await phone.getByRole('button', { name: 'Transform' }).click();
      await phone.getByLabel('Width', { exact: true }).fill('300');
      widths.editor = await overflow();
      await phone.goto(`${t.http.baseUrl}/settings`);
      await phone.getByLabel('Bio').waitFor();
      widths.settings = await overflow();
      await phone.goto(`${t.http.baseUrl}/chat`);
      await phone.getByLabel('Room name').fill('Pocket');
      await phone.getByRole('button', { name: 'Create room' }).click();
      await phone.getByLabel('Message').fill('typed on a phone');
      await phone.getByLabel('Message').press('Enter');
      await phone
        .getByRole('list', { name: 'Conversation' })
        .getByText('typed on a phone')
        .waitFor();
      widths.chat = await overflow();
      await phone.screenshot({ path: join(SHOTS, 'phone-chat.png') });
      expect(widths).toEqual({ feed: 0, editor: 0, settings: 0, chat: 0 });
      await phone.context().close();
    });

    it('on ImageKit, the upload page sends the file straight to ImageKit, then makes the post', async () => {
      const fake = new FakeImageKit();
      await fake.start();
      const ik = await createTestApp({
        IMAGEKIT_PRIVATE_KEY: fake.privateKey,
        IMAGEKIT_PUBLIC_KEY: fake.publicKey,
        IMAGEKIT_URL_ENDPOINT: fake.urlEndpoint,
        IMAGEKIT_BASE_URL: fake.baseUrl,
        MAX_UPLOAD_BYTES: String(200 * 1024),
      });
      const p = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      const apiPaths: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      // Failed requests are judged by their responses; before registering, the session
      // refresh is a 401 by design.
      p.on(
        'console',
        (m) =>
          m.type() === 'error' &&
          !m.text().startsWith('Failed to load resource') &&
          errors.push(m.text()),
      );
      p.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        if (r.status() >= 400 && path !== '/auth/jwt/refresh') errors.push(`${r.status()} ${path}`);
      });
      p.on('request', (r) =>
        apiPaths.push(
          `${r.method()} ${new URL(r.url()).origin === ik.http.baseUrl ? new URL(r.url()).pathname : r.url()}`,
        ),
      );
      try {
        await p.goto(`${ik.http.baseUrl}/register`);
        await p.getByLabel('Email').fill(`direct${Date.now()}@example.com`);
        await p.getByLabel('Password').fill('a good password');
        await p.getByRole('button', { name: 'Create account' }).click();
        await p.getByRole('link', { name: 'New post' }).click();
        // Too large for the server's limit: refused before anything is sent.
        await p.getByLabel('File').setInputFiles({
          name: 'huge.jpg',
          mimeType: 'image/jpeg',
          buffer: Buffer.alloc(300 * 1024, 1),
        });
        await p.getByRole('button', { name: 'Post' }).click();
        expect(await p.getByRole('alert').textContent()).toMatch(/too large/);
        expect(fake.uploads).toHaveLength(0);
        await p.getByLabel('File').setInputFiles({
          name: 'harbour.jpg',
          mimeType: 'image/jpeg',
          buffer: await jpeg(50, 40),
        });
        await p.getByLabel('Caption').fill('Straight to the CDN');
        await p.getByRole('button', { name: 'Post' }).click();
        const image = p.getByAltText('Straight to the CDN');
        await image.waitFor();
        await p.waitForFunction(
          (img) => (img as unknown as { naturalWidth: number }).naturalWidth === 50,
          await image.elementHandle(),
        );
        // Sent to ImageKit's upload API by the browser, never through POST /upload; the
        // post's image is served by ImageKit's endpoint.
        expect(apiPaths).toContain(`POST ${fake.baseUrl}/api/v1/files/upload`);
        expect(apiPaths).toContain('POST /posts');
        expect(apiPaths).not.toContain('POST /upload');
        expect(await image.getAttribute('src')).toMatch(new RegExp(`^${fake.urlEndpoint}/`));
        expect(errors).toEqual([]);
      } finally {
        await p.context().close();
        await ik.close();
        await fake.stop();
      }
    });

    it('the main pages have no serious or critical accessibility violations (axe-core)', async () => {
      const p = await (await browser.newContext()).newPage();
      // The check bites: an image without alt text on a bare page is a critical violation.
      await p.setContent(
        '<!doctype html><html lang="en"><title>x</title><main><img src="data:,"></main></html>',
      );
      expect((await accessibilityProblems(p)).join()).toContain('image-alt');
      const found: Record<string, string[]> = {};
      await p.goto(`${t.http.baseUrl}/login`);
      await p.getByRole('heading', { name: 'Log in' }).waitFor();
      found.login = await accessibilityProblems(p);
      await p.goto(`${t.http.baseUrl}/register`);
      await p.getByLabel('Email').fill(`a11y${Date.now()}@example.com`);
      await p.getByLabel('Password').fill('a good password');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByRole('tab', { name: 'Following' }).waitFor();
      found.feed = await accessibilityProblems(p);
      // By keyboard alone, from a freshly loaded page: Tab reaches the navigation's links,
      // Enter follows one.
      await p.reload();
      await p.getByRole('tab', { name: 'Following' }).waitFor();
      for (let i = 0; i < 15; i++) {
        if ((await p.evaluate('document.activeElement?.textContent')) === 'New post') break;
        await p.keyboard.press('Tab');
      }
      await p.keyboard.press('Enter');
      await p.getByLabel('Caption').waitFor();
      await p.goBack();
      // The feed's tabs: one tab stop, arrows choose.
      await p.getByRole('tab', { name: 'All' }).focus();
      await p.keyboard.press('ArrowRight');
      await p.getByRole('tab', { name: 'Following', selected: true }).waitFor();
      expect(await p.evaluate('document.activeElement?.textContent')).toBe('Following');
      await p.getByRole('link', { name: 'New post' }).click();
      await p.getByLabel('Caption').waitFor();
      found.upload = await accessibilityProblems(p);
      await p.getByRole('link', { name: 'Chat', exact: true }).click();
      await p.getByLabel('Room name').fill('Accessible');
      await p.getByRole('button', { name: 'Create room' }).click();
      await p.getByLabel('Message').waitFor();
      found.chat = await accessibilityProblems(p);
      await p.getByRole('link', { name: 'Settings' }).click();
      await p.getByLabel('Bio').waitFor();
      found.settings = await accessibilityProblems(p);
      await p.getByRole('link', { name: 'Profile', exact: true }).click();
      await p.getByRole('button', { name: 'Log out' }).waitFor();
      await p.getByText('0 posts').waitFor();
      found.profile = await accessibilityProblems(p);
      await p.getByLabel('Search').fill('a11y');
      await p.getByLabel('Search').press('Enter');
      await p.getByRole('heading', { name: /Results for/ }).waitFor();
      found.search = await accessibilityProblems(p);
      expect(found).toEqual({
        login: [],
        feed: [],
        upload: [],
        chat: [],
        settings: [],
        profile: [],
        search: [],
      });
      await p.context().close();
    });

    it('the notifications bell counts live, lists and marks read', async () => {
      const p = await (await browser.newContext()).newPage();
      const errors: string[] = [];
      p.on('pageerror', (e) => errors.push(e.message));
      const email = `bell${Date.now()}@example.com`;
      await p.goto(`${t.http.baseUrl}/register`);
      await p.getByLabel('Email').fill(email);
      await p.getByLabel('Password').fill('a good password');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByRole('button', { name: 'Notifications 0' }).waitFor();
      const [{ id }] = await t.app
        .get(DataSource)
        .query<Array<{ id: string }>>('SELECT id FROM users WHERE email = $1', [email]);
      const fan = await signUp(t.http);
      expect((await t.http.post(`/users/${id}/follow`, { token: fan.token })).status).toBe(204);
      // Live: no reload.
      await p.getByRole('button', { name: 'Notifications 1' }).click();
      await p.getByRole('list', { name: 'Notifications' }).getByText('followed you').waitFor();
      await p.getByRole('button', { name: 'Mark all read' }).click();
      await p.getByRole('button', { name: 'Notifications 0' }).waitFor();
      expect(errors).toEqual([]);
      await p.context().close();
    });
  },
);
