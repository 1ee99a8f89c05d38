import sharp from 'sharp';

/** A real PNG with a gradient, so transformations change pixels measurably. */
export async function png(width = 640, height = 480): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      pixels[i] = (x * 255) / width;
      pixels[i + 1] = (y * 255) / height;
      pixels[i + 2] = 128;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

export function jpeg(width = 320, height = 240): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3366aa' } })
    .jpeg()
    .toBuffer();
}

/** The start of an ISO-BMFF MP4 (ftyp box) followed by filler: enough to be recognized. */
export function mp4(): Buffer {
  const ftyp = Buffer.from(
    '000000206674797069736f6d0000020069736f6d69736f32617663316d703431',
    'hex',
  );
  return Buffer.concat([ftyp, Buffer.alloc(4096, 1)]);
}

export const html = Buffer.from(
  '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>',
);

export function form(parts: {
  file?: { bytes: Buffer; name: string; type?: string };
  caption?: string;
}): FormData {
  const data = new FormData();
  if (parts.caption !== undefined) data.append('caption', parts.caption);
  if (parts.file) {
    data.append(
      'file',
      new Blob([parts.file.bytes], { type: parts.file.type ?? 'application/octet-stream' }),
      parts.file.name,
    );
  }
  return data;
}
