import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
}

/**
 * The server's error behind `err`: wrapped by TypeORM (entity and query-builder writes), or
 * pg's own DatabaseError, which carries the server's severity (SQL run through rawQuery).
 */
function serverError(err: unknown): PgDriverError | undefined {
  if (err instanceof QueryFailedError) return err.driverError as PgDriverError;
  if (err instanceof Error && 'severity' in err && typeof (err as PgDriverError).code === 'string')
    return err as PgDriverError;
  return undefined;
}

/** The violated constraint's name when `err` is a unique violation (SQLSTATE 23505). */
export function uniqueViolation(err: unknown): string | undefined {
  const driverError = serverError(err);
  return driverError?.code === '23505' ? (driverError.constraint ?? '') : undefined;
}

/** True when `err` is a foreign key violation (SQLSTATE 23503): a referenced row is gone. */
export function foreignKeyViolation(err: unknown): boolean {
  return serverError(err)?.code === '23503';
}

/** Socket-level failures: the server is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs that say "try again later" rather than "your query is wrong": admin or crash
 * shutdown (57P01, 57P02), still starting (57P03), idle session ended (57P05), too many
 * connections (53300). Class 08 (connection exceptions) is matched separately.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P05', '53300']);

/**
 * pg and pg-pool report a lost or never-made connection with a plain Error and no code.
 * The texts are those of pg 8 / pg-pool 3 (and TypeORM when the pool is gone).
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
  /^Driver not Connected$/,
  /^Query read timeout$/,
];

function isUnavailableCode(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  if (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
  return /^08[0-9A-Z]{3}$/.test(code);
}

/**
 * True when `err` means the database cannot be reached or is not accepting work right now
 * (as opposed to a bad query or a bug). TypeORM wraps query errors in QueryFailedError
 * (`driverError`), but a failed pool checkout arrives raw, and Node wraps parallel connect
 * attempts (IPv4 and IPv6) in an AggregateError: all of those layers are looked at.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [err];
  while (pending.length && seen.size < 16) {
    const current = pending.pop();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const { code, message, driverError, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (isUnavailableCode(code)) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) {
      return true;
    }
    pending.push(driverError, cause);
    if (Array.isArray(errors)) pending.push(...(errors as unknown[]));
  }
  return false;
}
