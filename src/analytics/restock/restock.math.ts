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
  type DemandClassification,
  type RateMethod,
  sampleStdDev,
} from './demand.math';
import { isoDayNumber, stockOutDate } from './calendar.math';
import { roundTextHalfUp, wholeNumber } from './decimal-text';
import { inverseNormal } from './normal.math';

export { isoDayNumber, stockOutDate } from './calendar.math';

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
  const whole = wholeUnitOrder(input);
  if (whole) return whole;
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

/**
 * orderQuantity for the usual ledger — whole on hand, on order, pack and minimum, a target written
 * without exponent below 10⁹ — in exact text and integer arithmetic (no Decimal per row): the target's
 * shortest decimal form (what decimal.js reads) minus the whole position, rounded half-up to 6
 * places; packs of a whole size p over a whole minimum m: ⌈max(need, m) / p⌉ = ⌈max(⌈need⌉, m) / p⌉.
 * null when the input is outside that case (orderQuantity then uses decimals).
 */
function wholeUnitOrder(input: OrderQuantityInput): OrderQuantity | null {
  const pack = input.packSize == null ? 1 : wholeNumber(input.packSize);
  const minimum = input.minOrderQty == null ? 0 : wholeNumber(input.minOrderQty);
  const onHand = wholeNumber(input.onHand);
  const onOrder = wholeNumber(input.onOrder);
  if (pack === null || minimum === null || onHand === null || onOrder === null) return null;
  if (pack <= 0 || minimum < 0 || onHand < 0 || onOrder < 0 || minimum > 1e9 || pack > 1e9) return null;
  const text = String(input.target);
  if (input.target < 0 || input.target >= 1e9 || text.includes('e')) return null;
  const dot = text.indexOf('.');
  const units = Number(dot < 0 ? text : text.slice(0, dot)) - onHand - onOrder;
  if (units < 0) return { need: '0', suggested: '0' }; // target < position: the fraction is below 1
  const need = roundTextHalfUp(dot < 0 ? String(units) : `${units}${text.slice(dot)}`, NEED_DECIMALS);
  if (need === '0') return { need: '0', suggested: '0' };
  const needUnits = need.includes('.') ? Math.floor(Number(need)) + 1 : Number(need);
  return { need, suggested: String(Math.ceil(Math.max(needUnits, minimum) / pack) * pack) };
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

/**
 * onHand + onOrder ≤ ROP, only when ROP > 0. A whole position is an exact double, and comparing it
 * with the double ROP is the same as with ROP's shortest decimal form (no double lies between them).
 */
export function belowReorderPoint(onHand: Quantity, onOrder: Quantity, reorder: number): boolean {
  if (!(reorder > 0)) return false;
  const a = wholeNumber(onHand);
  const b = wholeNumber(onOrder);
  if (a !== null && b !== null) return a + b <= reorder;
  return new Exact(onHand).plus(onOrder).lte(reorder);
}

/** A quantity as a canonical decimal string ("8", "2.5"), whole numbers without a Decimal. */
function quantityText(q: Quantity): string {
  const whole = wholeNumber(q);
  return whole === null ? new Exact(q).toFixed() : String(whole);
}

/** The demand side of a suggestion: the same for every warehouse row of a product. */
export interface DemandInput {
  /** Daily net demand, oldest first, one value per calendar day of the window (zeros included). */
  dailySeries: readonly number[];
  leadTimeDays?: number;
  serviceLevel?: number;
  coverDays?: number;
  alpha?: number;
  /**
   * The classification of the product's whole demand when dailySeries is a scaled copy of it (its
   * equal share in one of n warehouses): ADI and CV² do not change with the scale, and the unscaled
   * series classifies exactly. Default: classify dailySeries.
   */
  classification?: DemandClassification;
}

export interface RestockInput extends DemandInput {
  /** The as-of date A (YYYY-MM-DD). */
  asOf: string;
  onHand: Quantity;
  onOrder?: Quantity;
  packSize?: Quantity | null;
  minOrderQty?: Quantity | null;
}

export interface RestockDemand {
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
}

export interface RestockRow extends RestockDemand {
  asOf: string;
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

/** Class, rate, σ, safety stock, reorder point and target of a daily demand series. */
export function restockDemand(input: DemandInput): RestockDemand {
  const leadTimeDays = input.leadTimeDays ?? RESTOCK_DEFAULTS.leadTimeDays;
  const serviceLevel = input.serviceLevel ?? RESTOCK_DEFAULTS.serviceLevel;
  const coverDays = input.coverDays ?? RESTOCK_DEFAULTS.coverDays;
  const alpha = input.alpha ?? RESTOCK_DEFAULTS.alpha;
  const { demandClass, adi, cv2, demandDays } = input.classification ?? classifyDemand(input.dailySeries);
  const { rate, method } = dailyRate(input.dailySeries, demandClass, alpha);
  const croston = method === 'sba' ? crostonSba(input.dailySeries, alpha) : null;
  const sigma = sampleStdDev(input.dailySeries);
  const z = inverseNormal(serviceLevel);
  const safety = demandClass === 'none' ? 0 : safetyStock(z, sigma, leadTimeDays);
  const reorder = reorderPoint(rate, leadTimeDays, safety);
  return {
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
    target: targetStock(reorder, rate, coverDays),
  };
}

/** One warehouse's stock position against the product's demand: need, order, cover, flag. */
export function restockPosition(
  demand: RestockDemand,
  input: Pick<RestockInput, 'asOf' | 'onHand' | 'onOrder' | 'packSize' | 'minOrderQty'>,
): RestockRow {
  const onOrderInput = input.onOrder ?? 0;
  if (wholeNumber(input.onHand) === null && !new Exact(input.onHand).isFinite()) {
    throw new RangeError('onHand must be a finite quantity');
  }
  if (!((wholeNumber(onOrderInput) ?? -1) >= 0)) {
    const onOrder = new Exact(onOrderInput);
    if (!onOrder.isFinite() || onOrder.isNeg()) throw new RangeError('onOrder must be a finite quantity ≥ 0');
  }
  const onHandText = quantityText(input.onHand);
  const onOrderText = quantityText(onOrderInput);
  const packSize = input.packSize == null ? null : quantityText(input.packSize);
  const minOrderQty = input.minOrderQty == null ? null : quantityText(input.minOrderQty);
  const order = orderQuantity({
    target: demand.target,
    onHand: onHandText,
    onOrder: onOrderText,
    packSize,
    minOrderQty,
  });
  const cover = daysOfCover(Number(onHandText), demand.rate);
  // an explicit literal: V8 builds `{ ...demand, …10 more }` as a slow dictionary object (~30 µs each)
  return {
    windowDays: demand.windowDays,
    demandClass: demand.demandClass,
    adi: demand.adi,
    cv2: demand.cv2,
    demandDays: demand.demandDays,
    rate: demand.rate,
    method: demand.method,
    alpha: demand.alpha,
    croston: demand.croston,
    sigma: demand.sigma,
    leadTimeDays: demand.leadTimeDays,
    serviceLevel: demand.serviceLevel,
    z: demand.z,
    safetyStock: demand.safetyStock,
    reorderPoint: demand.reorderPoint,
    coverDays: demand.coverDays,
    target: demand.target,
    asOf: input.asOf,
    onHand: onHandText,
    onOrder: onOrderText,
    packSize,
    minOrderQty,
    need: order.need,
    suggested: order.suggested,
    daysOfCover: cover,
    stockOutDate: stockOutDate(input.asOf, cover),
    belowReorderPoint: belowReorderPoint(onHandText, onOrderText, demand.reorderPoint),
  };
}

export function computeRestock(input: RestockInput): RestockRow {
  isoDayNumber(input.asOf); // validate before doing any work
  return restockPosition(restockDemand(input), input);
}

/**
 * Lookback of the lapsed-customer demand share: max(365, lapseDays + windowDays) days before A. A
 * customer lapsed at A bought nothing in the last lapseDays (at least), so a lookback of a window
 * beyond that sees the demand they used to bring; a full year at least, so seasonal buyers count.
 */
export function lapsedLookbackDays(windowDays: number, lapseDays: number): number {
  return Math.max(365, lapseDays + windowDays);
}
