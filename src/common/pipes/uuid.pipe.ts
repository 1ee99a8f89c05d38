import { ParseUUIDPipe } from '@nestjs/common';
import { badRequest } from '../errors/app.exception';

/** Path ids are UUIDs: anything else is 400 INVALID_ID rather than a database error. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => badRequest('INVALID_ID', 'The id must be a UUID'),
});
