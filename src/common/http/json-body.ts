import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyBodyParser } from 'fastify';
import { badRequest } from '../errors/app.exception';

/**
 * The deepest nesting of objects and arrays a JSON body may have. Real payloads stay in
 * single digits; class-transformer recurses once per level and overflows the stack on a
 * 20 KB body of 10,000 levels, so the limit is checked before anything walks the value.
 */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * True when the JSON text nests objects or arrays deeper than `limit`. One pass over the
 * bytes, no recursion: brackets inside strings do not count, and UTF-8 continuation bytes
 * are all >= 0x80 so they can never be taken for a bracket or a quote. Malformed text is
 * left to the JSON parser.
 */
export function jsonDepthExceeds(body: Uint8Array, limit: number): boolean {
  // Exceeding the limit takes at least limit + 1 opening brackets.
  if (body.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) {
      inString = true;
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces the application/json parser with one that rejects over-deep bodies (400
 * INVALID_JSON) and otherwise hands the bytes to Fastify's own parser, which keeps
 * secure-json-parse's refusal of `__proto__` and `constructor.prototype` keys.
 * Call before `app.init()`: Nest then keeps it instead of installing its default.
 */
export function useDepthLimitedJsonParser(
  app: NestFastifyApplication,
  maxDepth = MAX_JSON_DEPTH,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimit, onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  // Typed for strings; secure-json-parse reads a Buffer as well (Nest's default passes one).
  const parseJson = fastify.getDefaultJsonParser(
    onProtoPoisoning ?? 'error',
    onConstructorPoisoning ?? 'error',
  ) as unknown as FastifyBodyParser<Buffer>;
  const parser: FastifyBodyParser<Buffer> = (request, body, done) => {
    if (jsonDepthExceeds(body, maxDepth)) {
      done(
        badRequest('INVALID_JSON', `The JSON body is nested deeper than ${maxDepth} levels`),
        undefined,
      );
      return;
    }
    void parseJson(request, body, done);
  };
  app.useBodyParser('application/json', { bodyLimit }, parser);
}
