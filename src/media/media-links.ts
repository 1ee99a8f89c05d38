import { Inject, Injectable } from '@nestjs/common';
import { PublicOrigin } from '../common/http/public-origin';
import { mediaConfig, type ConfigType } from '../config/configuration';
import { LocalMediaStorage } from './storage/local-media.storage';
import { type MediaKind, MediaStorage, THUMBNAIL_TRANSFORMATION } from './storage/media-storage';
import type { TransformStep } from './transformation';

/** Where a file is stored, as rows keep it: the driver and the driver's path. */
export interface MediaLocation {
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
  /** A public file's link; transformed when given parsed steps. */
  file(location: MediaLocation, transformation?: TransformStep[]): string;
  /**
   * A private file's link (chat attachments): signed, and valid for MEDIA_SIGNED_URL_TTL
   * from now. Every response hands out a fresh one.
   */
  privateFile(location: MediaLocation, transformation?: TransformStep[]): string;
  /** A preview (400 px box), or null when the driver has none for this kind. */
  thumbnail(location: MediaLocation, kind: MediaKind): string | null;
  /** The user's avatar (a 400 px box), or null without one. */
  avatar(user: AvatarColumns): string | null;
}

/**
 * Turns stored media keys into links when a response or frame is made: rows never hold
 * links, so the same row reads right on any host, port or ImageKit endpoint, and links to
 * private files are signed afresh each time.
 */
@Injectable()
export class MediaLinks {
  constructor(
    private readonly storage: MediaStorage,
    private readonly local: LocalMediaStorage,
    private readonly origins: PublicOrigin,
    @Inject(mediaConfig.KEY) private readonly config: ConfigType<typeof mediaConfig>,
  ) {}

  /** Links for the response being made now (PUBLIC_URL, else the request's origin). */
  current(): Links {
    return this.at(this.origins.current());
  }

  /** Links for a client that reached the app at `origin` (a chat socket's handshake). */
  at(origin: string): Links {
    // Files the local driver stored stay served by the app after a move to ImageKit.
    const driver = (location: MediaLocation): MediaStorage =>
      location.storage === this.storage.name ? this.storage : this.local;
    const ttl = this.config.signedUrlTtlSeconds;
    const file = (location: MediaLocation, transformation?: TransformStep[]) =>
      driver(location).url(location.path, origin, transformation);
    return {
      file,
      privateFile: (location, transformation) =>
        driver(location).signedUrl(location.path, origin, ttl, transformation),
      thumbnail: (location, kind) => driver(location).thumbnailUrl(location.path, origin, kind),
      avatar: (user) =>
        user.avatarStorage && user.avatarPath
          ? file({ storage: user.avatarStorage, path: user.avatarPath }, THUMBNAIL_TRANSFORMATION)
          : null,
    };
  }
}
