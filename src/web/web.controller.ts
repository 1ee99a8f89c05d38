import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { notFound } from '../common/errors/app.exception';

/** Where `npm run build` puts the web client (vite build web): web/dist. */
export const WEB_DIR = resolve(__dirname, '..', '..', 'web', 'dist');

/** The web client's pages: every one is the same document; the client routes. */
export const WEB_PAGES = [
  '/',
  '/login',
  '/register',
  '/verify',
  '/forgot-password',
  '/reset-password',
  '/upload',
  '/chat',
  '/chat/:id',
  '/u/:username',
  '/settings',
  '/search',
  '/tags/:tag',
];

/**
 * Serves the single-page web client at its pages (the built index.html; its scripts and
 * styles come from /assets, see setupApp). Without a built client, the pages are 404s.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  private page?: string | null;

  private document(): string | null {
    if (this.page !== undefined) return this.page;
    const file = join(WEB_DIR, 'index.html');
    return (this.page = existsSync(file) ? readFileSync(file, 'utf8') : null);
  }

  @Get(WEB_PAGES)
  index(@Res() reply: FastifyReply): void {
    const html = this.document();
    if (!html) throw notFound('NOT_FOUND', 'The web client is not built (npm run build)');
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(html);
  }
}
