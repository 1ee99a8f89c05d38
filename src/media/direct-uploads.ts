import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  HttpStatus,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { AppException, notFound } from '../common/errors/app.exception';
import type { ReceivedFile } from '../common/multipart/multipart';
import type { User } from '../users/entities/user.entity';
import { DirectUploadClaimsRepository } from './direct-upload-claims.repository';
import { POST_MEDIA_TYPES } from './media-types';
import { MediaService } from './media.service';
import { ImageKitMediaStorage } from './storage/imagekit-media.storage';
import { MediaStorage } from './storage/media-storage';

/** How long the parameters of GET /media/upload-auth allow an upload (ImageKit's maximum is 1 h). */
export const DIRECT_UPLOAD_TTL_SECONDS = 600;
/** A direct upload not made a post within this time is abandoned, and deleted. */
export const DIRECT_UPLOAD_ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
const SWEEP_BATCH = 100;
const DOWNLOAD_LINK_SECONDS = 300;

export class UploadAuthResponse {
  @ApiProperty({ description: "ImageKit's upload token (one upload)" }) token: string;
  @ApiProperty({ type: 'integer', description: 'Unix time the parameters stop working' })
  expire: number;
  @ApiProperty({ description: 'HMAC-SHA1 of token and expire with the private key' })
  signature: string;
  @ApiProperty({ description: 'The ImageKit public key to send with the upload' })
  public_key: string;
  @ApiProperty({ format: 'uri', example: 'https://upload.imagekit.io/api/v1/files/upload' })
  upload_url: string;
  @ApiProperty({ example: '/media-chat/direct/4b1c…', description: 'Upload into this folder' })
  folder: string;
  @ApiProperty({ type: 'integer' }) max_file_size: number;
  @ApiProperty({ type: [String], example: ['image/jpeg', 'video/mp4'] }) accepted_types: string[];
}

/**
 * Direct uploads (ImageKit): a browser sends a large file straight to ImageKit with
 * short-lived parameters, then names it in POST /posts. The file is checked through the
 * SDK's file details, claimed once, and taken through the same intake as any upload (type
 * by its bytes, metadata removed, probed) at datacenter speed; the direct original is
 * deleted afterwards, so what stays stored is what every other upload would store.
 */
@Injectable()
export class DirectUploads implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('DirectUploads');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly storage: MediaStorage,
    private readonly media: MediaService,
    private readonly claims: DirectUploadClaimsRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (!(this.storage instanceof ImageKitMediaStorage)) return;
    // Every instance sweeps (deleting is idempotent), each at its own moment of the hour.
    const sweep = () =>
      void this.sweep(new Date(Date.now() - DIRECT_UPLOAD_ABANDONED_AFTER_MS)).catch(
        (err: unknown) =>
          this.logger.warn(
            `Abandoned direct uploads were not swept: ${err instanceof Error ? err.message : String(err)}`,
          ),
      );
    this.timer = setTimeout(
      () => {
        sweep();
        this.timer = setInterval(sweep, SWEEP_INTERVAL_MS);
        this.timer.unref();
      },
      Math.floor(Math.random() * SWEEP_INTERVAL_MS),
    );
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    clearInterval(this.timer);
  }

  /**
   * Deletes the direct uploads made before `before` that no post took (a browser that never
   * called POST /posts), in batches; a file being taken right now (claimed) is left alone.
   * Returns how many were deleted.
   */
  async sweep(before: Date): Promise<number> {
    if (!(this.storage instanceof ImageKitMediaStorage)) return 0;
    const storage = this.storage;
    const root = this.directRoot(storage);
    let removed = 0;
    const seen = new Set<string>();
    for (;;) {
      const files = (await storage.listOlderThan(root, before, SWEEP_BATCH)).filter(
        (f) => !seen.has(f.fileId),
      );
      // Files listed again (taken, or a delete that failed and waits for its retry) end it.
      if (files.length === 0) break;
      for (const f of files) seen.add(f.fileId);
      // The sweep claims what it deletes, as POST /posts does: a file a request is taking is
      // claimed already and left alone, and one claimed here can no longer be taken.
      const ours = await this.claimForSweep(root, files);
      // Never shown by anyone, so there is no CDN copy to purge (path null).
      for (const f of files)
        if (ours.has(f.fileId))
          await this.media.remove({ storage: storage.name, fileId: f.fileId, path: null });
      await this.claims.release([...ours]);
      removed += ours.size;
    }
    if (removed > 0) this.logger.log(`Deleted ${removed} abandoned direct uploads`);
    return removed;
  }

  /**
   * Claims the files for deletion; returns those claimed. A file whose user no longer exists
   * cannot be taken by anyone: it is the sweep's without a claim.
   */
  private async claimForSweep(
    root: string,
    files: Array<{ fileId: string; filePath: string }>,
  ): Promise<Set<string>> {
    const owners = files.map((f) => {
      const userId = f.filePath.slice(root.length).split('/')[0];
      return isUUID(userId) ? userId : null;
    });
    return this.claims.claimForSweep(
      files.map((f, index) => ({ fileId: f.fileId, userId: owners[index] })),
    );
  }

  private imagekit(): ImageKitMediaStorage {
    if (!(this.storage instanceof ImageKitMediaStorage)) {
      throw notFound(
        'DIRECT_UPLOAD_UNAVAILABLE',
        'Direct uploads need the ImageKit media driver; send the file to POST /upload instead',
      );
    }
    return this.storage;
  }

  /** The folder of all direct uploads, each user's in a subfolder (with a trailing /). */
  private directRoot(storage: ImageKitMediaStorage): string {
    return `${storage.folder.replace(/\/+$/, '')}/direct/`;
  }

  /** The one folder a user's direct uploads may be taken from. */
  private folderOf(storage: ImageKitMediaStorage, user: User): string {
    return `${this.directRoot(storage)}${user.id}`;
  }

  auth(user: User): UploadAuthResponse {
    const storage = this.imagekit();
    const auth = storage.directUploadAuth(DIRECT_UPLOAD_TTL_SECONDS);
    return {
      token: auth.token,
      expire: auth.expire,
      signature: auth.signature,
      public_key: auth.publicKey,
      upload_url: auth.uploadUrl,
      folder: this.folderOf(storage, user),
      max_file_size: this.media.maxUploadBytes,
      accepted_types: Object.keys(POST_MEDIA_TYPES),
    };
  }

  /**
   * Takes the user's direct upload `fileId` in: checked, claimed, downloaded to a temp file
   * handed to `work`; the direct original is deleted once `work` succeeded. A failure of
   * `work` releases the claim, so the client may try again.
   */
  async take<T>(user: User, fileId: string, work: (file: ReceivedFile) => Promise<T>): Promise<T> {
    const storage = this.imagekit();
    const details = await storage.details(fileId);
    const folder = `${this.folderOf(storage, user)}/`;
    // Another user's file, or one outside the upload folder, is not this user's to take.
    if (!details || !details.filePath.startsWith(folder)) {
      throw notFound('UPLOAD_NOT_FOUND', 'No direct upload of yours has this file_id');
    }
    if (!POST_MEDIA_TYPES[details.mime]) {
      throw new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_MEDIA_TYPE',
        `The uploaded file is ${details.mime || 'of an unknown type'}; accepted: ${Object.keys(POST_MEDIA_TYPES).join(', ')}`,
      );
    }
    if (details.size > this.media.maxUploadBytes) {
      throw new AppException(
        HttpStatus.PAYLOAD_TOO_LARGE,
        'FILE_TOO_LARGE',
        `The file is larger than ${this.media.maxUploadBytes} bytes`,
      );
    }
    if (!(await this.claims.claim(fileId, user.id))) {
      throw new AppException(
        HttpStatus.CONFLICT,
        'UPLOAD_ALREADY_USED',
        'This direct upload is already a post',
      );
    }
    await mkdir(this.media.tempDir, { recursive: true });
    const tempPath = join(this.media.tempDir, `direct-${randomUUID()}`);
    try {
      const size = await this.download(
        storage.signedUrl(details.filePath, '', DOWNLOAD_LINK_SECONDS),
        tempPath,
      );
      const result = await work({ field: 'file', fileName: details.name, tempPath, size });
      await this.media.remove({ storage: storage.name, fileId, path: details.filePath });
      return result;
    } catch (err) {
      await this.claims.release([fileId]);
      throw err;
    } finally {
      await rm(tempPath, { force: true });
    }
  }

  /** Streams the file to `target`, within the upload limit; returns its size. */
  private async download(url: string, target: string): Promise<number> {
    const failed = () =>
      new AppException(
        HttpStatus.BAD_GATEWAY,
        'MEDIA_DOWNLOAD_FAILED',
        'The uploaded file could not be read back from the media storage',
      );
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(120_000) });
    } catch {
      throw failed();
    }
    if (!res.ok || !res.body) throw failed();
    let size = 0;
    const limit = this.media.maxUploadBytes;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > limit)
          return done(
            new AppException(HttpStatus.PAYLOAD_TOO_LARGE, 'FILE_TOO_LARGE', 'File too large'),
          );
        done(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(res.body), count, createWriteStream(target));
    } catch (err) {
      throw err instanceof AppException ? err : failed();
    }
    return size;
  }
}
