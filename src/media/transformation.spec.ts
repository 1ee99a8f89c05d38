import { parseTransformation, serializeTransformation } from './transformation';

describe('parseTransformation', () => {
  it('parses resize, crop, effects, format and quality', () => {
    expect(parseTransformation('w-300,h-200,c-maintain_ratio')).toEqual([
      { width: 300, height: 200, crop: 'maintain_ratio' },
    ]);
    expect(parseTransformation('bl-10,e-grayscale:f-jpeg,q-80')).toEqual([
      { blur: 10, grayscale: true },
      { format: 'jpg', quality: 80 },
    ]);
  });

  it('parses a text overlay', () => {
    expect(parseTransformation('w-400,l-text,i-Hello%20world,fs-32,co-FF0000,l-end')).toEqual([
      { width: 400, text: { text: 'Hello world', fontSize: 32, color: 'ff0000' } },
    ]);
  });

  it.each([
    'x-1',
    'w-0',
    'w-99999',
    'w-abc',
    'c-pad_resize',
    'e-sharpen',
    'f-tiff',
    'q-0',
    'l-text,i-Hi',
    'l-image,i-x.png,l-end',
    '',
    'w300',
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

  it('serializes to one canonical spelling', () => {
    expect(serializeTransformation(parseTransformation('c-at_max,h-10,w-20:f-jpeg'))).toBe(
      'w-20,h-10,c-at_max:f-jpg',
    );
    const withText = 'l-text,i-a%2Cb,l-end';
    expect(serializeTransformation(parseTransformation(withText))).toBe(withText);
  });
});
