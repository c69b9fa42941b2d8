/**
 * Half-up rounding of float statistics for display, on their shortest decimal form (String(x), the
 * form decimal.js reads a number from): the text decimal.js would give, without building a Decimal
 * for each of the hundreds of thousands of figures a restock list shows. Pure string arithmetic on
 * the digits; the rare exponent forms (|x| < 1e-6 or ≥ 1e21) go through decimal.js itself. Checked
 * against decimal.js on 100,000 values (decimal-text.spec.ts).
 */
import { Decimal } from 'decimal.js';

/** Adds one unit in the last place of a string of digits ("0999" → "1000", "99" → "100"). */
function incremented(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57) i--;
  if (i < 0) return '1' + '0'.repeat(digits.length);
  return (
    digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + '0'.repeat(digits.length - i - 1)
  );
}

/**
 * new Decimal(x).toDecimalPlaces(places, ROUND_HALF_UP).toFixed(): half-up (away from zero) to
 * `places` decimals, trailing zeros dropped, and "0" (never "-0") when the result is zero.
 */
export function roundHalfUp(x: number, places: number): string {
  const text = String(x);
  if (text.includes('e')) return new Decimal(x).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed();
  return roundTextHalfUp(text, places);
}

/**
 * The same on a plain decimal text ("-12.34567", no exponent, no leading zeros but one before the
 * point): new Decimal(text).toDecimalPlaces(places, ROUND_HALF_UP).toFixed().
 */
export function roundTextHalfUp(text: string, places: number): string {
  const neg = text.charCodeAt(0) === 45;
  const body = neg ? text.slice(1) : text;
  const dot = body.indexOf('.');
  if (dot < 0 || body.length - dot - 1 <= places) {
    const out = dot < 0 ? body : body.replace(/\.?0+$/, '');
    return neg && !/^0(\.0*)?$/.test(body) ? `-${out}` : out;
  }
  const kept = body.slice(0, dot) + body.slice(dot + 1, dot + 1 + places);
  const digits = body.charCodeAt(dot + 1 + places) >= 53 ? incremented(kept) : kept;
  const intLength = digits.length - places;
  const whole = digits.slice(0, intLength).replace(/^0+(?=\d)/, '');
  const fraction = digits.slice(intLength).replace(/0+$/, '');
  const out = fraction ? `${whole}.${fraction}` : whole;
  return neg && out !== '0' ? `-${out}` : out;
}

/**
 * A whole number given as a number or as canonical digits ("0", "17"; at most 15 digits, so it and
 * sums of a few of them are exact doubles); null for anything else (decimals, "007", "1e3", signs),
 * which callers then treat with decimal.js.
 */
export function wholeNumber(q: string | number): number | null {
  if (typeof q === 'number') return Number.isInteger(q) && Math.abs(q) < 1e15 ? q : null;
  return /^(?:0|[1-9]\d{0,14})$/.test(q) ? Number(q) : null;
}

/**
 * new Decimal(x).toSignificantDigits(digits, ROUND_HALF_UP).toFixed() for |x| < 1000 (decimal.js
 * itself beyond): half-up to `digits` significant digits, trailing zeros dropped.
 */
export function significantHalfUp(x: number, digits: number): string {
  const magnitude = Math.abs(x);
  if (magnitude >= 1000 || x === 0) {
    return new Decimal(x).toSignificantDigits(digits, Decimal.ROUND_HALF_UP).toFixed();
  }
  const text = String(magnitude);
  if (text.includes('e')) return new Decimal(x).toSignificantDigits(digits, Decimal.ROUND_HALF_UP).toFixed();
  const dot = text.indexOf('.');
  // decimals to keep: digits minus the integer digits, or past the fraction's leading zeros
  let places: number;
  if (magnitude >= 1) places = digits - (dot < 0 ? text.length : dot);
  else {
    let first = dot + 1;
    while (text.charCodeAt(first) === 48) first++;
    places = first - dot - 1 + digits;
  }
  return roundHalfUp(x, Math.max(0, places));
}

/**
 * Compares two plain decimal texts (formatMoney's "-1234.50", "0.00"; no exponent) exactly, as
 * new Decimal(a).comparedTo(b) would, without building Decimals for every comparison of a sort:
 * negative, 0 or positive.
 */
export function compareDecimalText(a: string, b: string): number {
  const [sa, ma] = magnitude(a);
  const [sb, mb] = magnitude(b);
  if (sa !== sb) return sa - sb;
  const c = compareMagnitudes(ma, mb);
  return c === 0 ? 0 : sa * c;
}

/** The sign (−1, 0, 1) and the digits around the point without leading or trailing zeros. */
function magnitude(text: string): [number, [string, string]] {
  const neg = text.charCodeAt(0) === 45;
  const body = neg || text.charCodeAt(0) === 43 ? text.slice(1) : text;
  const dot = body.indexOf('.');
  const whole = (dot < 0 ? body : body.slice(0, dot)).replace(/^0+/, '');
  const fraction = dot < 0 ? '' : body.slice(dot + 1).replace(/0+$/, '');
  if (!whole && !fraction) return [0, ['', '']];
  return [neg ? -1 : 1, [whole, fraction]];
}

function compareMagnitudes([wa, fa]: [string, string], [wb, fb]: [string, string]): number {
  if (wa.length !== wb.length) return wa.length - wb.length;
  if (wa !== wb) return wa < wb ? -1 : 1;
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}
