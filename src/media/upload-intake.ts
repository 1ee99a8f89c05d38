import { applyDecorators, Injectable } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse } from '../common/dto/error.response';
import { badRequest } from '../common/errors/app.exception';
import { type ReceivedForm, withMultipart } from '../common/multipart/multipart';
import { MediaService } from './media.service';

export interface IntakeOptions {
  /** Text parts read besides the files (a caption, say); any other part is refused. */
  textFields?: string[];
  /** How many `file` parts one request may carry (at least one is required). */
  maxFiles?: number;
}

/**
 * The one way uploaded files enter the app (posts, avatars, chat files): a multipart body
 * whose `file` parts stream to temp files under the media directory within the size limit,
 * handed to `work`, and removed afterwards unless `work` moved them into storage.
 */
@Injectable()
export class UploadIntake {
  constructor(private readonly media: MediaService) {}

  receive<T>(
    req: FastifyRequest,
    { textFields = [], maxFiles = 1 }: IntakeOptions,
    work: (form: ReceivedForm) => Promise<T>,
  ): Promise<T> {
    const options = {
      tempDir: this.media.tempDir,
      fileFields: ['file'],
      textFields,
      maxFiles,
      maxFileBytes: this.media.maxUploadBytes,
    };
    return withMultipart(req, options, (form) => {
      if (form.files.length === 0) {
        throw badRequest(
          'FILE_REQUIRED',
          maxFiles === 1 ? 'The "file" field is required' : 'At least one "file" part is required',
        );
      }
      return work(form);
    });
  }
}

/**
 * The error answers of a route that stores uploads in media storage, for the OpenAPI
 * document; a route names its own 400 and 415 cases where they differ.
 */
export const ApiUploadErrors = ({
  badRequest = 'No file, empty file, damaged image, caption too long',
  unsupported = 'UNSUPPORTED_MEDIA_TYPE (checked on the bytes)',
}: { badRequest?: string; unsupported?: string } = {}) =>
  applyDecorators(
    ApiResponse({ status: 400, description: badRequest, type: ErrorResponse }),
    ApiResponse({ status: 413, description: 'FILE_TOO_LARGE', type: ErrorResponse }),
    ApiResponse({ status: 415, description: unsupported, type: ErrorResponse }),
    ApiResponse({ status: 502, description: 'MEDIA_UPLOAD_FAILED', type: ErrorResponse }),
    ApiResponse({ status: 504, description: 'MEDIA_UPLOAD_TIMEOUT', type: ErrorResponse }),
  );
