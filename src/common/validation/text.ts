import { HttpStatus } from '@nestjs/common';
import { AppException } from '../errors/app.exception';

const NUL = '\u0000';

/**
 * Text no route can take: a NUL character (PostgreSQL refuses it in `text` and `jsonb`, so it
 * would fail in the driver) or an unpaired UTF-16 surrogate (`"\ud800"` in JSON: it has no
 * UTF-8 form, and validators that percent-encode, such as the email check, throw on it).
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unfit = (text: string): boolean => text.includes(NUL) || LONE_SURROGATE.test(text);

/**
 * The path of the first string in `value` (keys included) that is unfit text, or null.
 * Iterative: bodies are depth-limited before this runs, but a wide one must not cost a stack
 * frame per element either.
 */
export function findUnfitText(value: unknown, root = ''): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length) {
    const [current, path] = stack.pop()!;
    if (typeof current === 'string') {
      if (unfit(current)) return path || 'value';
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push([item, path ? `${path}.${index}` : `${index}`]));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        const field = path ? `${path}.${key}` : key;
        if (unfit(key)) return JSON.stringify(field).slice(1, -1).slice(0, 100);
        stack.push([item, field]);
      }
    }
  }
  return null;
}

/** What is said of unfit text in `field` (HTTP detail, WebSocket error frames). */
export const unfitTextMessage = (field: string): string =>
  `${field} must not contain NUL characters (\\u0000) or unpaired surrogates`;

/** The VALIDATION_ERROR for unfit text in `field`, in the validation pipe's shape. */
export function unfitTextError(field: string): AppException {
  const message = unfitTextMessage(field);
  return new AppException(HttpStatus.BAD_REQUEST, 'VALIDATION_ERROR', message, {
    errors: [{ field, messages: [message] }],
  });
}

/** Throws a VALIDATION_ERROR when any string of `value` is unfit text. */
export function rejectUnfitText(value: unknown, root = ''): void {
  const field = findUnfitText(value, root);
  if (field !== null) throw unfitTextError(field);
}
