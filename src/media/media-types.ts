import type { MediaKind } from './storage/media-storage';

export interface MediaType {
  mime: string;
  extension: string;
  kind: MediaKind;
}

/** What posts accept, keyed by the MIME type file-type reports from the bytes. */
export const POST_MEDIA_TYPES: Record<string, MediaType> = {
  'image/jpeg': { mime: 'image/jpeg', extension: 'jpg', kind: 'image' },
  'image/png': { mime: 'image/png', extension: 'png', kind: 'image' },
  'image/gif': { mime: 'image/gif', extension: 'gif', kind: 'image' },
  'image/webp': { mime: 'image/webp', extension: 'webp', kind: 'image' },
  'image/avif': { mime: 'image/avif', extension: 'avif', kind: 'image' },
  'video/mp4': { mime: 'video/mp4', extension: 'mp4', kind: 'video' },
  'video/webm': { mime: 'video/webm', extension: 'webm', kind: 'video' },
  'video/quicktime': { mime: 'video/quicktime', extension: 'mov', kind: 'video' },
};

export const IMAGE_TYPES: Record<string, MediaType> = Object.fromEntries(
  Object.entries(POST_MEDIA_TYPES).filter(([, t]) => t.kind === 'image'),
);
