import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorBody } from './error-body';

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

export function sendError(reply: FastifyReply, exception: unknown, logger: Logger): void {
  const payload = toErrorBody(exception);
  if (payload.status_code >= 500) {
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
