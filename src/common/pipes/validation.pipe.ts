import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
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

/** The global pipe: unknown fields are rejected, and errors list one entry per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flattenValidationErrors(errors);
      const detail = validationDetail(fields);
      return new AppException(HttpStatus.BAD_REQUEST, 'VALIDATION_ERROR', detail, {
        errors: fields,
      });
    },
  });
}
