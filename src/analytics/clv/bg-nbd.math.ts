/**
 * BG/NBD likelihood and maximum-likelihood fit (Fader, Hardie & Lee 2005, "Counting Your Customers
 * the Easy Way", Marketing Science 24(2), section 3). Predictions are in bg-nbd-predict.math.ts.
 * Purchases follow Poisson(λ) while alive, λ ~ Gamma(r, α); after each purchase the customer drops
 * out with probability p, p ~ Beta(a, b).
 */
import {
  CollapsedSummaries,
  CustomerSummary,
  ModelFit,
  ModelFitOptions,
  collapseSummaries,
} from './customer-summary.math';
import { Objective, minimize } from './optimizer.math';
import { digamma, logAddExp, logGamma } from './special-functions.math';

export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * ll(r, α, a, b | x, t_x, T) = ln[Γ(r+x) α^r / Γ(r)] + ln[B(a, b+x) / B(a, b)]
 *   + ln[ (α+T)^{−(r+x)} + δ_{x>0} (a / (b+x−1)) (α+t_x)^{−(r+x)} ],
 * the bracket summed in log space (FHL 2005; a customer with x = 0 has only the first term).
 */
export function bgNbdLogLikelihood(params: BgNbdParams, s: CustomerSummary): number {
  const { r, alpha, a, b } = params;
  const { x, tx, T } = s;
  const head =
    logGamma(r + x) -
    logGamma(r) +
    r * Math.log(alpha) +
    logGamma(a + b) +
    logGamma(b + x) -
    logGamma(b) -
    logGamma(a + b + x);
  const alive = -(r + x) * Math.log(alpha + T);
  if (x === 0) return head + alive;
  const dropped = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return head + logAddExp(alive, dropped);
}

/** Σ ll over customers (collapsed tuples weighted by their counts). */
export function bgNbdTotalLogLikelihood(
  params: BgNbdParams,
  summaries: readonly CustomerSummary[] | CollapsedSummaries,
): number {
  const data = 'weight' in summaries ? summaries : collapseSummaries(summaries);
  const n = data.customers;
  const x = [Math.log(params.r), Math.log(params.alpha), Math.log(params.a), Math.log(params.b)];
  return -n * evaluate(data, x, false).value;
}

/**
 * Mean negative log-likelihood −(1/N) Σ wᵢ llᵢ and its gradient in log-parameters θ = exp(x):
 * ∂/∂xⱼ = θⱼ ∂/∂θⱼ. With S = ln(e^{A₃} + e^{A₄}), A₃ = −(r+x)ln(α+T), A₄ = ln a − ln(b+x−1) − (r+x)ln(α+t_x),
 * and p₃ = e^{A₃−S}, p₄ = 1 − p₃:
 *   ∂ll/∂r = ψ(r+x) − ψ(r) + ln α − p₃ ln(α+T) − p₄ ln(α+t_x)
 *   ∂ll/∂α = r/α − (r+x)(p₃/(α+T) + p₄/(α+t_x))
 *   ∂ll/∂a = ψ(a+b) − ψ(a+b+x) + p₄/a
 *   ∂ll/∂b = ψ(a+b) + ψ(b+x) − ψ(b) − ψ(a+b+x) − p₄/(b+x−1).
 * Gamma and digamma terms depend on x only, so they are computed once per distinct x.
 */
function evaluate(data: CollapsedSummaries, logParams: readonly number[], withGradient: boolean) {
  const [lr = 0, la = 0, lA = 0, lb = 0] = logParams;
  const r = Math.exp(lr);
  const alpha = Math.exp(la);
  const a = Math.exp(lA);
  const b = Math.exp(lb);
  const lnAlpha = Math.log(alpha);
  const lnA = Math.log(a);
  const m = data.distinctX.length;
  const head = new Float64Array(m);
  const dropHead = new Float64Array(m);
  const dHeadR = new Float64Array(m);
  const dHeadA = new Float64Array(m);
  const dHeadB = new Float64Array(m);
  const invB = new Float64Array(m);
  const lgR = logGamma(r);
  const lgAB = logGamma(a + b);
  const lgB = logGamma(b);
  const psiR = withGradient ? digamma(r) : 0;
  const psiAB = withGradient ? digamma(a + b) : 0;
  const psiB = withGradient ? digamma(b) : 0;
  for (let k = 0; k < m; k++) {
    const x = data.distinctX[k] ?? 0;
    head[k] = logGamma(r + x) - lgR + r * lnAlpha + lgAB + logGamma(b + x) - lgB - logGamma(a + b + x);
    dropHead[k] = x > 0 ? lnA - Math.log(b + x - 1) : -Infinity;
    if (withGradient) {
      const psiABx = digamma(a + b + x);
      dHeadR[k] = digamma(r + x) - psiR + lnAlpha;
      dHeadA[k] = psiAB - psiABx;
      dHeadB[k] = psiAB + digamma(b + x) - psiB - psiABx;
      invB[k] = x > 0 ? 1 / (b + x - 1) : 0;
    }
  }
  let ll = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  const n = data.x.length;
  for (let i = 0; i < n; i++) {
    const x = data.x[i] ?? 0;
    const w = data.weight[i] ?? 0;
    const k = data.xIndex[i] ?? 0;
    const lnT = Math.log(alpha + (data.T[i] ?? 0));
    const alive = -(r + x) * lnT;
    let logBracket = alive;
    let p4 = 0;
    let lnTx = 0;
    if (x > 0) {
      lnTx = Math.log(alpha + (data.tx[i] ?? 0));
      const dropped = (dropHead[k] ?? 0) - (r + x) * lnTx;
      // S = alive + ln(1 + e^{dropped − alive}); p₄ = logistic(dropped − alive).
      const d = dropped - alive;
      const e = Math.exp(-Math.abs(d));
      logBracket = alive + Math.max(d, 0) + Math.log1p(e);
      p4 = d >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
    ll += w * ((head[k] ?? 0) + logBracket);
    if (withGradient) {
      const p3 = 1 - p4;
      gR += w * ((dHeadR[k] ?? 0) - p3 * lnT - p4 * lnTx);
      gAlpha +=
        w * (r / alpha - (r + x) * (p3 / (alpha + (data.T[i] ?? 0)) + p4 / (alpha + (data.tx[i] ?? 0))));
      gA += w * ((dHeadA[k] ?? 0) + p4 / a);
      gB += w * ((dHeadB[k] ?? 0) - p4 * (invB[k] ?? 0));
    }
  }
  const scale = -1 / data.customers;
  return {
    value: scale * ll,
    gradient: [scale * r * gR, scale * alpha * gAlpha, scale * a * gA, scale * b * gB],
  };
}

/** The fit's objective over x = ln(r, α, a, b): mean negative log-likelihood, analytic gradient. */
export function bgNbdObjective(data: CollapsedSummaries): Objective {
  return {
    value: (logParams) => evaluate(data, logParams, false).value,
    valueAndGradient: (logParams) => evaluate(data, logParams, true),
  };
}

/**
 * Maximum-likelihood BG/NBD fit: identical (x, t_x, T) are collapsed with weights, then BFGS on
 * log-parameters with the analytic gradient above. Start: r = a = b = 1 and α = Σ T / Σ x, which
 * matches the mean purchase rate r/α to the data, so the fit is independent of the time unit.
 */
export function fitBgNbd(
  summaries: readonly CustomerSummary[],
  options: ModelFitOptions<BgNbdParams> = {},
): ModelFit<BgNbdParams> {
  const data = collapseSummaries(summaries);
  const rateScale = weightedSum(data, data.T) / weightedSum(data, data.x);
  if (!(rateScale > 0 && Number.isFinite(rateScale))) {
    throw new RangeError('BG/NBD fit needs at least one customer with a repeat purchase');
  }
  const start = { r: 1, alpha: rateScale, a: 1, b: 1, ...options.initial };
  const result = minimize(bgNbdObjective(data), [start.r, start.alpha, start.a, start.b].map(Math.log), {
    l2Penalty: options.penalizer ?? 0,
    maxIterations: options.maxIterations,
  });
  const [r = NaN, alpha = NaN, a = NaN, b = NaN] = result.params.map(Math.exp);
  const params = { r, alpha, a, b };
  return {
    params,
    logLikelihood: -data.customers * evaluate(data, result.params, false).value,
    converged: result.converged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    customers: data.customers,
    distinctTuples: data.x.length,
  };
}

function weightedSum(data: CollapsedSummaries, values: Float64Array): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] ?? 0) * (data.weight[i] ?? 0);
  return s;
}
