import { Decimal } from 'decimal.js';

import {
  compareDecimalText,
  roundHalfUp,
  roundTextHalfUp,
  significantHalfUp,
  wholeNumber,
} from './decimal-text';

const places = (x: number, p: number) => new Decimal(x).toDecimalPlaces(p, Decimal.ROUND_HALF_UP).toFixed();
const significant = (x: number, d: number) =>
  new Decimal(x).toSignificantDigits(d, Decimal.ROUND_HALF_UP).toFixed();

/** A fixed pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('roundHalfUp and significantHalfUp (decimal.js without the Decimal)', () => {
  it.each([
    [2.5, 0, '3'],
    [-2.5, 0, '-3'],
    [0.99995, 4, '1'],
    [9.99995, 4, '10'],
    [-0.00004, 4, '0'],
    [0.00005, 4, '0.0001'],
    [1 / 3, 4, '0.3333'],
    [152.501672, 1, '152.5'],
    [12, 4, '12'],
    [1e-7, 4, '0'],
    [1e21, 1, '1000000000000000000000'],
  ])('rounds %p to %p places as %s', (x, p, text) => {
    expect(roundHalfUp(x, p)).toBe(text);
  });

  it.each([
    [10 / 3, '3.33'],
    [0.05234, '0.0523'],
    [9.995, '10'],
    [99.95, '100'],
    [999.5, '1000'],
    [-2.345, '-2.35'],
    [0, '0'],
    [0.00099996, '0.001'],
    [2.5e-7, '0.00000025'],
  ])('keeps 3 significant digits of %p: %s', (x, text) => {
    expect(significantHalfUp(x, 3)).toBe(text);
  });

  it('agrees with decimal.js on 30,000 values of every magnitude, ties and thirds included', () => {
    const next = random(42);
    const mismatches: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      const magnitude = 10 ** (Math.floor(next() * 16) - 8);
      let x = (next() - 0.3) * magnitude;
      if (i % 3 === 0) x = Math.round(x * 1e4) / 1e4 + (next() < 0.5 ? 5e-5 : 0); // ties at 4 places
      if (i % 7 === 0) x = Math.round(x * 1e3) / 1e3 / 3;
      for (const p of [0, 1, 3, 4, 6]) {
        if (roundHalfUp(x, p) !== places(x, p)) mismatches.push(`${x} @${p}`);
      }
      if (significantHalfUp(x, 3) !== significant(x, 3)) mismatches.push(`${x} sig`);
    }
    expect(mismatches).toEqual([]);
  });
});

describe('roundTextHalfUp and wholeNumber', () => {
  it.each([
    ['16.2338280000001', 6, '16.233828'],
    ['8.500', 6, '8.5'],
    ['2.00', 2, '2'],
    ['0.0000005', 6, '0.000001'],
    ['0.0000004', 6, '0'],
    ['-0.0000004', 6, '0'],
    ['-1.25', 1, '-1.3'],
    ['999.9999995', 6, '1000'],
    ['12', 6, '12'],
  ])('rounds %s to %p places as %s', (text, places, out) => {
    expect(roundTextHalfUp(text, places)).toBe(out);
    expect(out).toBe(new Decimal(text).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed());
  });

  it('reads canonical whole numbers only', () => {
    expect([wholeNumber('0'), wholeNumber('17'), wholeNumber(12), wholeNumber(-3)]).toEqual([0, 17, 12, -3]);
    for (const q of ['007', '8.0', '1e3', '-3', '', '1234567890123456', 2.5, 1e16])
      expect(wholeNumber(q)).toBeNull();
  });
});

describe('compareDecimalText', () => {
  it('orders as decimal.js does, beyond where doubles still tell values apart', () => {
    const texts = [
      '0.00',
      '-0.00',
      '0.5',
      '0.45',
      '0.4',
      '1',
      '1.00',
      '-1.5',
      '-1.45',
      '10.01',
      '9.99',
      '-0',
      '+3.10',
      '90071992547409.93',
      '90071992547409.94',
      '123456789012345678901234.56',
      '123456789012345678901234.55',
      '-123456789012345678901234.56',
    ];
    for (const a of texts) {
      for (const b of texts) {
        expect({ a, b, c: Math.sign(compareDecimalText(a, b)) }).toEqual({
          a,
          b,
          c: new Decimal(a).comparedTo(b),
        });
      }
    }
    // two money figures a double cannot tell apart
    expect(Number('90071992547409.93')).toBe(Number('90071992547409.94'));
    expect(compareDecimalText('90071992547409.93', '90071992547409.94')).toBeLessThan(0);
  });
});
