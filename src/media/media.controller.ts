import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type {} from '@fastify/static'; // reply.sendFile() types
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INLINE_EXTENSIONS } from '../chat/upload-types';
import { forbidden, notFound } from '../common/errors/app.exception';
import { LocalMediaStorage } from './storage/local-media.storage';
import { parseTransformation } from './transformation';
import { Public } from '../auth/decorators/public.decorator';

const SEND_OPTIONS = { maxAge: '365d', immutable: true, acceptRanges: true, cacheControl: true };

/**
 * Files of the local media driver, readable from any origin: /media/<path> with Content-Type, Range and long cache
 * headers, and /media/<path>?tr=<transformation> rendered with sharp and cached on disk.
 * Private files (chat attachments) only with a signed, unexpired link (`exp`, `sig`).
 */
@ApiExcludeController()
@Public()
@Controller('media')
export class MediaController {
  constructor(private readonly local: LocalMediaStorage) {}

  @Get('*')
  async serve(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('tr') tr?: string,
    @Query('exp') exp?: string,
    @Query('sig') sig?: string,
  ): Promise<void> {
    const local = this.local;
    let relPath: string;
    try {
      relPath = decodeURIComponent(req.url.split('?')[0].replace(/^\/media\//, ''));
    } catch {
      throw notFound('NOT_FOUND', 'Not found');
    }
    // A private file needs its signed link, checked before the file is even looked up.
    const isPrivate = local.isPrivate(relPath);
    let options = SEND_OPTIONS;
    if (isPrivate) {
      const check = local.signer.check(relPath, tr, str(exp), str(sig));
      if (check === 'expired')
        throw forbidden('MEDIA_LINK_EXPIRED', 'This link has expired; ask the API for a new one');
      if (check === 'invalid')
        throw forbidden(
          'MEDIA_LINK_INVALID',
          'This file is private: use the signed link the API gives',
        );
      // Cached by the browser only, and not past the link's expiry.
      const left = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
      reply.header('cache-control', `private, max-age=${left}`);
      options = { ...SEND_OPTIONS, cacheControl: false, immutable: false };
    }
    const full = local.resolvePath(relPath);
    if (!full || !existsSync(full)) throw notFound('NOT_FOUND', 'Not found');
    // Public media are embeddable from any origin (a front end on its own port, the seeds'
    // Streamlit app): <img>/<video> need CORP cross-origin, fetch() and canvas need CORS.
    // No credentials are involved, so any origin may read them.
    reply.header('cross-origin-resource-policy', 'cross-origin');
    reply.header('access-control-allow-origin', '*');
    if (tr === undefined) {
      const ext = extname(full).slice(1).toLowerCase();
      if (!INLINE_EXTENSIONS.has(ext)) {
        // Anything that could be active content (SVG, HTML-ish text, documents) never renders
        // from our origin: it downloads, and a sandbox CSP covers browsers that render anyway.
        reply.header('content-disposition', `attachment; filename="${basename(full)}"`);
        reply.header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        );
      }
      await reply.sendFile(relPath, local.root, options);
      return;
    }
    const cached = await local.transformed(relPath, parseTransformation(String(tr)));
    await reply.sendFile(cached, local.root, { ...options, dotfiles: 'allow' });
  }
}

/** A query value given once (a repeated parameter arrives as an array). */
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
