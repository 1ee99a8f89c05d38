import { QueryFailedError } from 'typeorm';

interface PgDriverError {
  code?: string;
  constraint?: string;
}

/** The violated constraint's name when `err` is a unique violation (SQLSTATE 23505). */
export function uniqueViolation(err: unknown): string | undefined {
  if (!(err instanceof QueryFailedError)) return undefined;
  const driverError = err.driverError as PgDriverError;
  return driverError.code === '23505' ? (driverError.constraint ?? '') : undefined;
}
