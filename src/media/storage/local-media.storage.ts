import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { badRequest } from '../../common/errors/app.exception';
import { transformImage } from '../image-transformer';
import type { LinkSigner } from '../link-signer';
import {
  type OutputFormat,
  outputFormat,
  serializeTransformation,
  type TransformStep,
} from '../transformation';
import {
  MediaKind,
  MediaStorage,
  PutOptions,
  StoredObject,
  THUMBNAIL_TRANSFORMATION,
} from './media-storage';

const IMAGE_FORMATS: Record<string, OutputFormat> = {
  '.jpg': 'jpg',
  '.png': 'png',
  '.webp': 'webp',
  '.avif': 'avif',
  '.gif': 'png',
};

/**
 * Private files live below this folder. Chat files stored before it existed are in
 * `uploads/`: they are private too.
 */
const PRIVATE_PREFIXES = ['private/', 'uploads/'];

/**
 * Files under MEDIA_DIR, served by the app at /media/<path> (MediaController); private ones
 * only through links signed by `signer`.
 */
export class LocalMediaStorage extends MediaStorage {
  readonly name = 'local' as const;
  readonly rendersVideoThumbnails = false;

  constructor(
    readonly root: string,
    readonly signer: LinkSigner,
  ) {
    super();
  }

  /** Whether the file at `path` (below the root) is served only through signed links. */
  isPrivate(path: string): boolean {
    return PRIVATE_PREFIXES.some((prefix) => path.startsWith(prefix));
  }

  /** The absolute path of a stored file, or null when `path` would leave the media root. */
  resolvePath(path: string): string | null {
    const full = resolve(this.root, path);
    // Dot folders are the app's own (.tmp uploads in progress, .cache renderings).
    if (
      !full.startsWith(this.root + sep) ||
      relative(this.root, full)
        .split(sep)
        .some((segment) => segment.startsWith('.'))
    ) {
      return null;
    }
    return full;
  }

  async put(localPath: string, options: PutOptions): Promise<StoredObject> {
    const folder = options.private ? `private/${options.folder}` : options.folder;
    const path = `${folder}/${randomUUID()}.${options.extension}`;
    const target = join(this.root, path);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(localPath, target);
    } catch (err) {
      // Temp files may live on another filesystem: copy (streamed by the kernel) instead.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(localPath, target);
    }
    return { fileId: path, path };
  }

  async remove(fileId: string): Promise<void> {
    const full = this.resolvePath(fileId);
    if (full) await rm(full, { force: true });
  }

  url(path: string, origin: string, transformation?: TransformStep[]): string {
    const base = `${origin}/media/${path.split('/').map(encodeURIComponent).join('/')}`;
    return transformation?.length
      ? `${base}?tr=${encodeURIComponent(serializeTransformation(transformation))}`
      : base;
  }

  signedUrl(
    path: string,
    origin: string,
    ttlSeconds: number,
    transformation?: TransformStep[],
  ): string {
    const tr = transformation?.length ? serializeTransformation(transformation) : undefined;
    const { exp, sig } = this.signer.sign(path, tr, ttlSeconds);
    const link = this.url(path, origin, transformation);
    return `${link}${tr ? '&' : '?'}exp=${exp}&sig=${sig}`;
  }

  layerAllowed(path: string): boolean {
    const full = this.resolvePath(path);
    return (
      full !== null &&
      !this.isPrivate(path) &&
      IMAGE_FORMATS[extname(full).toLowerCase()] !== undefined &&
      existsSync(full)
    );
  }

  thumbnailUrl(path: string, origin: string, kind: MediaKind): string | null {
    // Video frames would need ffmpeg; the local driver has no video thumbnails.
    return kind === 'image' ? this.url(path, origin, THUMBNAIL_TRANSFORMATION) : null;
  }

  /**
   * The path (below the root) of the stored image at `path` rendered with `steps`,
   * rendered with sharp on first use and cached in MEDIA_DIR/.cache.
   */
  async transformed(path: string, steps: TransformStep[]): Promise<string> {
    const full = this.resolvePath(path);
    const original = full ? IMAGE_FORMATS[extname(full).toLowerCase()] : undefined;
    if (!full || !original)
      throw badRequest('UNSUPPORTED_TRANSFORMATION', 'Only images can be transformed');
    const key = createHash('sha256')
      .update(`${path}|${serializeTransformation(steps)}`)
      .digest('hex');
    const cached = join('.cache', `${key}.${outputFormat(steps, original)}`);
    const cachedFull = join(this.root, cached);
    if (!existsSync(cachedFull)) {
      const data = await transformImage(full, steps, original, (layer) =>
        Promise.resolve(this.layerAllowed(layer) ? this.resolvePath(layer) : null),
      );
      await mkdir(join(this.root, '.cache'), { recursive: true });
      // Written aside then renamed: concurrent first requests never serve half a file.
      const tmp = `${cachedFull}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, cachedFull);
    }
    return cached;
  }
}
