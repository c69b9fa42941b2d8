import { optionalText } from '../../shared/query-params';
import { Injectable } from '@nestjs/common';
import { JsonOrCsv } from '../../shared/json-or-csv';
import { Decimal } from 'decimal.js';
import { Database } from '../../database/database';
import { DomainError } from '../../shared/errors';
import { formatMoney } from '../../shared/money';
import { decodeCursor, encodeCursor, parseLimit } from '../../shared/pagination';
import { PublishedQueries } from '../snapshots/published-queries';
import { SnapshotService } from '../snapshots/snapshot.service';
import { Tenant } from '../../tenancy/tenants.service';
import { asOfParam, enumParam, intParam } from '../shared/as-of';
import { deadStockCsv, restockCsv } from './restock-csv';
import { explainLapsed, explainPosition, type ExplainLang } from './restock.explain';
import { lapsedLookbackDays } from './restock.math';
import { DEAD_STOCK_SQL, RESTOCK_ROWS_SQL, RESTOCK_SHARES_SQL } from './restock.queries';
import {
  byPriority,
  deadRow,
  type DeadSqlRow,
  demandShares,
  demandText,
  type Product,
  productModel,
  restockItem,
  type SharesRow,
  type SqlRow,
} from './restock.view';

export type { DeadStockView, Missing, RestockView } from './restock.view';

type Result = JsonOrCsv;

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
    private readonly snapshots: SnapshotService,
    private readonly published: PublishedQueries,
  ) {
    // /restock's first screen: the actionable suggestions and the dead stock
    published.register({
      name: 'restock.actionable',
      read: (t) => this.restock(t, { onlyActionable: 'true', limit: '50' }, 'en'),
    });
    published.register({ name: 'restock.dead-stock', read: (t) => this.deadStock(t, {}, 'en') });
  }

  /**
   * Runs one read with PostgreSQL's JIT off — on these one-off analytic queries LLVM compilation costs
   * more (4–5 s on the benchmark) than it saves — and 64 MB of work memory, so that the per-customer
   * RFM aggregate and the sorts stay in memory instead of spilling to disk at the default 4 MB.
   */
  private async rows<T>(tenant: Tenant, sql: string, params: unknown[]): Promise<T[]> {
    return this.published.query<T>(tenant, sql, params, (text, values) =>
      this.db.transaction(async (tx) => {
        await tx.query(`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
        return tx.query<T>(text, values);
      }),
    );
  }

  /** GET /v1/analytics/restock (shaped once per published snapshot, request and language). */
  restock(tenant: Tenant, q: Record<string, unknown>, lang: ExplainLang): Promise<Result> {
    const key = `restock:${JSON.stringify([q, lang])}`;
    return this.published.memo(tenant, key, () => this.restockNow(tenant, q, lang));
  }

  private async restockNow(tenant: Tenant, q: Record<string, unknown>, lang: ExplainLang): Promise<Result> {
    const s = await this.snapshots.settingsFor(tenant.id);
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const windowDays = intParam(q.windowDays, 'windowDays', s.restockWindowDays, 7, 730);
    const coverDays = intParam(q.coverDays, 'coverDays', s.coverDays, 0, 365);
    const serviceLevel = serviceLevelParam(q.serviceLevel, s.serviceLevel);
    const onlyActionable = enumParam(q.onlyActionable, 'onlyActionable', ['true', 'false'] as const, 'false');
    const format = enumParam(q.format, 'format', ['json', 'csv'] as const, 'json');
    const warehouseId = optionalText(q.warehouseId, 'warehouseId');
    const limit = parseLimit(q.limit);
    const cursor = decodeCursor(q.cursor, 2);

    const lookbackDays = lapsedLookbackDays(windowDays, s.lapseDays);
    // two independent reads in parallel; the rows are computed while the shares query still runs
    const sharesRead = this.rows<SharesRow>(tenant, RESTOCK_SHARES_SQL, [
      tenant.id,
      asOf,
      windowDays,
      s.rfmWindowDays,
      s.lapseDays,
      lookbackDays,
    ]);
    sharesRead.catch(() => undefined); // a failure surfaces at the await below, never as unhandled
    const sql = await this.rows<SqlRow>(tenant, RESTOCK_ROWS_SQL, [
      tenant.id,
      asOf,
      windowDays,
      warehouseId,
      lookbackDays,
    ]);
    const settings = { asOf, coverDays, serviceLevel, leadTimeDays: s.leadTimeDays, windowDays };
    const products = new Map<string, Product>();
    let items = sql.map((r) => {
      const key = String(r.product_id);
      let product = products.get(key);
      if (!product) products.set(key, (product = productModel(r, settings)));
      return restockItem(r, product, settings, lang);
    });
    if (onlyActionable === 'true') items = items.filter((i) => i.view.belowReorderPoint === true);
    items.sort(byPriority); // the order does not depend on the shares
    let start = 0;
    if (format === 'json' && cursor) {
      const at = items.findIndex((i) => i.view.productId === cursor[0] && i.view.warehouseId === cursor[1]);
      if (at < 0)
        throw new DomainError('bad_request', 'cursor is not valid for this list', { field: 'cursor' });
      start = at + 1;
    }
    // only the rows that are returned get explanations; their demand and stock sentences are written
    // while the shares query still runs, the lapsed-demand note once it has answered
    const returned = format === 'csv' ? items : items.slice(start, start + limit);
    const texts = returned.map((i) =>
      i.known ? `${demandText(i.product, lang)} ${explainPosition(i.model, lang)}` : MISSING_STOCK[lang],
    );
    const shares = new Map((await sharesRead).map((r) => [String(r.product_id), r]));
    for (const [key, product] of products)
      product.shares = demandShares(shares.get(key), product.lookbackUnits);
    const views = returned.map((i, n) => {
      const note = explainLapsed({ lapsedPct: i.product.shares.lapsed, lookbackDays }, lang);
      i.view.demandShares = i.product.shares;
      i.view.explanation = note === null ? texts[n]! : `${texts[n]!} ${note}`;
      return i.view;
    });

    if (format === 'csv') {
      return { format: 'csv', csv: restockCsv(views, lang), fileName: `restock-${asOf}.csv` };
    }
    const last = views[views.length - 1];
    return {
      format: 'json',
      body: {
        asOf,
        windowDays,
        coverDays,
        serviceLevel,
        defaultLeadTimeDays: s.leadTimeDays,
        lapsedLookbackDays: lookbackDays,
        currency: tenant.currency,
        rows: items.length,
        data: views,
        nextCursor:
          start + limit < items.length && last ? encodeCursor([last.productId, last.warehouseId]) : null,
      },
    };
  }

  /** GET /v1/analytics/restock/dead-stock (shaped once per published snapshot, request and language). */
  deadStock(tenant: Tenant, q: Record<string, unknown>, lang: ExplainLang): Promise<Result> {
    const key = `dead-stock:${JSON.stringify([q, lang])}`;
    return this.published.memo(tenant, key, () => this.deadStockNow(tenant, q, lang));
  }

  private async deadStockNow(tenant: Tenant, q: Record<string, unknown>, lang: ExplainLang): Promise<Result> {
    const s = await this.snapshots.settingsFor(tenant.id);
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const windowDays = intParam(q.windowDays, 'windowDays', s.restockWindowDays, 7, 730);
    const format = enumParam(q.format, 'format', ['json', 'csv'] as const, 'json');
    const sql = await this.rows<DeadSqlRow>(tenant, DEAD_STOCK_SQL, [tenant.id, asOf, windowDays]);
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
