import { HttpException, HttpStatus } from '@nestjs/common';

export interface FieldError {
  field: string;
  messages: string[];
}

export interface AppExceptionBody {
  code: string;
  detail: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

/** An HTTP error with a stable machine-readable `code` and a human-readable `detail`. */
export class AppException extends HttpException {
  constructor(
    status: HttpStatus,
    code: string,
    detail: string,
    extra: Record<string, unknown> = {},
  ) {
    super({ ...extra, code, detail } satisfies AppExceptionBody, status);
  }
}

export const badRequest = (code: string, detail: string) =>
  new AppException(HttpStatus.BAD_REQUEST, code, detail);
export const notFound = (code: string, detail: string) =>
  new AppException(HttpStatus.NOT_FOUND, code, detail);
export const conflict = (code: string, detail: string) =>
  new AppException(HttpStatus.CONFLICT, code, detail);
export const forbidden = (code: string, detail: string) =>
  new AppException(HttpStatus.FORBIDDEN, code, detail);
export const unauthorized = (code: string, detail: string) =>
  new AppException(HttpStatus.UNAUTHORIZED, code, detail);
