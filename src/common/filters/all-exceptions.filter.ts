import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isOutage, toErrorBody } from './error-body';

/** How long a client should wait before retrying a 503 (the database pool reconnects by itself). */
export const RETRY_AFTER_SECONDS = 5;

/** The one exception filter: every HTTP error leaves as {status_code, error, detail, code}. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    sendError(reply, exception, this.logger);
  }
}

function firstMessage(exception: unknown): string {
  const { message, code } = (exception ?? {}) as { message?: unknown; code?: unknown };
  // AggregateError (parallel IPv4/IPv6 connects) has an empty message and a code.
  if (typeof message === 'string' && message) return message;
  return typeof code === 'string' ? code : String(exception);
}

export function sendError(reply: FastifyReply, exception: unknown, logger: Logger): void {
  const payload = toErrorBody(exception);
  if (payload.status_code === 503) {
    // An outage makes every request fail the same way: one line each, not a stack trace.
    logger.warn(
      isOutage(exception)
        ? `Database unavailable: ${firstMessage(exception)}`
        : `Service unavailable: ${payload.detail}`,
    );
    if (!reply.hasHeader('retry-after')) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
  } else if (payload.status_code >= 500) {
    logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
  }
  if (payload.status_code === 401) reply.header('WWW-Authenticate', 'Bearer');
  if (reply.sent) return;
  void reply
    .status(payload.status_code)
    .header('content-type', 'application/json; charset=utf-8')
    .send(payload);
}
