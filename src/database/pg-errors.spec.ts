import { QueryFailedError } from 'typeorm';
import { foreignKeyViolation, isDatabaseUnavailable, uniqueViolation } from './pg-errors';

const pgError = (code: string, message = 'server said no') =>
  Object.assign(new Error(message), { code, severity: 'FATAL' });
const queryFailed = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isDatabaseUnavailable', () => {
  it('recognises a refused or dropped connection, raw or wrapped by TypeORM', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
    });
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(queryFailed(new Error('Connection terminated')))).toBe(true);
    expect(
      isDatabaseUnavailable(
        queryFailed(new Error('Client has encountered a connection error and is not queryable')),
      ),
    ).toBe(true);
  });

  it('recognises pool checkout timeouts', () => {
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(
      isDatabaseUnavailable(
        new Error('Connection terminated due to connection timeout', { cause }),
      ),
    ).toBe(true);
  });

  it('looks inside AggregateError (IPv4 and IPv6 tried in parallel)', () => {
    const attempts = ['::1', '127.0.0.1'].map((host) =>
      Object.assign(new Error(`connect ECONNREFUSED ${host}:5432`), { code: 'ECONNREFUSED' }),
    );
    expect(isDatabaseUnavailable(new AggregateError(attempts, ''))).toBe(true);
  });

  it('recognises the SQLSTATEs of a server that cannot take work now', () => {
    for (const code of ['08006', '08001', '08P01', '57P01', '57P02', '57P03', '53300']) {
      expect(isDatabaseUnavailable(queryFailed(pgError(code)))).toBe(true);
    }
  });

  it('leaves query errors and bugs alone', () => {
    for (const code of ['23505', '42P01', '42601', '22P02', '40001', '57014', '28P01']) {
      expect(isDatabaseUnavailable(queryFailed(pgError(code)))).toBe(false);
    }
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });

  it('does not loop on a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe('uniqueViolation and foreignKeyViolation', () => {
  const unique = Object.assign(pgError('23505'), { constraint: 'UQ_messages_client_id' });

  it('read the server error raw (rawQuery) or wrapped by TypeORM', () => {
    expect(uniqueViolation(unique)).toBe('UQ_messages_client_id');
    expect(uniqueViolation(queryFailed(unique))).toBe('UQ_messages_client_id');
    expect(foreignKeyViolation(pgError('23503'))).toBe(true);
    expect(foreignKeyViolation(queryFailed(pgError('23503')))).toBe(true);
  });

  it('ignore other errors, and codes not sent by the server', () => {
    expect(uniqueViolation(pgError('23503'))).toBeUndefined();
    expect(foreignKeyViolation(unique)).toBe(false);
    const local = Object.assign(new Error('connect ECONNREFUSED'), { code: '23505' });
    expect(uniqueViolation(local)).toBeUndefined();
    expect(uniqueViolation(undefined)).toBeUndefined();
  });
});
