import { rename, rm, stat } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';
import { badRequest } from '../common/errors/app.exception';

/** Raster formats re-encoded without their metadata, with how each is written again. */
const ENCODERS: Record<string, (image: Sharp) => Sharp> = {
  'image/jpeg': (i) => i.jpeg({ quality: 90, chromaSubsampling: '4:4:4' }),
  'image/png': (i) => i.png({ compressionLevel: 9, adaptiveFiltering: true }),
  'image/webp': (i) => i.webp({ quality: 90, effort: 4 }),
  'image/avif': (i) => i.avif({ quality: 70, effort: 4 }),
  'image/gif': (i) => i.gif(),
};

/** Images bigger than this (pixels) are refused rather than decoded. */
export const MAX_IMAGE_PIXELS = 100_000_000;

export const canScrub = (mime: string): boolean => mime in ENCODERS;

/**
 * Rewrites the image at `path` without its metadata (EXIF with GPS and maker notes, XMP,
 * IPTC, comments): the EXIF orientation is applied to the pixels first, so the image still
 * looks as it did, and the ICC colour profile is kept. Animated GIF and WebP keep their
 * frames. The original bytes are replaced; the new size is returned.
 */
export async function scrubImage(path: string, mime: string): Promise<number> {
  const encode = ENCODERS[mime];
  if (!encode) return (await stat(path)).size;
  const animated = mime === 'image/gif' || mime === 'image/webp';
  const out = `${path}.clean`;
  try {
    const image = sharp(path, {
      animated,
      failOn: 'truncated',
      limitInputPixels: MAX_IMAGE_PIXELS,
    });
    const { orientation = 1, pages = 1 } = await image.metadata();
    // sharp rotates single images only; an animation with an orientation tag is rare enough
    // that it keeps its stored frames as they are (the tag itself is still removed).
    const oriented = pages > 1 || orientation === 1 ? image : image.autoOrient();
    await encode(oriented.keepIccProfile()).toFile(out);
    await rename(out, path);
    return (await stat(path)).size;
  } catch {
    await rm(out, { force: true });
    throw badRequest('INVALID_IMAGE', 'The image is damaged or incomplete');
  }
}
