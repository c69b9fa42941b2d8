import { hyp2f1, hyp2f1UnitB, logHyp2f1, seriesLog } from './hypergeometric.math';
import { logBeta, regularizedIncompleteBeta } from './special-functions.math';

// Expected values are elementary closed forms of ₂F₁ (DLMF 15.4) and identities, chosen so that each
// branch of the implementation (Pfaff for z < 0, series, Euler series, 1 − z connection near 1,
// terminating polynomial, continued fraction) is exercised against something independent.
const relative = (actual: number, expected: number): number =>
  Math.abs(actual - expected) / Math.abs(expected);
/** Relative tolerance for −ln(1−z)/z: 1e-13 times its condition number in z, 1/((1−z)|ln(1−z)|), near z = 1. */
const logTolerance = (z: number): number => 1e-13 * Math.max(1, z > 0 ? 1 / ((1 - z) * -Math.log1p(-z)) : 1);

describe('hyp2f1', () => {
  it('matches ₂F₁(1, 1; 2; z) = −ln(1−z)/z (DLMF 15.4.1) from z = −50 to z = 0.9999', () => {
    for (const z of [-50, -3, -0.5, 0.001, 0.3, 0.7, 0.93, 0.9999]) {
      expect(relative(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(logTolerance(z));
    }
  });

  it('matches ₂F₁(a, b; b; z) = (1−z)^{−a} (DLMF 15.4.6) across the Pfaff, series and connection branches', () => {
    for (const [a, b] of [
      [0.7, 2.3],
      [3.2, 0.45],
      [26.243, 28.426],
    ] as const) {
      for (const z of [-9, -0.4, 0.2, 0.85, 0.95, 0.995]) {
        const { logAbs, sign } = logHyp2f1(a, b, b, z);
        expect(sign).toBe(1);
        expect(Math.abs(logAbs + a * Math.log1p(-z))).toBeLessThan(
          1e-12 * (1 + Math.abs(a * Math.log1p(-z))),
        );
      }
    }
  });

  it('stays finite in log space where the value itself overflows (a = 1000.5, z = 0.9: 10^1000)', () => {
    const { logAbs } = logHyp2f1(1000.5, 3.3, 3.3, 0.9);
    expect(relative(logAbs, -1000.5 * Math.log(0.1))).toBeLessThan(1e-13);
    expect(hyp2f1(1000.5, 3.3, 3.3, 0.9)).toBe(Infinity);
  });

  it('matches ₂F₁(½, ½; 3/2; z²) = arcsin(z)/z and ₂F₁(½, 1; 3/2; −z²) = arctan(z)/z (DLMF 15.4.4, 15.4.3)', () => {
    for (const z of [0.2, 0.6, 0.97, 0.999]) {
      expect(relative(hyp2f1(0.5, 0.5, 1.5, z * z), Math.asin(z) / z)).toBeLessThan(1e-13);
    }
    for (const z of [0.5, 2, 10])
      expect(relative(hyp2f1(0.5, 1, 1.5, -z * z), Math.atan(z) / z)).toBeLessThan(1e-13);
  });

  it('applies Gauss’s sum at z = 1: ₂F₁(a, b; c; 1) = Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) (DLMF 15.4.20)', () => {
    // With a = 1, b = 1, c = 3: Γ(3)Γ(1)/(Γ(2)Γ(2)) = 2.
    expect(hyp2f1(1, 1, 3, 1)).toBeCloseTo(2, 13);
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(RangeError);
  });

  it('sums a terminating series exactly, even for z > 1: ₂F₁(−3, b; b; 4) = (1−4)³', () => {
    expect(hyp2f1(-3, 2.5, 2.5, 4)).toBeCloseTo(-27, 12);
  });

  it('agrees between the 1 − z connection formula and the plain series for BG/NBD-shaped arguments', () => {
    // (r+x, b+x; a+b+x−1) at CDNOW-like parameters; z = 0.95 takes the connection branch.
    for (const x of [0, 1, 7, 26]) {
      const [a, b, c] = [0.243 + x, 2.426 + x, 0.793 + 2.426 + x - 1];
      const viaConnection = logHyp2f1(a, b, c, 0.95);
      const viaSeries = seriesLog(c - a, c - b, c, 0.95);
      const seriesLogValue = viaSeries.logAbs + (c - a - b) * Math.log(0.05);
      expect(Math.abs(viaConnection.logAbs - seriesLogValue)).toBeLessThan(1e-11);
      expect(viaConnection.sign).toBe(viaSeries.sign);
    }
  });

  it('takes the transformation that does not cancel when parameters are large: ₂F₁(150, 0.7; 0.7; −5) = 6^{−150}', () => {
    const { logAbs, sign } = logHyp2f1(150, 0.7, 0.7, -5);
    expect(sign).toBe(1);
    expect(relative(logAbs, -150 * Math.log(6))).toBeLessThan(1e-13);
  });

  it('throws instead of answering when every method would cancel catastrophically (large a, b, small c, z ≪ 0)', () => {
    expect(() => hyp2f1(104.306, 90.675, 0.955, -14.462)).toThrow(/cancellation would lose/);
  });

  it('rejects arguments outside what it evaluates instead of returning a wrong number', () => {
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(RangeError);
    expect(() => hyp2f1(0.5, 0.5, 1.5, 1.5)).toThrow(RangeError);
    expect(() => hyp2f1(NaN, 1, 2, 0.5)).toThrow(RangeError);
  });
});

describe('hyp2f1UnitB (Gauss continued fraction for ₂F₁(a, 1; c; z))', () => {
  it('matches −ln(1−z)/z = ₂F₁(1, 1; 2; z) up to z = 1 − 1e-9, where the power series would need ~1e10 terms', () => {
    for (const z of [-20, -0.9, 0.1, 0.9, 0.999, 1 - 1e-6, 1 - 1e-9]) {
      expect(relative(hyp2f1UnitB(1, 2, z), -Math.log1p(-z) / z)).toBeLessThan(logTolerance(z));
    }
  });

  it('matches ₂F₁(a, 1; a; z) = 1/(1−z) including c = 1', () => {
    for (const a of [1, 2.5, 40]) expect(relative(hyp2f1UnitB(a, a, 0.8), 5)).toBeLessThan(1e-13);
  });

  it('agrees with the incomplete beta: I_x(a,b) = xᵃ(1−x)ᵇ/(a B(a,b)) · ₂F₁(a+b, 1; a+1; x) (DLMF 8.17.8)', () => {
    for (const [x, a, b] of [
      [0.2, 2, 3],
      [0.5, 26.8, 0.6],
      [0.05, 0.55, 11.7],
    ] as const) {
      const viaCf =
        Math.exp(a * Math.log(x) + b * Math.log1p(-x) - Math.log(a) - logBeta(a, b)) *
        hyp2f1UnitB(a + b, a + 1, x);
      expect(relative(viaCf, regularizedIncompleteBeta(x, a, b))).toBeLessThan(1e-12);
    }
  });

  it('agrees with the series-based hyp2f1 for Pareto/NBD-shaped arguments', () => {
    for (const [a, c, z] of [
      [26.55, 28.15, 0.5],
      [1.6, 28.2, 0.3],
      [132.55, 134.16, 0.88],
    ] as const) {
      expect(relative(hyp2f1UnitB(a, c, z), hyp2f1(a, 1, c, z))).toBeLessThan(1e-12);
    }
  });
});
