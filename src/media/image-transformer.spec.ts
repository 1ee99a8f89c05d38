import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { transformImage } from './image-transformer';
import { parseTransformation } from './transformation';

type RGBA = [number, number, number, number];
const RED: RGBA = [255, 0, 0, 255];
const BLUE: RGBA = [0, 0, 255, 255];
const GREEN: RGBA = [0, 255, 0, 255];
const YELLOW: RGBA = [255, 255, 0, 255];
const BLACK: RGBA = [0, 0, 0, 255];

let dir: string;
/** 200x100: left half red, right half blue, a 20x20 green square in the top-left corner. */
let source: string;
/** The source inside a 10 px white frame (trim). */
let framed: string;
/** A flat 100x100 picture in grays 100..150 (contrast). */
let flat: string;
/** A 30x30 yellow square (image layers). */
let layer: string;

async function render(raw: string, input = source, format: 'png' | 'jpg' = 'png') {
  const data = await transformImage(input, parseTransformation(raw), format, (path) =>
    Promise.resolve(path === 'avatars/layer.png' ? layer : null),
  );
  const image = sharp(data);
  const meta = await image.metadata();
  const { data: px, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): RGBA => {
    const i = (y * info.width + x) * 4;
    return [px[i], px[i + 1], px[i + 2], px[i + 3]];
  };
  return { data, meta, width: info.width, height: info.height, at };
}

const near = (a: RGBA, b: RGBA, tolerance = 40) =>
  a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'transform-spec-'));
  source = join(dir, 'source.png');
  await sharp({ create: { width: 200, height: 100, channels: 3, background: '#ff0000' } })
    .composite([
      {
        input: { create: { width: 100, height: 100, channels: 3, background: '#0000ff' } },
        left: 100,
        top: 0,
      },
      {
        input: { create: { width: 20, height: 20, channels: 3, background: '#00ff00' } },
        left: 0,
        top: 0,
      },
    ])
    .png()
    .toFile(source);
  framed = join(dir, 'framed.png');
  await sharp(source)
    .extend({ top: 10, bottom: 10, left: 10, right: 10, background: '#ffffff' })
    .toFile(framed);
  flat = join(dir, 'flat.png');
  const grays = Buffer.alloc(100 * 100);
  for (let i = 0; i < grays.length; i++) grays[i] = 100 + (i % 100) / 2;
  await sharp(grays, { raw: { width: 100, height: 100, channels: 1 } })
    .png()
    .toFile(flat);
  layer = join(dir, 'layer.png');
  writeFileSync(
    layer,
    await sharp({ create: { width: 30, height: 30, channels: 3, background: '#ffff00' } })
      .png()
      .toBuffer(),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('transformImage (local driver, sharp)', () => {
  it('resizes keeping the ratio, and crops to fill a box around the centre or the focus', async () => {
    const w = await render('w-100');
    expect([w.width, w.height]).toEqual([100, 50]);
    const box = await render('w-100,h-100,c-maintain_ratio');
    expect([box.width, box.height]).toEqual([100, 100]);
    expect(near(box.at(2, 90), RED) && near(box.at(97, 90), BLUE)).toBe(true);
    const left = await render('w-100,h-100,fo-left');
    expect(near(left.at(97, 90), RED)).toBe(true);
    const right = await render('w-100,h-100,fo-right');
    expect(near(right.at(2, 90), BLUE)).toBe(true);
    const auto = await render('w-100,h-100,fo-auto');
    expect([auto.width, auto.height]).toEqual([100, 100]);
  });

  it('c-force stretches, c-at_max never enlarges, c-at_least covers the box', async () => {
    expect((await render('w-50,h-50,c-force')).width).toBe(50);
    const max = await render('w-400,h-400,c-at_max');
    expect([max.width, max.height]).toEqual([200, 100]);
    const least = await render('w-50,h-50,c-at_least');
    expect([least.width, least.height]).toEqual([100, 50]);
  });

  it('ar- completes the missing side; dpr- multiplies the box', async () => {
    const square = await render('ar-1-1,w-80');
    expect([square.width, square.height]).toEqual([80, 80]);
    const wide = await render('ar-4-1,h-25');
    expect([wide.width, wide.height]).toEqual([100, 25]);
    const retina = await render('dpr-2,w-50');
    expect([retina.width, retina.height]).toEqual([100, 50]);
  });

  it('cm-extract cuts a region at x/y, at its centre xc/yc, or at the focus, unscaled', async () => {
    const corner = await render('cm-extract,w-20,h-20,x-0,y-0');
    expect([corner.width, corner.height]).toEqual([20, 20]);
    expect(near(corner.at(10, 10), GREEN)).toBe(true);
    const blue = await render('cm-extract,w-20,h-20,xc-175,yc-50');
    expect(near(blue.at(10, 10), BLUE)).toBe(true);
    const focus = await render('cm-extract,w-50,h-50,fo-bottom_left');
    expect(near(focus.at(25, 25), RED)).toBe(true);
  });

  it('cm-pad_resize fits inside and pads with bg-; cm-pad_extract pads a larger box', async () => {
    const padded = await render('w-200,h-200,cm-pad_resize,bg-00FF00');
    expect([padded.width, padded.height]).toEqual([200, 200]);
    expect(near(padded.at(100, 5), GREEN)).toBe(true);
    expect(near(padded.at(50, 100), RED)).toBe(true);
    const top = await render('w-200,h-200,cm-pad_resize,bg-00FF00,fo-top');
    expect(near(top.at(150, 5), BLUE)).toBe(true);
    expect(near(top.at(150, 190), GREEN)).toBe(true);
    const extract = await render('w-300,h-100,cm-pad_extract,bg-00FF00');
    expect([extract.width, extract.height]).toEqual([300, 100]);
    expect(near(extract.at(2, 50), GREEN) && near(extract.at(60, 50), RED)).toBe(true);
  });

  it('rt- turns the picture, fl- mirrors it', async () => {
    const quarter = await render('rt-90');
    expect([quarter.width, quarter.height]).toEqual([100, 200]);
    // Clockwise: the left (red, with the green corner) ends on top, the green at top right.
    expect(near(quarter.at(50, 60), RED) && near(quarter.at(50, 190), BLUE)).toBe(true);
    expect(near(quarter.at(95, 5), GREEN)).toBe(true);
    const half = await render('rt-180');
    expect(near(half.at(5, 50), BLUE) && near(half.at(195, 95), GREEN)).toBe(true);
    const h = await render('fl-h');
    expect(near(h.at(195, 5), GREEN) && near(h.at(5, 50), BLUE)).toBe(true);
    const v = await render('fl-v');
    expect(near(v.at(5, 95), GREEN) && near(v.at(5, 5), RED)).toBe(true);
    const both = await render('fl-h_v');
    expect(near(both.at(195, 95), GREEN)).toBe(true);
  });

  it('b- adds a border, r- rounds the corners (transparent; white in a JPEG)', async () => {
    const border = await render('b-5_FFFF00');
    expect([border.width, border.height]).toEqual([210, 110]);
    expect(near(border.at(0, 0), YELLOW) && near(border.at(7, 7), GREEN)).toBe(true);
    const round = await render('r-30');
    expect(round.at(0, 0)[3]).toBe(0);
    expect(near(round.at(100, 50), BLUE)).toBe(true);
    const circle = await render('w-100,h-100,r-max');
    expect(circle.at(5, 5)[3]).toBe(0);
    expect(circle.at(50, 50)[3]).toBe(255);
    const jpeg = await render('r-30,f-jpg');
    expect(near(jpeg.at(0, 0), [255, 255, 255, 255])).toBe(true);
  });

  it('t-true trims a uniform frame', async () => {
    const trimmed = await render('t-true', framed);
    expect([trimmed.width, trimmed.height]).toEqual([200, 100]);
  });

  it('effects: blur, grayscale, contrast stretch, sharpen and unsharp mask', async () => {
    const blurred = await render('bl-20');
    const seam = blurred.at(100, 60);
    expect(seam[0]).toBeGreaterThan(60);
    expect(seam[2]).toBeGreaterThan(60);
    const gray = (await render('e-grayscale')).at(50, 60);
    expect(gray[0]).toBe(gray[1]);
    expect(gray[1]).toBe(gray[2]);
    const stretched = await render('e-contrast', flat);
    const [dark, light] = [stretched.at(0, 0)[0], stretched.at(99, 0)[0]];
    expect(dark).toBeLessThan(20);
    expect(light).toBeGreaterThan(235);
    const plain = await render('w-200', flat);
    for (const effect of ['e-sharpen-10', 'e-usm-2-2-3-0']) {
      const sharpened = await render(`w-200:${effect}`, flat);
      expect(sharpened.data.equals(plain.data)).toBe(false);
    }
  });

  it('output: format, quality, progressive and lossless', async () => {
    const jpeg = await render('f-jpg,pr-true');
    expect(jpeg.meta.format).toBe('jpeg');
    expect(jpeg.meta.isProgressive).toBe(true);
    const small = await render('f-jpg,q-5', flat);
    const large = await render('f-jpg,q-95', flat);
    expect(small.data.length).toBeLessThan(large.data.length);
    const lossless = await render('f-webp,lo-true');
    expect(lossless.meta.format).toBe('webp');
    const original = await sharp(source).ensureAlpha().raw().toBuffer();
    expect((await sharp(lossless.data).ensureAlpha().raw().toBuffer()).equals(original)).toBe(true);
    expect((await render('f-avif,w-50')).meta.format).toBe('heif');
  });

  it('text layers: position, size, colour, background and padding', async () => {
    const tag = await render('l-text,i-Hi,fs-30,co-FFFFFF,bg-000000,pa-6,lx-0,ly-0,l-end');
    expect([tag.width, tag.height]).toEqual([200, 100]);
    expect(near(tag.at(2, 2), BLACK)).toBe(true);
    // Some of the text is white, inside the black box.
    let white = 0;
    for (let x = 6; x < 40; x++) for (let y = 6; y < 36; y++) if (tag.at(x, y)[1] > 200) white++;
    expect(white).toBeGreaterThan(20);
    expect(near(tag.at(150, 90), BLUE)).toBe(true);
    const corner = await render('l-text,i-Hi,fs-20,bg-000000,pa-4,lfo-bottom_right,l-end');
    expect(near(corner.at(198, 98), BLACK)).toBe(true);
    expect(near(corner.at(2, 98), RED)).toBe(true);
  });

  it('image layers: another stored image, sized and placed', async () => {
    const placed = await render('l-image,i-avatars@@layer.png,w-20,h-20,lx-100,ly-50,l-end');
    expect(near(placed.at(110, 60), YELLOW)).toBe(true);
    expect(near(placed.at(125, 75), BLUE)).toBe(true);
    const centred = await render('l-image,i-avatars@@layer.png,l-end');
    expect(near(centred.at(100, 50), YELLOW)).toBe(true);
    await expect(render('l-image,i-private@@uploads@@x.png,l-end')).rejects.toMatchObject({
      response: expect.objectContaining({ code: 'LAYER_NOT_FOUND' }),
    });
  });

  it('chains steps in order', async () => {
    const chained = await render('w-100:rt-90:b-2_FFFF00');
    expect([chained.width, chained.height]).toEqual([54, 104]);
  });
});
