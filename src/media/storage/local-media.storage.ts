import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  MediaKind,
  MediaStorage,
  PutOptions,
  StoredObject,
  THUMBNAIL_TRANSFORMATION,
} from './media-storage';

/** Files under MEDIA_DIR, served by the app at /media/<path> (MediaController). */
export class LocalMediaStorage extends MediaStorage {
  readonly name = 'local' as const;

  constructor(
    readonly root: string,
    private readonly publicUrl: string,
  ) {
    super();
  }

  /** The absolute path of a stored file, or null when `path` would leave the media root. */
  resolvePath(path: string): string | null {
    const full = resolve(this.root, path);
    if (
      !full.startsWith(this.root + sep) ||
      relative(this.root, full).split(sep).includes('.cache')
    ) {
      return null;
    }
    return full;
  }

  async put(localPath: string, options: PutOptions): Promise<StoredObject> {
    const path = `${options.folder}/${randomUUID()}.${options.extension}`;
    const target = join(this.root, path);
    await mkdir(dirname(target), { recursive: true });
    try {
      await rename(localPath, target);
    } catch (err) {
      // Temp files may live on another filesystem: copy (streamed by the kernel) instead.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(localPath, target);
    }
    return { fileId: path, path, url: this.url(path) };
  }

  async remove(fileId: string): Promise<void> {
    const full = this.resolvePath(fileId);
    if (full) await rm(full, { force: true });
  }

  url(path: string, transformation?: string): string {
    const base = `${this.publicUrl}/media/${path.split('/').map(encodeURIComponent).join('/')}`;
    return transformation ? `${base}?tr=${encodeURIComponent(transformation)}` : base;
  }

  thumbnailUrl(path: string, kind: MediaKind): string | null {
    // Video frames would need ffmpeg; the local driver has no video thumbnails.
    return kind === 'image' ? this.url(path, THUMBNAIL_TRANSFORMATION) : null;
  }
}
