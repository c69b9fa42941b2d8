import { Injectable } from '@nestjs/common';
import { Database, placeholders, Queryable } from '../../database/database';
import { DomainError, notFound } from '../../shared/errors';
import { formatDecimal, formatMoney, Money, percent } from '../../shared/money';
import { decodeCursor, Page, parseLimit, toPage } from '../../shared/pagination';
import { JsonReply, PreparedJson } from '../../shared/prepared-json';
import { Tenant } from '../../tenancy/tenants.service';
import { TtlCache } from '../../tenancy/ttl-cache';
import { FlagFacts, FlagKey, Lang, reasonText, STAGES, stageLabel } from '../lifecycle/lifecycle.math';
import { RFM_SEGMENTS } from '../rfm/rfm.math';
import { asOfParam, enumParam } from '../shared/as-of';
import {
  CUSTOMER_METRICS,
  CUSTOMER_METRICS_OF,
  CUSTOMER_RISKS,
  CUSTOMER_SORTS,
  CustomerSort,
  customerListSql,
  POPULATION,
  POPULATION_SORTS,
  POPULATION_STEPS,
  restrictDocuments,
} from './customer-metrics.queries';
import { renderCsv } from '../restock/restock-csv';
import { segmentLabel } from './segments.service';
import { PARTITION_SCHEMA, SNAPSHOT_CUSTOMERS_SOURCE } from '../snapshots/snapshot.queries';
import { SnapshotService, sourceOf } from '../snapshots/snapshot.service';
import { ClvService } from '../clv/clv.service';
import { clvPredictionColumns, clvPredictionsJoin } from '../clv/clv.queries';
import { clvView } from '../clv/clv.view';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Profiles served from a snapshot, kept apart from the snapshot memo (SnapshotService, 500 entries
 * shared by results, list pages and the CLV model of every tenant): one entry per customer asked for,
 * so reading many profiles must not evict those. A profile's body is ~1.5–4 kB: at most ~10 MB.
 */
const PROFILE_CACHE_ENTRIES = 2500;
const PROFILE_CACHE_TTL_MS = 10 * 60_000;

/** The customer list and one customer's profile, from the customer-metrics query (DOMAIN §3–4). */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
    private readonly clv: ClvService,
  ) {}

  private readonly profiles = new TtlCache<string, PreparedJson>(PROFILE_CACHE_TTL_MS, PROFILE_CACHE_ENTRIES);

  /** The date asked for (400 when malformed), the tenant's settings and the snapshot to serve it from, if any. */
  private async at(tenant: Tenant, q: Record<string, unknown>) {
    const s = await this.snapshots.settingsFor(tenant.id);
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const snapshot = await this.snapshots.usable(tenant.id, asOf, s);
    return { s, asOf, snapshot };
  }

  /**
   * Where the customer rows come from: the published snapshot of this date, or computed now; joined
   * with the CLV predictions of asOf (default model key; columns clv_*, see clvPredictionColumns).
   */
  async source(tenant: Tenant, q: Record<string, unknown>) {
    return this.sourceAt(tenant, await this.at(tenant, q));
  }

  private async sourceAt(tenant: Tenant, { s, asOf, snapshot }: Awaited<ReturnType<CustomersService['at']>>) {
    const base = snapshot
      ? { sql: SNAPSHOT_CUSTOMERS_SOURCE, values: [tenant.id, snapshot.id] as unknown[] }
      : {
          sql: CUSTOMER_METRICS,
          values: [
            tenant.id,
            asOf,
            s.rfmWindowDays,
            s.newDays,
            s.lapseDays,
            s.paymentTermsDays,
            s.annualCreditRate,
          ] as unknown[],
        };
    // a snapshot's data never changes, so neither does its model: looked up once per snapshot
    const ensure = () => this.clv.ensurePredictions(tenant.id, asOf, {}, undefined, snapshot ?? undefined);
    const clvModel = snapshot
      ? await this.snapshots.memo(tenant.id, snapshot.id, 'clv-model', ensure)
      : await ensure();
    const n = base.values.length + 1;
    return {
      asOf,
      snapshotId: snapshot?.id ?? null,
      clvModel,
      base,
      sql: `SELECT m.*, ${clvPredictionColumns('cp')} FROM (${base.sql}) m ${clvPredictionsJoin('cp', 'm.customer_id', `$${n}`)}`,
      values: [...base.values, clvModel.modelId],
    };
  }

  async list(
    tenant: Tenant,
    q: Record<string, unknown>,
    lang: Lang,
  ): Promise<JsonReply<Page<unknown> & { asOf: string; snapshotId: string | null }>> {
    const sort = enumParam(q.sort, 'sort', Object.keys(CUSTOMER_SORTS) as CustomerSort[], 'netRevenue');
    const segment = q.segment
      ? enumParam(
          q.segment,
          'segment',
          RFM_SEGMENTS.map((x) => x.key),
          'champions',
        )
      : null;
    const stage = q.stage
      ? enumParam(
          q.stage,
          'stage',
          STAGES.map((x) => x.key),
          'active',
        )
      : null;
    const limit = parseLimit(q.limit);
    const after = decodeCursor(q.cursor, ['numeric', 'text']);
    const { search, risk } = searchRiskParams(q);
    const { asOf, snapshotId, sql, values, base } = await this.source(tenant, q);
    const params = [
      ...values,
      segment,
      stage,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit + 1,
      search,
      risk,
    ];
    // from a snapshot, each row's prediction is looked up by key: a page sorted by a snapshot column
    // reads its rows in index order and looks up the page's predictions only (ms); planned with stale
    // statistics (a recompute's fresh rows), the join scans the model's predictions for every row
    // (0.5 s for a page, and a CLV-sorted page, which needs every prediction, did not finish in 12 min;
    // by key it takes ~1.4 s cold, then comes from memory)
    const source = snapshotId !== null ? withPredictionsByKey(base.sql, base.values.length) : sql;
    // on demand, a page sorted and filtered by what POPULATION.list holds picks its customers from
    // it and computes only their rows (ADR 0022); anything else is computed over every customer
    const restricted = snapshotId === null && POPULATION_SORTS.includes(sort) && !stage && !risk;
    const rowsOf = (db: Queryable, from: string) =>
      db.query<Row>(customerListSql(sort, from, values.length), params);
    const read = async () => {
      const rows = restricted
        ? await this.db.transaction(async (tx) => {
            await this.population(tx, base.values, true);
            const page = await tx.query<{ customer_id: string }>(
              customerListSql(sort, `SELECT * FROM ${POPULATION.list}`, 0),
              params.slice(values.length),
            );
            await this.restrictTo(
              tx,
              tenant.id,
              page.map((r) => r.customer_id),
            );
            return rowsOf(tx, withPredictionsByKey(CUSTOMER_METRICS_OF, base.values.length));
          })
        : await rowsOf(this.db, source);
      const page = toPage(
        rows,
        limit,
        (r) => [String(r.sort_key), r.external_id],
        (r) => this.view(r, lang),
      );
      return { asOf, snapshotId, ...page };
    };
    // a snapshot never changes: a page of it is read and serialized once per language, then served from memory
    return snapshotId
      ? this.snapshots.memo(
          tenant.id,
          snapshotId,
          `customers.json:${lang}:${JSON.stringify([sort, ...params.slice(2)])}`,
          async () => PreparedJson.of(await read(), sourceOf(tenant.id, { id: snapshotId, asOf })),
        )
      : read();
  }

  /**
   * The list's rows with the same filters and sort as one CSV file (`format=csv`; no cursor, at most
   * CSV_EXPORT_MAX rows): RFC 4180, UTF-8 with a byte-order mark, formula-like text neutralised.
   */
  async listCsv(tenant: Tenant, q: Record<string, unknown>): Promise<{ csv: string; fileName: string }> {
    const sort = enumParam(q.sort, 'sort', Object.keys(CUSTOMER_SORTS) as CustomerSort[], 'netRevenue');
    const { segment, stage } = segmentStageParams(q);
    const { search, risk } = searchRiskParams(q);
    if (q.cursor !== undefined || q.limit !== undefined) {
      throw new DomainError(
        'bad_request',
        'format=csv exports every matching customer: it takes no cursor or limit',
        {
          field: q.cursor !== undefined ? 'cursor' : 'limit',
        },
      );
    }
    const { asOf, snapshotId, sql, values, base } = await this.source(tenant, q);
    const source = snapshotId !== null ? withPredictionsByKey(base.sql, base.values.length) : sql;
    const params = [...values, segment, stage, null, null, CSV_EXPORT_MAX, search, risk];
    const rows = await this.db.query<Row>(customerListSql(sort, source, values.length), params);
    const csv = renderCsv(
      CUSTOMER_CSV_HEADER,
      rows.map((r) => [
        r.external_id,
        r.name,
        r.email,
        r.segment,
        r.stage,
        r.stage_since,
        r.recency_days === null ? null : Number(r.recency_days),
        r.frequency === null ? null : Number(r.frequency),
        formatMoney(r.net_revenue),
        formatMoney(r.gross_profit),
        formatMoney(r.balance),
        formatMoney(r.total_open),
        formatMoney(r.overdue),
        r.clv_p_alive === null || r.clv_p_alive === undefined ? null : Number(r.clv_p_alive),
        r.clv_predicted_clv === null || r.clv_predicted_clv === undefined
          ? null
          : formatMoney(r.clv_predicted_clv),
        riskFlagsOf(r, 'en')
          .map((f) => f.flag)
          .join(' '),
      ]),
    );
    return { csv, fileName: `customers-${asOf}.csv` };
  }

  /**
   * One customer's profile: `record` (the customer's imported record; read first, so an unknown
   * customer is a 404 before anything else is looked at) with the analytics at asOf. From a snapshot
   * the response is built and serialized once per (snapshot, customer, language, currency) and kept
   * (PROFILE_CACHE_ENTRIES): the record and the documents behind the top products cannot change
   * without a new data version, which retires the snapshot.
   */
  async profile<R extends object>(
    tenant: Tenant,
    externalId: string,
    q: Record<string, unknown>,
    lang: Lang,
    record: () => Promise<R>,
  ): Promise<JsonReply<R & ProfileBody>> {
    // a malformed asOf is a 400 only after the record's 404, as below: no shortcut then
    const at = await this.at(tenant, q).catch(() => null);
    if (at?.snapshot) {
      const snap = at.snapshot;
      const key = JSON.stringify([tenant.id, snap.id, at.asOf, externalId, lang, tenant.currency]);
      return this.profiles.get(key, async () => {
        const rec = await record();
        return PreparedJson.of(
          { ...rec, ...(await this.profileAt(tenant, externalId, at, lang)) },
          sourceOf(tenant.id, snap),
        );
      });
    }
    const rec = await record();
    return { ...rec, ...(await this.profileAt(tenant, externalId, at ?? (await this.at(tenant, q)), lang)) };
  }

  private async profileAt(
    tenant: Tenant,
    externalId: string,
    at: Awaited<ReturnType<CustomersService['at']>>,
    lang: Lang,
  ) {
    const { asOf, base, clvModel } = await this.sourceAt(tenant, at);
    // the customer's row first, then its prediction by key; on demand only that customer's (ADR 0022)
    const n = base.values.length;
    const rowOf = (db: Queryable, rows: string) =>
      db.query<Row>(withPredictionsByKey(`SELECT * FROM (${rows}) b WHERE b.external_id = $${n + 2}`, n), [
        ...base.values,
        clvModel.modelId,
        externalId,
      ]);
    const [row] = at.snapshot
      ? await rowOf(this.db, base.sql)
      : await this.db.transaction(async (tx) => {
          const ids = await tx.query<{ id: string }>(
            `SELECT id FROM customers WHERE tenant_id = $1 AND external_id = $2`,
            [tenant.id, externalId],
          );
          if (!ids.length) return [];
          await this.population(tx, base.values, false);
          await this.restrictTo(
            tx,
            tenant.id,
            ids.map((r) => r.id),
          );
          return rowOf(tx, CUSTOMER_METRICS_OF);
        });
    if (!row) {
      const [exists] = await this.db.query(
        `SELECT 1 FROM customers WHERE tenant_id = $1 AND external_id = $2`,
        [tenant.id, externalId],
      );
      if (exists && at.snapshot?.pending) {
        throw new DomainError(
          'not_found',
          `customer "${externalId}" came after the analytics published for ${asOf}: the refresh pending now adds them`,
        );
      }
      if (exists) throw new DomainError('not_found', `customer "${externalId}" did not exist yet at ${asOf}`);
      throw notFound(`customer "${externalId}"`);
    }
    const top = await this.db.query<Row>(TOP_PRODUCTS, [tenant.id, asOf, row.customer_id]);
    return {
      asOf,
      ...this.view(row, lang),
      contact: {
        email: row.email,
        phone: row.phone,
        city: row.city,
        country: row.country,
        nameAr: row.name_ar,
      },
      cadence: {
        purchaseDays: Number(row.purchase_days),
        firstPurchase: row.first_date,
        lastPurchase: row.last_date,
        medianGapDays: row.median_gap === null ? null : formatDecimal(row.median_gap),
        expectedNextPurchase: row.next_expected_date,
        nextPurchaseOverdue: row.next_expected_date !== null && row.next_expected_date < asOf,
      },
      topProducts: top.map((p) => ({
        productId: p.external_id,
        name: p.name,
        quantity: formatDecimal(p.quantity),
        netRevenue: formatMoney(p.net_revenue),
      })),
    };
  }

  /**
   * Step 1 of CUSTOMER_METRICS_OF in transaction `tx`: the population-wide relations as temporary
   * tables (POPULATION.list only for a list page); `values` are CUSTOMER_METRICS's.
   */
  private async population(tx: Queryable, values: unknown[], list: boolean): Promise<void> {
    for (const step of POPULATION_STEPS) {
      if (step.name === POPULATION.list && !list) continue;
      await tx.query(
        `CREATE TEMPORARY TABLE ${step.name} ON COMMIT DROP AS ${step.sql}`,
        placeholders(step.sql, values),
      );
      // statistics, or every join over it is planned as over one row
      await tx.query(`ANALYZE ${step.name}`);
    }
  }

  /** Step 2: the document tables hold only what the rows of customers `ids` depend on, until `tx` ends. */
  private async restrictTo(tx: Queryable, tenantId: string, ids: string[]): Promise<void> {
    const [{ schema } = { schema: 'public' }] = await tx.query<{ schema: string }>(PARTITION_SCHEMA);
    for (const { table, sql } of restrictDocuments(schema)) {
      await tx.query(sql, placeholders(sql, [tenantId, ids]));
      await tx.query(`ANALYZE pg_temp.${table}`);
    }
  }

  private view(r: Row, lang: Lang) {
    return {
      customerId: r.external_id as string,
      name: r.name as string,
      nameAr: (r.name_ar as string | null) ?? null,
      rfm:
        r.segment === null
          ? null
          : {
              r: Number(r.recency_days),
              f: Number(r.frequency),
              m: formatMoney(r.monetary),
              rScore: Number(r.r_score),
              fScore: Number(r.f_score),
              mScore: Number(r.m_score),
              fm: Number(r.fm),
              segment: r.segment as string,
              segmentLabel: segmentLabel(r.segment, lang),
            },
      lifecycle: {
        stage: r.stage as string,
        label: stageLabel(r.stage, lang),
        since: r.stage_since as string | null,
      },
      riskFlags: riskFlagsOf(r, lang),
      netRevenue: formatMoney(r.net_revenue),
      balance: formatMoney(r.balance),
      profitability: {
        grossProfit: formatMoney(r.gross_profit),
        cogs: formatMoney(r.cogs),
        costCoverage: percent(r.covered_revenue, r.net_revenue),
        costOfCredit: formatMoney(r.cost_of_credit),
        contribution: formatMoney(r.contribution),
      },
      clv: clvView(r),
      receivables: {
        open: formatMoney(r.total_open),
        overdue: formatMoney(r.overdue),
        meanDaysToPay:
          r.mean_days_to_pay === null
            ? null
            : formatDecimal(new Money(r.mean_days_to_pay).toDecimalPlaces(2)),
      },
    };
  }
}

/** Most rows one `format=csv` export of the customer list holds. */
export const CSV_EXPORT_MAX = 200_000;

const CUSTOMER_CSV_HEADER = [
  'customer',
  'name',
  'email',
  'segment',
  'stage',
  'stage_since',
  'recency_days',
  'frequency',
  'net_revenue',
  'gross_profit',
  'balance',
  'open',
  'overdue',
  'p_alive',
  'predicted_clv',
  'risk_flags',
];

/**
 * The customer list's `q` (text searched for, at most 100 characters; lower-cased, blank = none) and
 * `risk` (one flag or `any`) filters; 400 naming the field otherwise.
 */
export function searchRiskParams(q: Record<string, unknown>): { search: string | null; risk: string | null } {
  let search: string | null = null;
  if (q.q !== undefined) {
    if (typeof q.q !== 'string' || q.q.length > 100) {
      throw new DomainError('bad_request', 'q must be one text of at most 100 characters', { field: 'q' });
    }
    search = q.q.trim().toLowerCase() || null;
  }
  const risk = q.risk ? enumParam(q.risk, 'risk', [...CUSTOMER_RISKS], 'any') : null;
  return { search, risk };
}

/** The `segment` and `stage` filters of the customer lists (400 naming the field when unknown). */
export function segmentStageParams(q: Record<string, unknown>): {
  segment: string | null;
  stage: string | null;
} {
  return {
    segment: q.segment
      ? enumParam(
          q.segment,
          'segment',
          RFM_SEGMENTS.map((x) => x.key),
          'champions',
        )
      : null,
    stage: q.stage
      ? enumParam(
          q.stage,
          'stage',
          STAGES.map((x) => x.key),
          'active',
        )
      : null,
  };
}

/**
 * The lifecycle risk flags of a customer-metrics row with their reasons in words (DOMAIN §4);
 * `extra` adds flags raised elsewhere (the churn engine's low P(alive)) with their facts.
 */
export function riskFlagsOf(
  r: Row,
  lang: Lang,
  extra: { flags?: FlagKey[]; facts?: Partial<FlagFacts> } = {},
): { flag: FlagKey; reason: string }[] {
  const facts: FlagFacts = {
    daysSinceLast: num(r.days_since_last),
    expectedGap: num(r.expected_gap),
    overdueBasis: r.overdue_basis,
    spendRecent: r.spend_recent === null ? null : formatMoney(r.spend_recent),
    spendPrior: r.spend_prior === null ? null : formatMoney(r.spend_prior),
    returnsRecentShare: num(r.returns_recent_share),
    returnsLifetimeShare: num(r.returns_lifetime_share),
    maxDaysOverdue: num(r.max_days_overdue),
    payDaysRecent: num(r.pay_days_recent),
    payDaysLifetime: num(r.pay_days_lifetime),
    ...extra.facts,
  };
  const flags: FlagKey[] = [];
  if (r.flag_overdue) flags.push('overdue');
  if (r.flag_spend_decline) flags.push('spend_decline');
  for (const f of extra.flags ?? []) flags.push(f);
  if (r.flag_returns_rising) flags.push('returns_rising');
  if (r.flag_paying_slower) flags.push('paying_slower');
  return flags.map((flag) => ({ flag, reason: reasonText(flag, facts, lang) }));
}

type ProfileBody = Awaited<ReturnType<CustomersService['profileAt']>>;

/**
 * `rows` (customer rows with $1 the tenant and $1…$n their parameters) with the CLV prediction columns
 * of the model $n+1, the same as the join of source(), each row's prediction looked up by primary key
 * (at most one): snapshot pages and profiles, where a join planned with stale statistics can scan the
 * model's predictions for every row.
 */
function withPredictionsByKey(rows: string, n: number): string {
  return `SELECT m.*, ${clvPredictionColumns('cp')} FROM (${rows}) m
    LEFT JOIN LATERAL (
      SELECT * FROM customer_predictions p
       WHERE p.tenant_id = $1 AND p.model_id = $${n + 1}::uuid AND p.customer_id = m.customer_id
       LIMIT 1
    ) cp ON true`;
}

/** $1 tenant, $2 asOf, $3 customer id → the customer's five biggest products by net revenue. */
const TOP_PRODUCTS = `
  SELECT p.external_id, p.name, sum(l.quantity) AS quantity, sum(l.net * i.exchange_rate) AS net_revenue
    FROM invoice_lines l
    JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
    JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
   WHERE l.tenant_id = $1 AND i.customer_id = $3 AND i.status IN ('issued', 'paid') AND i.issue_date <= $2::date
   GROUP BY p.external_id, p.name
   ORDER BY net_revenue DESC, p.external_id
   LIMIT 5`;
