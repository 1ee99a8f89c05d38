import sharp, { type FitEnum, type Sharp } from 'sharp';
import { badRequest } from '../common/errors/app.exception';
import { MAX_IMAGE_PIXELS } from './image-scrubber';
import {
  type CropMode,
  FONTS,
  type ImageLayer,
  type Layer,
  type OutputFormat,
  outputFormat,
  type Position,
  type TextLayer,
  type TransformStep,
} from './transformation';

const FIT: Record<CropMode, keyof FitEnum> = {
  maintain_ratio: 'cover',
  force: 'fill',
  at_max: 'inside',
  at_least: 'outside',
};

/** ImageKit's positions as sharp's gravities. */
const GRAVITY: Record<Position, string> = {
  center: 'centre',
  top: 'north',
  top_right: 'northeast',
  right: 'east',
  bottom_right: 'southeast',
  bottom: 'south',
  bottom_left: 'southwest',
  left: 'west',
  top_left: 'northwest',
};

/** No side of a rendering is larger than this (w-4000 at dpr-5 would be 20,000 px). */
const MAX_SIDE = 8000;

/** Finds the file of an image layer (`l-image,i-<path>`): a public image, or null. */
export type LayerResolver = (path: string) => Promise<string | null>;

interface Size {
  width: number;
  height: number;
}

const hex = (color: string) => `#${color}`;
const TRANSPARENT = { r: 0, g: 0, b: 0, alpha: 0 };

const escapeMarkup = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

async function sizeOf(image: Buffer): Promise<Size> {
  const { width = 1, height = 1 } = await sharp(image).metadata();
  return { width, height };
}

const render = (image: Sharp) => image.png().toBuffer();

/** Where a box of `inner` size sits inside `outer` for an ImageKit position. */
function place(
  outer: Size,
  inner: Size,
  position: Position = 'center',
): { left: number; top: number } {
  const dx = outer.width - inner.width;
  const dy = outer.height - inner.height;
  const left = position.includes('left') ? 0 : position.includes('right') ? dx : Math.round(dx / 2);
  const top = position.includes('top') ? 0 : position.includes('bottom') ? dy : Math.round(dy / 2);
  return { left: Math.max(0, left), top: Math.max(0, top) };
}

/** The box a step asks for: w/h, completed by the aspect ratio, times the dpr. */
function targetSize(step: TransformStep, source: Size): { width?: number; height?: number } {
  let { width, height } = step;
  const ar = step.aspectRatio;
  if (ar && width !== undefined && height === undefined)
    height = Math.round((width * ar.height) / ar.width);
  else if (ar && height !== undefined && width === undefined)
    width = Math.round((height * ar.width) / ar.height);
  else if (ar && width === undefined && height === undefined) {
    width = source.width;
    height = Math.round((source.width * ar.height) / ar.width);
  }
  const dpr = step.dpr ?? 1;
  const scale = (n?: number) =>
    n === undefined ? undefined : Math.min(MAX_SIDE, Math.max(1, Math.round(n * dpr)));
  return { width: scale(width), height: scale(height) };
}

/** cm-extract / cm-pad_extract: a w×h region, at x/y, xc/yc or the focus, without scaling. */
async function extract(
  image: Buffer,
  step: TransformStep,
  box: Size,
  pad: boolean,
): Promise<Buffer> {
  const source = await sizeOf(image);
  const region = {
    width: Math.min(box.width, source.width),
    height: Math.min(box.height, source.height),
  };
  let { left, top } = place(source, region, step.focus === 'auto' ? 'center' : step.focus);
  if (step.x !== undefined) left = step.x;
  if (step.y !== undefined) top = step.y;
  if (step.xCenter !== undefined) left = step.xCenter - Math.round(region.width / 2);
  if (step.yCenter !== undefined) top = step.yCenter - Math.round(region.height / 2);
  left = Math.min(Math.max(0, left), source.width - region.width);
  top = Math.min(Math.max(0, top), source.height - region.height);
  let out = await render(sharp(image).extract({ left, top, ...region }));
  if (pad && (region.width < box.width || region.height < box.height)) {
    const at = place(box, region, step.focus === 'auto' ? 'center' : step.focus);
    out = await render(
      sharp(out).extend({
        left: at.left,
        top: at.top,
        right: box.width - region.width - at.left,
        bottom: box.height - region.height - at.top,
        background: step.background ? hex(step.background) : TRANSPARENT,
      }),
    );
  }
  return out;
}

async function resize(image: Buffer, step: TransformStep): Promise<Buffer> {
  const source = await sizeOf(image);
  const { width, height } = targetSize(step, source);
  if (width === undefined && height === undefined) return image;
  if (step.cropMode === 'extract' || step.cropMode === 'pad_extract') {
    const box = { width: width ?? source.width, height: height ?? source.height };
    return extract(image, step, box, step.cropMode === 'pad_extract');
  }
  const position =
    step.focus === 'auto' ? sharp.strategy.attention : step.focus ? GRAVITY[step.focus] : 'centre';
  if (step.cropMode === 'pad_resize') {
    return render(
      sharp(image).resize({
        width,
        height,
        fit: 'contain',
        position,
        background: step.background ? hex(step.background) : TRANSPARENT,
      }),
    );
  }
  const crop = step.crop ?? 'maintain_ratio';
  return render(
    sharp(image).resize({
      width,
      height,
      fit: FIT[crop],
      position: FIT[crop] === 'cover' ? position : undefined,
      withoutEnlargement: crop === 'at_max',
    }),
  );
}

async function textLayer(layer: TextLayer, base: Size): Promise<Buffer> {
  const size = layer.fontSize ?? Math.max(12, Math.round(Math.min(base.width, base.height) / 10));
  const family = FONTS[layer.fontFamily ?? 'DejaVuSans'];
  const color = hex(layer.color ?? 'FFFFFF');
  let text = await render(
    sharp({
      text: {
        text: `<span foreground="${color}">${escapeMarkup(layer.text)}</span>`,
        font: `${family} ${size}`,
        dpi: 72,
        rgba: true,
      },
    }),
  );
  const padding = layer.padding ?? 0;
  if (padding || layer.background) {
    const inner = await sizeOf(text);
    text = await render(
      sharp({
        create: {
          width: inner.width + 2 * padding,
          height: inner.height + 2 * padding,
          channels: 4,
          background: layer.background ? hex(layer.background) : TRANSPARENT,
        },
      }).composite([{ input: text, left: padding, top: padding }]),
    );
  }
  return text;
}

async function imageLayer(layer: ImageLayer, resolve: LayerResolver): Promise<Buffer> {
  const file = await resolve(layer.path);
  if (!file)
    throw badRequest(
      'LAYER_NOT_FOUND',
      `l-image: no public image at ${JSON.stringify(layer.path)}`,
    );
  const image = sharp(file, { failOn: 'none', limitInputPixels: MAX_IMAGE_PIXELS }).autoOrient();
  if (layer.width === undefined && layer.height === undefined) return render(image);
  return render(
    image.resize({
      width: layer.width,
      height: layer.height,
      fit: layer.width !== undefined && layer.height !== undefined ? 'cover' : 'inside',
    }),
  );
}

async function composite(image: Buffer, layer: Layer, resolve: LayerResolver): Promise<Buffer> {
  const base = await sizeOf(image);
  let over =
    layer.type === 'text' ? await textLayer(layer, base) : await imageLayer(layer, resolve);
  let size = await sizeOf(over);
  // A layer larger than the image is scaled down to fit (composition needs it inside).
  if (size.width > base.width || size.height > base.height) {
    over = await render(sharp(over).resize({ ...base, fit: 'inside' }));
    size = await sizeOf(over);
  }
  const at = place(base, size, layer.focus);
  if (layer.x !== undefined) at.left = Math.min(layer.x, base.width - size.width);
  if (layer.y !== undefined) at.top = Math.min(layer.y, base.height - size.height);
  return render(sharp(image).composite([{ input: over, ...at }]));
}

async function roundCorners(image: Buffer, radius: number | 'max'): Promise<Buffer> {
  const { width, height } = await sizeOf(image);
  const r = radius === 'max' ? Math.min(width, height) / 2 : radius;
  const mask = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<rect width="${width}" height="${height}" rx="${r}" ry="${r}"/></svg>`,
  );
  return render(
    sharp(image)
      .ensureAlpha()
      .composite([{ input: mask, blend: 'dest-in' }]),
  );
}

async function applyStep(
  input: Buffer,
  step: TransformStep,
  resolve: LayerResolver,
): Promise<Buffer> {
  let image: Buffer = input;
  if (step.trim !== undefined)
    image = await render(sharp(image).trim(step.trim === true ? {} : { threshold: step.trim }));
  if (typeof step.rotation === 'number' && step.rotation !== 0) {
    image = await render(
      sharp(image).rotate(step.rotation, {
        background: step.background ? hex(step.background) : TRANSPARENT,
      }),
    );
  }
  if (step.flip) {
    let flipped = sharp(image);
    if (step.flip.includes('h')) flipped = flipped.flop();
    if (step.flip.includes('v')) flipped = flipped.flip();
    image = await render(flipped);
  }
  image = await resize(image, step);
  if (
    step.blur ||
    step.grayscale ||
    step.sharpen ||
    step.unsharpMask ||
    step.contrast ||
    (step.background && !step.cropMode)
  ) {
    let fx = sharp(image);
    if (step.blur) fx = fx.blur(Math.max(0.3, step.blur / 2));
    if (step.grayscale) fx = fx.grayscale();
    if (step.sharpen)
      fx = fx.sharpen({ sigma: step.sharpen === true ? 1 : 0.5 + step.sharpen / 4 });
    if (step.unsharpMask) {
      const usm =
        step.unsharpMask === true ? { sigma: 1, amount: 1, threshold: 0.05 } : step.unsharpMask;
      fx = fx.sharpen({
        sigma: Math.max(0.3, usm.sigma),
        m1: 0,
        m2: usm.amount * 3,
        x1: usm.threshold * 10,
      });
    }
    if (step.contrast) fx = fx.normalise();
    // A background alone fills what is transparent.
    if (step.background && !step.cropMode) fx = fx.flatten({ background: hex(step.background) });
    image = await render(fx);
  }
  if (step.layer) image = await composite(image, step.layer, resolve);
  if (step.radius !== undefined) image = await roundCorners(image, step.radius);
  if (step.border) {
    const b = step.border.width;
    image = await render(
      sharp(image).extend({
        top: b,
        bottom: b,
        left: b,
        right: b,
        background: hex(step.border.color),
      }),
    );
  }
  return image;
}

/**
 * Renders ImageKit-style steps with sharp (the local driver): the same parameters ImageKit
 * takes, in the order trim, rotate, flip, resize or crop, effects, layer, corners, border.
 * Returns the encoded image.
 */
export async function transformImage(
  source: string,
  steps: TransformStep[],
  originalFormat: OutputFormat,
  resolveLayer: LayerResolver,
): Promise<Buffer> {
  // Stored images are already upright; older files may still carry an orientation tag.
  let current: Buffer = await render(
    sharp(source, { failOn: 'none', limitInputPixels: MAX_IMAGE_PIXELS }).autoOrient(),
  );
  for (const step of steps) current = await applyStep(current, step, resolveLayer);
  const format = outputFormat(steps, originalFormat);
  const last = <K extends keyof TransformStep>(key: K) =>
    [...steps].reverse().find((s) => s[key] !== undefined)?.[key];
  const quality = last('quality');
  const progressive = last('progressive') === true;
  const lossless = last('lossless') === true;
  const encoder = sharp(current);
  switch (format) {
    case 'jpg':
      // JPEG has no transparency: what is transparent (corners, padding) turns white.
      return encoder.flatten({ background: '#ffffff' }).jpeg({ quality, progressive }).toBuffer();
    case 'png':
      return encoder.png({ progressive }).toBuffer();
    case 'webp':
      return encoder.webp({ quality, lossless }).toBuffer();
    case 'avif':
      return encoder.avif({ quality, lossless }).toBuffer();
  }
}
