import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DEFAULT_CODES } from '../errors/error-codes';

export interface ErrorBody {
  status_code: number;
  error: string;
  detail: string;
  code: string;
  [extra: string]: unknown;
}

const INTERNAL_DETAIL = 'An unexpected error occurred. It has been logged.';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** Fastify's own request errors (mapped to HttpException by Nest, kept as `cause`). */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
};

function fastifyCode(error: unknown): string | undefined {
  const code = (error as FastifyLikeError | undefined)?.code;
  return code ? FASTIFY_CODES[code] : undefined;
}

function defaultCode(status: number): string {
  return (
    DEFAULT_CODES[status] ?? (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_')
  );
}

function body(
  status: number,
  detail: string,
  code?: string,
  extra: Record<string, unknown> = {},
): ErrorBody {
  return {
    ...extra,
    status_code: status,
    error: STATUS_CODES[status] ?? 'Error',
    detail,
    code: code ?? defaultCode(status),
  };
}

/**
 * Shapes any thrown value into the one error body of the API. Only 4xx errors keep their
 * message; everything else becomes a generic 500 so no internals reach the client.
 */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (status >= 500 && !(typeof response === 'object' && response && 'code' in response)) {
      return body(status, STATUS_CODES[status] ?? 'Server error');
    }
    if (typeof response === 'string') return body(status, response, fastifyCode(exception.cause));
    const { code, detail, message, error, statusCode, ...extra } = response as Record<
      string,
      unknown
    >;
    void error;
    void statusCode;
    const text =
      typeof detail === 'string'
        ? detail
        : Array.isArray(message)
          ? message.join('; ')
          : typeof message === 'string'
            ? message
            : exception.message;
    return body(status, text, typeof code === 'string' ? code : undefined, extra);
  }
  // Errors raised by Fastify itself before a handler runs (bad JSON, wrong content type, body too large).
  const fastifyError = exception as FastifyLikeError | undefined;
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = fastifyCode(fastifyError);
    const detail =
      status === 413
        ? 'Request body is too large'
        : status === 415
          ? 'Unsupported Content-Type'
          : (fastifyError?.message ?? 'Bad request');
    return body(status, detail, code);
  }
  return body(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_DETAIL);
}
