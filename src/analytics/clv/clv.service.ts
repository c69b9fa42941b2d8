import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '../../database/database';
import { daysBetween } from '../../shared/dates';
import { DomainError } from '../../shared/errors';
import { money } from '../../shared/money';
import { Tenant } from '../../tenancy/tenants.service';
import { asOfParam, dateParam, enumParam, intParam } from '../shared/as-of';
import { ModelTimeUnit } from './clv.math';
import {
  CLV_DEFAULTS,
  CLV_MODELS,
  ClvKey,
  ClvModelName,
  holdoutGroup,
  MIN_REPEAT_BUYERS,
  modelFunctions,
  SummaryRow,
  TIME_UNITS,
  toSummary,
  TransactionParams,
  UNIT_DAYS,
} from './clv-fit';
import { ensureClvPredictions, findModel, ModelRow } from './clv-store';
import { CLV_HOLDOUT, HISTORICAL_TOTALS, PREDICTION_TOTALS } from './clv.queries';
import { historicalView, modelView, spendView, stat, totalsView } from './clv.view';

export { ensureClvPredictions } from './clv-store';
export { CLV_DEFAULTS } from './clv-fit';
export type { ClvKey } from './clv-fit';
export type { EnsureResult, ModelRow } from './clv-store';

/** monthly discount rate: a decimal in [0, 1) */
export function discountRateParam(v: unknown): string {
  if (v === undefined || v === null || v === '') return CLV_DEFAULTS.discountRate;
  if (typeof v !== 'string' || !/^(\d+(\.\d*)?|\.\d+)$/.test(v.trim()) || !(Number(v) < 1)) {
    throw new DomainError('bad_request', 'discountRate must be a decimal from 0 to below 1 (monthly rate)', {
      field: 'discountRate',
    });
  }
  return money(v.trim()).toString();
}

/**
 * Predictive CLV (DOMAIN.md §5): the fitted models with their diagnostics and totals, the
 * calibration/hold-out report and historical CLV. Models and per-customer predictions are stored per
 * (tenant, asOf, unit, model, horizon, discount) with the tenant's data version (clv-store.ts).
 */
@Injectable()
export class ClvService {
  constructor(private readonly db: Database) {}

  /**
   * For the customer list/profile and snapshots: makes sure the predictions of (tenant, asOf) exist for
   * the current data (defaults: day unit, BG/NBD, 12 months, 1 %/month) and returns the model id to
   * join with clvPredictionsJoin(). `status` 'insufficient_data' means the rows hold historical CLV only.
   */
  async ensurePredictions(
    tenantId: string,
    asOf: string,
    key: Partial<Omit<ClvKey, 'asOf'>> = {},
    db: Database | Queryable = this.db,
    snapshot?: { dataVersion: number; settingsHash: string },
  ): Promise<{ modelId: string; status: ModelRow['status'] }> {
    const full = { ...CLV_DEFAULTS, ...key, asOf };
    // a snapshot's rows go with the model of the same data (its recompute stored it)
    const own = snapshot
      ? await findModel(db, tenantId, full, snapshot.dataVersion, snapshot.settingsHash)
      : null;
    const model = own ?? (await ensureClvPredictions(db, tenantId, full)).model;
    return { modelId: model.id, status: model.status };
  }

  /** GET /v1/analytics/clv */
  async clv(tenant: Tenant, q: Record<string, unknown>) {
    const key = this.keyOf(tenant, q);
    const { model, stored } = await ensureClvPredictions(this.db, tenant.id, key);
    const [totals = {}] = await this.db.query(PREDICTION_TOTALS, [tenant.id, model.id]);
    if (model.status !== 'fitted') throw insufficient(model, key.asOf, totals);
    return {
      asOf: key.asOf,
      timeUnit: key.unit,
      horizonMonths: key.horizonMonths,
      discountRate: key.discountRate,
      currency: tenant.currency,
      modelId: model.id,
      servedFrom: stored ? 'stored' : 'fitted',
      fittedAt: new Date(model.created_at).toISOString(),
      model: modelView(model),
      spend: spendView(model),
      totals: totalsView(totals),
    };
  }

  /** GET /v1/analytics/clv/holdout: fit at calibrationEnd, predicted vs actual repeat purchases after it. */
  async holdout(tenant: Tenant, q: Record<string, unknown>) {
    const calibrationEnd = required(
      dateParam(q.calibrationEnd, 'calibrationEnd', tenant.timezone),
      'calibrationEnd',
    );
    const holdoutEnd = required(dateParam(q.holdoutEnd, 'holdoutEnd', tenant.timezone), 'holdoutEnd');
    if (holdoutEnd <= calibrationEnd) {
      throw new DomainError('bad_request', 'holdoutEnd must be after calibrationEnd', {
        field: 'holdoutEnd',
      });
    }
    const key = this.keyOf(tenant, { ...q, asOf: calibrationEnd });
    const { model } = await ensureClvPredictions(this.db, tenant.id, key);
    if (model.status !== 'fitted') {
      const [totals = {}] = await this.db.query(PREDICTION_TOTALS, [tenant.id, model.id]);
      throw insufficient(model, calibrationEnd, totals);
    }
    const rows = await this.db.query<SummaryRow & { holdout_purchases: number }>(CLV_HOLDOUT, [
      tenant.id,
      calibrationEnd,
      UNIT_DAYS[key.unit],
      holdoutEnd,
    ]);
    const length = daysBetween(calibrationEnd, holdoutEnd) / UNIT_DAYS[key.unit];
    const f = modelFunctions(key.model, model.params as TransactionParams);
    const groups = new Map<number | '7+', { customers: number; actual: number; predicted: number }>();
    for (const g of [0, 1, 2, 3, 4, 5, 6, '7+'] as const)
      groups.set(g, { customers: 0, actual: 0, predicted: 0 });
    const cache = new Map<string, number>();
    for (const r of rows) {
      const s = toSummary(r);
      const k = `${s.x}|${s.tx}|${s.T}`;
      let predicted = cache.get(k);
      if (predicted === undefined) {
        predicted = f.expected(s, length);
        cache.set(k, predicted);
      }
      const g = groups.get(holdoutGroup(s.x))!;
      g.customers++;
      g.actual += Number(r.holdout_purchases);
      g.predicted += predicted;
    }
    const all = [...groups.values()];
    const actual = all.reduce((s, g) => s + g.actual, 0);
    const predicted = all.reduce((s, g) => s + g.predicted, 0);
    return {
      calibrationEnd,
      holdoutEnd,
      timeUnit: key.unit,
      holdoutLength: stat(length, 6),
      modelId: model.id,
      model: modelView(model),
      groups: [...groups].map(([frequency, g]) => ({
        frequency,
        customers: g.customers,
        actual: g.actual,
        predicted: stat(g.predicted, 4),
        meanActual: g.customers ? stat(g.actual / g.customers, 7) : null,
        meanPredicted: g.customers ? stat(g.predicted / g.customers, 7) : null,
      })),
      total: {
        customers: rows.length,
        actual,
        predicted: stat(predicted, 4),
        error: stat(predicted - actual, 4),
        errorPct: actual > 0 ? (((predicted - actual) / actual) * 100).toFixed(2) : null,
      },
    };
  }

  /** GET /v1/analytics/clv/historical: lifetime net revenue per customer, summed; needs no model. */
  async historical(tenant: Tenant, q: Record<string, unknown>) {
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const [t = {}] = await this.db.query(HISTORICAL_TOTALS, [tenant.id, asOf]);
    return { asOf, currency: tenant.currency, ...historicalView(t) };
  }

  private keyOf(tenant: Tenant, q: Record<string, unknown>): ClvKey {
    return {
      asOf: asOfParam(q.asOf, tenant.timezone),
      unit: enumParam<ModelTimeUnit>(q.timeUnit, 'timeUnit', TIME_UNITS, CLV_DEFAULTS.unit),
      model: enumParam<ClvModelName>(q.model, 'model', CLV_MODELS, CLV_DEFAULTS.model),
      horizonMonths: intParam(q.horizonMonths, 'horizonMonths', CLV_DEFAULTS.horizonMonths, 1, 120),
      discountRate: discountRateParam(q.discountRate),
    };
  }
}

function required(v: string | null, field: string): string {
  if (v === null) throw new DomainError('bad_request', `${field} is required (YYYY-MM-DD)`, { field });
  return v;
}

/** 422: too few repeat buyers to fit; the reason, what is missing, and the historical CLV still served. */
function insufficient(model: ModelRow, asOf: string, totals: Record<string, unknown>): DomainError {
  const missing = MIN_REPEAT_BUYERS - model.repeat_buyers;
  return new DomainError(
    'insufficient_data',
    `too few repeat buyers to fit a CLV model at ${asOf}: ${model.repeat_buyers} customers bought more than once, ` +
      `at least ${MIN_REPEAT_BUYERS} are needed (${missing} more)`,
    {
      reason: 'repeat_buyers',
      repeatBuyers: model.repeat_buyers,
      required: MIN_REPEAT_BUYERS,
      missing,
      customers: model.customers,
      historical: { asOf, ...historicalView(totals) },
      historicalEndpoint: `/v1/analytics/clv/historical?asOf=${asOf}`,
    },
  );
}
