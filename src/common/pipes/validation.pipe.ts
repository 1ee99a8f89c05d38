import { HttpStatus, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, FieldError } from '../errors/app.exception';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The global pipe: unknown fields are rejected, and errors list one entry per field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const detail = fields.length
        ? fields.map((f) => f.messages.join(', ')).join('; ')
        : 'Request body is missing or malformed';
      return new AppException(HttpStatus.BAD_REQUEST, 'VALIDATION_ERROR', detail, {
        errors: fields,
      });
    },
  });
}
