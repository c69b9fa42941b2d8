import { Decimal } from 'decimal.js';
import { formatMoney } from '../../shared/money';
import { compareDecimalText, roundHalfUp } from './decimal-text';
import { classifyDemand } from './demand.math';
import { explainDemand, type ExplainLang } from './restock.explain';
import { restockDemand, type RestockDemand, restockPosition, type RestockRow } from './restock.math';

/**
 * Rows of the restock queries → what the buyer sees (pure: no Nest, no database). Demand is per
 * product, so everything that depends on demand alone (class, rate, σ, reorder point, target, their
 * display and the demand sentences of the explanation) is worked out once per product and shared by
 * its warehouse rows; only the stock position is per row.
 */

/** NUMERIC/BIGINT columns arrive as strings (node-postgres) or numbers (PGlite): both handled. */
export type Cell = string | number | null;

export interface SqlRow {
  product_id: Cell;
  external_id: string;
  name: string;
  name_ar: string | null;
  lead_time_days: Cell;
  pack_size: Cell;
  min_order_qty: Cell;
  warehouse_id: string | null;
  stock_as_of: string | null;
  on_hand: Cell;
  on_order: Cell;
  unit_cost: Cell;
  warehouses: Cell;
  unit_cost_2: string | null;
  series: string | null;
  avg_price: Cell;
  lookback_units: Cell;
}

export interface SharesRow {
  product_id: Cell;
  champions_pct: string | null;
  loyal_pct: string | null;
  at_risk_pct: string | null;
  priority_pct: string | null;
  lapsed_units: Cell;
}

export interface DeadSqlRow {
  external_id: string;
  name: string;
  name_ar: string | null;
  warehouse_id: string;
  stock_as_of: string;
  on_hand: Cell;
  unit_cost: Cell;
  value: Cell;
  last_sale: string | null;
  days_since_last_sale: Cell;
}

export type Missing = 'stock' | 'unitCost';

/** A float statistic for display: half-up to 4 places, trailing zeros dropped ("2.5", "0.527"). */
export function q4(x: number | null): string | null {
  return x === null ? null : roundHalfUp(x, 4);
}

const dec = (v: Cell): string | null => (v === null ? null : new Decimal(v).toFixed());

/** Dense daily series from the sparse "offset:qty,…" of the query (zeros filled in). */
export function denseSeries(sparse: string | null, days: number): number[] {
  const out = new Array<number>(days).fill(0);
  for (const pair of sparse ? sparse.split(',') : []) {
    const [i, q] = pair.split(':');
    out[Number(i)] = Number(q);
  }
  return out;
}

const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

/** Shares of the product's units by customer group, percent with 2 decimals (see RESTOCK_SHARES_SQL). */
export interface DemandShares {
  champions: string | null;
  loyal: string | null;
  atRisk: string | null;
  priority: string | null;
  lapsed: string | null;
}

/**
 * The window's segment shares as the query gives them; the lapsed share = lapsed units / lookback
 * units, half-up to 2 places (null when the product sold nothing in the lookback).
 */
export function demandShares(sh: SharesRow | undefined, lookbackUnits: Cell): DemandShares {
  const lookback = lookbackUnits === null ? null : new Exact(lookbackUnits);
  return {
    champions: sh?.champions_pct ?? null,
    loyal: sh?.loyal_pct ?? null,
    atRisk: sh?.at_risk_pct ?? null,
    priority: sh?.priority_pct ?? null,
    lapsed:
      lookback === null || lookback.lte(0)
        ? null
        : new Exact(sh?.lapsed_units ?? 0).times(100).div(lookback).toFixed(2, Decimal.ROUND_HALF_UP),
  };
}

export interface Settings {
  asOf: string;
  coverDays: number;
  serviceLevel: number;
  leadTimeDays: number;
  windowDays: number;
}

/** The demand model of one product and its display, shared by the product's warehouse rows. */
export interface Product {
  demand: RestockDemand;
  leadTimeDays: number;
  warehouses: number;
  shares: DemandShares;
  lookbackUnits: Cell;
  text: {
    demandShareOfProduct: string | null;
    dailyRate: string | null;
    adi: string | null;
    cv2: string | null;
    croston: { size: string | null; interval: string | null; alpha: number } | null;
    sigma: string | null;
    z: string | null;
    safetyStock: string | null;
    reorderPoint: string | null;
    target: string | null;
    averageSellingPrice: string | null;
  };
  /** The demand sentences of the explanation, written on first use. */
  explained: string | null;
}

/**
 * Demand is per product (invoices carry no warehouse): it is split equally over the warehouses
 * holding the product at A. The class, ADI and CV² come from the whole series (they do not change
 * with the split); rate, σ and Croston from the warehouse's share, as each row shows them.
 */
export function productModel(r: SqlRow, p: Settings): Product {
  const daily = denseSeries(r.series, p.windowDays);
  const warehouses = Number(r.warehouses);
  const series = warehouses > 1 ? daily.map((x) => x / warehouses) : daily;
  const leadTimeDays = r.lead_time_days === null ? p.leadTimeDays : Number(r.lead_time_days);
  const m = restockDemand({
    dailySeries: series,
    classification: classifyDemand(daily),
    leadTimeDays,
    serviceLevel: p.serviceLevel,
    coverDays: p.coverDays,
  });
  return {
    demand: m,
    leadTimeDays,
    warehouses,
    shares: demandShares(undefined, null),
    lookbackUnits: r.lookback_units,
    text: {
      demandShareOfProduct: warehouses > 1 ? q4(1 / warehouses) : '1',
      dailyRate: q4(m.rate),
      adi: q4(m.adi),
      cv2: q4(m.cv2),
      croston: m.croston
        ? { size: q4(m.croston.size), interval: q4(m.croston.interval), alpha: m.alpha }
        : null,
      sigma: q4(m.sigma),
      z: q4(m.z),
      safetyStock: q4(m.safetyStock),
      reorderPoint: q4(m.reorderPoint),
      target: q4(m.target),
      averageSellingPrice: r.avg_price === null ? null : formatMoney(r.avg_price),
    },
    explained: null,
  };
}

export function demandText(product: Product, lang: ExplainLang): string {
  return (product.explained ??= explainDemand(product.demand, lang));
}

/** One (product, warehouse) row: the model of restock.math plus what the buyer sees (no explanation yet). */
export function restockItem(r: SqlRow, product: Product, p: Settings, lang: ExplainLang) {
  const known = r.warehouse_id !== null;
  const { leadTimeDays, text } = product;
  const m: RestockRow = restockPosition(product.demand, {
    asOf: p.asOf,
    onHand: r.on_hand ?? 0,
    onOrder: r.on_order ?? 0,
    packSize: r.pack_size,
    minOrderQty: r.min_order_qty,
  });
  const missing: Missing[] = [];
  if (!known) missing.push('stock');
  if (r.unit_cost === null) missing.push('unitCost');
  // Unmet demand before the next delivery = max(0, rate × L − on hand − on order), × average price.
  let revenueAtRisk: string | null = null;
  if (known) {
    const short = m.rate * leadTimeDays - Number(m.onHand) - Number(m.onOrder);
    const unmet =
      short <= 0 ? null : new Decimal(m.rate).times(leadTimeDays).minus(m.onHand).minus(m.onOrder);
    revenueAtRisk =
      unmet === null || unmet.lte(0)
        ? '0.00'
        : r.avg_price === null
          ? null
          : formatMoney(unmet.times(r.avg_price));
  }
  const suggested = known ? m.suggested : null;
  const view = {
    productId: r.external_id,
    name: lang === 'ar' ? (r.name_ar ?? r.name) : r.name,
    warehouseId: r.warehouse_id,
    stockAsOf: r.stock_as_of,
    demandShareOfProduct: text.demandShareOfProduct,
    demandClass: m.demandClass,
    rateMethod: m.method,
    dailyRate: text.dailyRate,
    demandDays: m.demandDays,
    adi: text.adi,
    cv2: text.cv2,
    croston: text.croston,
    sigma: text.sigma,
    leadTimeDays,
    leadTimeSource: r.lead_time_days === null ? 'setting' : 'product',
    z: text.z,
    safetyStock: text.safetyStock,
    reorderPoint: text.reorderPoint,
    target: text.target,
    onHand: known ? m.onHand : null,
    onOrder: known ? m.onOrder : null,
    packSize: m.packSize,
    minOrderQty: m.minOrderQty,
    need: known ? m.need : null,
    suggestedQuantity: suggested,
    unitCost: r.unit_cost_2,
    orderValue:
      suggested === null || r.unit_cost === null
        ? null
        : suggested === '0'
          ? '0.00'
          : formatMoney(new Decimal(suggested).times(r.unit_cost)),
    daysOfCover: known ? q4(m.daysOfCover) : null,
    stockOutDate: known ? m.stockOutDate : null,
    belowReorderPoint: known ? m.belowReorderPoint : null,
    averageSellingPrice: text.averageSellingPrice,
    revenueAtRisk,
    demandShares: product.shares,
    missing,
    /** Written only for the rows that are returned (restock.service). */
    explanation: '',
  };
  return { view, model: m, known, product, risk: revenueAtRisk };
}

export type Item = ReturnType<typeof restockItem>;
export type RestockView = Item['view'];

/** Revenue at risk descending (unknown last), then product, then warehouse (no stock last). */
export function byPriority(x: Item, y: Item): number {
  if (x.risk !== y.risk) {
    if (x.risk === null) return 1;
    if (y.risk === null) return -1;
    const byRisk = compareDecimalText(y.risk, x.risk);
    if (byRisk !== 0) return byRisk;
  }
  const a = x.view;
  const b = y.view;
  if (a.productId !== b.productId) return a.productId < b.productId ? -1 : 1;
  if (a.warehouseId === b.warehouseId) return 0;
  if (a.warehouseId === null) return 1;
  if (b.warehouseId === null) return -1;
  return a.warehouseId < b.warehouseId ? -1 : 1;
}

export function deadRow(r: DeadSqlRow, lang: ExplainLang) {
  const missing: Missing[] = r.unit_cost === null ? ['unitCost'] : [];
  return {
    productId: r.external_id,
    name: lang === 'ar' ? (r.name_ar ?? r.name) : r.name,
    warehouseId: r.warehouse_id,
    stockAsOf: r.stock_as_of,
    onHand: dec(r.on_hand),
    unitCost: r.unit_cost === null ? null : formatMoney(r.unit_cost),
    valueTiedUp: r.value === null ? null : formatMoney(r.value),
    lastSaleDate: r.last_sale,
    daysSinceLastSale: r.days_since_last_sale === null ? null : Number(r.days_since_last_sale),
    missing,
  };
}

export type DeadStockView = ReturnType<typeof deadRow>;
