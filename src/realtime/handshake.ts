import type { IncomingMessage } from 'node:http';
import { HttpException, type Logger } from '@nestjs/common';
import { isDatabaseUnavailable } from '../database/pg-errors';
import { CLOSE } from './close-codes';

/** A refused handshake: the socket closes with this code and reason. */
export class HandshakeRejected extends Error {
  constructor(
    readonly closeCode: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * How a refused handshake closes, for every socket of the API: token errors 4401, access
 * errors 4403, an unreachable database 1013 (retry); anything else is a bug (1011, logged).
 */
export function handshakeRejection(err: unknown, logger: Logger): HandshakeRejected {
  if (err instanceof HandshakeRejected) return err;
  if (err instanceof HttpException) {
    const status: number = err.getStatus();
    if (status === 401) return new HandshakeRejected(CLOSE.UNAUTHORIZED, 'Unauthorized');
    if (status === 403 || status === 404)
      return new HandshakeRejected(CLOSE.FORBIDDEN, 'Forbidden');
  }
  if (isDatabaseUnavailable(err))
    return new HandshakeRejected(CLOSE.TRY_AGAIN_LATER, 'Service unavailable, try again later');
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return new HandshakeRejected(CLOSE.INTERNAL, 'Internal error');
}

/** A socket's path and query, parsed once. */
export const socketUrl = (req: IncomingMessage): URL => new URL(req.url ?? '/', 'ws://localhost');
