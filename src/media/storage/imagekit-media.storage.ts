import { createReadStream } from 'node:fs';
import { HttpStatus, Logger } from '@nestjs/common';
import ImageKit, { APIConnectionError, APIConnectionTimeoutError, toFile } from '@imagekit/nodejs';
import { AppException } from '../../common/errors/app.exception';
import {
  MediaKind,
  MediaStorage,
  PutOptions,
  StoredObject,
  THUMBNAIL_TRANSFORMATION,
} from './media-storage';
import { toSdkTransformations, type TransformStep } from '../transformation';

export interface ImageKitOptions {
  privateKey: string;
  /** Given to browsers for direct uploads (GET /media/upload-auth). */
  publicKey?: string;
  urlEndpoint: string;
  baseUrl?: string;
  timeoutMs: number;
  folder: string;
}

/** Where browsers and the SDK upload when IMAGEKIT_BASE_URL does not say otherwise. */
export const IMAGEKIT_UPLOAD_ORIGIN = 'https://upload.imagekit.io';

/** ImageKit through its official SDK. Uploads are streamed from the temp file. */
export class ImageKitMediaStorage extends MediaStorage {
  readonly name = 'imagekit' as const;
  readonly rendersVideoThumbnails = true;
  private readonly client: ImageKit;
  private readonly logger = new Logger('ImageKit');

  constructor(private readonly options: ImageKitOptions) {
    super();
    this.client = new ImageKit({
      privateKey: options.privateKey,
      // IMAGEKIT_BASE_URL moves the upload and management APIs to another host.
      ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
      timeout: options.timeoutMs,
      maxRetries: 2,
    });
  }

  /** The app's folder on ImageKit, e.g. `/media-chat`. */
  get folder(): string {
    return this.options.folder;
  }

  /**
   * What a browser needs to upload one file straight to ImageKit: the SDK's short-lived
   * authentication parameters (token, expire, signature), the public key and the upload URL.
   */
  directUploadAuth(expiresInSeconds: number): {
    token: string;
    expire: number;
    signature: string;
    publicKey: string;
    uploadUrl: string;
  } {
    const expire = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const auth = this.client.helper.getAuthenticationParameters(undefined, expire);
    return {
      ...auth,
      publicKey: this.options.publicKey ?? '',
      uploadUrl: `${this.options.baseUrl ?? IMAGEKIT_UPLOAD_ORIGIN}/api/v1/files/upload`,
    };
  }

  /**
   * Up to `limit` files under the folder `prefix` (its subfolders too) uploaded before
   * `before`, oldest first.
   */
  async listOlderThan(
    prefix: string,
    before: Date,
    limit: number,
  ): Promise<Array<{ fileId: string; filePath: string }>> {
    const files = await this.client.assets.list({
      type: 'file',
      // With a searchQuery ImageKit ignores `type`: folders would fill the page otherwise.
      searchQuery: `type = "file" AND path : ${JSON.stringify(prefix)} AND createdAt < ${JSON.stringify(before.toISOString())}`,
      sort: 'ASC_CREATED',
      limit,
    });
    return files.flatMap((f) =>
      'fileId' in f && f.fileId && f.filePath ? [{ fileId: f.fileId, filePath: f.filePath }] : [],
    );
  }

  /** A file's details (path, type, size), or null when ImageKit does not know it. */
  async details(
    fileId: string,
  ): Promise<{ filePath: string; mime: string; size: number; name: string } | null> {
    try {
      const file = await this.client.files.get(fileId);
      if (!file.filePath) return null;
      return {
        filePath: file.filePath,
        mime: file.mime ?? '',
        size: file.size ?? 0,
        name: file.name ?? 'upload',
      };
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }

  async put(localPath: string, options: PutOptions): Promise<StoredObject> {
    const started = Date.now();
    try {
      // The extension of what the bytes are (ImageKit serves and transforms by it), and the
      // characters ImageKit would replace anyway replaced here, so the stored name is known.
      const stem = options.fileName.replace(/\.[^.]*$/, '').replace(/[^a-zA-Z0-9._-]/g, '_');
      const fileName = `${stem.slice(0, 100) || 'file'}.${options.extension}`;
      const file = await toFile(createReadStream(localPath), fileName, {
        type: options.mimeType,
      });
      // No automatic retry: after a timeout the first attempt may still have landed.
      const res = await this.client.files.upload(
        {
          file,
          fileName,
          folder: `${this.options.folder}/${options.folder}`,
          useUniqueFileName: true,
          ...(options.private ? { isPrivateFile: true } : {}),
        },
        { maxRetries: 0 },
      );
      if (!res.fileId || !res.filePath)
        throw new Error('ImageKit answered without fileId/filePath');
      return {
        fileId: res.fileId,
        path: res.filePath,
        width: typeof res.width === 'number' ? res.width : undefined,
        height: typeof res.height === 'number' ? res.height : undefined,
      };
    } catch (err) {
      // A connection that failed only once the whole timeout had run is a timeout too
      // (an aborted fetch is not always reported as APIConnectionTimeoutError).
      const timedOut =
        err instanceof APIConnectionTimeoutError ||
        (err instanceof APIConnectionError &&
          Date.now() - started >= this.options.timeoutMs * 0.95);
      if (timedOut) {
        throw new AppException(
          HttpStatus.GATEWAY_TIMEOUT,
          'MEDIA_UPLOAD_TIMEOUT',
          'The media storage did not answer in time',
        );
      }
      throw new AppException(
        HttpStatus.BAD_GATEWAY,
        'MEDIA_UPLOAD_FAILED',
        'The media storage rejected or failed the upload',
        {
          cause: err instanceof Error ? err.message : String(err),
        },
      );
    }
  }

  /**
   * Deletes the file, then asks the CDN to purge its URL (with its transformations): a
   * deleted file is otherwise served from the CDN until its cache expires. A failure of
   * either throws, and the whole delete is retried (an already deleted file is fine).
   */
  async remove(fileId: string, path?: string | null): Promise<void> {
    try {
      await this.client.files.delete(fileId);
    } catch (err) {
      // Already gone is what we wanted.
      if ((err as { status?: number }).status !== 404) throw err;
    }
    if (path) await this.client.cache.invalidation.create({ url: this.url(path) });
  }

  /** ImageKit serves from its own endpoint, whatever origin the app is reached at. */
  url(path: string, _origin?: string, transformation?: TransformStep[]): string {
    return this.client.helper.buildSrc({
      urlEndpoint: this.options.urlEndpoint,
      src: path,
      ...(transformation?.length ? { transformation: toSdkTransformations(transformation) } : {}),
    });
  }

  signedUrl(
    path: string,
    _origin: string,
    ttlSeconds: number,
    transformation?: TransformStep[],
  ): string {
    return this.client.helper.buildSrc({
      urlEndpoint: this.options.urlEndpoint,
      src: path,
      ...(transformation?.length ? { transformation: toSdkTransformations(transformation) } : {}),
      signed: true,
      expiresIn: ttlSeconds,
    });
  }

  thumbnailUrl(path: string, _origin: string, kind: MediaKind): string | null {
    // ImageKit renders a video's poster frame at <video>/ik-thumbnail.jpg; both in the same box.
    return this.url(
      kind === 'image' ? path : `${path}/ik-thumbnail.jpg`,
      _origin,
      THUMBNAIL_TRANSFORMATION,
    );
  }

  /** Post images and avatars in this app's folder (never chat files: they are private). */
  layerAllowed(path: string): boolean {
    const folder = this.options.folder.replace(/^\/+|\/+$/g, '');
    const relative = path.replace(/^\/+/, '');
    return (
      /\.(jpe?g|png|webp|avif|gif)$/i.test(relative) &&
      ['posts', 'avatars'].some((f) => relative.startsWith(`${folder ? `${folder}/` : ''}${f}/`))
    );
  }
}
