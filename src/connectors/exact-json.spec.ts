import Decimal from 'decimal.js';
import { ExactJsonError, parseExactJson } from './exact-json';

describe('parseExactJson', () => {
  it('reads numbers as exact decimals from their text', () => {
    const v = parseExactJson(
      '{"a": 1234.565, "b": [0.30000000000000001, -2e3, 0], "c": 98765432109876.54321}',
    ) as {
      a: Decimal;
      b: Decimal[];
      c: Decimal;
    };
    expect(Decimal.isDecimal(v.a)).toBe(true);
    expect(v.a.toFixed()).toBe('1234.565');
    expect(v.b.map((d) => d.toFixed())).toEqual(['0.30000000000000001', '-2000', '0']);
    expect(v.c.toFixed()).toBe('98765432109876.54321');
  });

  it('reads strings, escapes, booleans, null and nesting like JSON.parse', () => {
    const text =
      '{"s": "a\\"b\\\\c\\u00e9\\n", "t": true, "f": false, "n": null, "o": {"x": [[], {}]}, "e": ""}';
    expect(parseExactJson(text)).toEqual(JSON.parse(text));
  });

  it('does not let a "__proto__" key change the prototype', () => {
    const v = parseExactJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['', '{', '[1,]', '{"a" 1}', '01', '1.', '.5', 'NaN', '"\u0001"', '{"a":1} x', '<html>', 'tru'])(
    'refuses malformed JSON %j',
    (text) => {
      expect(() => parseExactJson(text)).toThrow(ExactJsonError);
    },
  );

  it('refuses nesting deeper than 64 levels without overflowing the stack', () => {
    expect(() => parseExactJson('['.repeat(100000) + ']'.repeat(100000))).toThrow(/nested more than 64/);
  });
});

const exactText = (text: string) => parseExactJson(text, 'text');

describe("parseExactJson with numbers: 'text'", () => {
  it('keeps numbers as their written decimal strings', () => {
    expect(exactText('{"a": 1150.00, "b": "15.0", "c": [1, -2.50, 3e2], "d": true, "e": null}')).toEqual({
      a: '1150.00',
      b: '15.0',
      c: ['1', '-2.50', '3e2'],
      d: true,
      e: null,
    });
  });

  it('keeps digits inside strings, escapes included', () => {
    expect(exactText('{"s": "x\\"1.5\\" 2", "t": "\\\\"}')).toEqual({ s: 'x"1.5" 2', t: '\\' });
  });

  it('keeps more digits than a float holds', () => {
    expect(exactText('[0.1000000000000000055511151231257827]')).toEqual([
      '0.1000000000000000055511151231257827',
    ]);
  });

  it('refuses malformed input', () => {
    expect(() => exactText('{"a": 01}')).toThrow(SyntaxError);
    expect(() => exactText('{"a": }')).toThrow(SyntaxError);
  });
});
