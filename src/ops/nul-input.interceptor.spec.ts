import { firstNul } from './nul-input.interceptor';

describe('firstNul', () => {
  it('names the first value or key holding U+0000, with its path', () => {
    expect(firstNul({ a: 'x', b: { c: ['ok', 'n\u0000'] } }, '')).toBe('b.c[1]');
    expect(firstNul({ 'k\u0000': 1 }, '')).toBe('k\u0000');
    expect(firstNul('\u0000', '')).toBe('');
  });

  it('is undefined when there is none', () => {
    expect(firstNul({ a: 'x', b: [1, null, true, { c: 'ü日本' }] }, '')).toBeUndefined();
    expect(firstNul(undefined, '')).toBeUndefined();
  });
});
