import type { TransformStep } from '../transformation';

export type MediaKind = 'image' | 'video';
export type StorageName = 'local' | 'imagekit';

export interface PutOptions {
  folder: string;
  fileName: string;
  mimeType: string;
  /** The extension that matches the sniffed content (never the client's). */
  extension: string;
  /** Reachable only through signed, expiring links (see signedUrl). */
  private?: boolean;
}

/** What a driver reports about a stored file. */
export interface StoredObject {
  /** The driver's id for deletes (local: the relative path; ImageKit: its fileId). */
  fileId: string;
  /** The path links are built from (local: relative path; ImageKit: filePath). */
  path: string;
  /** Dimensions the storage measured itself (ImageKit does, for videos too). */
  width?: number;
  height?: number;
}

/** A place where media files live. MediaService is the only user. */
export abstract class MediaStorage {
  abstract readonly name: StorageName;
  /** Whether the storage renders a video's poster frame itself (else the app stores one). */
  abstract readonly rendersVideoThumbnails: boolean;
  /** Stores the file at `localPath` (streamed, never read whole into memory). */
  abstract put(localPath: string, options: PutOptions): Promise<StoredObject>;
  /** Deletes a stored file; `path`, when known, lets a CDN in front of the storage forget it. */
  abstract remove(fileId: string, path?: string | null): Promise<void>;
  /**
   * The file's URL, transformed when `transformation` (parsed ImageKit steps) is given.
   * `origin` is where the app is reached (PublicOrigin): the base of files the app serves.
   */
  abstract url(path: string, origin: string, transformation?: TransformStep[]): string;
  /** A link to a private file, valid for at least `ttlSeconds`. */
  abstract signedUrl(
    path: string,
    origin: string,
    ttlSeconds: number,
    transformation?: TransformStep[],
  ): string;
  /** Whether an image layer (`l-image,i-<path>`) may use the file at `path`: a public image. */
  abstract layerAllowed(path: string): boolean;
  /** A small preview, or null when the driver cannot make one for this kind. */
  abstract thumbnailUrl(path: string, origin: string, kind: MediaKind): string | null;
}

/** Previews and avatars: within a 400x400 box. */
export const THUMBNAIL_TRANSFORMATION: TransformStep[] = [
  { width: 400, height: 400, crop: 'at_max' },
];
