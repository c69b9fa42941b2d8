/**
 * Gamma-Gamma model of spend per transaction (Fader & Hardie 2013, "The Gamma-Gamma Model of
 * Monetary Value", brucehardie.com/notes/025; Fader, Hardie & Lee 2005 JMR). A customer's
 * transaction values are Gamma(p, ν), ν ~ Gamma(q, γ) across customers; `v` is γ (lifetimes' name).
 * Fitted on customers with x > 0 and monetary > 0 only (DOMAIN.md §5).
 */
import { CustomerSummary, ModelFit, ModelFitOptions, indexDistinct } from './customer-summary.math';
import { Objective, minimize } from './optimizer.math';
import { digamma, logGamma } from './special-functions.math';

export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly v: number;
}

/**
 * Log density of the observed mean z̄ of x transactions (note 025):
 *   ll = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln z̄ + px ln x − (px+q) ln(γ + x z̄).
 */
export function gammaGammaLogLikelihood(params: GammaGammaParams, x: number, monetary: number): number {
  const { p, q, v } = params;
  const px = p * x;
  return (
    logGamma(px + q) -
    logGamma(px) -
    logGamma(q) +
    q * Math.log(v) +
    (px - 1) * Math.log(monetary) +
    px * Math.log(x) -
    (px + q) * Math.log(v + x * monetary)
  );
}

/**
 * E[M | x, z̄] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · z̄ = p(γ + x z̄)/(px + q − 1)
 * (note 025): a credibility-weighted mix of the population mean pγ/(q−1) and the customer's
 * own mean. x = 0 gives the population mean. Requires q > 1 (otherwise the mean spend is infinite).
 */
export function gammaGammaConditionalExpectedSpend(
  params: GammaGammaParams,
  x: number,
  monetary: number,
): number {
  const { p, q, v } = params;
  if (!(q > 1)) throw new RangeError(`Gamma-Gamma mean spend is infinite when q ≤ 1 (q = ${q})`);
  return x === 0 ? (p * v) / (q - 1) : (p * (v + x * monetary)) / (p * x + q - 1);
}

interface SpendData {
  readonly x: Float64Array;
  readonly logX: Float64Array;
  readonly m: Float64Array;
  readonly logM: Float64Array;
  readonly distinctX: Float64Array;
  readonly xIndex: Int32Array;
}

/** The customers that enter the spend model: x > 0 and a finite monetary > 0. */
export function spendModelCustomers(summaries: readonly CustomerSummary[]): CustomerSummary[] {
  return summaries.filter(
    (s) => s.x > 0 && s.monetary !== undefined && s.monetary > 0 && Number.isFinite(s.monetary),
  );
}

function prepare(summaries: readonly CustomerSummary[]): SpendData {
  const used = spendModelCustomers(summaries);
  const xs = used.map((s) => s.x);
  const { distinct, index } = indexDistinct(xs);
  const m = Float64Array.from(used, (s) => s.monetary ?? NaN);
  return {
    x: Float64Array.from(xs),
    logX: Float64Array.from(xs, Math.log),
    m,
    logM: m.map(Math.log),
    distinctX: distinct,
    xIndex: index,
  };
}

/** Σ ll over the customers with x > 0 and monetary > 0. */
export function gammaGammaTotalLogLikelihood(
  params: GammaGammaParams,
  summaries: readonly CustomerSummary[],
): number {
  const data = prepare(summaries);
  return -data.x.length * evaluate(data, [params.p, params.q, params.v].map(Math.log), false).value;
}

/**
 * Mean negative log-likelihood and its gradient in log-parameters (∂/∂ln θ = θ ∂/∂θ):
 *   ∂ll/∂p = x[ψ(px+q) − ψ(px) + ln z̄ + ln x − ln(γ + x z̄)]
 *   ∂ll/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ + x z̄)
 *   ∂ll/∂γ = q/γ − (px+q)/(γ + x z̄).
 */
function evaluate(data: SpendData, logParams: readonly number[], withGradient: boolean) {
  const [lp = 0, lq = 0, lv = 0] = logParams;
  const p = Math.exp(lp);
  const q = Math.exp(lq);
  const v = Math.exp(lv);
  const k = data.distinctX.length;
  const head = new Float64Array(k);
  const dHeadP = new Float64Array(k);
  const dHeadQ = new Float64Array(k);
  const lgQ = logGamma(q);
  const psiQ = withGradient ? digamma(q) : 0;
  for (let j = 0; j < k; j++) {
    const px = p * (data.distinctX[j] ?? 0);
    head[j] = logGamma(px + q) - logGamma(px) - lgQ + q * lv;
    if (withGradient) {
      const psiPxQ = digamma(px + q);
      dHeadP[j] = psiPxQ - digamma(px);
      dHeadQ[j] = psiPxQ - psiQ + lv;
    }
  }
  let ll = 0;
  let gP = 0;
  let gQ = 0;
  let gV = 0;
  const n = data.x.length;
  for (let i = 0; i < n; i++) {
    const x = data.x[i] ?? 0;
    const j = data.xIndex[i] ?? 0;
    const px = p * x;
    const logM = data.logM[i] ?? 0;
    const logX = data.logX[i] ?? 0;
    const denominator = v + x * (data.m[i] ?? 0);
    const logDen = Math.log(denominator);
    ll += (head[j] ?? 0) + (px - 1) * logM + px * logX - (px + q) * logDen;
    if (withGradient) {
      gP += x * ((dHeadP[j] ?? 0) + logM + logX - logDen);
      gQ += (dHeadQ[j] ?? 0) - logDen;
      gV += q / v - (px + q) / denominator;
    }
  }
  const scale = -1 / n;
  return { value: scale * ll, gradient: [scale * p * gP, scale * q * gQ, scale * v * gV] };
}

function objective(data: SpendData): Objective {
  return {
    value: (logParams) => evaluate(data, logParams, false).value,
    valueAndGradient: (logParams) => evaluate(data, logParams, true),
  };
}

/** The fit's objective over x = ln(p, q, γ): mean negative log-likelihood, analytic gradient. */
export function gammaGammaObjective(summaries: readonly CustomerSummary[]): Objective {
  return objective(prepare(summaries));
}

/**
 * Maximum-likelihood fit on customers with x > 0 and monetary > 0 (BFGS on log-parameters, analytic
 * gradient). Start: p = 1, q = 2, γ = mean z̄, so the implied population mean pγ/(q−1) equals the
 * sample mean whatever the currency unit.
 */
export function fitGammaGamma(
  summaries: readonly CustomerSummary[],
  options: ModelFitOptions<GammaGammaParams> = {},
): ModelFit<GammaGammaParams> {
  const data = prepare(summaries);
  const n = data.x.length;
  if (n === 0) throw new RangeError('Gamma-Gamma fit needs customers with x > 0 and monetary > 0');
  const meanSpend = data.m.reduce((s, m) => s + m, 0) / n;
  const start = { p: 1, q: 2, v: meanSpend, ...options.initial };
  const result = minimize(objective(data), [start.p, start.q, start.v].map(Math.log), {
    l2Penalty: options.penalizer ?? 0,
    maxIterations: options.maxIterations,
  });
  const [p = NaN, q = NaN, v = NaN] = result.params.map(Math.exp);
  return {
    params: { p, q, v },
    logLikelihood: -n * evaluate(data, result.params, false).value,
    converged: result.converged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    customers: n,
    distinctTuples: n,
  };
}
