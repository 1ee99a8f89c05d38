import { Injectable } from '@nestjs/common';
import { PublicOrigin } from '../common/http/public-origin';
import { localMediaUrl } from './storage/local-media.storage';
import { type MediaKind, MediaStorage, THUMBNAIL_TRANSFORMATION } from './storage/media-storage';

/** Where a file is stored, as rows keep it: the driver and the driver's path. */
export interface MediaRef {
  storage: string;
  path: string;
}

/** What a user row keeps of its avatar. */
export interface AvatarColumns {
  avatarStorage: string | null;
  avatarPath: string | null;
}

/** Links to stored files for one origin: what the mappers of responses and frames use. */
export interface Links {
  /** The file's link; transformed when given a canonical transformation. */
  file(ref: MediaRef, transformation?: string): string;
  /** A preview (400 px box), or null when the driver has none for this kind. */
  thumbnail(ref: MediaRef, kind: MediaKind): string | null;
  /** The user's avatar (a 400 px box), or null without one. */
  avatar(user: AvatarColumns): string | null;
}

/**
 * Turns stored media keys into links when a response or frame is made: rows never hold
 * links, so the same row reads right on any host, port or ImageKit endpoint.
 */
@Injectable()
export class MediaLinks {
  constructor(
    private readonly storage: MediaStorage,
    private readonly origins: PublicOrigin,
  ) {}

  /** Links for the response being made now (PUBLIC_URL, else the request's origin). */
  current(): Links {
    return this.at(this.origins.current());
  }

  /** Links for a client that reached the app at `origin` (a chat socket's handshake). */
  at(origin: string): Links {
    const url = (ref: MediaRef, transformation?: string) =>
      // Files the local driver stored stay served by the app after a move to ImageKit.
      ref.storage === 'local' || ref.storage !== this.storage.name
        ? localMediaUrl(ref.path, origin, transformation)
        : this.storage.url(ref.path, origin, transformation);
    return {
      file: url,
      thumbnail: (ref, kind) =>
        ref.storage === this.storage.name
          ? this.storage.thumbnailUrl(ref.path, origin, kind)
          : kind === 'image'
            ? url(ref, THUMBNAIL_TRANSFORMATION)
            : null,
      avatar: (user) =>
        user.avatarStorage && user.avatarPath
          ? url({ storage: user.avatarStorage, path: user.avatarPath }, THUMBNAIL_TRANSFORMATION)
          : null,
    };
  }
}
