import ImageKit from '@imagekit/nodejs';
import type { Transformation } from '@imagekit/nodejs/resources/shared';
import { ImageKitMediaStorage } from './storage/imagekit-media.storage';
import { parseTransformation, serializeTransformation } from './transformation';

const ENDPOINT = 'https://ik.imagekit.io/demo';
const sdk = new ImageKit({ privateKey: 'private_test' });
const storage = new ImageKitMediaStorage({
  privateKey: 'private_test',
  urlEndpoint: ENDPOINT,
  timeoutMs: 1000,
  folder: '/media-chat',
});

// Each parameter as written, and the transformation object of the SDK that means the same.
const CASES: Array<[string, Transformation[]]> = [
  ['w-300,h-200,c-maintain_ratio', [{ width: 300, height: 200, crop: 'maintain_ratio' }]],
  ['w-300,h-200,c-force', [{ width: 300, height: 200, crop: 'force' }]],
  ['w-300,c-at_max', [{ width: 300, crop: 'at_max' }]],
  ['h-300,c-at_least', [{ height: 300, crop: 'at_least' }]],
  ['ar-16-9,w-320', [{ width: 320, aspectRatio: '16-9' }]],
  [
    'cm-extract,w-100,h-50,x-10,y-20',
    [{ width: 100, height: 50, cropMode: 'extract', x: 10, y: 20 }],
  ],
  [
    'cm-extract,w-100,h-50,xc-150,yc-60',
    [{ width: 100, height: 50, cropMode: 'extract', xCenter: 150, yCenter: 60 }],
  ],
  [
    'w-300,h-300,cm-pad_resize,bg-ff0000,fo-top',
    [{ width: 300, height: 300, cropMode: 'pad_resize', focus: 'top', background: 'FF0000' }],
  ],
  ['w-400,h-400,cm-pad_extract', [{ width: 400, height: 400, cropMode: 'pad_extract' }]],
  ['w-200,h-200,fo-auto', [{ width: 200, height: 200, focus: 'auto' }]],
  ['fo-bottom_right,w-50,h-50', [{ width: 50, height: 50, focus: 'bottom_right' }]],
  ['bg-00FF0080', [{ background: '00FF0080' }]],
  ['b-5_00ff00', [{ border: '5_00FF00' }]],
  ['r-20', [{ radius: 20 }]],
  ['r-max', [{ radius: 'max' }]],
  ['rt-90', [{ rotation: 90 }]],
  ['rt-auto', [{ rotation: 'auto' }]],
  ['fl-h', [{ flip: 'h' }]],
  ['fl-v_h', [{ flip: 'h_v' }]],
  ['t-true', [{ trim: true }]],
  ['t-20', [{ trim: 20 }]],
  ['bl-10', [{ blur: 10 }]],
  ['e-grayscale', [{ grayscale: true }]],
  ['e-contrast', [{ contrastStretch: true }]],
  ['e-sharpen', [{ sharpen: true }]],
  ['e-sharpen-5', [{ sharpen: 5 }]],
  ['e-usm', [{ unsharpMask: true }]],
  ['e-usm-2-2-0.8-0.024', [{ unsharpMask: '2-2-0.8-0.024' }]],
  ['dpr-2,w-100', [{ width: 100, dpr: 2 }]],
  ['f-jpeg,q-70,pr-true', [{ format: 'jpg', quality: 70, progressive: true }]],
  ['f-webp,lo-true', [{ format: 'webp', lossless: true }]],
  [
    'l-text,i-Hello,lx-10,ly-0,fs-24,co-ff0000,bg-000000AA,pa-8,ff-Lora,l-end',
    [
      {
        overlay: {
          type: 'text',
          text: 'Hello',
          position: { x: '10', y: '0' },
          transformation: [
            {
              fontSize: 24,
              fontColor: 'FF0000',
              background: '000000AA',
              padding: 8,
              fontFamily: 'Lora',
            },
          ],
        },
      },
    ],
  ],
  // Commas and colons in a text: the SDK's base64 form, from either spelling.
  [
    'l-text,i-Hello%2C%20world%3A%20hi,lfo-bottom,l-end',
    [{ overlay: { type: 'text', text: 'Hello, world: hi', position: { focus: 'bottom' } } }],
  ],
  [
    `l-text,ie-${encodeURIComponent(Buffer.from('a,b:c').toString('base64'))},l-end`,
    [{ overlay: { type: 'text', text: 'a,b:c', position: {} } }],
  ],
  [
    'l-image,i-media-chat@@posts@@a.png,w-50,h-40,lx-5,ly-6,l-end',
    [
      {
        overlay: {
          type: 'image',
          input: 'media-chat/posts/a.png',
          position: { x: '5', y: '6' },
          transformation: [{ width: 50, height: 40 }],
        },
      },
    ],
  ],
  ['w-300:e-grayscale:bl-5', [{ width: 300 }, { grayscale: true }, { blur: 5 }]],
];

describe('parseTransformation', () => {
  it.each(CASES)('%s gives the SDK its own URL, and reads back the same', (raw, expected) => {
    const steps = parseTransformation(raw);
    const ours = storage.url('/media-chat/posts/p.jpg', 'http://unused', steps);
    const theirs = sdk.helper.buildSrc({
      urlEndpoint: ENDPOINT,
      src: '/media-chat/posts/p.jpg',
      transformation: expected,
    });
    expect(ours).toBe(theirs);
    // The canonical spelling parses to the same steps (cache keys, local links).
    const canonical = serializeTransformation(steps);
    expect(parseTransformation(canonical)).toEqual(steps);
    expect(serializeTransformation(parseTransformation(canonical))).toBe(canonical);
  });

  it('keeps a text layer at position 0 (the SDK drops numeric zeros)', () => {
    expect(serializeTransformation(parseTransformation('l-text,i-a,lx-0,ly-0,l-end'))).toBe(
      'l-text,i-a,lx-0,ly-0,l-end',
    );
  });

  it.each([
    'x-a',
    'w-0',
    'w-99999',
    'w-abc',
    'c-pad_resize',
    'cm-zoom',
    'fo-face',
    'ar-0-1',
    'b-5_red',
    'bg-blue',
    'r-0',
    'rt-361',
    'fl-x',
    't-100',
    'e-sharpen-99',
    'e-shadow',
    'e-usm-1-0-1-1',
    'dpr-9',
    'f-tiff',
    'q-0',
    'pr-false',
    'w-10,w-20',
    'l-text,i-Hi',
    'l-text,fs-10,l-end',
    'l-text,i-Hi,w-10,l-end',
    'l-text,i-Hi,ff-Comic,l-end',
    'l-text,i-a,l-end,l-text,i-b,l-end',
    'l-image,i-..@@secret.png,l-end',
    'l-image,i-.cache@@x.png,l-end',
    'l-video,i-a.mp4,l-end',
    '',
    'w300',
    'w-1:w-1:w-1:w-1:w-1:w-1:w-1:w-1:w-1:w-1:w-1',
  ])('rejects %j with UNSUPPORTED_TRANSFORMATION listing what is supported', (raw) => {
    expect(() => parseTransformation(raw)).toThrow(
      expect.objectContaining({
        response: expect.objectContaining({
          code: 'UNSUPPORTED_TRANSFORMATION',
          detail: expect.stringContaining('Supported:'),
        }),
      }),
    );
  });
});
