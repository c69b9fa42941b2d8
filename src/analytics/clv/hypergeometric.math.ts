/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) = Σₙ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ for real arguments,
 * z < 1 (and z = 1 when c − a − b > 0; any z when a or b is a non-positive integer). Results come back
 * in log space, { logAbs, sign }, because BG/NBD multiplies them by powers that would overflow.
 *
 * Methods (Abramowitz & Stegun 15.3, DLMF 15.8), tried in order of expected merit:
 *   z < 0       Pfaff: F(a,b;c;z) = (1−z)^{−a} F(a, c−b; c; w) = (1−z)^{−b} F(c−a, b; c; w), w = z/(z−1)
 *               ∈ (0, 1); the direct series when z > −1;
 *   0 < z < 1   the series of F and of its Euler transform (1−z)^{c−a−b} F(c−a, c−b; c; z) — the one
 *               with faster-decaying coefficients first (n^{a+b−c−1} vs n^{c−a−b−1}) — and, for z > ½,
 *               the 1 − z connection formula (DLMF 15.8.4), first when z > 0.9 and c − a − b is not
 *               within 1e-3 of an integer (its gamma factors have poles at the integers).
 * Every method reports its cancellation loss ln(Σ|terms| / |result|): the first one losing at most 3
 * digits is taken, else the best. Series are summed with rescaling so partial sums never overflow.
 * When every method would lose more than 8 digits (large parameters of mixed sign far from z = 0),
 * or none converges, it throws RangeError rather than return a wrong number.
 */
import { gammaSign, logAddExp, logGamma } from './special-functions.math';

export interface SignedLog {
  /** ln |value| (−∞ for 0). */
  readonly logAbs: number;
  readonly sign: -1 | 0 | 1;
}

/** A result plus its cancellation loss ln(Σ|terms| / |result|) (0 when nothing cancels). */
interface Evaluation extends SignedLog {
  readonly loss: number;
}

const EPSILON = 1e-16;
const TINY = 1e-300;
const MAX_TERMS = 1_000_000;
const ACCEPT_LOSS = Math.log(1e3);
const REJECT_LOSS = Math.log(1e8);
const RESCALE_ABOVE = 1e280;
const LOG_RESCALE = Math.log(RESCALE_ABOVE);

/** ₂F₁(a, b; c; z) as a plain number (may overflow to ±∞ where logHyp2f1 would not). */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const { logAbs, sign } = logHyp2f1(a, b, c, z);
  return sign * Math.exp(logAbs);
}

/** ln|₂F₁(a, b; c; z)| and its sign; see the file header for the method. */
export function logHyp2f1(a: number, b: number, c: number, z: number): SignedLog {
  if (![a, b, c, z].every(Number.isFinite)) throw new RangeError('hyp2f1: arguments must be finite');
  if (c <= 0 && Number.isInteger(c)) throw new RangeError(`hyp2f1: c = ${c} is a non-positive integer`);
  const terminating = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  if (z > 1 && !terminating) throw new RangeError(`hyp2f1: z = ${z} > 1 is outside the principal branch`);
  if (z === 1 && !terminating && !(c - a - b > 0)) {
    throw new RangeError('hyp2f1: diverges at z = 1 unless c − a − b > 0');
  }
  const result = evaluate(a, b, c, z);
  const where = `(a=${a}, b=${b}, c=${c}, z=${z})`;
  if (!result) throw new RangeError(`hyp2f1: no method converged ${where}`);
  if (!(result.loss <= REJECT_LOSS) || Number.isNaN(result.logAbs)) {
    throw new RangeError(
      `hyp2f1: cancellation would lose ${(result.loss / Math.LN10).toFixed(0)} digits ${where}`,
    );
  }
  return { logAbs: result.logAbs, sign: result.sign };
}

function evaluate(a: number, b: number, c: number, z: number): Evaluation | undefined {
  if (z === 0 || a === 0 || b === 0) return { logAbs: 0, sign: 1, loss: 0 };
  if (isNonPositiveInteger(a) || isNonPositiveInteger(b)) return series(a, b, c, z);
  if (z === 1) return { ...gammaRatio([c, c - a - b], [c - a, c - b]), loss: 0 };
  const logOneMinusZ = Math.log1p(-z);
  if (z < 0) {
    const w = z / (z - 1);
    const pfaffA = () => shift(evaluate(a, c - b, c, w), -a * logOneMinusZ);
    const pfaffB = () => shift(evaluate(c - a, b, c, w), -b * logOneMinusZ);
    const direct = () => (z > -1 ? series(a, b, c, z) : undefined);
    // F(a, c−b; c; w) has coefficients growing like n^{a−b−1}: the smaller of a, b goes first.
    return firstAcceptable(a <= b ? [pfaffA, pfaffB, direct] : [pfaffB, pfaffA, direct]);
  }
  const s = c - a - b;
  const direct = () => series(a, b, c, z);
  const euler = () => shift(series(c - a, c - b, c, z), s * logOneMinusZ);
  const bySeries = a + b > c ? [euler, direct] : [direct, euler];
  const nonInteger = Math.abs(s - Math.round(s)) > 1e-12;
  const viaConnection = () => (z > 0.5 && nonInteger ? connection(a, b, c, z) : undefined);
  const connectionFirst = z > 0.9 && Math.abs(s - Math.round(s)) > 1e-3;
  return firstAcceptable(connectionFirst ? [viaConnection, ...bySeries] : [...bySeries, viaConnection]);
}

/** The first candidate losing at most ACCEPT_LOSS, else the one that lost least. */
function firstAcceptable(candidates: readonly (() => Evaluation | undefined)[]): Evaluation | undefined {
  let best: Evaluation | undefined;
  for (const candidate of candidates) {
    const e = candidate();
    if (e && !Number.isNaN(e.logAbs) && (best === undefined || e.loss < best.loss)) best = e;
    if (best && best.loss <= ACCEPT_LOSS) break;
  }
  return best;
}

function shift(e: Evaluation | undefined, by: number): Evaluation | undefined {
  return e && { ...e, logAbs: e.logAbs + by };
}

/** Γ(n₁)Γ(n₂)… / (Γ(d₁)Γ(d₂)…) in signed log form; 0 when a denominator argument is a pole. */
function gammaRatio(numerator: readonly number[], denominator: readonly number[]): SignedLog {
  let logAbs = 0;
  let sign = 1;
  for (const v of numerator) {
    logAbs += logGamma(v);
    sign *= gammaSign(v);
  }
  for (const v of denominator) {
    const sg = gammaSign(v);
    if (sg === 0) return { logAbs: -Infinity, sign: 0 };
    logAbs -= logGamma(v);
    sign *= sg;
  }
  return { logAbs, sign: sign > 0 ? 1 : sign < 0 ? -1 : 0 };
}

/**
 * DLMF 15.8.4 with w = 1 − z and s = c − a − b not an integer:
 *   F(a,b;c;z) = Γ(c)Γ(s)/(Γ(c−a)Γ(c−b)) F(a, b; 1−s; w) + w^s Γ(c)Γ(−s)/(Γ(a)Γ(b)) F(c−a, c−b; 1+s; w).
 * Its loss adds the inner series' loss to the cancellation between the two terms.
 */
function connection(a: number, b: number, c: number, z: number): Evaluation | undefined {
  const s = c - a - b;
  const w = 1 - z;
  const g1 = gammaRatio([c, s], [c - a, c - b]);
  const g2 = gammaRatio([c, -s], [a, b]);
  const f1 = g1.sign === 0 ? { logAbs: -Infinity, sign: 0 as const, loss: 0 } : series(a, b, 1 - s, w);
  const f2 =
    g2.sign === 0 ? { logAbs: -Infinity, sign: 0 as const, loss: 0 } : series(c - a, c - b, 1 + s, w);
  if (!f1 || !f2) return undefined;
  const t1 = { logAbs: g1.logAbs + f1.logAbs, sign: sign(g1.sign * f1.sign) };
  const t2 = { logAbs: g2.logAbs + f2.logAbs + s * Math.log(w), sign: sign(g2.sign * f2.sign) };
  const total = addSigned(t1, t2);
  const magnitude = logAddExp(t1.sign === 0 ? -Infinity : t1.logAbs, t2.sign === 0 ? -Infinity : t2.logAbs);
  return { ...total, loss: Math.max(f1.loss, f2.loss) + (magnitude - total.logAbs) };
}

function sign(v: number): -1 | 0 | 1 {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function addSigned(x: SignedLog, y: SignedLog): SignedLog {
  if (x.sign === 0) return y;
  if (y.sign === 0) return x;
  if (x.sign === y.sign) return { logAbs: logAddExp(x.logAbs, y.logAbs), sign: x.sign };
  const [big, small] = x.logAbs >= y.logAbs ? [x, y] : [y, x];
  if (big.logAbs === small.logAbs) return { logAbs: -Infinity, sign: 0 };
  return { logAbs: big.logAbs + Math.log1p(-Math.exp(small.logAbs - big.logAbs)), sign: big.sign };
}

function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/**
 * Power series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ, |z| < 1 (or terminating), summed with rescaling; undefined
 * if it has not converged after MAX_TERMS terms. Stops when the tail bound |term|·ρ/(1−ρ) falls below
 * 1e-16·Σ|terms| (the rounding floor), ρ = max(current term ratio, |z|) bounding the later ratios.
 */
function series(a: number, b: number, c: number, z: number): Evaluation | undefined {
  let term = 1;
  let sum = 1;
  let sumAbs = 1;
  let logScale = 0;
  for (let n = 0; n < MAX_TERMS; n++) {
    const ratio = ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    term *= ratio;
    sum += term;
    sumAbs += Math.abs(term);
    const rho = Math.max(Math.abs(ratio), Math.abs(z));
    if (term === 0 || (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= EPSILON * sumAbs)) {
      if (sum === 0) return { logAbs: -Infinity, sign: 0, loss: Infinity };
      return {
        logAbs: Math.log(Math.abs(sum)) + logScale,
        sign: sum > 0 ? 1 : -1,
        loss: Math.log(sumAbs / Math.abs(sum)),
      };
    }
    if (sumAbs > RESCALE_ABOVE) {
      sum /= RESCALE_ABOVE;
      sumAbs /= RESCALE_ABOVE;
      term /= RESCALE_ABOVE;
      logScale += LOG_RESCALE;
    }
  }
  return undefined;
}

/** The plain power series of ₂F₁ in signed log form (exported for tests of the transformations). */
export function seriesLog(a: number, b: number, c: number, z: number): SignedLog {
  const e = series(a, b, c, z);
  if (!e) throw new RangeError(`hyp2f1: series did not converge (a=${a}, b=${b}, c=${c}, z=${z})`);
  return { logAbs: e.logAbs, sign: e.sign };
}

/**
 * ₂F₁(a, 1; c; z) for z < 1 by Gauss's continued fraction (A&S 15.1 / Wall 1948, taking b = 0 in
 * F(a, b+1; c+1; z)/F(a, b; c; z)), with c′ = c − 1:
 *   F(a, 1; c′+1; z) = 1 / (1 − k₁z / (1 − k₂z / (1 − …))),
 *   k_{2n+1} = (a+n)(c′+n) / ((c′+2n)(c′+2n+1)),  k_{2n} = n(c′+n−a) / ((c′+2n−1)(c′+2n)).
 * The fraction converges on the whole cut plane, much faster than the power series as z → 1, which is
 * what the Pareto/NBD likelihood needs. Evaluated by the modified Lentz method; c > 0 required.
 */
export function hyp2f1UnitB(a: number, c: number, z: number): number {
  if (!(z < 1) || !(c > 0) || !Number.isFinite(a)) throw new RangeError('hyp2f1UnitB: needs z < 1, c > 0');
  if (z === 0) return 1;
  const cp = c - 1;
  // Value of W = 1 + e₁/(1 + e₂/(1 + …)) with eₖ = −kₖ z; the function is 1/W.
  let f = 1;
  let C = 1;
  let D = 0;
  for (let k = 1; k <= MAX_TERMS; k++) {
    const n = k >> 1;
    const coefficient =
      k === 1
        ? a / c
        : k % 2 === 1
          ? ((a + n) * (cp + n)) / ((cp + 2 * n) * (cp + 2 * n + 1))
          : (n * (cp + n - a)) / ((cp + 2 * n - 1) * (cp + 2 * n));
    const e = -coefficient * z;
    // Plain comparisons instead of Math.abs: this loop is the Pareto/NBD fit's inner loop.
    D = 1 + e * D;
    if (D < TINY && D > -TINY) D = TINY;
    C = 1 + e / C;
    if (C < TINY && C > -TINY) C = TINY;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (delta - 1 < EPSILON && 1 - delta < EPSILON) return 1 / f;
  }
  throw new RangeError(`hyp2f1UnitB: continued fraction did not converge (a=${a}, c=${c}, z=${z})`);
}
