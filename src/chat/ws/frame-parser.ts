import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { RawData } from 'ws';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../../common/http/json-body';
import { describeValidationErrors, VALIDATION_OPTIONS } from '../../common/pipes/validation.pipe';
import { findUnfitText, unfitTextMessage } from '../../common/validation/text';
import { CLIENT_FRAME_DTOS } from './frame.dto';
import type { ClientFrame, ClientFrameType, ServerFrames } from './frames';

export const MAX_FRAME_BYTES = 64 * 1024;

export type FrameError = ServerFrames['error'];
export type Decoded = { type: string; body: Record<string, unknown> } | { error: FrameError };
export type Validated = { frame: ClientFrame } | { error: FrameError };

const bytesOf = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);

const fail = (code: string, detail: string, clientId?: unknown): { error: FrameError } => ({
  error: { code, detail, ...(typeof clientId === 'string' ? { client_id: clientId } : {}) },
});

/**
 * Size, JSON and shape of a frame, synchronously on arrival (so limits can count it before
 * any work is queued). Never throws: a bad frame becomes an error frame.
 */
export function decodeFrame(data: RawData, isBinary: boolean): Decoded {
  const bytes = bytesOf(data);
  if (bytes.byteLength > MAX_FRAME_BYTES)
    return fail('FRAME_TOO_LARGE', `Frames are limited to ${MAX_FRAME_BYTES} bytes`);
  if (isBinary) return fail('INVALID_FRAME', 'Frames are JSON text');
  // The same limit as HTTP bodies: class-transformer recurses once per level.
  if (jsonDepthExceeds(bytes, MAX_JSON_DEPTH))
    return fail('INVALID_JSON', `The frame is nested deeper than ${MAX_JSON_DEPTH} levels`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return fail('INVALID_JSON', 'The frame is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return fail('INVALID_FRAME', 'A frame is a JSON object with a "type"');
  const { type, ...body } = parsed as Record<string, unknown>;
  if (typeof type !== 'string')
    return fail('INVALID_FRAME', 'A frame is a JSON object with a "type"');
  // As over HTTP (see findUnfitText).
  const unfit = findUnfitText(body);
  if (unfit !== null) return fail('VALIDATION_ERROR', unfitTextMessage(unfit), body.client_id);
  return { type, body };
}

/** Field validation with the same options and wording as the HTTP API's pipe. */
export async function validateFrame(
  type: string,
  body: Record<string, unknown>,
): Promise<Validated> {
  if (!Object.hasOwn(CLIENT_FRAME_DTOS, type))
    return fail('UNKNOWN_TYPE', `Unknown frame type "${type.slice(0, 40)}"`, body.client_id);
  const dto = CLIENT_FRAME_DTOS[type as ClientFrameType];
  if (!dto) return { frame: { type } as ClientFrame };
  const instance = plainToInstance(dto, body);
  const errors = await validate(instance, VALIDATION_OPTIONS);
  if (errors.length) {
    const { detail } = describeValidationErrors(errors);
    return fail('VALIDATION_ERROR', detail, body.client_id);
  }
  return { frame: { type, ...instance } as ClientFrame };
}
