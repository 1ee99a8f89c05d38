import sharp, { type FitEnum } from 'sharp';
import {
  type CropMode,
  type OutputFormat,
  outputFormat,
  type TransformStep,
} from './transformation';

const FIT: Record<CropMode, keyof FitEnum> = {
  maintain_ratio: 'cover',
  force: 'fill',
  at_max: 'inside',
  at_least: 'outside',
};

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

async function applyStep(input: Buffer | string, step: TransformStep): Promise<Buffer> {
  let image = sharp(input, { failOn: 'none' }).rotate();
  if (step.width || step.height) {
    image = image.resize({
      width: step.width,
      height: step.height,
      fit: FIT[step.crop ?? 'maintain_ratio'],
      withoutEnlargement: step.crop === 'at_max',
    });
  }
  if (step.blur) image = image.blur(Math.max(0.3, step.blur / 2));
  if (step.grayscale) image = image.grayscale();
  let buffer = await image.toBuffer();
  if (step.text) {
    const { width = 1, height = 1 } = await sharp(buffer).metadata();
    const size = step.text.fontSize ?? Math.max(12, Math.round(Math.min(width, height) / 10));
    const svg =
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
      `<text x="50%" y="50%" font-size="${size}" fill="#${step.text.color ?? 'ffffff'}" ` +
      `text-anchor="middle" dominant-baseline="middle" font-family="sans-serif">${escapeXml(step.text.text)}</text></svg>`;
    buffer = await sharp(buffer)
      .composite([{ input: Buffer.from(svg) }])
      .toBuffer();
  }
  return buffer;
}

/** Applies ImageKit-style steps with sharp (the local driver's subset); returns the encoded image. */
export async function transformImage(
  source: string,
  steps: TransformStep[],
  originalFormat: OutputFormat,
): Promise<Buffer> {
  let current: Buffer | string = source;
  for (const step of steps) current = await applyStep(current, step);
  const format = outputFormat(steps, originalFormat);
  const quality = [...steps].reverse().find((s) => s.quality)?.quality;
  const encoder = sharp(current, { failOn: 'none' });
  return format === 'jpg'
    ? await encoder.jpeg({ quality }).toBuffer()
    : format === 'png'
      ? await encoder.png().toBuffer()
      : format === 'webp'
        ? await encoder.webp({ quality }).toBuffer()
        : await encoder.avif({ quality }).toBuffer();
}
