export type UploadCategory = 'document' | 'image' | 'audio' | 'video' | 'archive';

export interface UploadType {
  category: UploadCategory;
  mime: string;
  /** What file-type reports for this format; null for plain-text formats (no signature). */
  sniff: string[] | null;
  /** Served inline (raster images, audio, video); everything else downloads as an attachment. */
  inline?: boolean;
}

const OOXML = 'application/vnd.openxmlformats-officedocument';

/** Accepted chat uploads by extension; the bytes must match the extension's format. */
export const UPLOAD_TYPES: Record<string, UploadType> = {
  pdf: { category: 'document', mime: 'application/pdf', sniff: ['application/pdf'] },
  doc: { category: 'document', mime: 'application/msword', sniff: ['application/x-cfb'] },
  docx: {
    category: 'document',
    mime: `${OOXML}.wordprocessingml.document`,
    sniff: [`${OOXML}.wordprocessingml.document`],
  },
  xls: { category: 'document', mime: 'application/vnd.ms-excel', sniff: ['application/x-cfb'] },
  xlsx: {
    category: 'document',
    mime: `${OOXML}.spreadsheetml.sheet`,
    sniff: [`${OOXML}.spreadsheetml.sheet`],
  },
  ppt: {
    category: 'document',
    mime: 'application/vnd.ms-powerpoint',
    sniff: ['application/x-cfb'],
  },
  pptx: {
    category: 'document',
    mime: `${OOXML}.presentationml.presentation`,
    sniff: [`${OOXML}.presentationml.presentation`],
  },
  txt: { category: 'document', mime: 'text/plain', sniff: null },
  csv: { category: 'document', mime: 'text/csv', sniff: null },
  jpg: { category: 'image', mime: 'image/jpeg', sniff: ['image/jpeg'], inline: true },
  jpeg: { category: 'image', mime: 'image/jpeg', sniff: ['image/jpeg'], inline: true },
  png: { category: 'image', mime: 'image/png', sniff: ['image/png'], inline: true },
  gif: { category: 'image', mime: 'image/gif', sniff: ['image/gif'], inline: true },
  webp: { category: 'image', mime: 'image/webp', sniff: ['image/webp'], inline: true },
  svg: { category: 'image', mime: 'image/svg+xml', sniff: null },
  mp3: { category: 'audio', mime: 'audio/mpeg', sniff: ['audio/mpeg'], inline: true },
  wav: {
    category: 'audio',
    mime: 'audio/wav',
    sniff: ['audio/wav', 'audio/vnd.wave', 'audio/x-wav'],
    inline: true,
  },
  ogg: {
    category: 'audio',
    mime: 'audio/ogg',
    sniff: ['audio/ogg', 'audio/opus', 'video/ogg'],
    inline: true,
  },
  mp4: { category: 'video', mime: 'video/mp4', sniff: ['video/mp4'], inline: true },
  avi: {
    category: 'video',
    mime: 'video/x-msvideo',
    sniff: ['video/vnd.avi', 'video/x-msvideo'],
    inline: true,
  },
  mov: { category: 'video', mime: 'video/quicktime', sniff: ['video/quicktime'], inline: true },
  zip: { category: 'archive', mime: 'application/zip', sniff: ['application/zip'] },
  rar: {
    category: 'archive',
    mime: 'application/vnd.rar',
    sniff: ['application/x-rar-compressed', 'application/vnd.rar'],
  },
  '7z': {
    category: 'archive',
    mime: 'application/x-7z-compressed',
    sniff: ['application/x-7z-compressed'],
  },
};

export const MAX_UPLOAD_FILES = 10;

/** Extensions whose stored files may be shown inline from /media (everything else: attachment). */
export const INLINE_EXTENSIONS = new Set(
  Object.entries(UPLOAD_TYPES)
    .filter(([, t]) => t.inline)
    .map(([ext]) => ext)
    .concat(['avif', 'webm']),
);
