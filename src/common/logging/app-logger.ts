import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogController } from 'fastify';
import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The one pino logger of an app. Fastify writes the request lines through it (see
 * RequestLogController) and Nest's own logs go through it via nestjs-pino, so both share
 * one destination and one JSON format.
 */
export function createAppLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      // The request lines never carry headers; this covers anything else that logs a request
      // or response object (a library's error, a debugging line) so credentials stay out.
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'res.headers["set-cookie"]',
          'headers.authorization',
          'headers.cookie',
          'headers["set-cookie"]',
        ],
        censor: '[Redacted]',
      },
    },
    destination,
  );
}

/** Query parameters whose value is a credential: the chat socket's ?token=, emailed links. */
const SECRET_PARAM = /([?&][^=&#]*(?:token|password|secret)[^=&#]*=)[^&#]*/gi;

/** The URL as it may be logged: the values of credential-like query parameters are masked. */
export function loggableUrl(url: string): string {
  return url.includes('?') ? url.replace(SECRET_PARAM, '$1[Redacted]') : url;
}

/** Orchestrators poll it every few seconds: its lines would drown the others. */
const UNLOGGED_ROUTES = new Set(['/health/live']);

/**
 * Fastify's request logging, reduced to one line per request written when the response is
 * finished: method, url, route pattern, status and duration, with Fastify's request id
 * (the `x-request-id` header) as reqId. 5xx are errors, 4xx warnings. Never headers or
 * bodies. Errors the app answers itself are logged by its exception filter; the ones
 * Fastify answers alone keep their own line at error level when they are 5xx.
 */
export class RequestLogController extends LogController {
  constructor() {
    super({
      disableRequestLogging: (request) =>
        UNLOGGED_ROUTES.has((request as Partial<FastifyRequest>).routeOptions?.url ?? ''),
    });
  }

  override incomingRequest(): void {
    // One line per request, written once the outcome is known.
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const statusCode = reply.statusCode;
    const level = error || statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
    // Nothing is built for a line the level drops (LOG_LEVEL=warn under load).
    const { isLevelEnabled } = reply.log as Partial<Logger>;
    if (isLevelEnabled && !isLevelEnabled.call(reply.log, level)) return;
    const line = {
      method: request.method,
      url: loggableUrl(request.url),
      route: request.routeOptions.url,
      statusCode,
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else if (statusCode >= 500) reply.log.error(line, 'request completed');
    else if (statusCode >= 400) reply.log.warn(line, 'request completed');
    else reply.log.info(line, 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    // A 4xx is told by the request line; a 5xx also needs its stack.
    if (this.isLogDisabled(request) || reply.statusCode < 500) return;
    reply.log.error({ err: error }, error.message);
  }

  override routeNotFound(): void {
    // The request line of the 404 says it.
  }

  override writeHeadError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    reply.log.warn({ err: error }, error.message);
  }
}
