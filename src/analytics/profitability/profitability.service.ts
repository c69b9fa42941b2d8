import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { addDays } from '../../shared/dates';
import { DomainError } from '../../shared/errors';
import { formatDecimal, formatMoney, money } from '../../shared/money';
import { decodeCursor, encodeCursor, parseLimit } from '../../shared/pagination';
import { JsonReply, PreparedJson } from '../../shared/prepared-json';
import { Tenant } from '../../tenancy/tenants.service';
import { asOfParam, dateParam, enumParam } from '../shared/as-of';
import {
  groupLabel,
  Grouping,
  GROUPINGS,
  ratios,
  WHALE_MAX_POINTS,
  whalePoint,
  whaleStep,
} from './profitability.math';
import { profitabilityPageSql, whaleCurveSql } from './profitability.queries';
import { PublishedQueries } from '../snapshots/published-queries';
import { SnapshotService, sourceOf, UsableSnapshot } from '../snapshots/snapshot.service';
import {
  pageAfter,
  PROFIT_COLUMNS,
  rowObject,
  readChunked,
  StoredList,
  StoredRow,
  WHALE_COLUMNS,
} from '../snapshots/stored-results';
import { TenantSettings } from '../../settings/settings';

/** NUMERIC and BIGINT columns arrive as strings (node-postgres) or numbers (PGlite BIGINT): map them here. */
type Cell = string | number | null;

interface FigureRow {
  gross_sales: Cell;
  returns: Cell;
  net_revenue: Cell;
  covered_revenue: Cell;
  cogs: Cell;
  gross_profit: Cell;
  cost_of_credit: Cell;
  contribution: Cell;
  invoices: Cell;
  credit_notes: Cell;
  units: Cell;
  returned_units: Cell;
}

interface PageRow extends FigureRow {
  part: Cell;
  key: string | null;
  name: string | null;
  name_ar: string | null;
  groups: Cell;
}

interface WhaleSqlRow {
  key: string;
  name: string;
  contribution: Cell;
  rank: Cell;
  cumulative: Cell;
  n: Cell;
  total: Cell;
  peak_rank: Cell;
}

interface Period {
  asOf: string;
  from: string | null;
  /** min(to, asOf) */
  to: string;
}

const s = (v: Cell): string => String(v ?? 0);

/** Profitability per customer, product, segment or category, and the whale curve (DOMAIN.md §6). */
@Injectable()
export class ProfitabilityService {
  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
    private readonly published: PublishedQueries,
  ) {
    // the overview's figures of the last 12 months, and /profitability's products
    published.register({
      name: 'profitability.last12',
      read: (t) => this.list(t, { from: addDays(asOfParam(undefined, t.timezone), -364), limit: '1' }, 'en'),
    });
    published.register({
      name: 'profitability.products',
      read: (t) => this.list(t, { by: 'product', limit: '20' }, 'en'),
    });
  }

  /** The totals and the page's groups stored with the snapshot (null when it does not store them). */
  private async stored(
    tenantId: string,
    snapshotId: string,
    kind: StoredKind,
    cursor: [string, string] | undefined,
    take: number,
  ): Promise<StoredList | null> {
    const at = { value: PROFIT_COLUMNS.indexOf('contribution'), key: 0 };
    if (kind === 'profitability.customer') {
      return readChunked(this.snapshots, tenantId, snapshotId, kind, at, cursor, take);
    }
    const list = await this.snapshots.result<StoredList>(tenantId, snapshotId, kind);
    return list && { totals: list.totals, rows: pageAfter(list.rows, at.value, at.key, cursor, take) };
  }

  /**
   * The published snapshot when it covers the request: its asOf, the tenant's settings, and the
   * period it stores (all history ≤ asOf: no from, to absent or not before asOf).
   */
  private async snapshot(tenantId: string, period: Period, settings: TenantSettings) {
    if (period.from !== null || period.to !== period.asOf) return null;
    return this.snapshots.usable(tenantId, period.asOf, settings);
  }

  /** From a snapshot: each page shaped and serialized once per (snapshot, page, language, currency). */
  async list(
    tenant: Tenant,
    query: Record<string, unknown>,
    lang: 'ar' | 'en',
  ): Promise<JsonReply<PageBody>> {
    const by = enumParam<Grouping>(query.by, 'by', GROUPINGS, 'customer');
    const period = periodOf(query, tenant.timezone);
    const limit = parseLimit(query.limit);
    const cursor = parseCursor(query.cursor);
    const settings = await this.snapshots.settingsFor(tenant.id);
    const kind = STORED[by];
    const snap = kind ? await this.snapshot(tenant.id, period, settings) : null;
    if (!snap || !kind) return this.page(tenant, { by, period, limit, cursor, settings, lang }, null);
    // a snapshot never changes: each page of it is shaped once, then served from memory
    const key = `profitability.page.json:${JSON.stringify([by, limit, cursor ?? null, lang, tenant.currency])}`;
    return this.snapshots.memo(tenant.id, snap.id, key, async () =>
      PreparedJson.of(
        await this.page(tenant, { by, period, limit, cursor, settings, lang }, { snap, kind }),
        sourceOf(tenant.id, snap),
      ),
    );
  }

  private async page(
    tenant: Tenant,
    q: {
      by: Grouping;
      period: Period;
      limit: number;
      cursor: [string, string] | undefined;
      settings: TenantSettings;
      lang: 'ar' | 'en';
    },
    from: { snap: UsableSnapshot; kind: StoredKind } | null,
  ) {
    const { by, period, limit, cursor, settings, lang } = q;
    const snap = from?.snap ?? null;
    const stored = from && (await this.stored(tenant.id, from.snap.id, from.kind, cursor, limit + 1));
    let rows: PageRow[];
    if (stored) {
      rows = storedPage(stored);
    } else {
      const params: unknown[] = [
        tenant.id,
        period.asOf,
        period.from,
        period.to,
        settings.annualCreditRate,
        limit + 1,
        cursor?.[0] ?? null,
        cursor?.[1] ?? null,
      ];
      if (by === 'segment') params.push(settings.rfmWindowDays);
      rows = await this.published.query<PageRow>(tenant, profitabilityPageSql(by), params);
    }
    const totals = rows.find((r) => Number(r.part) === 0);
    if (!totals) throw new Error('profitability: the totals row is missing');
    const groups = rows.filter((r) => Number(r.part) === 1);
    const page = groups.slice(0, limit);
    const last = page[page.length - 1];
    const presentedTotals = figures(totals);
    return {
      by,
      asOf: period.asOf,
      snapshotId: stored && snap ? snap.id : null,
      period: { from: period.from, to: period.to },
      currency: tenant.currency,
      annualCreditRate: settings.annualCreditRate,
      groups: Number(totals.groups),
      costCoverage: presentedTotals.costCoverage,
      totals: presentedTotals,
      data: page.map((r) => {
        const key = r.key ?? '';
        return { key, ...groupLabel(by, key, r.name, r.name_ar, lang), ...figures(r) };
      }),
      nextCursor: groups.length > limit && last ? encodeCursor([s(last.contribution), last.key ?? '']) : null,
    };
  }

  /** From a snapshot: the curve shaped and serialized once per (snapshot, currency). */
  async whaleCurve(tenant: Tenant, query: Record<string, unknown>): Promise<JsonReply<WhaleBody>> {
    const period = periodOf(query, tenant.timezone);
    const settings = await this.snapshots.settingsFor(tenant.id);
    const snap = await this.snapshot(tenant.id, period, settings);
    if (!snap) return this.curve(tenant, period, settings, null);
    return this.snapshots.memo(tenant.id, snap.id, `profitability.whale.json:${tenant.currency}`, async () =>
      PreparedJson.of(await this.curve(tenant, period, settings, snap), sourceOf(tenant.id, snap)),
    );
  }

  private async curve(tenant: Tenant, period: Period, settings: TenantSettings, snap: UsableSnapshot | null) {
    const stored =
      snap && (await this.snapshots.result<StoredRow[]>(tenant.id, snap.id, 'profitability.whale'));
    const rows = stored
      ? stored.map((r) => rowObject(WHALE_COLUMNS, r) as unknown as WhaleSqlRow)
      : await this.db.query<WhaleSqlRow>(whaleCurveSql(), [
          tenant.id,
          period.asOf,
          period.from,
          period.to,
          settings.annualCreditRate,
          WHALE_MAX_POINTS,
        ]);
    const first = rows[0];
    const n = first ? Number(first.n) : 0;
    const total = first ? s(first.total) : '0';
    const step = whaleStep(n);
    const points = rows.map((r) =>
      whalePoint(
        {
          rank: Number(r.rank),
          key: r.key,
          name: r.name,
          contribution: s(r.contribution),
          cumulative: s(r.cumulative),
        },
        n,
        total,
      ),
    );
    const peak = first ? (points.find((p) => p.rank === Number(first.peak_rank)) ?? null) : null;
    return {
      asOf: period.asOf,
      snapshotId: stored ? snap.id : null,
      period: { from: period.from, to: period.to },
      currency: tenant.currency,
      customers: n,
      totalContribution: formatMoney(total),
      peak,
      sampled: step > 1,
      step,
      note:
        step > 1
          ? `${n} customers, sampled to one point every ${step} customers plus the peak and the last (about ${WHALE_MAX_POINTS} points at most)`
          : 'every customer is shown',
      points,
    };
  }
}

type StoredKind = 'profitability.customer' | 'profitability.segment';
type PageBody = Awaited<ReturnType<ProfitabilityService['page']>>;
type WhaleBody = Awaited<ReturnType<ProfitabilityService['curve']>>;

/** The groupings a snapshot stores (result-steps.ts; customers in chunks); the others are computed on demand. */
const STORED: Partial<Record<Grouping, StoredKind>> = {
  customer: 'profitability.customer',
  segment: 'profitability.segment',
};

/** The rows profitabilityPageSql returns, from a stored page: the totals (part 0), then the groups. */
function storedPage(stored: StoredList): PageRow[] {
  const totals = { ...stored.totals, part: 0, key: null, name: null, name_ar: null } as unknown as PageRow;
  return [
    totals,
    ...stored.rows.map((r) => ({ ...rowObject(PROFIT_COLUMNS, r), part: 1, groups: null }) as PageRow),
  ];
}

/** asOf (default today in the tenant's zone), from (default: the beginning), to (default and at most asOf). */
function periodOf(query: Record<string, unknown>, timeZone: string): Period {
  const asOf = asOfParam(query.asOf, timeZone);
  const from = dateParam(query.from, 'from', timeZone);
  const toParam = dateParam(query.to, 'to', timeZone);
  const to = toParam !== null && toParam < asOf ? toParam : asOf;
  if (from !== null && from > to) {
    throw new DomainError('bad_request', `from (${from}) must be on or before to and asOf (${to})`, {
      field: 'from',
    });
  }
  return { asOf, from, to };
}

/** The cursor is [exact contribution, key] of the last row of the previous page. */
function parseCursor(v: unknown): [string, string] | undefined {
  return decodeCursor(v, ['numeric', 'text']) as [string, string] | undefined;
}

/** The presented figures of a group or of the totals: money half-up to 2 places, ratios as "37.50". */
function figures(r: FigureRow) {
  const exact = {
    net_revenue: s(r.net_revenue),
    covered_revenue: s(r.covered_revenue),
    cogs: s(r.cogs),
    gross_profit: s(r.gross_profit),
  };
  const { marginPct, markupPct, costCoverage } = ratios(exact);
  return {
    grossSales: formatMoney(s(r.gross_sales)),
    returns: formatMoney(s(r.returns)),
    netRevenue: formatMoney(exact.net_revenue),
    coveredRevenue: formatMoney(exact.covered_revenue),
    uncoveredRevenue: formatMoney(money(exact.net_revenue).minus(exact.covered_revenue)),
    cogs: formatMoney(exact.cogs),
    grossProfit: formatMoney(exact.gross_profit),
    marginPct,
    markupPct,
    costOfCredit: formatMoney(s(r.cost_of_credit)),
    contribution: formatMoney(s(r.contribution)),
    costCoverage,
    counts: {
      invoices: Number(r.invoices),
      creditNotes: Number(r.credit_notes),
      units: formatDecimal(s(r.units)),
      returnedUnits: formatDecimal(s(r.returned_units)),
    },
  };
}
