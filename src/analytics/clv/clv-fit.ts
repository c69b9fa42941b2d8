/**
 * From the summary rows of clv.queries.ts to fitted models and per-customer predictions, with the
 * math modules (no database here). Predictions depend on a customer only through (x, t_x, T) — and
 * the spend through (x, monetary) — so each distinct tuple is evaluated once.
 */
import { BgNbdParams, fitBgNbd } from './bg-nbd.math';
import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive } from './bg-nbd-predict.math';
import { addDays } from '../../shared/dates';
import { discountedClv, ModelTimeUnit } from './clv.math';
import { CustomerSummary, ModelFit } from './customer-summary.math';
import { fitGammaGamma, GammaGammaParams, gammaGammaConditionalExpectedSpend } from './gamma-gamma.math';
import {
  fitParetoNbd,
  ParetoNbdParams,
  paretoNbdConditionalExpectedPurchases,
  paretoNbdProbabilityAlive,
} from './pareto-nbd.math';

export type ClvModelName = 'bg-nbd' | 'pareto-nbd';
export const CLV_MODELS: readonly ClvModelName[] = ['bg-nbd', 'pareto-nbd'];
export const TIME_UNITS: readonly ModelTimeUnit[] = ['day', 'week'];
export type TransactionParams = BgNbdParams | ParetoNbdParams;

/** Fewer repeat buyers (x > 0) than this: no fit, 422 insufficient_data (DOMAIN.md §5). */
export const MIN_REPEAT_BUYERS = 50;

export const UNIT_DAYS: Record<ModelTimeUnit, number> = { day: 1, week: 7 };

/** A row of CLV_SUMMARY (NUMERIC columns arrive as decimal strings). */
export interface SummaryRow {
  customer_id: number | string;
  first_purchase: string;
  frequency: number | string;
  recency: string | number;
  age: string | number;
  monetary: string | null;
  historical_clv: string;
}

export function toSummary(r: SummaryRow): CustomerSummary {
  const x = Number(r.frequency);
  return {
    x,
    tx: x === 0 ? 0 : Number(r.recency),
    T: Number(r.age),
    monetary: r.monetary === null ? undefined : Number(r.monetary),
  };
}

export interface Fits {
  transaction: ModelFit<TransactionParams>;
  /** null when the spend model cannot be fitted or has no finite mean (q ≤ 1): no money predictions. */
  spend: ModelFit<GammaGammaParams> | null;
  spendProblem: string | null;
}

/** Maximum-likelihood fits of the transaction model and Gamma-Gamma (customers with x > 0, monetary > 0). */
/**
 * Wall-clock budget of a Pareto/NBD fit: its likelihood needs a hypergeometric function per distinct
 * customer tuple and on large tenants (100,000 customers, daily unit) it can run for minutes. Past
 * the budget the fit stops at its best point and is stored as not converged (the API shows it).
 */
export const PARETO_NBD_BUDGET_MS = 20_000;

export function fitModels(
  model: ClvModelName,
  summaries: readonly CustomerSummary[],
  paretoBudgetMs = PARETO_NBD_BUDGET_MS,
): Fits {
  const deadline = Date.now() + paretoBudgetMs;
  const transaction =
    model === 'bg-nbd'
      ? fitBgNbd(summaries)
      : fitParetoNbd(summaries, { shouldStop: () => Date.now() > deadline });
  let spend: ModelFit<GammaGammaParams> | null = null;
  let spendProblem: string | null = null;
  try {
    spend = fitGammaGamma(summaries);
    if (!(spend.params.q > 1)) {
      spendProblem = `Gamma-Gamma q = ${spend.params.q} ≤ 1: the mean spend is infinite`;
      spend = null;
    }
  } catch (err) {
    spendProblem = err instanceof Error ? err.message : String(err);
  }
  return { transaction, spend, spendProblem };
}

export interface PredictionOptions {
  unit: ModelTimeUnit;
  horizonMonths: number;
  discountRate: number;
}

export interface CustomerPrediction {
  pAlive: number;
  exp30: number;
  exp90: number;
  exp365: number;
  /** Gamma-Gamma E[M | x, z̄]; null without a spend model. */
  expectedSpend: number | null;
  /** Σ_m spend × (E[X(m)] − E[X(m−1)]) / (1 + d)^m; null without a spend model. */
  predictedClv: number | null;
}

interface TupleValues {
  pAlive: number;
  exp30: number;
  exp90: number;
  exp365: number;
  /** the CLV sum with spend = 1 (spend factors out of every term) */
  discountedPurchases: number;
}

/** conditional expected purchases in the next t units, and P(alive), for one model. */
export function modelFunctions(model: ClvModelName, params: TransactionParams) {
  if (model === 'bg-nbd') {
    const p = params as BgNbdParams;
    return {
      alive: (s: CustomerSummary) => bgNbdProbabilityAlive(p, s),
      expected: (s: CustomerSummary, t: number) => bgNbdConditionalExpectedPurchases(p, s, t),
    };
  }
  const p = params as ParetoNbdParams;
  return {
    alive: (s: CustomerSummary) => paretoNbdProbabilityAlive(p, s),
    expected: (s: CustomerSummary, t: number) => paretoNbdConditionalExpectedPurchases(p, s, t),
  };
}

/**
 * A per-customer predictor: P(alive), expected purchases in the next 30/90/365 days (converted to the
 * model's unit), expected spend and discounted CLV over `horizonMonths` months of 30 days.
 */
export function predictor(
  model: ClvModelName,
  params: TransactionParams,
  spend: GammaGammaParams | null,
  options: PredictionOptions,
): (s: CustomerSummary) => CustomerPrediction {
  const unit = UNIT_DAYS[options.unit];
  const f = modelFunctions(model, params);
  const cache = new Map<string, TupleValues>();
  const tuple = (s: CustomerSummary): TupleValues => {
    const key = `${s.x}|${s.tx}|${s.T}`;
    let v = cache.get(key);
    if (!v) {
      const memo = new Map<number, number>();
      const expected = (t: number) => {
        let e = memo.get(t);
        if (e === undefined) {
          e = f.expected(s, t);
          memo.set(t, e);
        }
        return e;
      };
      v = {
        pAlive: f.alive(s),
        exp30: expected(30 / unit),
        exp90: expected(90 / unit),
        exp365: expected(365 / unit),
        discountedPurchases: discountedClv(expected, 1, {
          horizonMonths: options.horizonMonths,
          monthlyDiscountRate: options.discountRate,
          monthLength: 30 / unit,
        }),
      };
      cache.set(key, v);
    }
    return v;
  };
  return (s) => {
    const v = tuple(s);
    const expectedSpend =
      spend === null ? null : gammaGammaConditionalExpectedSpend(spend, s.x, Math.max(s.monetary ?? 0, 0));
    return {
      pAlive: v.pAlive,
      exp30: v.exp30,
      exp90: v.exp90,
      exp365: v.exp365,
      expectedSpend,
      predictedClv: expectedSpend === null ? null : expectedSpend * v.discountedPurchases,
    };
  };
}

/**
 * The date of the next purchase expected at the predicted rate: asOf + ⌈365 / E[purchases in the next
 * 365 days]⌉ days when at least one purchase is expected within the year, else null.
 */
export function nextExpectedOffsetDays(exp365: number): number | null {
  return exp365 >= 1 ? Math.ceil(365 / exp365) : null;
}

/** Calibration frequency groups of the hold-out report: 0..6 and "7+". */
export function holdoutGroup(x: number): number | '7+' {
  return x >= 7 ? '7+' : x;
}

/** Statistical values stored as NUMERIC: fixed 6 decimals (never exponent notation). */
export function toNumericText(v: number | null): string | null {
  if (v === null || !Number.isFinite(v)) return null;
  return v.toFixed(6);
}

/** What a stored model is keyed by, besides the tenant, data version and settings. */
export interface ClvKey {
  asOf: string;
  unit: ModelTimeUnit;
  model: ClvModelName;
  horizonMonths: number;
  /** monthly discount rate as a decimal string ("0.01") */
  discountRate: string;
}

export const CLV_DEFAULTS: Omit<ClvKey, 'asOf'> = {
  unit: 'day',
  model: 'bg-nbd',
  horizonMonths: 12,
  discountRate: '0.01',
};

/** One INSERT_PREDICTIONS object per customer (mr, hm: the margin, filled in afterwards). */
export interface PredictionRow {
  c: number;
  f: string;
  x: number;
  tx: string;
  t: string;
  m: string | null;
  pa: number | null;
  e30: number | null;
  e90: number | null;
  e365: number | null;
  es: string | null;
  clv: string | null;
  mr: string | null;
  h: string;
  hm: string | null;
  nd: string | null;
}

export function predictionRows(
  rows: SummaryRow[],
  summaries: CustomerSummary[],
  key: ClvKey,
  fits: Fits | null,
): PredictionRow[] {
  const predict = fits
    ? predictor(key.model, fits.transaction.params, fits.spend?.params ?? null, {
        unit: key.unit,
        horizonMonths: key.horizonMonths,
        discountRate: Number(key.discountRate),
      })
    : null;
  return rows.map((r, i) => {
    const p = predict ? predict(summaries[i] ?? toSummary(r)) : null;
    const next = p ? nextExpectedOffsetDays(p.exp365) : null;
    return {
      c: Number(r.customer_id),
      f: r.first_purchase,
      x: Number(r.frequency),
      tx: String(r.recency),
      t: String(r.age),
      m: r.monetary,
      pa: p ? finite(p.pAlive) : null,
      e30: p ? finite(p.exp30) : null,
      e90: p ? finite(p.exp90) : null,
      e365: p ? finite(p.exp365) : null,
      es: p ? toNumericText(p.expectedSpend) : null,
      clv: p ? toNumericText(p.predictedClv) : null,
      mr: null,
      h: r.historical_clv,
      hm: null,
      nd: next === null ? null : addDays(key.asOf, next),
    };
  });
}

/** A finite number, or null (NaN/∞ never reach the database). */
export function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
