import { erfc, inverseNormal, normalCdf } from './normal.math';

describe('inverseNormal (Acklam + one Halley step)', () => {
  it.each([
    [0.5, '0.0000'],
    [0.9, '1.2816'],
    [0.95, '1.6449'],
    [0.975, '1.9600'],
    [0.99, '2.3263'],
  ])('gives the textbook z for service level %p → %s', (p, z) => {
    expect(inverseNormal(p).toFixed(4)).toBe(z);
  });

  // Reference values: R's qnorm() (Wichura's AS 241, accurate to ~1e-16).
  it.each([
    [0.95, 1.6448536269514722],
    [0.975, 1.959963984540054],
    [0.99, 2.3263478740408408],
    [0.9, 1.2815515655446004],
    [0.001, -3.090232306167813],
    [1e-10, -6.361340902404056],
  ])('matches qnorm(%p) = %p to 1e-13 (the refinement step reaches full precision)', (p, z) => {
    expect(Math.abs(inverseNormal(p) - z)).toBeLessThan(1e-13);
  });

  it('is exactly 0 at the median and antisymmetric around it', () => {
    expect(inverseNormal(0.5)).toBe(0);
    for (const p of [0.001, 0.02, 0.02425, 0.1, 0.3]) {
      expect(inverseNormal(p)).toBeCloseTo(-inverseNormal(1 - p), 12);
    }
  });

  it('round-trips through the normal CDF in all three regions of the approximation', () => {
    for (const p of [1e-12, 0.001, 0.02424, 0.02426, 0.2, 0.5, 0.8, 0.97574, 0.97576, 0.999]) {
      expect(Math.abs(normalCdf(inverseNormal(p)) - p) / p).toBeLessThan(1e-14);
    }
  });

  it.each([0, 1, -0.1, 1.5, NaN, Infinity])('throws RangeError for p = %p (outside (0, 1))', (p) => {
    expect(() => inverseNormal(p)).toThrow(RangeError);
  });
});

describe('erfc (Cody 1969)', () => {
  // Reference values: scipy.special.erfc.
  it.each([
    [0, 1],
    [0.25, 0.7236736098317631],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [5, 1.5374597944280349e-12],
    [-1, 1.8427007929497148],
  ])('erfc(%p) = %p to 1e-15 relative', (x, expected) => {
    expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(1e-15);
  });
});
