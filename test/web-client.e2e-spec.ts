import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { WEB_DIR } from '../src/web/web.controller';
import { DataSource } from 'typeorm';
import { jpeg } from './support/media-fixtures';
import { signUp } from './support/users';
import { createTestApp, type TestApp } from './support/test-app';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
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
// serves it (the built client in dist/client). Skipped only where neither exists outside CI.
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
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
      page = await (await browser.newContext()).newPage();
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
          (path === '/auth/session' && r.status() === 400);
        if (r.status() >= 400 && !expected) problems.push(`${r.status()} ${path}`);
      });
      mkdirSync(SHOTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      await t.close();
    });

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
      await ada.screenshot({ path: join(SHOTS, 'chat.png') });
      // Each message once.
      expect(
        await ada.getByRole('list', { name: 'Conversation' }).getByRole('listitem').count(),
      ).toBe(2);
      for (const p of people) await p.context().close();
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
      await p.getByRole('link', { name: 'New post' }).click();
      await p.getByLabel('Caption').waitFor();
      found.upload = await accessibilityProblems(p);
      await p.getByRole('link', { name: 'Chat', exact: true }).click();
      await p.getByLabel('Room name').fill('Accessible');
      await p.getByRole('button', { name: 'Create room' }).click();
      await p.getByLabel('Message').waitFor();
      found.chat = await accessibilityProblems(p);
      expect(found).toEqual({ login: [], feed: [], upload: [], chat: [] });
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
