import { HttpException, HttpStatus } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '../../database/pg-errors';
import { DEFAULT_CODES } from '../errors/error-codes';

export interface ErrorBody {
  status_code: number;
  error: string;
  detail: string;
  code: string;
  [extra: string]: unknown;
}

const INTERNAL_DETAIL = 'An unexpected error occurred. It has been logged.';
const DATABASE_UNAVAILABLE_DETAIL =
  'The database is temporarily unavailable; retry after the time given in Retry-After';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Fastify's own request errors: mapped to HttpException by Nest (kept as `cause`), or raw
 * from the router (over-long path parameter, malformed URL), which answers before Nest.
 */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_BAD_URL: 'INVALID_URL',
};

/** Fixed texts where Fastify's message would echo the request back (the whole path). */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is too large',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is too long',
  FST_ERR_BAD_URL: 'The URL is malformed',
};

function fastifyCode(error: unknown): string | undefined {
  const code = (error as FastifyLikeError | undefined)?.code;
  return code ? FASTIFY_CODES[code] : undefined;
}

function fastifyDetail(error: unknown): string | undefined {
  const code = (error as FastifyLikeError | undefined)?.code;
  return code ? FASTIFY_DETAILS[code] : undefined;
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

/** The 4xx status Fastify gave an error of the request itself, if any. */
function clientStatus(exception: unknown): number | undefined {
  const status = (exception as FastifyLikeError | undefined)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * An unreachable database: a 503 the client may retry, not a fault of this request.
 * A client hanging up mid-body also surfaces as ECONNRESET, but Fastify marks that one 400.
 */
export function isOutage(exception: unknown): boolean {
  return (
    !(exception instanceof HttpException) &&
    clientStatus(exception) === undefined &&
    isDatabaseUnavailable(exception)
  );
}

/**
 * Shapes any thrown value into the one error body of the API. Only 4xx errors keep their
 * message; an unreachable database is a 503; everything else becomes a generic 500 so no
 * internals reach the client.
 */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (status >= 500 && !(typeof response === 'object' && response && 'code' in response)) {
      return body(status, STATUS_CODES[status] ?? 'Server error');
    }
    if (typeof response === 'string') {
      const cause = exception.cause;
      return body(status, fastifyDetail(cause) ?? response, fastifyCode(cause));
    }
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
  // Errors raised by Fastify itself before a handler runs (bad JSON, wrong content type,
  // body too large, and the router's own 400 and 414).
  const fastifyError = exception as FastifyLikeError | undefined;
  const status = clientStatus(exception);
  if (status !== undefined) {
    const detail =
      fastifyDetail(fastifyError) ??
      (status === 413
        ? 'Request body is too large'
        : status === 415
          ? 'Unsupported Content-Type'
          : (fastifyError?.message ?? 'Bad request'));
    return body(status, detail, fastifyCode(fastifyError));
  }
  if (isOutage(exception)) return body(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_DETAIL);
  return body(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_DETAIL);
}
