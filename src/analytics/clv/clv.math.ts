/**
 * Discounted customer lifetime value, exactly as DOMAIN.md §5 defines it:
 *   CLV = Σ_{m=1..H} spend × (E[X(m)] − E[X(m−1)]) / (1 + d)^m,
 * where E[X(m)] is the customer's conditional expected number of purchases in the next m months
 * under the fitted transaction model (BG/NBD or Pareto/NBD), a month is 30 days expressed in the
 * model's time unit, spend is the Gamma-Gamma conditional expected average spend, H = 12 and d = 0.01
 * by default. This is also lifetimes' `_customer_lifetime_value` (utils.py) with `freq` giving the
 * month length: 'D' → 30 units, 'W' → 4.345 units (lifetimes' weeks per month, not DOMAIN's 30/7).
 * Statistical quantities as plain numbers; converting to money (decimal.js) is the caller's job.
 */

export type ModelTimeUnit = 'day' | 'week';

/** A month (30 days) in model time units: 30 for days, 30/7 for weeks (DOMAIN.md §5). */
export function monthLengthInUnits(unit: ModelTimeUnit): number {
  return unit === 'day' ? 30 : 30 / 7;
}

export interface ClvOptions {
  /** Months in the horizon, H (default 12). */
  readonly horizonMonths?: number;
  /** Monthly discount rate, d (default 0.01). */
  readonly monthlyDiscountRate?: number;
  /** Length of a month in the model's time unit (default 30, i.e. the `day` unit). */
  readonly monthLength?: number;
}

/**
 * CLV = Σ_{m=1..H} spend × (E[X(m·L)] − E[X((m−1)·L)]) / (1 + d)^m, with L the month length and
 * E[X(0)] = 0. `expectedPurchases(t)` is the customer's conditional expected purchases in the next t
 * time units (e.g. t ↦ bgNbdConditionalExpectedPurchases(params, summary, t)).
 */
export function discountedClv(
  expectedPurchases: (t: number) => number,
  expectedSpend: number,
  options: ClvOptions = {},
): number {
  const horizon = options.horizonMonths ?? 12;
  const d = options.monthlyDiscountRate ?? 0.01;
  const month = options.monthLength ?? monthLengthInUnits('day');
  if (!Number.isInteger(horizon) || horizon < 0)
    throw new RangeError(`horizonMonths must be a whole number ≥ 0`);
  if (!(d > -1) || !Number.isFinite(d)) throw new RangeError(`monthlyDiscountRate must be > −1 (got ${d})`);
  if (!(month > 0) || !Number.isFinite(month)) throw new RangeError(`monthLength must be > 0 (got ${month})`);
  if (!Number.isFinite(expectedSpend))
    throw new RangeError(`expected spend must be finite (got ${expectedSpend})`);
  let clv = 0;
  let previous = 0;
  let discount = 1;
  for (let m = 1; m <= horizon; m++) {
    const cumulative = expectedPurchases(m * month);
    discount /= 1 + d;
    clv += expectedSpend * (cumulative - previous) * discount;
    previous = cumulative;
  }
  return clv;
}

/** Margin CLV = CLV × the customer's gross margin ratio (DOMAIN.md §5), a plain multiplier. */
export function marginClv(clv: number, grossMarginRatio: number): number {
  if (!Number.isFinite(grossMarginRatio)) throw new RangeError(`gross margin ratio must be finite`);
  return clv * grossMarginRatio;
}
