import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpStatus } from '@nestjs/common';
import type {} from '@fastify/multipart'; // request.parts() / isMultipart() types
import type { FastifyRequest } from 'fastify';
import { AppException, badRequest } from '../errors/app.exception';
import { rejectUnfitText } from '../validation/text';

export interface ReceivedFile {
  field: string;
  /** The client's file name, sanitized: no path, no control characters. */
  fileName: string;
  tempPath: string;
  size: number;
}

export interface ReceivedForm {
  files: ReceivedFile[];
  fields: Record<string, string>;
  /** Deletes the temp files that were not moved into storage. */
  cleanup(): Promise<void>;
}

export interface ReceiveOptions {
  tempDir: string;
  fileFields: string[];
  textFields: string[];
  maxFiles: number;
  maxFileBytes: number;
}

export function sanitizeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const clean = base
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f"<>|*?]/g, '')
    .trim()
    .slice(-200);
  return clean && clean !== '.' && clean !== '..' ? clean : 'file';
}

/**
 * Reads a multipart/form-data request, streaming each file part to a temp file as it
 * arrives (memory stays flat whatever the size). Nothing is kept when the request is
 * rejected: the temp files are removed before the error is thrown.
 */
export async function receiveMultipart(
  req: FastifyRequest,
  options: ReceiveOptions,
): Promise<ReceivedForm> {
  if (!req.isMultipart()) {
    throw new AppException(
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      'UNSUPPORTED_MEDIA_TYPE',
      'Expected a multipart/form-data body',
    );
  }
  await mkdir(options.tempDir, { recursive: true });
  const files: ReceivedFile[] = [];
  const fields: Record<string, string> = {};
  const cleanup = async () => {
    await Promise.all(files.map((f) => rm(f.tempPath, { force: true })));
  };
  try {
    const parts = req.parts({
      limits: {
        fileSize: options.maxFileBytes,
        files: options.maxFiles,
        fields: options.textFields.length + 5,
        fieldSize: 64 * 1024,
        parts: options.maxFiles + options.textFields.length + 5,
      },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (!options.fileFields.includes(part.fieldname)) {
          part.file.resume();
          throw badRequest('UNEXPECTED_FIELD', `Unexpected file field "${part.fieldname}"`);
        }
        const file: ReceivedFile = {
          field: part.fieldname,
          fileName: sanitizeFileName(part.filename),
          tempPath: join(options.tempDir, `${randomUUID()}.upload`),
          size: 0,
        };
        files.push(file);
        part.file.on('data', (chunk: Buffer) => (file.size += chunk.length));
        await pipeline(part.file, createWriteStream(file.tempPath));
        if (part.file.truncated) throw tooLarge(options.maxFileBytes);
      } else {
        if (!options.textFields.includes(part.fieldname)) {
          throw badRequest('UNEXPECTED_FIELD', `Unexpected field "${part.fieldname}"`);
        }
        const value = String(part.value);
        rejectUnfitText(value, part.fieldname);
        fields[part.fieldname] = value;
      }
    }
  } catch (err) {
    await cleanup();
    throw mapMultipartError(err, options.maxFileBytes);
  }
  return { files, fields, cleanup };
}

function tooLarge(max: number): AppException {
  return new AppException(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'FILE_TOO_LARGE',
    `The file is larger than the limit of ${max} bytes`,
    { max_bytes: max },
  );
}

function mapMultipartError(err: unknown, max: number): unknown {
  if (err instanceof AppException) return err;
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(max);
    case 'FST_FILES_LIMIT':
      return badRequest('TOO_MANY_FILES', 'Too many files in this request');
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return badRequest('TOO_MANY_PARTS', 'Too many fields in this request');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
    case 'FST_MULTIPART_INVALID_BOUNDARY':
      return badRequest('INVALID_MULTIPART', 'The multipart body is malformed');
    default:
      // A client that hangs up or sends a broken body.
      if (err instanceof Error && /multipart|boundary|Unexpected end/i.test(err.message)) {
        return badRequest('INVALID_MULTIPART', 'The multipart body is malformed');
      }
      return err;
  }
}

/** Receives the form, runs `work` with it, and removes what was not moved into storage. */
export async function withMultipart<T>(
  req: FastifyRequest,
  options: ReceiveOptions,
  work: (form: ReceivedForm) => Promise<T>,
): Promise<T> {
  const form = await receiveMultipart(req, options);
  try {
    return await work(form);
  } finally {
    await form.cleanup();
  }
}
