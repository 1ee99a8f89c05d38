export type MediaKind = 'image' | 'video';
export type StorageName = 'local' | 'imagekit';

export interface PutOptions {
  folder: string;
  fileName: string;
  mimeType: string;
  /** The extension that matches the sniffed content (never the client's). */
  extension: string;
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
  /** Stores the file at `localPath` (streamed, never read whole into memory). */
  abstract put(localPath: string, options: PutOptions): Promise<StoredObject>;
  abstract remove(fileId: string): Promise<void>;
  /**
   * The file's URL, transformed when `transformation` (canonical ImageKit syntax) is given.
   * `origin` is where the app is reached (PublicOrigin): the base of files the app serves.
   */
  abstract url(path: string, origin: string, transformation?: string): string;
  /** A small preview, or null when the driver cannot make one for this kind. */
  abstract thumbnailUrl(path: string, origin: string, kind: MediaKind): string | null;
}

export const THUMBNAIL_TRANSFORMATION = 'w-400,h-400,c-at_max';
