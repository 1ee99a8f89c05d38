import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type {} from '@fastify/static'; // reply.sendFile() types
import type { FastifyReply, FastifyRequest } from 'fastify';
import { INLINE_EXTENSIONS } from '../chat/upload-types';
import { badRequest, notFound } from '../common/errors/app.exception';
import { transformImage } from './image-transformer';
import { MediaStorage } from './storage/media-storage';
import { LocalMediaStorage } from './storage/local-media.storage';
import { OutputFormat, parseTransformation, serializeTransformation } from './transformation';

const IMAGE_FORMATS: Record<string, OutputFormat> = {
  '.jpg': 'jpg',
  '.png': 'png',
  '.webp': 'webp',
  '.avif': 'avif',
  '.gif': 'png',
};
const FORMAT_EXT: Record<OutputFormat, string> = {
  jpg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};
const SEND_OPTIONS = { maxAge: '365d', immutable: true, acceptRanges: true, cacheControl: true };

/**
 * Files of the local media driver: /media/<path> with Content-Type, Range and long cache
 * headers, and /media/<path>?tr=<transformation> rendered with sharp and cached on disk.
 */
@ApiExcludeController()
@Controller('media')
export class MediaController {
  constructor(private readonly storage: MediaStorage) {}

  @Get('*')
  async serve(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('tr') tr?: string,
  ): Promise<void> {
    if (!(this.storage instanceof LocalMediaStorage)) throw notFound('NOT_FOUND', 'Not found');
    const local = this.storage;
    let relPath: string;
    try {
      relPath = decodeURIComponent(req.url.split('?')[0].replace(/^\/media\//, ''));
    } catch {
      throw notFound('NOT_FOUND', 'Not found');
    }
    const full = local.resolvePath(relPath);
    if (!full || !existsSync(full)) throw notFound('NOT_FOUND', 'Not found');
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
      await reply.sendFile(relPath, local.root, SEND_OPTIONS);
      return;
    }
    const original = IMAGE_FORMATS[extname(full).toLowerCase()];
    if (!original) throw badRequest('UNSUPPORTED_TRANSFORMATION', 'Only images can be transformed');
    const steps = parseTransformation(String(tr));
    const key = createHash('sha256')
      .update(`${relPath}|${serializeTransformation(steps)}`)
      .digest('hex');
    const format = [...steps].reverse().find((s) => s.format)?.format ?? original;
    const cached = join('.cache', `${key}.${FORMAT_EXT[format]}`);
    const cachedFull = join(local.root, cached);
    if (!existsSync(cachedFull)) {
      const { data } = await transformImage(full, steps, original);
      await mkdir(join(local.root, '.cache'), { recursive: true });
      const tmp = `${cachedFull}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, cachedFull);
    }
    await reply.sendFile(cached, local.root, { ...SEND_OPTIONS, dotfiles: 'allow' });
  }
}
