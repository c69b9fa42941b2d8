/**
 * Standard normal quantile (inverse CDF), used to turn a service level into the safety factor z.
 *
 * inverseNormal(p) = Φ⁻¹(p), for 0 < p < 1.
 *
 * Method: Peter J. Acklam's rational approximation ("An algorithm for computing the inverse normal
 * cumulative distribution function", 2003; relative error < 1.15e-9), split into a lower tail
 * (p < 0.02425), a central region and an upper tail, followed by ONE Halley refinement step:
 *
 *   e = Φ(x) − p = ½·erfc(−x/√2) − p
 *   u = e · √(2π) · exp(x²/2)
 *   x ← x − u / (1 + x·u/2)
 *
 * which brings the result to full double precision, provided erfc is itself accurate to ~1e-16.
 * erfc is therefore W. J. Cody's rational Chebyshev approximation ("Rational Chebyshev
 * approximations for the error function", Math. Comp. 23 (1969) 631–638; Netlib specfun CALERF),
 * not the 1e-7 textbook approximations, which would make the refinement step worse, not better.
 */

// Acklam's coefficients.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
] as const;
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;
const P_HIGH = 1 - P_LOW;

/** Φ⁻¹(p). Throws RangeError unless 0 < p < 1 (the quantile of 0 or 1 is infinite). */
export function inverseNormal(p: number): number {
  if (!Number.isFinite(p) || p <= 0 || p >= 1) {
    throw new RangeError(`inverseNormal: p must be strictly between 0 and 1, got ${p}`);
  }
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= P_HIGH) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // One Halley step (Acklam's refinement).
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Standard normal CDF Φ(x) = ½·erfc(−x/√2). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

// Cody's CALERF coefficients: A/B → erf on |x| ≤ 0.46875; C/D → erfc·exp(x²) on (0.46875, 4];
// P/Q → asymptotic erfc·exp(x²) on (4, ∞).
const CA = [3.1611237438705656, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3] as const;
const CA4 = 1.85777706184603153e-1;
const CB = [
  2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3,
] as const;
const CC = [
  5.64188496988670089e-1, 8.88314979438837594, 6.61191906371416295e1, 2.98635138197400131e2,
  8.8195222124176909e2, 1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3,
] as const;
const CC8 = 2.15311535474403846e-8;
const CD = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3,
  3.29079923573345963e3, 4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
] as const;
const CP = [
  3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
  6.58749161529837803e-4,
] as const;
const CP5 = 1.63153871373020978e-2;
const CQ = [
  2.56852019228982242, 1.87295284992346047, 5.27905102951428412e-1, 6.05183413124413191e-2,
  2.33520497626869185e-3,
] as const;
const ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;

/** Complementary error function erfc(x) = 1 − erf(x), Cody (1969), ~1e-16 relative accuracy. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= 0.46875) {
    const z = y * y;
    let num = CA4 * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + CA[i]!) * z;
      den = (den + CB[i]!) * z;
    }
    return 1 - (x * (num + CA[3])) / (den + CB[3]);
  }
  let scaled: number; // erfc(y)·exp(y²)
  if (y <= 4) {
    let num = CC8 * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + CC[i]!) * y;
      den = (den + CD[i]!) * y;
    }
    scaled = (num + CC[7]) / (den + CD[7]);
  } else {
    const z = 1 / (y * y);
    let num = CP5 * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + CP[i]!) * z;
      den = (den + CQ[i]!) * z;
    }
    scaled = (ONE_OVER_SQRT_PI - (z * (num + CP[4])) / (den + CQ[4])) / y;
  }
  // exp(−y²) split as exp(−ysq²)·exp(−(y−ysq)(y+ysq)) to keep the full precision (Cody's trick).
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  const result = Math.exp(-ysq * ysq) * Math.exp(-del) * scaled;
  return x < 0 ? 2 - result : result;
}
