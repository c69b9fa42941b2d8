/**
 * Demand pattern and daily rate of one product (DOMAIN §8), from its daily net demand series:
 * one value per calendar day of the window, oldest first, zeros included.
 *
 * Demand day. A day with net demand > 0. Net demand can be negative on a day when restocked
 * returns exceed sales; such a day is NOT a demand day (it counts like a zero) for ADI, CV² and
 * Croston. The mean and σ (below) use the series as given, negatives included.
 *
 * Inter-demand intervals. With the demand days at 0-based positions i₁ < i₂ < … < i_k:
 *   q₁ = i₁ + 1            (counted from the window start: a sale on the first day is interval 1)
 *   q_j = i_j − i_{j−1}    (j ≥ 2)
 * so ADI = mean(q) = (i_k + 1) / k. Zeros after the last demand day do not enter ADI (nor Croston,
 * which only updates on demand days). This is the "naive" initialisation of Croston decomposition
 * in Kourentzes' tsintermittent (crost.decomp).
 *
 * CV² = squared coefficient of variation of the non-zero sizes, with the POPULATION variance
 * (divide by k): CV² = (1/k)Σ(s − s̄)² / s̄² = k·Σs² / (Σs)² − 1. Population, because the sizes are
 * all the demand the window holds and because it stays defined for k = 1 (CV² = 0). It is
 * evaluated exactly (integers for whole-unit sizes, else 60-digit decimals) so that a mathematically
 * exact 0.49 is not pushed below the cut by binary rounding. CV² and ADI do not change when the
 * series is scaled (a product's demand split over its warehouses): classify the unscaled series.
 *
 * Syntetos–Boylan classification (Syntetos, Boylan & Croston 2005, "On the categorization of
 * demand patterns", JORS 56; cut-offs ADI 1.32, CV² 0.49), a value exactly on a cut-off going to
 * the ≥ side:
 *   smooth       ADI < 1.32 and CV² < 0.49      erratic  ADI < 1.32 and CV² ≥ 0.49
 *   intermittent ADI ≥ 1.32 and CV² < 0.49      lumpy    ADI ≥ 1.32 and CV² ≥ 0.49
 *   none         no demand day in the window
 *
 * Croston (1972) with the Syntetos–Boylan Approximation (SBA, Syntetos & Boylan 2005), α = 0.1:
 *   initialise at the first demand day: z = s₁ (its size), p = q₁ (its interval, as above);
 *   at each later demand day j: z ← z + α(s_j − z); p ← p + α(q_j − p);
 *   rate = (1 − α/2) · z / p, the estimate after the last demand day.
 *
 * Daily rate: smooth, erratic → mean daily demand over the window, zeros and negatives included,
 * floored at 0 (method 'mean'); intermittent, lumpy → the SBA rate (method 'sba'); none → 0 ('mean').
 * σ = sample standard deviation (n − 1) of the whole daily series; 0 when fewer than 2 days.
 */
import { Decimal } from 'decimal.js';

export type DemandClass = 'none' | 'smooth' | 'erratic' | 'intermittent' | 'lumpy';
export type RateMethod = 'mean' | 'sba';

export const ADI_CUTOFF = '1.32';
export const CV2_CUTOFF = '0.49';
export const DEFAULT_CROSTON_ALPHA = 0.1;

export interface DemandClassification {
  demandClass: DemandClass;
  /** Mean inter-demand interval in days; null when there is no demand. */
  adi: number | null;
  /** Squared coefficient of variation of the non-zero sizes; null when there is no demand. */
  cv2: number | null;
  /** Number of demand days (net demand > 0). */
  demandDays: number;
}

export interface CrostonResult {
  /** Smoothed demand size z. */
  size: number;
  /** Smoothed inter-demand interval p, in days. */
  interval: number;
  /** SBA daily rate (1 − α/2) · z / p. */
  rate: number;
}

export interface DailyRate {
  rate: number;
  method: RateMethod;
}

// Enough digits that k·Σs²/(Σs)² is exact whenever the true value terminates (it does for the
// decimal quantities a ledger holds).
const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

function assertSeries(series: readonly number[], fn: string): void {
  for (const v of series) {
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: every daily value must be a finite number`);
  }
}

interface DemandEvent {
  size: number;
  interval: number;
}

/** The demand days of a series as (size, interval since the previous one or the window start). */
function demandEvents(series: readonly number[]): DemandEvent[] {
  const events: DemandEvent[] = [];
  let previous = -1; // the day before the window
  series.forEach((v, i) => {
    if (v > 0) {
      events.push({ size: v, interval: i - previous });
      previous = i;
    }
  });
  return events;
}

export function classifyDemand(dailySeries: readonly number[]): DemandClassification {
  assertSeries(dailySeries, 'classifyDemand');
  const events = demandEvents(dailySeries);
  const k = events.length;
  if (k === 0) return { demandClass: 'none', adi: null, cv2: null, demandDays: 0 };
  const span = events.reduce((sum, e) => sum + e.interval, 0); // = i_k + 1
  return wholeUnits(events, span) ?? exactDecimal(events, span);
}

function classOf(intermittentTiming: boolean, variableSize: boolean): DemandClass {
  if (intermittentTiming) return variableSize ? 'lumpy' : 'intermittent';
  return variableSize ? 'erratic' : 'smooth';
}

/**
 * Whole-unit sizes (the usual ledger): the same figures in integer arithmetic, exact while every
 * product stays below 2^53. ADI ≥ 1.32 ⟺ 100·span ≥ 132·k; CV² ≥ 0.49 ⟺ 100·k·Σs² ≥ 149·(Σs)²;
 * ADI = span / k and CV² = (k·Σs² − (Σs)²) / (Σs)² are single divisions of exact integers, so they
 * are the correctly rounded doubles the decimal path also gives. null when a size is not a whole
 * number or a product could exceed 2^53 (then the decimal path decides).
 */
function wholeUnits(events: readonly DemandEvent[], span: number): DemandClassification | null {
  const k = events.length;
  let sum = 0;
  let sumSq = 0;
  for (const e of events) {
    if (!Number.isInteger(e.size) || e.size > 9e7) return null;
    sum += e.size;
    sumSq += e.size * e.size;
  }
  const kq = 100 * k * sumSq;
  const s2 = 149 * sum * sum;
  if (!Number.isSafeInteger(kq) || !Number.isSafeInteger(s2) || !Number.isSafeInteger(100 * span))
    return null;
  return {
    demandClass: classOf(100 * span >= 132 * k, kq >= s2),
    adi: span / k,
    cv2: (k * sumSq - sum * sum) / (sum * sum),
    demandDays: k,
  };
}

/** Any sizes: CV² in 60-digit decimals, so an exact 0.49 is not pushed below the cut by binary rounding. */
function exactDecimal(events: readonly DemandEvent[], span: number): DemandClassification {
  const k = events.length;
  const adi = new Exact(span).div(k);
  let sum = new Exact(0);
  let sumSq = new Exact(0);
  for (const e of events) {
    const s = new Exact(e.size);
    sum = sum.plus(s);
    sumSq = sumSq.plus(s.times(s));
  }
  const cv2 = sumSq.times(k).div(sum.times(sum)).minus(1);
  return {
    demandClass: classOf(adi.gte(ADI_CUTOFF), cv2.gte(CV2_CUTOFF)),
    adi: adi.toNumber(),
    cv2: cv2.toNumber(),
    demandDays: k,
  };
}

/** Croston/SBA on a daily series; null when the series has no demand day. */
export function crostonSba(series: readonly number[], alpha = DEFAULT_CROSTON_ALPHA): CrostonResult | null {
  assertSeries(series, 'crostonSba');
  if (!Number.isFinite(alpha) || alpha <= 0 || alpha > 1) {
    throw new RangeError(`crostonSba: alpha must be in (0, 1], got ${alpha}`);
  }
  const [first, ...rest] = demandEvents(series);
  if (first === undefined) return null;
  let size = first.size;
  let interval = first.interval;
  for (const e of rest) {
    size += alpha * (e.size - size);
    interval += alpha * (e.interval - interval);
  }
  return { size, interval, rate: ((1 - alpha / 2) * size) / interval };
}

export function mean(series: readonly number[]): number {
  if (series.length === 0) return 0;
  return series.reduce((sum, v) => sum + v, 0) / series.length;
}

/** Sample standard deviation √(Σ(x − x̄)² / (n − 1)); 0 when n < 2. Two-pass for accuracy. */
export function sampleStdDev(series: readonly number[]): number {
  assertSeries(series, 'sampleStdDev');
  const n = series.length;
  if (n < 2) return 0;
  const m = mean(series);
  const ss = series.reduce((sum, v) => sum + (v - m) * (v - m), 0);
  return Math.sqrt(ss / (n - 1));
}

export function dailyRate(
  series: readonly number[],
  demandClass: DemandClass,
  alpha = DEFAULT_CROSTON_ALPHA,
): DailyRate {
  assertSeries(series, 'dailyRate');
  switch (demandClass) {
    case 'none':
      return { rate: 0, method: 'mean' };
    case 'smooth':
    case 'erratic':
      return { rate: Math.max(0, mean(series)), method: 'mean' };
    case 'intermittent':
    case 'lumpy':
      return { rate: crostonSba(series, alpha)?.rate ?? 0, method: 'sba' };
  }
}
