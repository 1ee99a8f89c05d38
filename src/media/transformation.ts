import { badRequest } from '../common/errors/app.exception';

export type CropMode = 'maintain_ratio' | 'force' | 'at_max' | 'at_least';
export type OutputFormat = 'jpg' | 'png' | 'webp' | 'avif';

/** One step of an ImageKit transformation chain (steps are joined with ':'). */
export interface TransformStep {
  width?: number;
  height?: number;
  crop?: CropMode;
  blur?: number;
  grayscale?: boolean;
  format?: OutputFormat;
  quality?: number;
  text?: { text: string; fontSize?: number; color?: string };
}

export const SUPPORTED_TRANSFORMATIONS =
  'w-<1-4000>, h-<1-4000>, c-maintain_ratio|force|at_max|at_least, bl-<1-100>, e-grayscale, ' +
  'f-jpg|jpeg|png|webp|avif, q-<1-100>, text overlay l-text,i-<text>[,fs-<8-400>][,co-<hex>],l-end; ' +
  "steps chained with ':'";

const CROPS: CropMode[] = ['maintain_ratio', 'force', 'at_max', 'at_least'];
const FORMATS: Record<string, OutputFormat> = {
  jpg: 'jpg',
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};
const MAX_LENGTH = 500;

function unsupported(what: string): Error {
  return badRequest(
    'UNSUPPORTED_TRANSFORMATION',
    `Unsupported transformation ${JSON.stringify(what)}. Supported: ${SUPPORTED_TRANSFORMATIONS}`,
  );
}

function int(value: string, min: number, max: number, token: string): number {
  if (!/^\d{1,5}$/.test(value)) throw unsupported(token);
  const n = Number(value);
  if (n < min || n > max) throw unsupported(token);
  return n;
}

function decodeText(value: string, token: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw unsupported(token);
  }
}

/** Parses ImageKit transformation syntax (`w-300,h-300,c-maintain_ratio:e-grayscale`) into steps. */
export function parseTransformation(raw: string): TransformStep[] {
  if (raw.length === 0 || raw.length > MAX_LENGTH) throw unsupported(raw.slice(0, 40));
  return raw.split(':').map((chunk) => {
    const step: TransformStep = {};
    const tokens = chunk.split(',');
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i];
      const dash = token.indexOf('-');
      if (dash <= 0) throw unsupported(token);
      const key = token.slice(0, dash);
      const value = token.slice(dash + 1);
      switch (key) {
        case 'w':
          step.width = int(value, 1, 4000, token);
          break;
        case 'h':
          step.height = int(value, 1, 4000, token);
          break;
        case 'c':
          if (!CROPS.includes(value as CropMode)) throw unsupported(token);
          step.crop = value as CropMode;
          break;
        case 'bl':
          step.blur = int(value, 1, 100, token);
          break;
        case 'e':
          if (value !== 'grayscale') throw unsupported(token);
          step.grayscale = true;
          break;
        case 'f':
          if (!FORMATS[value]) throw unsupported(token);
          step.format = FORMATS[value];
          break;
        case 'q':
          step.quality = int(value, 1, 100, token);
          break;
        case 'l': {
          if (value !== 'text') throw unsupported(token);
          const layer: { text?: string; fontSize?: number; color?: string } = {};
          for (i++; i < tokens.length && tokens[i] !== 'l-end'; i++) {
            const [k, ...rest] = tokens[i].split('-');
            const v = rest.join('-');
            if (k === 'i' && v.length > 0 && v.length <= 100) layer.text = decodeText(v, tokens[i]);
            else if (k === 'fs') layer.fontSize = int(v, 8, 400, tokens[i]);
            else if (k === 'co' && /^[0-9a-fA-F]{6}$/.test(v)) layer.color = v.toLowerCase();
            else throw unsupported(tokens[i]);
          }
          if (tokens[i] !== 'l-end' || !layer.text)
            throw unsupported('l-text without i-<text> or l-end');
          step.text = { text: layer.text, fontSize: layer.fontSize, color: layer.color };
          break;
        }
        default:
          throw unsupported(token);
      }
    }
    return step;
  });
}

/** The canonical text of parsed steps: one spelling per transformation (cache keys, URLs). */
export function serializeTransformation(steps: TransformStep[]): string {
  return steps
    .map((s) => {
      const parts: string[] = [];
      if (s.width) parts.push(`w-${s.width}`);
      if (s.height) parts.push(`h-${s.height}`);
      if (s.crop) parts.push(`c-${s.crop}`);
      if (s.blur) parts.push(`bl-${s.blur}`);
      if (s.grayscale) parts.push('e-grayscale');
      if (s.format) parts.push(`f-${s.format}`);
      if (s.quality) parts.push(`q-${s.quality}`);
      if (s.text) {
        parts.push('l-text', `i-${encodeURIComponent(s.text.text)}`);
        if (s.text.fontSize) parts.push(`fs-${s.text.fontSize}`);
        if (s.text.color) parts.push(`co-${s.text.color}`);
        parts.push('l-end');
      }
      return parts.join(',');
    })
    .filter(Boolean)
    .join(':');
}

/** The format a chain produces: its last f-… step, else the source's. */
export function outputFormat(steps: TransformStep[], original: OutputFormat): OutputFormat {
  return [...steps].reverse().find((s) => s.format)?.format ?? original;
}

/** A transformation checked and spelt the one canonical way (400 when unsupported). */
export const canonicalTransformation = (raw: string): string =>
  serializeTransformation(parseTransformation(raw));
