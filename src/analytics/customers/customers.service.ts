import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { DomainError, notFound } from '../../shared/errors';
import { formatDecimal, formatMoney, Money, percent } from '../../shared/money';
import { decodeCursor, Page, parseLimit, toPage } from '../../shared/pagination';
import { SettingsService } from '../../settings/settings.service';
import { Tenant } from '../../tenancy/tenants.service';
import { FlagFacts, FlagKey, Lang, reasonText, STAGES, stageLabel } from '../lifecycle/lifecycle.math';
import { RFM_SEGMENTS } from '../rfm/rfm.math';
import { asOfParam, enumParam } from '../shared/as-of';
import { CUSTOMER_METRICS, CUSTOMER_SORTS, CustomerSort, customerListSql } from './customer-metrics.queries';
import { segmentLabel } from './segments.service';
import { SNAPSHOT_CUSTOMERS_SOURCE } from '../snapshots/snapshot.queries';
import { SnapshotService } from '../snapshots/snapshot.service';
import { ClvService } from '../clv/clv.service';
import { clvPredictionColumns, clvPredictionsJoin } from '../clv/clv.queries';
import { clvView } from '../clv/clv.view';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** The customer list and one customer's profile, from the customer-metrics query (DOMAIN §3–4). */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Database,
    private readonly settings: SettingsService,
    private readonly snapshots: SnapshotService,
    private readonly clv: ClvService,
  ) {}

  /**
   * Where the customer rows come from: the published snapshot of this date, or computed now; joined
   * with the CLV predictions of asOf (default model key; columns clv_*, see clvPredictionColumns).
   */
  async source(tenant: Tenant, q: Record<string, unknown>) {
    const s = await this.settings.get(tenant.id);
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const snapshot = await this.snapshots.usable(tenant.id, asOf, s);
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
    const ensure = () => this.clv.ensurePredictions(tenant.id, asOf);
    const clvModel = snapshot
      ? await this.snapshots.memo(tenant.id, snapshot.id, 'clv-model', ensure)
      : await ensure();
    const n = base.values.length + 1;
    return {
      asOf,
      snapshotId: snapshot?.id ?? null,
      clvModel,
      sql: `SELECT m.*, ${clvPredictionColumns('cp')} FROM (${base.sql}) m ${clvPredictionsJoin('cp', 'm.customer_id', `$${n}`)}`,
      values: [...base.values, clvModel.modelId],
    };
  }

  async list(
    tenant: Tenant,
    q: Record<string, unknown>,
    lang: Lang,
  ): Promise<Page<unknown> & { asOf: string; snapshotId: string | null }> {
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
    const after = decodeCursor(q.cursor, 2);
    const { asOf, snapshotId, sql, values } = await this.source(tenant, q);
    const params = [...values, segment, stage, after?.[0] ?? null, after?.[1] ?? null, limit + 1];
    const read = async () => {
      const rows = await this.db.query<Row>(customerListSql(sort, sql, values.length), params);
      const page = toPage(
        rows,
        limit,
        (r) => [String(r.sort_key), r.external_id],
        (r) => this.view(r, lang),
      );
      return { asOf, snapshotId, ...page };
    };
    // a snapshot never changes: a page of it is read and shaped once per language, then served from memory
    return snapshotId
      ? this.snapshots.memo(
          tenant.id,
          snapshotId,
          `customers:${lang}:${JSON.stringify([sort, ...params.slice(2)])}`,
          read,
        )
      : read();
  }

  async profile(tenant: Tenant, externalId: string, q: Record<string, unknown>, lang: Lang) {
    const { asOf, sql, values } = await this.source(tenant, q);
    const [row] = await this.db.query<Row>(
      `SELECT * FROM (${sql}) m WHERE m.external_id = $${values.length + 1}`,
      [...values, externalId],
    );
    if (!row) {
      const [exists] = await this.db.query(
        `SELECT 1 FROM customers WHERE tenant_id = $1 AND external_id = $2`,
        [tenant.id, externalId],
      );
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

  private view(r: Row, lang: Lang) {
    return {
      customerId: r.external_id as string,
      name: r.name as string,
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
