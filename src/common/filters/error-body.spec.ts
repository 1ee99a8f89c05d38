import { BadRequestException, HttpException, HttpStatus, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AppException } from '../errors/app.exception';
import { toErrorBody } from './error-body';

describe('toErrorBody', () => {
  it('keeps the code and detail of an AppException', () => {
    const body = toErrorBody(
      new AppException(HttpStatus.CONFLICT, 'REGISTER_USER_ALREADY_EXISTS', 'taken'),
    );
    expect(body).toEqual({
      status_code: 409,
      error: 'Conflict',
      detail: 'taken',
      code: 'REGISTER_USER_ALREADY_EXISTS',
    });
  });

  it('gives Nest exceptions a default code from their status', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'))).toEqual({
      status_code: 404,
      error: 'Not Found',
      detail: 'Cannot GET /x',
      code: 'NOT_FOUND',
    });
    expect(toErrorBody(new BadRequestException(['a is bad', 'b is bad'])).detail).toBe(
      'a is bad; b is bad',
    );
  });

  it('maps Fastify parser errors carried as cause', () => {
    const cause = Object.assign(new Error('Body is not valid JSON'), {
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      statusCode: 400,
    });
    const body = toErrorBody(new HttpException('Body is not valid JSON', 400, { cause }));
    expect(body.code).toBe('INVALID_JSON');
  });

  it('hides everything about unexpected errors', () => {
    const body = toErrorBody(new Error('relation "users" does not exist at SELECT * FROM users'));
    expect(body).toEqual({
      status_code: 500,
      error: 'Internal Server Error',
      detail: expect.not.stringMatching(/users|SELECT/),
      code: 'INTERNAL_SERVER_ERROR',
    });
  });

  it('does not echo the message of a bare 5xx HttpException', () => {
    const body = toErrorBody(new HttpException('pool exhausted at db01:5432', 503));
    expect(body.detail).not.toContain('db01');
    expect(body.code).toBe('SERVICE_UNAVAILABLE');
  });

  it('answers 503 for an unreachable database, without its address or SQL', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), {
      code: 'ECONNREFUSED',
    });
    const dropped = new QueryFailedError(
      'SELECT "hashed_password" FROM users',
      [],
      new Error('Connection terminated unexpectedly'),
    );
    for (const error of [refused, dropped]) {
      const body = toErrorBody(error);
      expect(body).toEqual({
        status_code: 503,
        error: 'Service Unavailable',
        detail: expect.not.stringMatching(/10\.0\.0\.5|SELECT|terminated/),
        code: 'SERVICE_UNAVAILABLE',
      });
    }
  });

  it('keeps a client that hung up mid-body a 400, not an outage', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(toErrorBody(aborted)).toMatchObject({ status_code: 400 });
  });

  it("shapes the router's own errors without echoing the path", () => {
    const path = `/users/${'a'.repeat(200)}`;
    const tooLong = Object.assign(new Error(`'${path}' is exceeding the max param length`), {
      code: 'FST_ERR_MAX_PARAM_LENGTH',
      statusCode: 414,
    });
    expect(toErrorBody(tooLong)).toEqual({
      status_code: 414,
      error: 'URI Too Long',
      detail: 'A path parameter is too long',
      code: 'URI_TOO_LONG',
    });
    const badUrl = Object.assign(new Error(`'/users/%zz' is not a valid url component`), {
      code: 'FST_ERR_BAD_URL',
      statusCode: 400,
    });
    expect(toErrorBody(badUrl)).toMatchObject({ status_code: 400, code: 'INVALID_URL' });
  });
});
