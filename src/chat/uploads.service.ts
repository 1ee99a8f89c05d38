import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { fileTypeFromFile } from 'file-type';
import { requireAccess } from '../access/access';
import { AppException, badRequest, notFound } from '../common/errors/app.exception';
import type { ReceivedFile } from '../common/multipart/multipart';
import type { Links } from '../media/media-links';
import { MediaService, type StoredFile } from '../media/media.service';
import type { User } from '../users/entities/user.entity';
import type { ChatUpload } from './entities/chat-upload.entity';
import { MAX_UPLOAD_FILES, UPLOAD_TYPES, type UploadType } from './upload-types';
import { MessagesRepository } from './messages.repository';
import { UploadsRepository } from './uploads.repository';

export class UploadResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'notes.pdf' }) file_name: string;
  @ApiProperty({ example: 'application/pdf' }) mime_type: string;
  @ApiProperty({ type: 'integer', description: 'Bytes' }) size: number;
  @ApiProperty({ enum: ['image', 'video', 'audio', 'document', 'archive'] }) category: string;
  @ApiProperty({ format: 'uri' }) public_url: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export const toUploadResponse = (u: ChatUpload, links: Links): UploadResponse => ({
  id: u.id,
  file_name: u.fileName,
  mime_type: u.mimeType,
  size: u.size,
  category: u.category,
  public_url: links.privateFile(u),
  created_at: u.createdAt.toISOString(),
});

const TEXT_PROBE_BYTES = 64 * 1024;

/** Chat attachments: checked against their bytes, stored through MediaService. */
@Injectable()
export class UploadsService {
  constructor(
    private readonly uploads: UploadsRepository,
    private readonly media: MediaService,
    private readonly messages: MessagesRepository,
  ) {}

  allowedTypes() {
    const categories: Record<string, { extensions: string[]; mime_types: string[] }> = {};
    for (const [ext, type] of Object.entries(UPLOAD_TYPES)) {
      const c = (categories[type.category] ??= { extensions: [], mime_types: [] });
      c.extensions.push(ext);
      if (!c.mime_types.includes(type.mime)) c.mime_types.push(type.mime);
    }
    return { categories, max_file_size: this.media.maxUploadBytes, max_files: MAX_UPLOAD_FILES };
  }

  /** Checks every file first, then stores them all; a failure leaves nothing stored. */
  async create(user: User, files: ReceivedFile[]): Promise<ChatUpload[]> {
    if (files.length === 0)
      throw badRequest('FILE_REQUIRED', 'At least one "file" part is required');
    const checked: Array<{ file: ReceivedFile; ext: string; type: UploadType }> = [];
    for (const file of files) checked.push({ file, ...(await this.check(file)) });
    const stored: Array<StoredFile & { size: number }> = [];
    try {
      for (const { file, ext, type } of checked) {
        stored.push(
          await this.media.storeAs(file, {
            folder: 'uploads',
            mimeType: type.mime,
            extension: ext,
            // Chat files are seen by a room's members, and by nobody once they lose access:
            // links to them are signed and expire (MediaLinks.privateFile).
            private: true,
          }),
        );
      }
      return await this.uploads.insertAll(
        checked.map(({ file, type }, i) => ({
          ownerId: user.id,
          storage: stored[i].storage,
          fileId: stored[i].fileId,
          path: stored[i].path,
          fileName: file.fileName,
          mimeType: type.mime,
          category: type.category,
          size: stored[i].size,
        })),
      );
    } catch (err) {
      await Promise.all(stored.map((s) => this.media.remove(s)));
      throw err;
    }
  }

  /** The owner, or a member of a room where the file was posted. */
  async getVisible(id: string, user: User): Promise<ChatUpload> {
    const upload = isUUID(id) ? await this.uploads.findById(id) : null;
    if (!upload) throw notFound('FILE_NOT_FOUND', 'File not found');
    const sharedWithActor =
      upload.ownerId !== user.id && (await this.messages.fileSharedWith(upload.id, user.id));
    requireAccess(user, 'upload.read', { ownerId: upload.ownerId, sharedWithActor });
    return upload;
  }

  /** For attaching to a message or deleting: only the sender's own uploads. */
  async getOwn(id: string, user: User): Promise<ChatUpload> {
    const upload = isUUID(id) ? await this.uploads.findById(id) : null;
    if (!upload) throw notFound('FILE_NOT_FOUND', 'No such upload of yours');
    requireAccess(user, 'upload.use', { ownerId: upload.ownerId });
    return upload;
  }

  async delete(id: string, user: User): Promise<void> {
    const upload = await this.getOwn(id, user);
    await this.uploads.delete(upload.id);
    await this.media.remove({ storage: upload.storage, fileId: upload.fileId, path: upload.path });
  }

  private async check(file: ReceivedFile): Promise<{ ext: string; type: UploadType }> {
    const ext = extname(file.fileName).slice(1).toLowerCase();
    const type = UPLOAD_TYPES[ext];
    if (!type) {
      throw new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_MEDIA_TYPE',
        `"${file.fileName}": .${ext || '(none)'} files are not accepted (see GET /api/uploads/types/allowed)`,
      );
    }
    if (file.size === 0) throw badRequest('EMPTY_FILE', `"${file.fileName}" is empty`);
    const detected = (await fileTypeFromFile(file.tempPath))?.mime;
    const mismatch = () =>
      new AppException(
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        'UNSUPPORTED_MEDIA_TYPE',
        `"${file.fileName}": the content is not a .${ext} file${detected ? ` (found ${detected})` : ''}`,
      );
    if (type.sniff) {
      if (!detected || !type.sniff.includes(detected)) throw mismatch();
    } else {
      // Text formats have no signature: the bytes must be UTF-8 text (an SVG must be one).
      if (detected && !(ext === 'svg' && detected === 'application/xml')) throw mismatch();
      const head = await readHead(file.tempPath);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(
          stripIncompleteTail(head, file.size <= TEXT_PROBE_BYTES),
        );
      } catch {
        throw mismatch();
      }
      if (text.includes('\u0000') || (ext === 'svg' && !/<svg[\s>]/i.test(text))) throw mismatch();
    }
    return { ext, type };
  }
}

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(TEXT_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, TEXT_PROBE_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The probe may cut a multi-byte character in half: drop that partial tail. */
function stripIncompleteTail(buf: Buffer, complete: boolean): Buffer {
  if (complete) return buf;
  for (let i = buf.length - 1; i >= Math.max(0, buf.length - 4); i--) {
    const b = buf[i];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return buf.length - i < need ? buf.subarray(0, i) : buf;
  }
  return buf;
}
