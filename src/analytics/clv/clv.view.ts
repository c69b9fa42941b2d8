/**
 * JSON shapes of the CLV endpoints and of the per-customer CLV block in the customer list/profile.
 * Money (expected spend, CLV) is a decimal string with 2 places, half-up (formatMoney); model
 * statistics (parameters, log-likelihood, P(alive), expected purchases) are numbers, because they are
 * estimates of a fitted model, not amounts.
 */
import { formatMoney, formatMoneyOrNull } from '../../shared/money';
import { ModelRow } from './clv-store';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

/** A probability or expected count for presentation: 4 decimals, as a number. */
export function stat(v: unknown, places = 4): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? Number(n.toFixed(places)) : null;
}

/**
 * The CLV block of one customer row that selected clvPredictionColumns('cp') (columns clv_*), or
 * null when the customer has no prediction (no purchase at asOf):
 * { pAlive, expectedPurchases: { days30, days90, days365 }, expectedSpend, predictedClv, marginClv,
 *   historicalClv, historicalMargin, nextExpectedPurchase }.
 */
export function clvView(r: Row) {
  if (r.clv_historical_clv === null || r.clv_historical_clv === undefined) return null;
  return {
    pAlive: stat(r.clv_p_alive),
    expectedPurchases: {
      days30: stat(r.clv_exp_30),
      days90: stat(r.clv_exp_90),
      days365: stat(r.clv_exp_365),
    },
    expectedSpend: formatMoneyOrNull(r.clv_expected_spend),
    predictedClv: formatMoneyOrNull(r.clv_predicted_clv),
    marginClv: formatMoneyOrNull(r.clv_margin_clv),
    historicalClv: formatMoney(r.clv_historical_clv),
    historicalMargin: formatMoneyOrNull(r.clv_historical_margin),
    nextExpectedPurchase: (r.clv_next_expected_date as string | null) ?? null,
  };
}

/** Parameters in their conventional order (jsonb does not keep key order). */
function ordered(params: object | null, keys: readonly string[]): Record<string, number> | null {
  if (params === null) return null;
  const p = params as Record<string, number>;
  return Object.fromEntries(keys.map((k) => [k, p[k] ?? NaN]));
}

/** The model part of GET /v1/analytics/clv (and of the hold-out report). */
export function modelView(m: ModelRow) {
  return {
    name: m.model,
    params: ordered(m.params, m.model === 'bg-nbd' ? ['r', 'alpha', 'a', 'b'] : ['r', 'alpha', 's', 'beta']),
    logLikelihood: m.log_likelihood,
    converged: m.converged,
    iterations: m.iterations,
    customers: m.customers,
    repeatBuyers: m.repeat_buyers,
    distinctTuples: m.distinct_tuples,
  };
}

export function spendView(m: ModelRow) {
  return {
    name: 'gamma-gamma' as const,
    params: ordered(m.spend_params, ['p', 'q', 'v']),
    logLikelihood: m.spend_log_likelihood,
    converged: m.spend_converged,
    iterations: m.spend_iterations,
    customers: m.spend_customers ?? 0,
  };
}

/** PREDICTION_TOTALS row → totals. */
export function totalsView(t: Row) {
  return {
    customers: Number(t.customers),
    repeatBuyers: Number(t.repeat_buyers),
    meanPAlive: stat(t.mean_p_alive),
    expectedPurchases: {
      days30: stat(t.exp_30, 2),
      days90: stat(t.exp_90, 2),
      days365: stat(t.exp_365, 2),
    },
    meanExpectedSpend: formatMoneyOrNull(t.mean_expected_spend),
    /** null without a spend model */
    predictedClv: formatMoneyOrNull(t.predicted_clv),
    /** over the customers whose margin ratio is known; null when none is */
    marginClv: formatMoneyOrNull(t.margin_clv),
    customersWithMargin: Number(t.customers_with_margin),
    historicalClv: formatMoney(t.historical_clv ?? 0),
    /** gross profit of the lines with a known cost; null when no cost is known */
    historicalMargin: formatMoneyOrNull(t.historical_margin),
  };
}

/** Historical totals (PREDICTION_TOTALS or HISTORICAL_TOTALS row): what is served without a model. */
export function historicalView(t: Row) {
  const customers = Number(t.customers);
  return {
    customers,
    repeatBuyers: Number(t.repeat_buyers),
    historicalClv: formatMoney(t.historical_clv ?? 0),
    meanHistoricalClv: customers > 0 ? formatMoney(t.mean_historical_clv ?? 0) : null,
    maxHistoricalClv: formatMoneyOrNull(t.max_historical_clv),
  };
}
