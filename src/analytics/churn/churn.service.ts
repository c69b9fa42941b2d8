import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { formatMoney, Money, percent } from '../../shared/money';
import { decodeCursor, parseLimit, toPage } from '../../shared/pagination';
import { SnapshotService } from '../snapshots/snapshot.service';
import { Tenant } from '../../tenancy/tenants.service';
import { stat } from '../clv/clv.view';
import { CustomersService, riskFlagsOf, segmentStageParams } from '../customers/customers.service';
import { segmentLabel } from '../customers/segments.service';
import { Lang, stageLabel } from '../lifecycle/lifecycle.math';
import { asOfParam, dateParam, enumParam, intParam } from '../shared/as-of';
import { DomainError } from '../../shared/errors';
import { addDays, daysBetween } from '../../shared/dates';
import { bandLabel, CHURN_WEIGHTS, lowPAliveReason, SCORE_BANDS, scoreBand } from './churn.math';
import { PublishedQueries } from '../snapshots/published-queries';
import { churnHoldoutSql, churnPageSql, nextPurchasesSql } from './churn.queries';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

/**
 * Churn risk (DOMAIN.md §4): the lifecycle flags plus low P(alive) (the CLV model's, or the
 * one-time-buyer rule), a risk score 0–100 and value at risk = score/100 × predicted CLV, over the
 * customer rows of the customer list (snapshot or computed) and the stored CLV predictions of asOf.
 */
@Injectable()
export class ChurnService {
  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
    private readonly customers: CustomersService,
    private readonly published: PublishedQueries,
  ) {
    // the overview's churn figures, /churn's first page and its holdout of the last 90 days
    for (const limit of ['1', '50'])
      published.register({ name: `churn.list.${limit}`, read: (t) => this.list(t, { limit }, 'en') });
    const holdoutAt = (t: Tenant) => addDays(asOfParam(undefined, t.timezone), -91);
    published.register({
      name: 'churn.holdout',
      pastAsOf: holdoutAt,
      read: (t) => this.holdout(t, { asOf: holdoutAt(t), days: '90' }, 'en'),
    });
  }

  /** The customer rows, the CLV model of asOf and the churn placeholders after them. */
  private async inputs(tenant: Tenant, q: Record<string, unknown>) {
    const src = await this.customers.source(tenant, q);
    const s = await this.snapshots.settingsFor(tenant.id);
    const model = src.clvModel;
    return {
      ...src,
      tenant,
      model,
      values: [...src.values, src.asOf, s.pAliveThreshold],
      offset: src.values.length,
    };
  }

  /**
   * Scores once and returns the rows of one page (or every at-risk row with limit null) and the
   * summary (churnPageSql).
   */
  private async page(
    input: Awaited<ReturnType<ChurnService['inputs']>>,
    filters: { minScore: number; segment: string | null; stage: string | null },
    after: unknown[] | undefined,
    limit: number | null,
    lang: Lang,
  ) {
    const rows = await this.published.query<Row>(input.tenant, churnPageSql(input.sql, input.offset), [
      ...input.values,
      filters.minScore,
      filters.segment,
      filters.stage,
      after?.[0] ?? null,
      after?.[1] ?? null,
      after?.[2] ?? null,
      limit,
    ]);
    return {
      rows: rows.filter((r) => r.external_id !== null),
      summary: summaryView(rows[0]!.summary as Row, lang),
    };
  }

  /** GET /v1/analytics/churn */
  async list(tenant: Tenant, q: Record<string, unknown>, lang: Lang) {
    const minScore = intParam(q.minScore, 'minScore', 1, 0, 100);
    const { segment, stage } = segmentStageParams(q);
    const limit = parseLimit(q.limit);
    const after = decodeCursor(q.cursor, ['numeric', 'int', 'text']);
    const input = await this.inputs(tenant, q);
    const { rows, summary } = await this.page(input, { minScore, segment, stage }, after, limit + 1, lang);
    const page = toPage(
      rows,
      limit,
      (r) => [String(r.value_at_risk), Number(r.risk_score), r.external_id],
      (r) => churnView(r, lang),
    );
    return {
      asOf: input.asOf,
      snapshotId: input.snapshotId,
      currency: tenant.currency,
      minScore,
      model: { id: input.model.modelId, status: input.model.status },
      summary,
      ...page,
    };
  }

  /**
   * Every at-risk customer (score ≥ minScore, optionally one RFM segment) in list order, with the
   * summary: the content of the churn-risk report (so the report says what the API says).
   */
  async atRisk(tenant: Tenant, asOf: string, minScore: number, segment: string | null, lang: Lang) {
    const input = await this.inputs(tenant, { asOf });
    const { rows, summary } = await this.page(
      input,
      { minScore, segment, stage: null },
      undefined,
      null,
      lang,
    );
    return {
      asOf: input.asOf,
      model: { id: input.model.modelId, status: input.model.status },
      summary,
      rows: rows.map((r) => churnView(r, lang)),
    };
  }

  /**
   * GET /v1/analytics/churn/holdout: flag at asOf, then who bought in the next `days` days: the
   * repeat-purchase rate of flagged vs unflagged customers per flag, and per score band.
   */
  async holdout(tenant: Tenant, q: Record<string, unknown>, lang: Lang) {
    const asOf = dateParam(q.asOf, 'asOf', tenant.timezone);
    if (asOf === null)
      throw new DomainError('bad_request', 'asOf is required (YYYY-MM-DD)', { field: 'asOf' });
    const days = intParam(q.days, 'days', 90, 1, 730);
    const end = addDays(asOf, days);
    const input = await this.inputs(tenant, { asOf });
    const rows = await this.published.query<Row>(tenant, churnHoldoutSql(input.sql, input.offset), [
      ...input.values,
      end,
    ]);
    const get = (kind: string, key: string, flagged: boolean) =>
      rows.find((r) => r.kind === kind && r.key === key && r.flagged === flagged) ?? {
        customers: 0,
        buyers: 0,
      };
    const rate = (g: Row) => ({
      customers: Number(g.customers),
      buyers: Number(g.buyers),
      repeatRate: percent(g.buyers, g.customers),
    });
    const all = rate(get('all', 'all', true));
    return {
      asOf,
      holdoutEnd: end,
      days,
      model: { id: input.model.modelId, status: input.model.status },
      all,
      oneTimeBuyers: rate(get('one_time', 'one_time_buyers', true)),
      repeatBuyers: rate(get('one_time', 'one_time_buyers', false)),
      flags: Object.keys(CHURN_WEIGHTS).map((f) => {
        const flagged = rate(get('flag', f, true));
        const unflagged = rate(get('flag', f, false));
        return {
          flag: f,
          weight: CHURN_WEIGHTS[f as keyof typeof CHURN_WEIGHTS],
          flagged,
          unflagged,
          ratio:
            flagged.repeatRate !== null &&
            unflagged.repeatRate !== null &&
            new Money(unflagged.repeatRate).gt(0)
              ? formatMoney(new Money(flagged.repeatRate).div(unflagged.repeatRate))
              : null,
        };
      }),
      bands: SCORE_BANDS.map((b) => ({
        band: b.key,
        label: bandLabel(b.key, lang),
        minScore: b.min,
        maxScore: b.max,
        ...rate(get('band', b.key, true)),
      })),
    };
  }

  /** GET /v1/analytics/churn/next-purchases */
  async nextPurchases(tenant: Tenant, q: Record<string, unknown>, lang: Lang) {
    const status = enumParam(q.status, 'status', ['passed', 'upcoming'] as const, 'passed');
    const limit = parseLimit(q.limit);
    const after = decodeCursor(q.cursor, ['date', 'text']);
    const src = await this.customers.source(tenant, q);
    const rows = await this.db.query<Row>(nextPurchasesSql(src.sql, src.values.length), [
      ...src.values,
      src.asOf,
      status,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit + 1,
    ]);
    const page = toPage(
      rows,
      limit,
      (r) => [r.next_expected_date, r.external_id],
      (r) => ({
        customerId: r.external_id as string,
        name: r.name as string,
        segment: r.segment === null ? null : { key: r.segment, label: segmentLabel(r.segment, lang) },
        stage: { key: r.stage, label: stageLabel(r.stage, lang) },
        lastPurchase: r.last_date as string,
        medianGapDays: r.median_gap === null ? null : Number(Number(r.median_gap).toFixed(1)),
        expectedNextPurchase: r.next_expected_date as string,
        daysPastExpected: daysBetween(r.next_expected_date, src.asOf),
        netRevenue: formatMoney(r.net_revenue),
      }),
    );
    return { asOf: src.asOf, snapshotId: src.snapshotId, status, ...page };
  }
}

function churnView(r: Row, lang: Lang) {
  const score = Number(r.risk_score);
  const flags = riskFlagsOf(r, lang);
  if (r.flag_low_p_alive) {
    // in DOMAIN §4's order: overdue, spend decline, low P(alive), returns rising, paying slower
    const at = flags.findIndex((f) => f.flag === 'returns_rising' || f.flag === 'paying_slower');
    flags.splice(at < 0 ? flags.length : at, 0, {
      flag: 'low_p_alive',
      reason: lowPAliveReason(Number(r.p_alive), r.p_alive_basis, r.days_since_last, lang),
    });
  }
  return {
    customerId: r.external_id as string,
    name: r.name as string,
    contact: { email: r.email, phone: r.phone, city: r.city, nameAr: r.name_ar },
    riskScore: score,
    band: scoreBand(score),
    bandLabel: bandLabel(scoreBand(score), lang),
    flags,
    pAlive: stat(r.p_alive),
    pAliveBasis: r.p_alive_basis as string | null,
    valueAtRisk: formatMoney(r.value_at_risk),
    valueBasis: r.value_basis as string,
    predictedClv: r.predicted_clv === null ? null : formatMoney(r.predicted_clv),
    last12MonthsRevenue: formatMoney(r.last_12_months),
    segment: r.segment === null ? null : { key: r.segment, label: segmentLabel(r.segment, lang) },
    stage: { key: r.stage, label: stageLabel(r.stage, lang), since: r.stage_since },
    lastPurchase: r.last_date as string,
    daysSinceLastPurchase: Number(r.days_since_last),
    expectedNextPurchase: r.next_expected_date as string | null,
    netRevenue: formatMoney(r.net_revenue),
    balance: formatMoney(r.balance),
  };
}

function summaryView(s: Row, lang: Lang) {
  return {
    customersScored: Number(s.customers),
    atRisk: Number(s.at_risk),
    valueAtRisk: formatMoney(s.value_at_risk),
    bands: SCORE_BANDS.map((b) => ({
      band: b.key,
      label: bandLabel(b.key, lang),
      customers: Number(s[`band_${b.key}`]),
    })),
    flags: Object.fromEntries(Object.keys(CHURN_WEIGHTS).map((f) => [f, Number(s[`flag_${f}`])])),
    oneTimeBuyers: Number(s.one_time_buyers),
    valuedByModel: Number(s.valued_by_model),
  };
}
