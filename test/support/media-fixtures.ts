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

/** Strings planted in the metadata of photoWithMetadata(): none may survive an upload. */
export const LEAKS = ['CanonLeak', 'EOS LeakModel', 'XmpLeakCity'];

/**
 * A 40x20 photo as a phone writes it: left half red, right half blue, stored sideways with
 * EXIF orientation 6 (shown 20x40, red on top), camera make and model, GPS coordinates, XMP
 * with a city, and a Display P3 colour profile.
 */
export function photoWithMetadata(format: 'jpeg' | 'png' | 'webp'): Promise<Buffer> {
  const image = sharp({ create: { width: 40, height: 20, channels: 3, background: '#ff0000' } })
    .composite([
      {
        input: { create: { width: 20, height: 20, channels: 3, background: '#0000ff' } },
        left: 20,
        top: 0,
      },
    ])
    .withExif({
      IFD0: { Make: LEAKS[0], Model: LEAKS[1] },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 2964/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 17/1 4020/100',
      },
    })
    .withXmp(
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
        `<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="${LEAKS[2]}"/>` +
        '</rdf:RDF></x:xmpmeta>',
    )
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3');
  return image[format]({ quality: 95 }).toBuffer();
}

/** What an image says about itself, and its top and bottom pixels' colour. */
export async function describeImage(bytes: Buffer) {
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => [
    ...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3),
  ];
  return {
    width: meta.width,
    height: meta.height,
    orientation: meta.orientation,
    exif: meta.exif !== undefined,
    xmp: meta.xmp !== undefined,
    iptc: meta.iptc !== undefined,
    icc: meta.icc !== undefined,
    leaks: LEAKS.filter((s) => bytes.includes(s)),
    top: at(Math.floor(info.width / 2), 2),
    bottom: at(Math.floor(info.width / 2), info.height - 3),
  };
}
