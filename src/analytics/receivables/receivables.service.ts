import { Injectable } from '@nestjs/common';
import { JsonOrCsv } from '../../shared/json-or-csv';
import { JsonReply, PreparedJson } from '../../shared/prepared-json';
import { Database } from '../../database/database';
import { DomainError, notFound } from '../../shared/errors';
import { formatMoney, formatMoneyOrNull } from '../../shared/money';
import { decodeCursor, Page, parseLimit, toPage } from '../../shared/pagination';
import { Tenant } from '../../tenancy/tenants.service';
import { asOfParam, dateParam, enumParam } from '../shared/as-of';
import {
  AGING_BUCKETS,
  BucketKey,
  describe,
  dso,
  DSO_PERIOD_DAYS,
  dsoFormula,
  fileNamePart,
  Language,
  Statement,
  statementCsv,
  StatementDoc,
  StatementLineType,
} from './receivables.math';
import { AGING_PAGE, DSO, STATEMENT_CUSTOMER, STATEMENT_LINES } from './receivables.queries';
import { PublishedQueries } from '../snapshots/published-queries';
import { SnapshotService, sourceOf, UsableSnapshot } from '../snapshots/snapshot.service';
import { TenantSettings } from '../../settings/settings';
import { AGING_COLUMNS, readChunked, rowObject, StoredList, StoredRow } from '../snapshots/stored-results';

/** NUMERIC columns arrive as decimal strings, int/bigint as numbers (src/database/types.ts). */
interface CustomerRow {
  id: number;
  external_id: string;
  name: string;
  name_ar: string | null;
  first_date: string | null;
}

interface LineRow {
  type: 'opening_balance' | StatementLineType;
  date: string;
  reference: string;
  due_date: string | null;
  invoice_ref: string | null;
  allocations: unknown;
  unallocated: string | null;
  currency: string;
  exchange_rate: string;
  doc_amount: string;
  debit: string;
  credit: string;
  balance: string;
  total_debit: string;
  total_credit: string;
}

/** The totals (t_*) and, when the page is not empty, one customer's columns. */
type AgingRow = Record<string, string | number | null> & {
  t_customers: number;
  customer_id: number | null;
  external_id: string;
  name: string;
  name_ar: string | null;
  email: string | null;
  phone: string | null;
  net_owed: string;
  mean_days_to_pay: string | null;
  oldest_overdue_days: number | null;
  open_invoices: number;
  settled_invoices: number;
};

/** One customer of the aging: an item of the API's `data`, a row of the receivables-aging report. */
export interface AgingCustomer {
  customerId: string;
  name: string;
  nameAr: string | null;
  buckets: Record<BucketKey, string>;
  totalOpen: string;
  unappliedCredits: string;
  netOwed: string;
  oldestOverdueDays: number | null;
  /** invoices with an open amount > 0 */
  openInvoices: number;
  daysToPay: { mean: string | null; settledInvoices: number };
  email: string | null;
  phone: string | null;
}

export interface AgingTotals {
  customers: number;
  buckets: Record<BucketKey, string>;
  totalOpen: string;
  unappliedCredits: string;
  netOwed: string;
}

interface DsoRow {
  receivables: string;
  /** sum(bigint) is NUMERIC */
  settled_invoices: string | number;
  mean_days_to_pay: string | null;
  credit_sales: string;
}

export type StatementResult = JsonOrCsv;
type AgingPage = Awaited<ReturnType<ReceivablesService['agingPage']>>;
type DsoBody = Awaited<ReturnType<ReceivablesService['dsoAt']>>;

/** Where a stored aging row (AGING_COLUMNS) has its sort value and key. */
const AGING_AT = { value: AGING_COLUMNS.indexOf('net_owed'), key: 0 };

/** The last days of the `n` months before the month of `today` (YYYY-MM-DD), oldest first. */
export function lastMonthEnds(today: string, n: number): string[] {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(y, m - 1 - (n - 1 - i), 0)).toISOString().slice(0, 10),
  );
}

/** Receivables (DOMAIN.md §7): statement of account, aging, days to pay and DSO. */
@Injectable()
export class ReceivablesService {
  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
    private readonly published: PublishedQueries,
  ) {
    // /receivables' DSO trend: DSO at the ends of the last six months
    published.register({
      name: 'receivables.dso-trend',
      read: (t) =>
        Promise.all(
          lastMonthEnds(asOfParam(undefined, t.timezone), 6).map((asOf) => this.dso(t, { asOf }, 'en')),
        ),
    });
  }

  /** كشف حساب: opening balance, documents of [from, to] with a running balance, closing balance. */
  async statement(
    tenant: Tenant,
    externalId: string,
    q: Record<string, unknown>,
    lang: Language,
  ): Promise<StatementResult> {
    const tz = tenant.timezone;
    const fromParam = dateParam(q.from, 'from', tz);
    const to = dateParam(q.to, 'to', tz) ?? asOfParam(undefined, tz);
    const format = enumParam(q.format, 'format', ['json', 'csv'] as const, 'json');
    if (fromParam !== null && fromParam > to) {
      throw new DomainError('bad_request', `from (${fromParam}) must not be after to (${to})`, {
        field: 'from',
      });
    }
    const [customer] = await this.db.query<CustomerRow>(STATEMENT_CUSTOMER, [tenant.id, externalId]);
    if (!customer) throw notFound(`customer "${externalId}"`);
    // default: from the first document (opening 0); a customer with none, or none before `to`, starts at `to`
    const first = customer.first_date;
    const from = fromParam ?? (first !== null && first < to ? first : to);
    const { paymentTermsDays } = await this.snapshots.settingsFor(tenant.id);
    const rows = await this.db.query<LineRow>(STATEMENT_LINES, [
      tenant.id,
      customer.id,
      from,
      to,
      paymentTermsDays,
    ]);

    const [opening, ...docs] = rows; // the first row is always the opening balance
    const lines = docs.map((r) => {
      const type = r.type as StatementLineType;
      const doc = {
        type,
        reference: r.reference,
        dueDate: r.due_date,
        invoiceRef: r.invoice_ref,
        allocations: parseJson<StatementDoc['allocations']>(r.allocations) ?? [],
        unallocated: r.unallocated,
        currency: r.currency,
        exchangeRate: r.exchange_rate,
        docAmount: r.doc_amount,
      };
      return {
        date: r.date,
        type,
        reference: r.reference,
        description: describe(doc, tenant.currency, lang),
        debit: formatMoney(r.debit),
        credit: formatMoney(r.credit),
        balance: formatMoney(r.balance),
      };
    });
    const last = rows[rows.length - 1];
    const statement: Statement = {
      from,
      to,
      openingBalance: formatMoney(opening?.balance ?? 0),
      lines,
      totals: {
        debit: formatMoney(opening?.total_debit ?? 0),
        credit: formatMoney(opening?.total_credit ?? 0),
      },
      closingBalance: formatMoney(last?.balance ?? 0),
    };
    if (format === 'csv') {
      return {
        format,
        csv: statementCsv(statement, lang),
        fileName: `statement-${fileNamePart(externalId)}-${from}-${to}.csv`,
      };
    }
    return {
      format,
      body: {
        customer: { externalId: customer.external_id, name: customer.name, nameAr: customer.name_ar },
        currency: tenant.currency,
        ...statement,
      },
    };
  }

  /** Aging at asOf: one row per customer with anything open or unapplied, and tenant totals. */
  async aging(tenant: Tenant, q: Record<string, unknown>, lang: Language): Promise<JsonReply<AgingPage>> {
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const limit = parseLimit(q.limit);
    const after = agingCursor(q.cursor);
    const settings = await this.snapshots.settingsFor(tenant.id);
    const snap = await this.snapshots.usable(tenant.id, asOf, settings);
    if (!snap) return this.agingPage(tenant, { asOf, limit, after, settings, lang }, null);
    // a snapshot never changes: each page of it is shaped once, then served from memory
    const key = `receivables.aging.page.json:${JSON.stringify([limit, after ?? null, lang, tenant.currency])}`;
    return this.snapshots.memo(tenant.id, snap.id, key, async () =>
      PreparedJson.of(
        await this.agingPage(tenant, { asOf, limit, after, settings, lang }, snap),
        sourceOf(tenant.id, snap),
      ),
    );
  }

  private async agingPage(
    tenant: Tenant,
    q: {
      asOf: string;
      limit: number;
      after: ReturnType<typeof agingCursor>;
      settings: TenantSettings;
      lang: Language;
    },
    snap: UsableSnapshot | null,
  ) {
    const { asOf, limit, after, settings, lang } = q;
    const { paymentTermsDays } = settings;
    const stored =
      snap &&
      (await readChunked(
        this.snapshots,
        tenant.id,
        snap.id,
        'receivables.aging',
        AGING_AT,
        after,
        limit + 1,
      ));
    const rows = stored
      ? storedAging(stored)
      : await this.db.query<AgingRow>(AGING_PAGE, [
          tenant.id,
          asOf,
          paymentTermsDays,
          after?.[0] ?? null,
          after?.[1] ?? null,
          limit + 1,
        ]);
    const pageRows = rows.filter((r) => r.customer_id !== null);
    const page: Page<AgingCustomer> = toPage(
      pageRows,
      limit,
      (r) => [r.net_owed, r.external_id],
      agingCustomer,
    );
    return {
      asOf,
      snapshotId: stored ? snap.id : null,
      currency: tenant.currency,
      paymentTermsDays,
      buckets: AGING_BUCKETS.map((b) => ({
        key: b.key,
        label: lang === 'ar' ? b.labelAr : b.label,
        minDays: b.min,
        maxDays: b.max,
      })),
      ...page,
      totals: agingTotals(rows[0]),
    };
  }

  /**
   * The whole aging at asOf, unpaged: the same statement, order and rows as the pages of aging()
   * (GET /v1/analytics/receivables/aging), with the same totals. For the receivables-aging report.
   */
  async agingAll(
    tenantId: string,
    asOf: string,
  ): Promise<{ paymentTermsDays: number; rows: AgingCustomer[]; totals: AgingTotals }> {
    const settings = await this.snapshots.settingsFor(tenantId);
    const { paymentTermsDays } = settings;
    const snap = await this.snapshots.usable(tenantId, asOf, settings);
    const stored =
      snap &&
      (await readChunked(this.snapshots, tenantId, snap.id, 'receivables.aging', AGING_AT, undefined, null));
    const rows = stored
      ? storedAging(stored)
      : await this.db.query<AgingRow>(AGING_PAGE, [tenantId, asOf, paymentTermsDays, null, null, null]);
    return {
      paymentTermsDays,
      rows: rows.filter((r) => r.customer_id !== null).map(agingCustomer),
      totals: agingTotals(rows[0]),
    };
  }

  /** DSO at asOf and the tenant's amount-weighted days to pay. */
  async dso(tenant: Tenant, q: Record<string, unknown>, lang: Language): Promise<JsonReply<DsoBody>> {
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const settings = await this.snapshots.settingsFor(tenant.id);
    const snap = await this.snapshots.usable(tenant.id, asOf, settings);
    if (!snap) return this.dsoAt(tenant, asOf, settings, lang, null);
    return this.snapshots.memo(
      tenant.id,
      snap.id,
      `receivables.dso.json:${lang}:${tenant.currency}`,
      async () =>
        PreparedJson.of(await this.dsoAt(tenant, asOf, settings, lang, snap), sourceOf(tenant.id, snap)),
    );
  }

  private async dsoAt(
    tenant: Tenant,
    asOf: string,
    settings: TenantSettings,
    lang: Language,
    snap: UsableSnapshot | null,
  ) {
    const stored = snap && (await this.snapshots.result<DsoRow>(tenant.id, snap.id, 'receivables.dso'));
    const [r] = stored
      ? [stored]
      : await this.published.query<DsoRow>(tenant, DSO, [
          tenant.id,
          asOf,
          settings.paymentTermsDays,
          DSO_PERIOD_DAYS,
        ]);
    const receivables = r?.receivables ?? '0';
    const creditSales = r?.credit_sales ?? '0';
    const days = dso(receivables, creditSales);
    return {
      asOf,
      snapshotId: stored ? snap.id : null,
      currency: tenant.currency,
      dso: days === null ? null : formatMoney(days),
      receivables: formatMoney(receivables),
      creditSales90d: formatMoney(creditSales),
      periodDays: DSO_PERIOD_DAYS,
      meanDaysToPay: formatMoneyOrNull(r?.mean_days_to_pay),
      settledInvoices: Number(r?.settled_invoices ?? 0),
      formula: dsoFormula(lang),
    };
  }
}

/**
 * The rows AGING_PAGE returns, from the snapshot's stored aging (result-steps.ts): the totals on every
 * row, the customers of the page (after the cursor, in the same order), or the totals alone.
 */
function storedAging(stored: { totals: StoredList['totals']; rows: StoredRow[] }): AgingRow[] {
  const totals = stored.totals as Partial<AgingRow>;
  const rows = stored.rows;
  if (!rows.length) return [{ ...totals, customer_id: null } as AgingRow];
  return rows.map((row: StoredRow) => {
    const r = rowObject(AGING_COLUMNS, row);
    return {
      ...totals,
      ...r,
      customer_id: 0, // present: the row is a customer's
      oldest_overdue_days: r.oldest_overdue_days === null ? null : Number(r.oldest_overdue_days),
      settled_invoices: Number(r.settled_invoices),
      open_invoices: Number(r.open_invoices),
    } as AgingRow;
  });
}

function agingCustomer(r: AgingRow): AgingCustomer {
  return {
    customerId: r.external_id,
    name: r.name,
    nameAr: r.name_ar,
    buckets: buckets((k) => r[k]),
    totalOpen: num(r.total_open),
    unappliedCredits: num(r.unapplied),
    netOwed: formatMoney(r.net_owed),
    oldestOverdueDays: r.oldest_overdue_days,
    openInvoices: Number(r.open_invoices),
    daysToPay: {
      mean: formatMoneyOrNull(r.mean_days_to_pay),
      settledInvoices: Number(r.settled_invoices),
    },
    email: r.email,
    phone: r.phone,
  };
}

/** The t_* columns (every row carries them; none when the statement returned nothing). */
function agingTotals(t: Partial<AgingRow> = {}): AgingTotals {
  return {
    customers: Number(t.t_customers ?? 0),
    buckets: buckets((k) => t[`t_${k}`]),
    totalOpen: num(t.t_total_open),
    unappliedCredits: num(t.t_unapplied),
    netOwed: num(t.t_net_owed),
  };
}

/** The aging cursor is [net owed (exact decimal string), customer external id]. */
function agingCursor(v: unknown): [string, string] | undefined {
  return decodeCursor(v, ['numeric', 'text']) as [string, string] | undefined;
}

function buckets(get: (column: string) => string | number | null | undefined): Record<BucketKey, string> {
  return Object.fromEntries(AGING_BUCKETS.map((b) => [b.key, num(get(b.column))])) as Record<
    BucketKey,
    string
  >;
}

/** A NUMERIC column (absent or null = 0) presented as money. */
function num(v: string | number | null | undefined): string {
  return formatMoney(v ?? 0);
}

function parseJson<T>(v: unknown): T | null {
  if (v === null || v === undefined) return null;
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}
