/**
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987) in the formulation of Fader & Hardie (2005),
 * "A Note on Deriving the Pareto/NBD Model and Related Expressions" (brucehardie.com/notes/009).
 * Purchases are Poisson(λ), λ ~ Gamma(r, α); lifetimes are Exponential(μ), μ ~ Gamma(s, β).
 *
 * Likelihood (note 009 section 3; the integral is over the unobserved dropout time τ ∈ (t_x, T]):
 *   L = Γ(r+x) α^r β^s / Γ(r) · [ (α+T)^{−(r+x)} (β+T)^{−s} + s ∫_{t_x}^{T} (α+τ)^{−(r+x)} (β+τ)^{−(s+1)} dτ ]
 * and s·∫ = s/(r+s+x) · [F(t_x) − F(T)] with, for α ≥ β and z = (α−β)/(α+y),
 *   F(y) = ₂F₁(r+s+x, s+1; r+s+x+1; z) / (α+y)^{r+s+x}        (note 009's A₀ term)
 *        = (α+y)^{−(r+x)} (β+y)^{−s} ₂F₁(1, r+x; r+s+x+1; z)   (Euler's transformation),
 * and for α < β, with z = (β−α)/(β+y),
 *   F(y) = ₂F₁(r+s+x, r+x; r+s+x+1; z) / (β+y)^{r+s+x} = (α+y)^{1−r−x} (β+y)^{−s−1} ₂F₁(1, s+1; r+s+x+1; z).
 * The transformed ₂F₁(1, ·; ·; z) is at least 1 and at most (r+s+x)/s in the first branch (growing no
 * faster than (1−z)^{r+x−1} in the second), so in logs nothing overflows whatever x is, and Gauss's
 * continued fraction evaluates it quickly even as z → 1.
 */
import {
  CollapsedSummaries,
  CustomerSummary,
  ModelFit,
  ModelFitOptions,
  collapseSummaries,
} from './customer-summary.math';
import { hyp2f1UnitB } from './hypergeometric.math';
import { minimize } from './optimizer.math';
import { log1pExp, logAddExp, logGamma, logSubExp } from './special-functions.math';

export interface ParetoNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly s: number;
  readonly beta: number;
}

/** ln F(y), see the file header. */
function logF(params: ParetoNbdParams, x: number, y: number): number {
  const { r, alpha, s, beta } = params;
  if (alpha >= beta) {
    const z = (alpha - beta) / (alpha + y);
    return (
      -(r + x) * Math.log(alpha + y) - s * Math.log(beta + y) + Math.log(hyp2f1UnitB(r + x, r + s + x + 1, z))
    );
  }
  const z = (beta - alpha) / (beta + y);
  return (
    (1 - r - x) * Math.log(alpha + y) -
    (s + 1) * Math.log(beta + y) +
    Math.log(hyp2f1UnitB(s + 1, r + s + x + 1, z))
  );
}

/**
 * The two parts of the bracket in L, in logs: alive through T, ln[(α+T)^{−(r+x)} (β+T)^{−s}], and
 * dropped out in (t_x, T], ln[s/(r+s+x) (F(t_x) − F(T))] (−∞ when t_x = T).
 */
function logParts(params: ParetoNbdParams, c: CustomerSummary): { alive: number; dropped: number } {
  const { r, alpha, s, beta } = params;
  const alive = -(r + c.x) * Math.log(alpha + c.T) - s * Math.log(beta + c.T);
  if (!(c.T > c.tx)) return { alive, dropped: -Infinity };
  const atTx = logF(params, c.x, c.tx);
  const atT = logF(params, c.x, c.T);
  const difference = atT < atTx ? logSubExp(atTx, atT) : -Infinity;
  return { alive, dropped: Math.log(s / (r + s + c.x)) + difference };
}

/** ll = ln Γ(r+x) − ln Γ(r) + r ln α + s ln β + ln(e^{alive} + e^{dropped}), see the header. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, c: CustomerSummary): number {
  const { r, alpha, s, beta } = params;
  const { alive, dropped } = logParts(params, c);
  const head = logGamma(r + c.x) - logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  return head + logAddExp(alive, dropped);
}

/** Σ ll over customers (identical tuples collapsed and weighted). */
export function paretoNbdTotalLogLikelihood(
  params: ParetoNbdParams,
  summaries: readonly CustomerSummary[] | CollapsedSummaries,
): number {
  const data = 'weight' in summaries ? summaries : collapseSummaries(summaries);
  return -data.customers * meanNegativeLogLikelihood(data, params);
}

function meanNegativeLogLikelihood(data: CollapsedSummaries, params: ParetoNbdParams): number {
  const { r, alpha, s, beta } = params;
  const base = -logGamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const heads = Array.from(data.distinctX, (x) => logGamma(r + x) + base);
  let ll = 0;
  for (let i = 0; i < data.x.length; i++) {
    const summary = { x: data.x[i] ?? 0, tx: data.tx[i] ?? 0, T: data.T[i] ?? 0 };
    const { alive, dropped } = logParts(params, summary);
    ll += (data.weight[i] ?? 0) * ((heads[data.xIndex[i] ?? 0] ?? 0) + logAddExp(alive, dropped));
  }
  return -ll / data.customers;
}

/** Thrown inside the optimizer when the caller's shouldStop() says so. */
class FitStopped extends Error {}

/**
 * Maximum-likelihood fit by BFGS on log-parameters with central-difference gradients, identical
 * tuples collapsed. Start: r = s = 1, α = β = Σ T / Σ x (rate-matched, unit-independent).
 */
export function fitParetoNbd(
  summaries: readonly CustomerSummary[],
  options: ModelFitOptions<ParetoNbdParams> = {},
): ModelFit<ParetoNbdParams> {
  const data = collapseSummaries(summaries);
  let sumT = 0;
  let sumX = 0;
  data.x.forEach((x, i) => {
    sumX += x * (data.weight[i] ?? 0);
    sumT += (data.T[i] ?? 0) * (data.weight[i] ?? 0);
  });
  if (!(sumX > 0 && sumT > 0)) {
    throw new RangeError('Pareto/NBD fit needs at least one customer with a repeat purchase');
  }
  const start = { r: 1, alpha: sumT / sumX, s: 1, beta: sumT / sumX, ...options.initial };
  const value = (lp: readonly number[]): number => {
    const [r = NaN, alpha = NaN, s = NaN, beta = NaN] = lp.map(Math.exp);
    return meanNegativeLogLikelihood(data, { r, alpha, s, beta });
  };
  // the best point seen, kept for a fit stopped by options.shouldStop
  const x0 = [start.r, start.alpha, start.s, start.beta].map(Math.log);
  let best = { x: x0, value: Infinity, evaluations: 0 };
  const objective = (lp: readonly number[]): number => {
    if (options.shouldStop?.()) throw new FitStopped();
    const v = value(lp);
    best.evaluations++;
    if (v < best.value) best = { ...best, x: [...lp], value: v };
    return v;
  };
  let result: { params: readonly number[]; converged: boolean; iterations: number; evaluations: number };
  try {
    result = minimize({ value: objective }, x0, {
      l2Penalty: options.penalizer ?? 0,
      maxIterations: options.maxIterations,
    });
  } catch (err) {
    if (!(err instanceof FitStopped)) throw err;
    result = { params: best.x, converged: false, iterations: 0, evaluations: best.evaluations };
  }
  const [r = NaN, alpha = NaN, s = NaN, beta = NaN] = result.params.map(Math.exp);
  return {
    params: { r, alpha, s, beta },
    logLikelihood: -data.customers * value(result.params),
    converged: result.converged,
    iterations: result.iterations,
    evaluations: result.evaluations,
    customers: data.customers,
    distinctTuples: data.x.length,
  };
}

/**
 * P(alive | x, t_x, T) = (α+T)^{−(r+x)} (β+T)^{−s} / [bracket of L]  (note 009 section 5), i.e.
 * 1 / (1 + e^{dropped − alive}); a one-time buyer is not certainly alive, unlike BG/NBD.
 */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, c: CustomerSummary): number {
  const { alive, dropped } = logParts(params, c);
  return Math.exp(-log1pExp(dropped - alive));
}

/** (1 − (1+u)^{−k}) / k, continuous at k = 0 where it is ln(1+u). */
function powerIntegral(k: number, u: number): number {
  const l = Math.log1p(u);
  return Math.abs(k * l) < 1e-15 ? l : -Math.expm1(-k * l) / k;
}

/**
 * E[Y(t) | x, t_x, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^{s−1}] · P(alive)
 * (note 009 section 6; s = 1 taken as its limit (r+x)(β+T)/(α+T) · ln((β+T+t)/(β+T))).
 */
export function paretoNbdConditionalExpectedPurchases(
  params: ParetoNbdParams,
  c: CustomerSummary,
  t: number,
): number {
  if (!(t >= 0)) throw new RangeError(`t must be ≥ 0 (got ${t})`);
  const { r, alpha, s, beta } = params;
  const alive = paretoNbdProbabilityAlive(params, c);
  return ((r + c.x) / (alpha + c.T)) * (beta + c.T) * powerIntegral(s - 1, t / (beta + c.T)) * alive;
}

/** E[X(t)] for a new customer = rβ/(α(s−1)) · [1 − (β/(β+t))^{s−1}] (note 009 section 4). */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number): number {
  return paretoNbdConditionalExpectedPurchases(params, { x: 0, tx: 0, T: 0 }, t);
}
