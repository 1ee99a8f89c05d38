import { jsonDepthExceeds } from './json-body';

const depth = (text: string, limit: number) => jsonDepthExceeds(Buffer.from(text), limit);

describe('jsonDepthExceeds', () => {
  it('counts objects and arrays, mixed', () => {
    expect(depth('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(depth('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(depth('[[],[],[]]', 2)).toBe(false);
    expect(depth('1', 0)).toBe(false);
  });

  it('measures the deepest point, not the number of brackets', () => {
    const wide = `[${'{},'.repeat(1000)}{}]`;
    expect(depth(wide, 2)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes and backslashes included', () => {
    expect(depth(JSON.stringify({ s: '[[[[{{{{' }), 1)).toBe(false);
    expect(depth(JSON.stringify({ s: 'say \\"[[[[' }), 1)).toBe(false);
    expect(depth(JSON.stringify({ s: 'ends with a backslash \\' }), 1)).toBe(false);
    expect(depth(JSON.stringify({ '[[[[': 1 }), 1)).toBe(false);
    expect(depth(JSON.stringify({ s: 'é 😀 [[' }), 1)).toBe(false);
  });

  it('handles 10,000 levels without recursion', () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    expect(depth(deep, 64)).toBe(true);
    expect(depth(deep, 10_000)).toBe(false);
  });
});
