import Decimal from 'decimal.js';
import { Money } from '../shared/money';
import { jsonDepth, MAX_JSON_DEPTH } from '../shared/json-guard';

/**
 * JSON with exact numbers. Frappe sends Currency and Float fields as JSON numbers (1234.565,
 * 0.1 + 0.2 style values with many decimals); JSON.parse would turn them into binary floats. This
 * parser follows RFC 8259 and returns every number as a Decimal built from its text, so an amount is
 * never rounded on the way in. Strings, booleans, null, arrays and objects are as JSON.parse gives
 * them. Nesting deeper than MAX_JSON_DEPTH is refused before parsing (no stack overflow).
 * With `numbers: 'text'` a number is the string it was written as ("1150.00" stays "1150.00"), for
 * sources such as Qoyod that mix decimal strings and JSON numbers for the same field.
 */
export class ExactJsonError extends SyntaxError {}

export type ExactNumbers = 'decimal' | 'text';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

export function parseExactJson(text: string, numbers: ExactNumbers = 'decimal'): unknown {
  if (jsonDepth(text) < 0) throw new ExactJsonError(`nested more than ${MAX_JSON_DEPTH} levels deep`);
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new ExactJsonError(`${what} at position ${i}`);
  };
  const str = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) return fail('bad string');
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        Object.defineProperty(o, k, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return o;
        } else fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') {
          i++;
          return a;
        } else fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) return fail('unexpected character');
    i += m[0].length;
    return numbers === 'text' ? m[0] : new Money(m[0]);
  };
  const result = value();
  ws();
  if (i !== text.length) fail('unexpected text after the value');
  return result;
}

export function isDecimal(v: unknown): v is Decimal {
  return Decimal.isDecimal(v);
}
