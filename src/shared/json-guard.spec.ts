import { firstBadJsonPart, jsonbText, jsonDepth, MAX_JSON_DEPTH } from './json-guard';

describe('jsonDepth', () => {
  it('counts the deepest nesting of arrays and objects, ignoring brackets inside strings', () => {
    expect(jsonDepth('1')).toBe(0);
    expect(jsonDepth('[1, {"a": [2]}]')).toBe(3);
    expect(jsonDepth('{"a": "[[[[{{{{", "b": "\\"[["}')).toBe(1);
  });

  it('stops at the limit without recursion, however deep the text goes', () => {
    expect(jsonDepth('['.repeat(200_000) + ']'.repeat(200_000))).toBe(-1);
    expect(jsonDepth('{"a":'.repeat(60_000) + '1' + '}'.repeat(60_000))).toBe(-1);
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(jsonDepth(atLimit)).toBe(MAX_JSON_DEPTH);
  });
});

describe('firstBadJsonPart', () => {
  it('names the first value holding U+0000 or key holding a control character, with its path', () => {
    expect(firstBadJsonPart({ a: 'x', b: { c: ['ok', 'n\u0000'] } })?.path).toBe('b.c[1]');
    expect(firstBadJsonPart({ 'na\u0000me': 1 })).toEqual({
      path: 'na\\u0000me',
      message: 'field names must not contain control characters (U+0000–U+001F)',
    });
    expect(firstBadJsonPart([{ ok: 1 }, { 'tab\tkey': 1 }])?.path).toBe('[1].tab\\u0009key');
    expect(firstBadJsonPart('\u0000')?.path).toBe('');
  });

  it('reports in document order', () => {
    expect(firstBadJsonPart({ a: { 'x\u0001': 1 }, b: '\u0000' })?.path).toBe('a.x\\u0001');
  });

  it('is undefined when there is none', () => {
    expect(firstBadJsonPart({ a: 'x', b: [1, null, true, { c: 'ü日本\t\n' }] })).toBeUndefined();
    expect(firstBadJsonPart(undefined)).toBeUndefined();
  });
});

describe('jsonbText', () => {
  it('writes a NUL in keys and strings as visible text, and leaves an escaped backslash alone', () => {
    const text = jsonbText({ 'na\u0000me': 'a\u0000b', literal: '\\u0000', both: '\\\u0000' });
    expect(text).not.toMatch(/(?<!\\)(?:\\\\)*\\u0000/);
    expect(JSON.parse(text)).toEqual({ 'na\\u0000me': 'a\\u0000b', literal: '\\u0000', both: '\\\\u0000' });
  });
});
