/**
 * BG/NBD predictions (Fader, Hardie & Lee 2005, Marketing Science 24(2), section 3, and the note
 * "Computing P(alive) using the BG/NBD model", brucehardie.com/notes/021): conditional expected
 * purchases, P(alive), P(X(t) = n) and E[X(t)] for a new customer.
 * Every power and hypergeometric value is combined in log space, so extreme histories (x = 1000)
 * give 0 or 1, never NaN.
 */
import { BgNbdParams } from './bg-nbd.math';
import { CustomerSummary } from './customer-summary.math';
import { logHyp2f1 } from './hypergeometric.math';
import { log1pExp, logBeta, logGamma, regularizedIncompleteBeta } from './special-functions.math';

/** Below this distance from a = 1 (a removable singularity of the
 * conditional expectation) the value is a ±1e-6 average. */
const A_NEAR_ONE = 1e-6;

/**
 * ln of the "still alive" odds' complement: P(alive | x, t_x, T) = 1 / (1 + e^L) with
 * L = ln(a / (b + x − 1)) + (r + x) ln((α + T) / (α + t_x)) for x > 0; −∞ (P = 1) for x = 0.
 */
function logDeathOdds(params: BgNbdParams, s: CustomerSummary): number {
  if (s.x === 0) return -Infinity;
  const { r, alpha, a, b } = params;
  return Math.log(a / (b + s.x - 1)) + (r + s.x) * Math.log((alpha + s.T) / (alpha + s.tx));
}

/** P(alive | x, t_x, T) = 1 / (1 + δ_{x>0} (a/(b+x−1)) ((α+T)/(α+t_x))^{r+x}). */
export function bgNbdProbabilityAlive(params: BgNbdParams, s: CustomerSummary): number {
  return Math.exp(-log1pExp(logDeathOdds(params, s)));
}

/**
 * E[Y(t) | x, t_x, T] = (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z)]
 *                      · P(alive | x, t_x, T),   z = t / (α+T+t)          (FHL 2005)
 * The expected number of purchases in (T, T + t] for this customer.
 */
export function bgNbdConditionalExpectedPurchases(
  params: BgNbdParams,
  s: CustomerSummary,
  t: number,
): number {
  if (t === 0) return 0;
  if (!(t > 0)) throw new RangeError(`t must be ≥ 0 (got ${t})`);
  const alive = bgNbdProbabilityAlive(params, s);
  if (alive === 0) return 0;
  const { a } = params;
  if (Math.abs(a - 1) < A_NEAR_ONE) {
    const below = aliveExpectation({ ...params, a: 1 - A_NEAR_ONE }, s, t);
    const above = aliveExpectation({ ...params, a: 1 + A_NEAR_ONE }, s, t);
    return 0.5 * (below + above) * alive;
  }
  return aliveExpectation(params, s, t) * alive;
}

/** The expectation given alive at T: (a+b+x−1)/(a−1) · [1 − (1−z)^{r+x} ₂F₁(r+x, b+x; a+b+x−1; z)]. */
function aliveExpectation(params: BgNbdParams, s: CustomerSummary, t: number): number {
  const { r, alpha, a, b } = params;
  const x = s.x;
  const z = t / (alpha + s.T + t);
  const logOneMinusZ = -Math.log1p(t / (alpha + s.T));
  const f = logHyp2f1(r + x, b + x, a + b + x - 1, z);
  const term = f.sign * Math.exp((r + x) * logOneMinusZ + f.logAbs);
  return ((a + b + x - 1) / (a - 1)) * (1 - term);
}

/**
 * E[X(t)] for a customer acquired at time 0 (FHL 2005):
 *   (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))],
 * i.e. the conditional expectation with x = t_x = T = 0.
 */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  return bgNbdConditionalExpectedPurchases(params, { x: 0, tx: 0, T: 0 }, t);
}

/**
 * P(X(t) = n) for a customer acquired at time 0 (FHL 2005):
 *   B(a, b+n)/B(a, b) · Γ(r+n)/(Γ(r) n!) · (α/(α+t))^r (t/(α+t))^n
 *   + δ_{n>0} B(a+1, b+n−1)/B(a, b) · [1 − (α/(α+t))^r Σ_{j<n} Γ(r+j)/(Γ(r) j!) (t/(α+t))^j].
 * The bracket is the NBD upper tail P(N(t) ≥ n) = I_{t/(α+t)}(n, r), evaluated directly by the
 * regularised incomplete beta so that small tails keep their precision.
 */
export function bgNbdProbabilityOfPurchases(params: BgNbdParams, t: number, n: number): number {
  if (!(t >= 0) || !(n >= 0) || !Number.isInteger(n)) throw new RangeError('need t ≥ 0 and integer n ≥ 0');
  const { r, alpha, a, b } = params;
  if (t === 0) return n === 0 ? 1 : 0;
  const logP = Math.log(t / (alpha + t));
  const logQ = -Math.log1p(t / alpha);
  const lbAB = logBeta(a, b);
  const nbd = logGamma(r + n) - logGamma(r) - logGamma(n + 1) + r * logQ + (n === 0 ? 0 : n * logP);
  const alive = Math.exp(logBeta(a, b + n) - lbAB + nbd);
  if (n === 0) return alive;
  const tail = regularizedIncompleteBeta(t / (alpha + t), n, r);
  return alive + Math.exp(logBeta(a + 1, b + n - 1) - lbAB) * tail;
}
