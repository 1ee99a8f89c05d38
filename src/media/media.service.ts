import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  HttpStatus,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { AppException, badRequest } from '../common/errors/app.exception';
import type { ReceivedFile } from '../common/multipart/multipart';
import { mediaConfig, type ConfigType } from '../config/configuration';
import { MediaDeletionsRepository } from './media-deletions.repository';
import { canScrub, MAX_IMAGE_PIXELS, scrubImage } from './image-scrubber';
import { VideoTools } from './video-tools';
import { parseTransformation, type TransformStep } from './transformation';
import type { MediaType } from './media-types';
import { LocalMediaStorage } from './storage/local-media.storage';
import { MediaKind, MediaStorage, StorageName } from './storage/media-storage';

/** Where a stored file lives: enough to build its links (MediaLinks) and to delete it. */
export interface StoredFile {
  storage: StorageName;
  fileId: string;
  path: string;
}

/** Everything a post or an avatar records about its stored file. */
export interface StoredMedia extends StoredFile {
  kind: MediaKind;
  mimeType: string;
  fileName: string;
  size: number;
  width: number | null;
  height: number | null;
  /** Seconds (videos, when ffprobe could read them). */
  duration: number | null;
  /**
   * A poster frame stored beside a video, for drivers that do not render one themselves
   * (local disk, with ffmpeg); deleted with the video.
   */
  poster: StoredFile | null;
}

/** A stored file to delete: the driver, its id there, and its path (to purge CDN caches). */
export interface MediaRef {
  storage: string;
  fileId: string;
  path?: string | null;
}

const MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * The one door to media storage: checks what a file really is (by its bytes), stores it
 * through the configured driver, builds URLs, and deletes, retrying failed deletes later.
 */
@Injectable()
export class MediaService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MediaService.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly storage: MediaStorage,
    private readonly local: LocalMediaStorage,
    private readonly video: VideoTools,
    private readonly deletions: MediaDeletionsRepository,
    @Inject(mediaConfig.KEY) private readonly config: ConfigType<typeof mediaConfig>,
  ) {}

  get driver(): StorageName {
    return this.storage.name;
  }

  get tempDir(): string {
    return join(this.config.dir, '.tmp');
  }

  get maxUploadBytes(): number {
    return this.config.maxUploadBytes;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.retryPendingDeletes(), this.config.deleteRetryMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Identifies the file by its content; rejects empty, unknown, disallowed and broken files. */
  async inspect(
    file: ReceivedFile,
    allowed: Record<string, MediaType>,
  ): Promise<{ type: MediaType; width: number | null; height: number | null }> {
    if (file.size === 0) throw badRequest('EMPTY_FILE', 'The file is empty');
    const detected = await fileTypeFromFile(file.tempPath);
    const type = detected ? allowed[detected.mime] : undefined;
    if (!type) {
      const accepted = [...new Set(Object.values(allowed).map((t) => t.mime))].join(', ');
      throw new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_MEDIA_TYPE',
        `The file's content is not an accepted type (${accepted})`,
      );
    }
    if (type.kind !== 'image') return { type, width: null, height: null };
    try {
      const image = sharp(file.tempPath, {
        failOn: 'truncated',
        limitInputPixels: MAX_IMAGE_PIXELS,
      });
      const meta = await image.metadata();
      // A small decode proves the whole image is readable (a truncated file fails here).
      await image.resize(16, 16, { fit: 'inside' }).raw().toBuffer();
      const rotated = (meta.orientation ?? 1) >= 5;
      return {
        type,
        width: (rotated ? meta.height : meta.width) ?? null,
        height: (rotated ? meta.width : meta.height) ?? null,
      };
    } catch {
      throw badRequest('INVALID_IMAGE', 'The image is damaged or incomplete');
    }
  }

  /**
   * Checks and stores an uploaded file, without its metadata (see scrub). The caller owns
   * the temp file's cleanup.
   */
  async store(
    file: ReceivedFile,
    options: { folder: string; allowed: Record<string, MediaType> },
  ): Promise<StoredMedia> {
    const { type, width, height } = await this.inspect(file, options.allowed);
    const size = await this.scrub(file.tempPath, type.mime);
    const video = type.kind === 'video' ? await this.video.probe(file.tempPath) : null;
    const posterPath = `${file.tempPath}.poster.jpg`;
    const hasPoster =
      type.kind === 'video' &&
      !this.storage.rendersVideoThumbnails &&
      (await this.video.poster(file.tempPath, posterPath, video?.duration ?? null));
    try {
      const stored = await this.storage.put(file.tempPath, {
        folder: options.folder,
        fileName: file.fileName,
        mimeType: type.mime,
        extension: type.extension,
      });
      let poster: StoredFile | null = null;
      if (hasPoster) {
        try {
          poster = await this.storeAs(
            { ...file, tempPath: posterPath, fileName: 'poster.jpg' },
            { folder: options.folder, mimeType: 'image/jpeg', extension: 'jpg' },
          );
        } catch (err) {
          await this.remove({ storage: this.storage.name, ...stored });
          throw err;
        }
      }
      return {
        storage: this.storage.name,
        fileId: stored.fileId,
        path: stored.path,
        kind: type.kind,
        mimeType: type.mime,
        fileName: file.fileName,
        size,
        width: width ?? video?.width ?? stored.width ?? null,
        height: height ?? video?.height ?? stored.height ?? null,
        duration: video?.duration ?? null,
        poster,
      };
    } finally {
      if (hasPoster) await rm(posterPath, { force: true });
    }
  }

  /**
   * Stores a file whose type the caller has already checked (chat attachments), without its
   * metadata when it is an image or a video. Returns where it is and its stored size.
   */
  async storeAs(
    file: ReceivedFile,
    options: { folder: string; mimeType: string; extension: string; private?: boolean },
  ): Promise<StoredFile & { size: number }> {
    const size = await this.scrub(file.tempPath, options.mimeType);
    const stored = await this.storage.put(file.tempPath, { ...options, fileName: file.fileName });
    return { storage: this.storage.name, fileId: stored.fileId, path: stored.path, size };
  }

  /**
   * Removes what a file says about where and how it was made, before it is stored anywhere:
   * images are re-encoded without EXIF (GPS, camera, maker notes), XMP and IPTC, orientation
   * applied and colour profile kept; videos lose their container and stream tags (location,
   * device) when ffmpeg is installed. Returns the file's size afterwards.
   */
  private async scrub(path: string, mime: string): Promise<number> {
    if (canScrub(mime)) return scrubImage(path, mime);
    if (mime.startsWith('video/')) await this.video.stripMetadata(path, mime);
    return (await stat(path)).size;
  }

  /** Deletes what store() stored: the file and its poster frame. */
  discard(stored: StoredMedia): Promise<void> {
    return this.removeAll(stored.poster ? [stored, stored.poster] : [stored]);
  }

  async removeAll(refs: MediaRef[]): Promise<void> {
    await Promise.all(refs.map((ref) => this.remove(ref)));
  }

  /**
   * Parses a transformation (400 UNSUPPORTED_TRANSFORMATION when outside the supported set)
   * and checks that its image layers name public images of this storage (400 LAYER_NOT_FOUND).
   */
  transformation(raw: string): TransformStep[] {
    const steps = parseTransformation(raw);
    for (const step of steps) {
      if (step.layer?.type === 'image' && !this.storage.layerAllowed(step.layer.path)) {
        throw badRequest(
          'LAYER_NOT_FOUND',
          `l-image: ${JSON.stringify(step.layer.path)} is not a post image or avatar`,
        );
      }
    }
    return steps;
  }

  /**
   * Deletes a stored file. When the storage cannot be reached the delete is recorded and
   * retried in the background; callers never fail because of it.
   */
  async remove(ref: MediaRef): Promise<void> {
    try {
      await this.removeNow(ref);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn(`Delete of ${ref.storage}:${ref.fileId} failed, will retry: ${message}`);
      await this.deletions.insert({
        storage: ref.storage,
        fileId: ref.fileId,
        path: ref.path ?? null,
        attempts: 1,
        nextAttemptAt: new Date(Date.now() + this.config.deleteRetryMs),
        lastError: message.slice(0, 500),
      });
    }
  }

  /** Retries the deletes that are due; returns how many succeeded. */
  async retryPendingDeletes(now = new Date()): Promise<number> {
    let done = 0;
    try {
      const due = await this.deletions.due(now, 50);
      for (const job of due) {
        try {
          await this.removeNow(job);
          await this.deletions.delete(job.id);
          done++;
        } catch (err) {
          job.attempts += 1;
          job.lastError = (err instanceof Error ? err.message : String(err)).slice(0, 500);
          const backoff = Math.min(
            this.config.deleteRetryMs * 2 ** (job.attempts - 1),
            MAX_BACKOFF_MS,
          );
          job.nextAttemptAt = new Date(now.getTime() + backoff);
          await this.deletions.save(job);
        }
      }
    } catch (err) {
      this.logger.error(
        `Retrying media deletes failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    return done;
  }

  private async removeNow(ref: MediaRef): Promise<void> {
    // Files the local driver stored are still deleted after a move to ImageKit.
    const storage =
      ref.storage === this.storage.name
        ? this.storage
        : ref.storage === 'local'
          ? this.local
          : null;
    if (!storage) throw new Error(`the ${ref.storage} storage is not configured`);
    await storage.remove(ref.fileId, ref.path);
  }
}
