import { parseExactJson } from './exact-json';

describe('parseExactJson', () => {
  it('keeps numbers as their written decimal strings', () => {
    expect(parseExactJson('{"a": 1150.00, "b": "15.0", "c": [1, -2.50, 3e2], "d": true, "e": null}')).toEqual(
      {
        a: '1150.00',
        b: '15.0',
        c: ['1', '-2.50', '3e2'],
        d: true,
        e: null,
      },
    );
  });

  it('keeps digits inside strings, escapes included', () => {
    expect(parseExactJson('{"s": "x\\"1.5\\" 2", "t": "\\\\"}')).toEqual({ s: 'x"1.5" 2', t: '\\' });
  });

  it('keeps more digits than a float holds', () => {
    expect(parseExactJson('[0.1000000000000000055511151231257827]')).toEqual([
      '0.1000000000000000055511151231257827',
    ]);
  });

  it('refuses malformed input', () => {
    expect(() => parseExactJson('{"a": 01}')).toThrow(SyntaxError);
    expect(() => parseExactJson('{"a": }')).toThrow(SyntaxError);
  });
});
