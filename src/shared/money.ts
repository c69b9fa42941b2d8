import Decimal from 'decimal.js';

/**
 * Money is exact: NUMERIC in PostgreSQL, Decimal here, decimal strings in JSON. Rounding (half-up,
 * 2 places) happens only when presenting.
 */
export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;

export const ZERO = new Money(0);

/** A decimal string or number from input or a NUMERIC column → Decimal. Throws on anything else. */
export function money(v: string | number | Decimal): Decimal {
  return new Money(v);
}

/** Presentation: half-up to `places` (default 2), always with that many decimals: "1234.50". */
export function formatMoney(v: Decimal.Value, places = 2): string {
  return new Money(v).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places);
}

/** Presentation of a nullable NUMERIC column. */
export function formatMoneyOrNull(v: Decimal.Value | null | undefined, places = 2): string | null {
  return v === null || v === undefined ? null : formatMoney(v, places);
}

/** Quantities and rates are shown without trailing zeros: "12", "0.15", "2.5". */
export function formatDecimal(v: Decimal.Value | null | undefined): string | null {
  if (v === null || v === undefined) return null;
  const d = new Money(v);
  return d.isZero() ? '0' : d.toString().includes('e') ? d.toFixed() : d.toString();
}

/**
 * 100 × part / whole, half-up to 2 places ("37.50"), exact (never through a JS float); null when the
 * whole is ≤ 0 (a share of nothing, or of a negative total, is not a meaningful percentage).
 */
export function percent(part: Decimal.Value, whole: Decimal.Value): string | null {
  const w = new Money(whole);
  if (w.lte(0)) return null;
  return formatMoney(new Money(part).times(100).div(w));
}

export function sum(values: Iterable<Decimal.Value>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
