/**
 * Restock suggestion for one product and warehouse at date A (DOMAIN §8). Pure: the as-of date and
 * every setting are parameters.
 *
 *   rate            daily demand rate (demand.math.ts: mean for smooth/erratic, SBA otherwise)
 *   σ               sample standard deviation of the daily demand series
 *   z               Φ⁻¹(serviceLevel)                       (normal.math.ts)
 *   safety stock    SS  = z · σ · √L                        (0 when the window has no demand day)
 *   reorder point   ROP = rate · L + SS
 *   target          T   = ROP + rate · coverDays
 *   need            N   = max(0, T − onHand − onOrder), rounded half-up to 6 dp to drop binary noise
 *   suggested       0 when N = 0; else packSize · ⌈max(N, minOrderQty) / packSize⌉
 *                   (minimum first, then whole packs: the order is always whole packs AND never
 *                   below the minimum; pack 6, minimum 10, need 0.1 → 12). packSize defaults to 1
 *                   (whole units); a fractional pack (e.g. 0.5 kg) gives fractional quantities.
 *                   Exact decimal arithmetic; returned as a decimal string ("12", "2.5").
 *   days of cover   max(0, onHand) / rate; null when rate = 0 (on-order stock has no arrival date
 *                   here, so it does not extend the cover)
 *   stock-out date  A + ⌊days of cover⌋ calendar days (ISO date); null when days of cover is null
 *                   or the date would fall after 9999-12-31
 *   below ROP       onHand + onOrder ≤ ROP, and ROP > 0: a product with no demand is never flagged.
 *
 * Source: the classic (s, S)/order-up-to policy with normally distributed lead-time demand
 * (Silver, Pyke & Thomas, "Inventory and Production Management in Supply Chains", 4th ed., ch. 6).
 */
import { Decimal } from 'decimal.js';

import {
  classifyDemand,
  crostonSba,
  type CrostonResult,
  dailyRate,
  DEFAULT_CROSTON_ALPHA,
  type DemandClass,
  type RateMethod,
  sampleStdDev,
} from './demand.math';
import { inverseNormal } from './normal.math';

/** A quantity as the database or the API gives it: a decimal string, or a number. */
export type Quantity = string | number;

export const RESTOCK_DEFAULTS = {
  windowDays: 90,
  leadTimeDays: 14,
  serviceLevel: 0.95,
  coverDays: 30,
  alpha: DEFAULT_CROSTON_ALPHA,
} as const;

const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
const NEED_DECIMALS = 6;

function assertNonNegative(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0`);
}

/** SS = z · σ · √L. */
export function safetyStock(z: number, sigma: number, leadTimeDays: number): number {
  assertNonNegative(sigma, 'sigma');
  assertNonNegative(leadTimeDays, 'leadTimeDays');
  return z * sigma * Math.sqrt(leadTimeDays);
}

/** ROP = rate · L + SS. */
export function reorderPoint(rate: number, leadTimeDays: number, safety: number): number {
  assertNonNegative(leadTimeDays, 'leadTimeDays');
  return rate * leadTimeDays + safety;
}

/** T = ROP + rate · coverDays. */
export function targetStock(reorder: number, rate: number, coverDays: number): number {
  assertNonNegative(coverDays, 'coverDays');
  return reorder + rate * coverDays;
}

export interface OrderQuantityInput {
  target: number;
  onHand: Quantity;
  onOrder: Quantity;
  packSize?: Quantity | null;
  minOrderQty?: Quantity | null;
}

export interface OrderQuantity {
  /** max(0, target − onHand − onOrder), 6 dp, as a decimal string. */
  need: string;
  /** The quantity to order, whole packs and at least the minimum, as a decimal string. */
  suggested: string;
}

export function orderQuantity(input: OrderQuantityInput): OrderQuantity {
  if (!Number.isFinite(input.target)) throw new RangeError('target must be a finite number');
  const pack = new Exact(input.packSize ?? 1);
  const minimum = new Exact(input.minOrderQty ?? 0);
  if (!pack.isFinite() || pack.lte(0)) throw new RangeError('packSize must be > 0');
  if (!minimum.isFinite() || minimum.isNeg()) throw new RangeError('minOrderQty must be ≥ 0');

  const raw = new Exact(input.target).minus(input.onHand).minus(input.onOrder);
  const need = Exact.max(0, raw).toDecimalPlaces(NEED_DECIMALS, Decimal.ROUND_HALF_UP);
  if (need.isZero()) return { need: '0', suggested: '0' };
  const base = Exact.max(need, minimum);
  const suggested = base.div(pack).ceil().times(pack);
  return { need: need.toFixed(), suggested: suggested.toFixed() };
}

/** The suggested order quantity alone (see orderQuantity). */
export function suggestedQuantity(input: OrderQuantityInput): string {
  return orderQuantity(input).suggested;
}

/** max(0, onHand) / rate; null when rate ≤ 0. */
export function daysOfCover(onHand: number, rate: number): number | null {
  if (!Number.isFinite(onHand)) throw new RangeError('onHand must be a finite number');
  if (!(rate > 0)) return null;
  return Math.max(0, onHand) / rate;
}

// Calendar arithmetic on ISO dates without Date: days since 1970-01-01 in the proleptic Gregorian
// calendar (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const LAST_DAY = daysFromCivil(9999, 12, 31);

/** Days since 1970-01-01 of an ISO date (YYYY-MM-DD); RangeError when it is not a real date. */
export function isoDayNumber(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const n = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
  if (civilFromDays(n) !== iso) throw new RangeError(`not a calendar date: ${iso}`);
  return n;
}

/** asOf + ⌊days⌋; null when days is null or the result is after 9999-12-31. */
export function stockOutDate(asOf: string, cover: number | null): string | null {
  const start = isoDayNumber(asOf);
  if (cover === null) return null;
  if (!Number.isFinite(cover) || cover < 0) throw new RangeError('days of cover must be ≥ 0');
  const day = start + Math.floor(cover);
  return day > LAST_DAY ? null : civilFromDays(day);
}

/** onHand + onOrder ≤ ROP, only when ROP > 0. */
export function belowReorderPoint(onHand: Quantity, onOrder: Quantity, reorder: number): boolean {
  return reorder > 0 && new Exact(onHand).plus(onOrder).lte(reorder);
}

export interface RestockInput {
  /** Daily net demand, oldest first, one value per calendar day of the window (zeros included). */
  dailySeries: readonly number[];
  /** The as-of date A (YYYY-MM-DD). */
  asOf: string;
  onHand: Quantity;
  onOrder?: Quantity;
  leadTimeDays?: number;
  serviceLevel?: number;
  coverDays?: number;
  packSize?: Quantity | null;
  minOrderQty?: Quantity | null;
  alpha?: number;
}

export interface RestockRow {
  asOf: string;
  windowDays: number;
  demandClass: DemandClass;
  adi: number | null;
  cv2: number | null;
  demandDays: number;
  rate: number;
  method: RateMethod;
  alpha: number;
  /** Croston's smoothed size and interval when method = 'sba'. */
  croston: CrostonResult | null;
  sigma: number;
  leadTimeDays: number;
  serviceLevel: number;
  z: number;
  safetyStock: number;
  reorderPoint: number;
  coverDays: number;
  target: number;
  onHand: string;
  onOrder: string;
  packSize: string | null;
  minOrderQty: string | null;
  need: string;
  suggested: string;
  daysOfCover: number | null;
  stockOutDate: string | null;
  belowReorderPoint: boolean;
}

export function computeRestock(input: RestockInput): RestockRow {
  const leadTimeDays = input.leadTimeDays ?? RESTOCK_DEFAULTS.leadTimeDays;
  const serviceLevel = input.serviceLevel ?? RESTOCK_DEFAULTS.serviceLevel;
  const coverDays = input.coverDays ?? RESTOCK_DEFAULTS.coverDays;
  const alpha = input.alpha ?? RESTOCK_DEFAULTS.alpha;
  const onHand = new Exact(input.onHand);
  const onOrder = new Exact(input.onOrder ?? 0);
  if (!onHand.isFinite()) throw new RangeError('onHand must be a finite quantity');
  if (!onOrder.isFinite() || onOrder.isNeg()) throw new RangeError('onOrder must be a finite quantity ≥ 0');
  isoDayNumber(input.asOf); // validate before doing any work

  const { demandClass, adi, cv2, demandDays } = classifyDemand(input.dailySeries);
  const { rate, method } = dailyRate(input.dailySeries, demandClass, alpha);
  const croston = method === 'sba' ? crostonSba(input.dailySeries, alpha) : null;
  const sigma = sampleStdDev(input.dailySeries);
  const z = inverseNormal(serviceLevel);
  const safety = demandClass === 'none' ? 0 : safetyStock(z, sigma, leadTimeDays);
  const reorder = reorderPoint(rate, leadTimeDays, safety);
  const target = targetStock(reorder, rate, coverDays);
  const packSize = input.packSize == null ? null : new Exact(input.packSize).toFixed();
  const minOrderQty = input.minOrderQty == null ? null : new Exact(input.minOrderQty).toFixed();
  const order = orderQuantity({
    target,
    onHand: onHand.toFixed(),
    onOrder: onOrder.toFixed(),
    packSize,
    minOrderQty,
  });
  const cover = daysOfCover(onHand.toNumber(), rate);

  return {
    asOf: input.asOf,
    windowDays: input.dailySeries.length,
    demandClass,
    adi,
    cv2,
    demandDays,
    rate,
    method,
    alpha,
    croston,
    sigma,
    leadTimeDays,
    serviceLevel,
    z,
    safetyStock: safety,
    reorderPoint: reorder,
    coverDays,
    target,
    onHand: onHand.toFixed(),
    onOrder: onOrder.toFixed(),
    packSize,
    minOrderQty,
    need: order.need,
    suggested: order.suggested,
    daysOfCover: cover,
    stockOutDate: stockOutDate(input.asOf, cover),
    belowReorderPoint: belowReorderPoint(onHand.toFixed(), onOrder.toFixed(), reorder),
  };
}
