import ImageKit from '@imagekit/nodejs';
import type { Transformation } from '@imagekit/nodejs/resources/shared';
import { badRequest } from '../common/errors/app.exception';

export type CropMode = 'maintain_ratio' | 'force' | 'at_max' | 'at_least';
export type ExtractMode = 'extract' | 'pad_resize' | 'pad_extract';
export type OutputFormat = 'jpg' | 'png' | 'webp' | 'avif';
export type Position =
  | 'center'
  | 'top'
  | 'left'
  | 'bottom'
  | 'right'
  | 'top_left'
  | 'top_right'
  | 'bottom_left'
  | 'bottom_right';

/** A text layer (`l-text,...,l-end`): position and style. */
export interface TextLayer {
  type: 'text';
  text: string;
  x?: number;
  y?: number;
  focus?: Position;
  fontSize?: number;
  /** RRGGBB or RRGGBBAA, upper case. */
  color?: string;
  background?: string;
  padding?: number;
  fontFamily?: string;
}

/** An image layer (`l-image,i-<path>,...,l-end`): another stored image, `/`-separated path. */
export interface ImageLayer {
  type: 'image';
  path: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  focus?: Position;
}

export type Layer = TextLayer | ImageLayer;

/** One step of an ImageKit transformation chain (steps are joined with ':'). */
export interface TransformStep {
  width?: number;
  height?: number;
  aspectRatio?: { width: number; height: number };
  crop?: CropMode;
  cropMode?: ExtractMode;
  focus?: Position | 'auto';
  x?: number;
  y?: number;
  xCenter?: number;
  yCenter?: number;
  background?: string;
  border?: { width: number; color: string };
  radius?: number | 'max';
  rotation?: number | 'auto';
  flip?: 'h' | 'v' | 'h_v';
  trim?: true | number;
  blur?: number;
  grayscale?: true;
  sharpen?: true | number;
  contrast?: true;
  unsharpMask?: true | { radius: number; sigma: number; amount: number; threshold: number };
  dpr?: number;
  format?: OutputFormat;
  quality?: number;
  progressive?: true;
  lossless?: true;
  layer?: Layer;
}

/**
 * Font families of text layers. ImageKit's own fonts by their ImageKit names, drawn on the
 * local driver with the installed DejaVu family closest to them.
 */
export const FONTS: Record<string, 'DejaVu Sans' | 'DejaVu Serif' | 'DejaVu Sans Mono'> = {
  Roboto: 'DejaVu Sans',
  Lato: 'DejaVu Sans',
  Montserrat: 'DejaVu Sans',
  Ubuntu: 'DejaVu Sans',
  Lora: 'DejaVu Serif',
  Vollkorn: 'DejaVu Serif',
  Arvo: 'DejaVu Serif',
  DejaVuSans: 'DejaVu Sans',
  DejaVuSerif: 'DejaVu Serif',
  DejaVuSansMono: 'DejaVu Sans Mono',
};

export const SUPPORTED_TRANSFORMATIONS =
  'w-<1-4000>, h-<1-4000>, ar-<w>-<h>, c-maintain_ratio|force|at_max|at_least, ' +
  'cm-extract|pad_resize|pad_extract, fo-center|top|left|bottom|right|top_left|top_right|' +
  'bottom_left|bottom_right|auto, x-, y-, xc-, yc-<0-10000>, bg-<RRGGBB[AA]>, ' +
  'b-<1-100>_<RRGGBB>, r-<1-2000>|max, rt-<0-360>|auto, fl-h|v|h_v, t-true|<1-99>, ' +
  'bl-<1-100>, e-grayscale, e-contrast, e-sharpen[-<1-10>], e-usm[-<radius>-<sigma>-<amount>-<threshold>], ' +
  'dpr-<0.1-5>, f-jpg|jpeg|png|webp|avif, q-<1-100>, pr-true, lo-true, ' +
  'text layer l-text,i-<text>|ie-<base64>[,lx-,ly-,lfo-,fs-<8-400>,co-,bg-,pa-<0-200>,' +
  `ff-${Object.keys(FONTS).join('|')}],l-end, ` +
  'image layer l-image,i-<path with @@ for />[,w-,h-,lx-,ly-,lfo-],l-end (one layer per step); ' +
  "steps chained with ':'";

const CROPS: CropMode[] = ['maintain_ratio', 'force', 'at_max', 'at_least'];
const EXTRACTS: ExtractMode[] = ['extract', 'pad_resize', 'pad_extract'];
const POSITIONS: Position[] = [
  'center',
  'top',
  'left',
  'bottom',
  'right',
  'top_left',
  'top_right',
  'bottom_left',
  'bottom_right',
];
const FORMATS: Record<string, OutputFormat> = {
  jpg: 'jpg',
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  avif: 'avif',
};
const MAX_LENGTH = 1000;
const MAX_STEPS = 10;
const MAX_TEXT = 100;
const COLOR = /^[0-9a-f]{6}([0-9a-f]{2})?$/i;
const NUMBER = /^\d{1,4}(\.\d{1,3})?$/;

function unsupported(what: string): Error {
  return badRequest(
    'UNSUPPORTED_TRANSFORMATION',
    `Unsupported transformation ${JSON.stringify(what.slice(0, 60))}. Supported: ${SUPPORTED_TRANSFORMATIONS}`,
  );
}

function int(value: string, min: number, max: number, token: string): number {
  if (!/^\d{1,5}$/.test(value)) throw unsupported(token);
  const n = Number(value);
  if (n < min || n > max) throw unsupported(token);
  return n;
}

function decimal(value: string, min: number, max: number, token: string): number {
  if (!NUMBER.test(value)) throw unsupported(token);
  const n = Number(value);
  if (n < min || n > max) throw unsupported(token);
  return n;
}

function color(value: string, token: string): string {
  if (!COLOR.test(value)) throw unsupported(token);
  return value.toUpperCase();
}

function oneOf<T extends string>(value: string, allowed: readonly T[], token: string): T {
  if (!allowed.includes(value as T)) throw unsupported(token);
  return value as T;
}

/** `i-<percent-encoded>` or `ie-<percent-encoded base64>`, as the SDK writes layer inputs. */
function layerInput(key: string, value: string, token: string): string {
  let text: string;
  try {
    text =
      key === 'ie'
        ? Buffer.from(decodeURIComponent(value), 'base64').toString('utf8')
        : decodeURIComponent(value);
  } catch {
    throw unsupported(token);
  }
  const control = [...text].some((c) => c.charCodeAt(0) < 0x20);
  if (text.length === 0 || text.length > MAX_TEXT || control) throw unsupported(token);
  return text;
}

/** The `@@`-separated path of an image layer as a plain relative path (no `..`, no dot files). */
function layerPath(raw: string, token: string): string {
  const path = raw.replace(/@@/g, '/').replace(/^\/+/, '');
  const parts = path.split('/');
  if (!/^[\w.\-/]+$/.test(path) || parts.some((p) => p === '' || p.startsWith('.')))
    throw unsupported(token);
  return path;
}

function parseLayer(kind: string, tokens: string[], token: string): Layer {
  let input: string | undefined;
  const layer: Record<string, unknown> = {};
  for (const t of tokens) {
    const dash = t.indexOf('-');
    const key = t.slice(0, dash);
    const value = t.slice(dash + 1);
    if (dash <= 0) throw unsupported(t);
    if ((key === 'i' || key === 'ie') && input === undefined) input = layerInput(key, value, t);
    else if (key === 'lx') layer.x = int(value, 0, 10000, t);
    else if (key === 'ly') layer.y = int(value, 0, 10000, t);
    else if (key === 'lfo') layer.focus = oneOf(value, POSITIONS, t);
    else if (kind === 'text' && key === 'fs') layer.fontSize = int(value, 8, 400, t);
    else if (kind === 'text' && key === 'co') layer.color = color(value, t);
    else if (kind === 'text' && key === 'bg') layer.background = color(value, t);
    else if (kind === 'text' && key === 'pa') layer.padding = int(value, 0, 200, t);
    else if (kind === 'text' && key === 'ff')
      layer.fontFamily = oneOf(value, Object.keys(FONTS), t);
    else if (kind === 'image' && key === 'w') layer.width = int(value, 1, 4000, t);
    else if (kind === 'image' && key === 'h') layer.height = int(value, 1, 4000, t);
    else throw unsupported(t);
  }
  if (input === undefined) throw unsupported(`${token} without i-<input>`);
  return kind === 'text'
    ? { type: 'text', text: input, ...layer }
    : { type: 'image', path: layerPath(input, token), ...layer };
}

function parseEffect(value: string, step: TransformStep, token: string): void {
  const [name, ...args] = value.split('-');
  if (name === 'grayscale' && args.length === 0) step.grayscale = true;
  else if (name === 'contrast' && args.length === 0) step.contrast = true;
  else if (name === 'sharpen' && args.length <= 1)
    step.sharpen = args.length ? int(args[0], 1, 10, token) : true;
  else if (name === 'usm' && args.length === 0) step.unsharpMask = true;
  else if (name === 'usm' && args.length === 4) {
    const [radius, sigma, amount, threshold] = args.map((a) => decimal(a, 0, 100, token));
    if (sigma === 0) throw unsupported(token);
    step.unsharpMask = { radius, sigma, amount, threshold };
  } else throw unsupported(token);
}

function parseStep(chunk: string): TransformStep {
  const step: TransformStep = {};
  const tokens = chunk.split(',');
  const seen = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const dash = token.indexOf('-');
    if (dash <= 0) throw unsupported(token);
    const key = token.slice(0, dash);
    const value = token.slice(dash + 1);
    // One value per parameter in a step (a second would silently win).
    if (key !== 'e' && seen.has(key)) throw unsupported(token);
    seen.add(key);
    switch (key) {
      case 'w':
        step.width = int(value, 1, 4000, token);
        break;
      case 'h':
        step.height = int(value, 1, 4000, token);
        break;
      case 'ar': {
        const m = /^(\d{1,3})-(\d{1,3})$/.exec(value);
        if (!m || m[1] === '0' || m[2] === '0') throw unsupported(token);
        step.aspectRatio = { width: Number(m[1]), height: Number(m[2]) };
        break;
      }
      case 'c':
        step.crop = oneOf(value, CROPS, token);
        break;
      case 'cm':
        step.cropMode = oneOf(value, EXTRACTS, token);
        break;
      case 'fo':
        step.focus = value === 'auto' ? 'auto' : oneOf(value, POSITIONS, token);
        break;
      case 'x':
        step.x = int(value, 0, 10000, token);
        break;
      case 'y':
        step.y = int(value, 0, 10000, token);
        break;
      case 'xc':
        step.xCenter = int(value, 0, 10000, token);
        break;
      case 'yc':
        step.yCenter = int(value, 0, 10000, token);
        break;
      case 'bg':
        step.background = color(value, token);
        break;
      case 'b': {
        const m = /^(\d{1,3})_([0-9a-f]{6})$/i.exec(value);
        if (!m) throw unsupported(token);
        step.border = { width: int(m[1], 1, 100, token), color: m[2].toUpperCase() };
        break;
      }
      case 'r':
        step.radius = value === 'max' ? 'max' : int(value, 1, 2000, token);
        break;
      case 'rt':
        step.rotation = value === 'auto' ? 'auto' : int(value, 0, 360, token) % 360;
        break;
      case 'fl':
        step.flip = value === 'v_h' ? 'h_v' : oneOf(value, ['h', 'v', 'h_v'] as const, token);
        break;
      case 't':
        step.trim = value === 'true' ? true : int(value, 1, 99, token);
        break;
      case 'bl':
        step.blur = int(value, 1, 100, token);
        break;
      case 'e':
        parseEffect(value, step, token);
        break;
      case 'dpr':
        step.dpr = decimal(value, 0.1, 5, token);
        break;
      case 'f':
        if (!FORMATS[value]) throw unsupported(token);
        step.format = FORMATS[value];
        break;
      case 'q':
        step.quality = int(value, 1, 100, token);
        break;
      case 'pr':
        if (value !== 'true') throw unsupported(token);
        step.progressive = true;
        break;
      case 'lo':
        if (value !== 'true') throw unsupported(token);
        step.lossless = true;
        break;
      case 'l': {
        if (value !== 'text' && value !== 'image') throw unsupported(token);
        if (step.layer) throw unsupported(`${token}: one layer per step, chain steps with ':'`);
        const end = tokens.indexOf('l-end', i + 1);
        if (end < 0) throw unsupported(`${token} without l-end`);
        step.layer = parseLayer(value, tokens.slice(i + 1, end), token);
        i = end;
        break;
      }
      default:
        throw unsupported(token);
    }
  }
  if (step.cropMode === 'extract' && (step.x !== undefined || step.y !== undefined)) {
    if (step.xCenter !== undefined || step.yCenter !== undefined)
      throw unsupported('x-/y- with xc-/yc-');
  }
  return step;
}

/**
 * Parses ImageKit transformation syntax (`w-300,h-300,c-maintain_ratio:e-grayscale`) into
 * steps: the one parser for both drivers. Anything outside the supported set is a 400
 * listing what is supported.
 */
export function parseTransformation(raw: string): TransformStep[] {
  if (raw.length === 0 || raw.length > MAX_LENGTH) throw unsupported(raw.slice(0, 40));
  const chunks = raw.split(':');
  if (chunks.length > MAX_STEPS) throw unsupported(`more than ${MAX_STEPS} steps`);
  return chunks.map(parseStep);
}

/** The steps as the ImageKit SDK's transformation objects, keys in one fixed order. */
export function toSdkTransformations(steps: TransformStep[]): Transformation[] {
  return steps.map((s) => {
    const t: Transformation = {};
    if (s.width !== undefined) t.width = s.width;
    if (s.height !== undefined) t.height = s.height;
    if (s.aspectRatio) t.aspectRatio = `${s.aspectRatio.width}-${s.aspectRatio.height}`;
    if (s.crop) t.crop = s.crop;
    if (s.cropMode) t.cropMode = s.cropMode;
    if (s.focus) t.focus = s.focus;
    if (s.x !== undefined) t.x = s.x;
    if (s.y !== undefined) t.y = s.y;
    if (s.xCenter !== undefined) t.xCenter = s.xCenter;
    if (s.yCenter !== undefined) t.yCenter = s.yCenter;
    if (s.background) t.background = s.background;
    if (s.border) t.border = `${s.border.width}_${s.border.color}`;
    if (s.radius !== undefined) t.radius = s.radius;
    if (s.rotation !== undefined) t.rotation = s.rotation;
    if (s.flip) t.flip = s.flip;
    if (s.trim !== undefined) t.trim = s.trim;
    if (s.blur !== undefined) t.blur = s.blur;
    if (s.grayscale) t.grayscale = true;
    if (s.sharpen !== undefined) t.sharpen = s.sharpen;
    if (s.contrast) t.contrastStretch = true;
    if (s.unsharpMask !== undefined)
      t.unsharpMask =
        s.unsharpMask === true
          ? true
          : `${s.unsharpMask.radius}-${s.unsharpMask.sigma}-${s.unsharpMask.amount}-${s.unsharpMask.threshold}`;
    if (s.dpr !== undefined) t.dpr = s.dpr;
    if (s.format) t.format = s.format;
    if (s.quality !== undefined) t.quality = s.quality;
    if (s.progressive) t.progressive = true;
    if (s.lossless) t.lossless = true;
    if (s.layer) t.overlay = sdkOverlay(s.layer);
    return t;
  });
}

function sdkOverlay(layer: Layer): NonNullable<Transformation['overlay']> {
  // As strings: the SDK leaves out a position of 0 given as a number.
  const position = {
    ...(layer.x !== undefined ? { x: String(layer.x) } : {}),
    ...(layer.y !== undefined ? { y: String(layer.y) } : {}),
    ...(layer.focus ? { focus: layer.focus } : {}),
  };
  if (layer.type === 'image') {
    const size = {
      ...(layer.width !== undefined ? { width: layer.width } : {}),
      ...(layer.height !== undefined ? { height: layer.height } : {}),
    };
    return {
      type: 'image',
      input: layer.path,
      position,
      ...(Object.keys(size).length ? { transformation: [size] } : {}),
    };
  }
  const style = {
    ...(layer.fontSize !== undefined ? { fontSize: layer.fontSize } : {}),
    ...(layer.color ? { fontColor: layer.color } : {}),
    ...(layer.background ? { background: layer.background } : {}),
    ...(layer.padding !== undefined ? { padding: layer.padding } : {}),
    ...(layer.fontFamily ? { fontFamily: layer.fontFamily } : {}),
  };
  return {
    type: 'text',
    text: layer.text,
    position,
    ...(Object.keys(style).length ? { transformation: [style] } : {}),
  };
}

// String building only: the SDK's serializer needs a client, never called with this key.
const sdk = new ImageKit({ privateKey: 'transformation-strings-only' });

/**
 * The canonical text of parsed steps, written by the ImageKit SDK itself: one spelling per
 * transformation (cache keys, local links) and the same syntax ImageKit is sent.
 */
export function serializeTransformation(steps: TransformStep[]): string {
  return sdk.helper.buildTransformationString(toSdkTransformations(steps));
}

/** The format a chain produces: its last f-… step, else the source's. */
export function outputFormat(steps: TransformStep[], original: OutputFormat): OutputFormat {
  return [...steps].reverse().find((s) => s.format)?.format ?? original;
}
