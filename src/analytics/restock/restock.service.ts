import { Injectable } from '@nestjs/common';
import { Decimal } from 'decimal.js';
import { Database } from '../../database/database';
import { DomainError } from '../../shared/errors';
import { formatMoney } from '../../shared/money';
import { decodeCursor, encodeCursor, parseLimit } from '../../shared/pagination';
import { SettingsService } from '../../settings/settings.service';
import { Tenant } from '../../tenancy/tenants.service';
import { asOfParam, enumParam, intParam } from '../shared/as-of';
import { deadStockCsv, restockCsv } from './restock-csv';
import { explain, type ExplainLang } from './restock.explain';
import { computeRestock, type RestockRow } from './restock.math';
import { DEAD_STOCK_SQL, RESTOCK_ROWS_SQL, restockSharesSql } from './restock.queries';

/** NUMERIC/BIGINT columns arrive as strings (node-postgres) or numbers (PGlite): both handled. */
type Cell = string | number | null;

interface SqlRow {
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
}

interface SharesRow {
  product_id: Cell;
  champions_pct: string | null;
  loyal_pct: string | null;
  at_risk_pct: string | null;
  priority_pct: string | null;
  lapsed_pct: string | null;
}

interface DeadSqlRow {
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
type Result =
  { format: 'json'; body: Record<string, unknown> } | { format: 'csv'; csv: string; fileName: string };

/** A float statistic for display: half-up to 4 places, trailing zeros dropped ("2.5", "0.527"). */
export function q4(x: number | null): string | null {
  if (x === null) return null;
  const text = String(x);
  if (text.includes('e')) return new Decimal(x).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed();
  const neg = text.startsWith('-');
  const [int = '0', frac = ''] = (neg ? text.slice(1) : text).split('.');
  if (frac.length <= 4) return text === '-0' ? '0' : text;
  // half-up (away from zero) on the shortest decimal form, as Decimal would do
  const scaled = BigInt(int + frac.slice(0, 4)) + (frac.charCodeAt(4) >= 53 ? 1n : 0n);
  const digits = scaled.toString().padStart(5, '0');
  const whole = digits.slice(0, -4);
  const dec4 = digits.slice(-4).replace(/0+$/, '');
  const out = dec4 ? `${whole}.${dec4}` : whole;
  return neg && out !== '0' ? `-${out}` : out;
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

function serviceLevelParam(v: unknown, def: number): number {
  if (v === undefined || v === null || v === '') return def;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n < 0.5 || n > 0.9999) {
    throw new DomainError('bad_request', 'serviceLevel must be a number from 0.5 to 0.9999', {
      field: 'serviceLevel',
    });
  }
  return n;
}

const MISSING_STOCK = {
  en: 'Stock unknown: no inventory snapshot on or before the as-of date, so no quantity is suggested.',
  ar: 'المخزون غير معروف: لا جرد في تاريخ الاحتساب أو قبله، فلا تُقترح كمية.',
};

/** Restock suggestions and dead stock (DOMAIN.md §8); definitions in docs/analytics-definitions.md. */
@Injectable()
export class RestockService {
  constructor(
    private readonly db: Database,
    private readonly settings: SettingsService,
  ) {}

  /**
   * Runs one read with PostgreSQL's JIT off: on these one-off analytic queries LLVM compilation costs
   * more (4–5 s on the benchmark) than it saves.
   */
  private async rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL jit = off`);
      return tx.query<T>(sql, params);
    });
  }

  async restock(tenant: Tenant, q: Record<string, unknown>, lang: ExplainLang): Promise<Result> {
    const s = await this.settings.get(tenant.id);
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const windowDays = intParam(q.windowDays, 'windowDays', s.restockWindowDays, 7, 730);
    const coverDays = intParam(q.coverDays, 'coverDays', s.coverDays, 0, 365);
    const serviceLevel = serviceLevelParam(q.serviceLevel, s.serviceLevel);
    const onlyActionable = enumParam(q.onlyActionable, 'onlyActionable', ['true', 'false'] as const, 'false');
    const format = enumParam(q.format, 'format', ['json', 'csv'] as const, 'json');
    const warehouseId = typeof q.warehouseId === 'string' && q.warehouseId !== '' ? q.warehouseId : null;
    const limit = parseLimit(q.limit);
    const cursor = decodeCursor(q.cursor, 2);

    const withLapsed = windowDays > s.lapseDays;
    const shareParams: unknown[] = [tenant.id, asOf, windowDays, s.rfmWindowDays];
    if (withLapsed) shareParams.push(s.newDays, s.lapseDays, s.paymentTermsDays);
    // two independent reads in parallel; the rows are computed while the shares query still runs
    const sharesRead = this.rows<SharesRow>(restockSharesSql(withLapsed), shareParams);
    sharesRead.catch(() => undefined); // a failure surfaces at the await below, never as unhandled
    const sql = await this.rows<SqlRow>(RESTOCK_ROWS_SQL, [tenant.id, asOf, windowDays, warehouseId]);
    const seriesCache = new Map<string, number[]>();
    const opts = { asOf, coverDays, serviceLevel, leadTimeDays: s.leadTimeDays };
    let items = sql.map((r) => {
      let series = seriesCache.get(r.external_id);
      if (!series) seriesCache.set(r.external_id, (series = denseSeries(r.series, windowDays)));
      return restockItem(r, series, opts, lang);
    });
    const shares = new Map((await sharesRead).map((r) => [String(r.product_id), r]));
    for (const i of items) i.view.demandShares = demandShares(shares.get(i.key));
    if (onlyActionable === 'true') items = items.filter((i) => i.view.belowReorderPoint === true);
    items.sort(byPriority);
    // explanations are written only for the rows that are returned
    const explained = (list: Item[]) =>
      list.map((i) => ({ ...i.view, explanation: i.known ? explain(i.model, lang) : MISSING_STOCK[lang] }));
    const rows = items.map((i) => i.view);
    const parameters = { asOf, windowDays, coverDays, serviceLevel, defaultLeadTimeDays: s.leadTimeDays };

    if (format === 'csv') {
      const csv = restockCsv(explained(items), lang);
      return { format: 'csv', csv, fileName: `restock-${asOf}.csv` };
    }
    let start = 0;
    if (cursor) {
      const at = rows.findIndex((r) => r.productId === cursor[0] && r.warehouseId === cursor[1]);
      if (at < 0)
        throw new DomainError('bad_request', 'cursor is not valid for this list', { field: 'cursor' });
      start = at + 1;
    }
    const page = explained(items.slice(start, start + limit));
    const last = page[page.length - 1];
    return {
      format: 'json',
      body: {
        ...parameters,
        currency: tenant.currency,
        rows: rows.length,
        data: page,
        nextCursor:
          start + limit < rows.length && last ? encodeCursor([last.productId, last.warehouseId]) : null,
      },
    };
  }

  async deadStock(tenant: Tenant, q: Record<string, unknown>, lang: ExplainLang): Promise<Result> {
    const s = await this.settings.get(tenant.id);
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const windowDays = intParam(q.windowDays, 'windowDays', s.restockWindowDays, 7, 730);
    const format = enumParam(q.format, 'format', ['json', 'csv'] as const, 'json');
    const sql = await this.rows<DeadSqlRow>(DEAD_STOCK_SQL, [tenant.id, asOf, windowDays]);
    const rows = sql.map((r) => deadRow(r, lang));
    if (format === 'csv') {
      const csv = deadStockCsv(rows, lang);
      return { format: 'csv', csv, fileName: `dead-stock-${asOf}.csv` };
    }
    const known = rows.filter((r) => r.valueTiedUp !== null);
    const total = known.reduce((acc, r) => acc.plus(r.valueTiedUp ?? 0), new Decimal(0));
    return {
      format: 'json',
      body: {
        asOf,
        windowDays,
        currency: tenant.currency,
        rows: rows.length,
        totalValueTiedUp: formatMoney(total),
        rowsWithUnknownCost: rows.length - known.length,
        data: rows,
      },
    };
  }
}

export type RestockView = ReturnType<typeof restockItem>['view'] & { explanation: string };
type Item = ReturnType<typeof restockItem>;
export type DeadStockView = ReturnType<typeof deadRow>;

function deadRow(r: DeadSqlRow, lang: ExplainLang) {
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

/** One (product, warehouse) row: the model of restock.math plus what the buyer sees (no explanation yet). */
function restockItem(
  r: SqlRow,
  daily: number[],
  p: { asOf: string; coverDays: number; serviceLevel: number; leadTimeDays: number },
  lang: ExplainLang,
) {
  const warehouses = Number(r.warehouses);
  // Demand is per product (invoices carry no warehouse): split equally over its warehouses at A.
  const series = warehouses > 1 ? daily.map((x) => x / warehouses) : daily;
  const known = r.warehouse_id !== null;
  const leadTimeDays = r.lead_time_days === null ? p.leadTimeDays : Number(r.lead_time_days);
  const m: RestockRow = computeRestock({
    dailySeries: series,
    asOf: p.asOf,
    onHand: r.on_hand ?? 0,
    onOrder: r.on_order ?? 0,
    leadTimeDays,
    serviceLevel: p.serviceLevel,
    coverDays: p.coverDays,
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
    demandShareOfProduct: warehouses > 1 ? q4(1 / warehouses) : '1',
    demandClass: m.demandClass,
    rateMethod: m.method,
    dailyRate: q4(m.rate),
    demandDays: m.demandDays,
    adi: q4(m.adi),
    cv2: q4(m.cv2),
    croston: m.croston
      ? { size: q4(m.croston.size), interval: q4(m.croston.interval), alpha: m.alpha }
      : null,
    sigma: q4(m.sigma),
    leadTimeDays,
    leadTimeSource: r.lead_time_days === null ? 'setting' : 'product',
    z: q4(m.z),
    safetyStock: q4(m.safetyStock),
    reorderPoint: q4(m.reorderPoint),
    target: q4(m.target),
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
    averageSellingPrice: r.avg_price === null ? null : formatMoney(r.avg_price),
    revenueAtRisk,
    demandShares: demandShares(undefined),
    missing,
  };
  return {
    view,
    model: m,
    known,
    key: String(r.product_id),
    risk: revenueAtRisk === null ? null : Number(revenueAtRisk),
  };
}

/** Shares of the product's invoice units in the window by customer group (null without units). */
function demandShares(sh: SharesRow | undefined) {
  return {
    champions: sh?.champions_pct ?? null,
    loyal: sh?.loyal_pct ?? null,
    atRisk: sh?.at_risk_pct ?? null,
    priority: sh?.priority_pct ?? null,
    lapsed: sh?.lapsed_pct ?? null,
  };
}

/** Revenue at risk descending (unknown last), then product, then warehouse (no stock last). */
function byPriority(x: Item, y: Item): number {
  if (x.risk !== y.risk) {
    if (x.risk === null) return 1;
    if (y.risk === null) return -1;
    return y.risk - x.risk;
  }
  const a = x.view;
  const b = y.view;
  if (a.productId !== b.productId) return a.productId < b.productId ? -1 : 1;
  if (a.warehouseId === b.warehouseId) return 0;
  if (a.warehouseId === null) return 1;
  if (b.warehouseId === null) return -1;
  return a.warehouseId < b.warehouseId ? -1 : 1;
}
