import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
import { AppException, FieldError } from '../errors/app.exception';

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The human-readable summary of field errors (HTTP `detail`, WebSocket error frames). */
export function validationDetail(fields: FieldError[]): string {
  return fields.length
    ? fields.map((f) => f.messages.join(', ')).join('; ')
    : 'Request body is missing or malformed';
}

/** Unknown fields are rejected, and every field's errors are reported (HTTP and sockets). */
export const VALIDATION_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  stopAtFirstError: false,
};

/** What a VALIDATION_ERROR says: one entry per field, and a summary. */
export function describeValidationErrors(errors: ValidationError[]): {
  detail: string;
  errors: FieldError[];
} {
  const fields = flattenValidationErrors(errors);
  return { detail: validationDetail(fields), errors: fields };
}

export function toValidationError(errors: ValidationError[]): AppException {
  const { detail, errors: fields } = describeValidationErrors(errors);
  return new AppException(HttpStatus.BAD_REQUEST, 'VALIDATION_ERROR', detail, { errors: fields });
}

/** The global pipe. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    exceptionFactory: toValidationError,
  });
}
