import { nelderMead } from './nelder-mead.math';
import { Objective, minimize, numericGradient } from './optimizer.math';

// Test problems with analytically known minimisers.
const rosenbrock = (x: readonly number[]): number => {
  const [a = 0, b = 0] = x;
  return 100 * (b - a * a) ** 2 + (1 - a) ** 2;
};
const rosenbrockGradient = (x: readonly number[]): number[] => {
  const [a = 0, b = 0] = x;
  return [-400 * a * (b - a * a) - 2 * (1 - a), 200 * (b - a * a)];
};

describe('minimize (BFGS with restarts and a Nelder–Mead fallback)', () => {
  it('finds the Rosenbrock minimum (1, 1) from (−1.2, 1) with an analytic gradient', () => {
    const objective: Objective = {
      value: rosenbrock,
      valueAndGradient: (x) => ({ value: rosenbrock(x), gradient: rosenbrockGradient(x) }),
    };
    const result = minimize(objective, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.params[0]).toBeCloseTo(1, 6);
    expect(result.params[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
  });

  it('finds the same minimum with central-difference gradients', () => {
    const result = minimize({ value: rosenbrock }, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.params[0]).toBeCloseTo(1, 5);
    expect(result.params[1]).toBeCloseTo(1, 5);
  });

  it('minimises a badly scaled quadratic Σ wᵢ(xᵢ − cᵢ)² exactly at c', () => {
    const c = [3, -2, 0.5, 10];
    const w = [1e-3, 1, 50, 2];
    const f = (x: readonly number[]): number =>
      x.reduce((s, xi, i) => s + (w[i] ?? 0) * (xi - (c[i] ?? 0)) ** 2, 0);
    const result = minimize({ value: f }, [0, 0, 0, 0]);
    expect(result.converged).toBe(true);
    result.params.forEach((p, i) => expect(p).toBeCloseTo(c[i] ?? NaN, 4));
  });

  it('applies the ridge penalty: (x − 3)² + λx² is minimised at 3/(1 + λ)', () => {
    const result = minimize({ value: (x) => ((x[0] ?? 0) - 3) ** 2 }, [0], { l2Penalty: 0.5 });
    expect(result.params[0]).toBeCloseTo(2, 7);
    expect(result.value).toBeCloseTo(1 + 0.5 * 4, 10);
  });

  it('backs off from infeasible points (NaN) instead of failing: x − ln x has its minimum at 1', () => {
    const f = (x: readonly number[]): number => (x[0] ?? 0) - Math.log(x[0] ?? 0);
    const result = minimize({ value: f }, [8]);
    expect(result.converged).toBe(true);
    expect(result.params[0]).toBeCloseTo(1, 6);
  });

  it('reports non-convergence when the iteration budget is too small', () => {
    const result = minimize({ value: rosenbrock }, [-1.2, 1], { maxIterations: 2, restarts: 0 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBeGreaterThan(0);
  });
});

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum without derivatives', () => {
    const result = nelderMead(rosenbrock, [-1.2, 1], { tolerance: 1e-14 });
    expect(result.converged).toBe(true);
    expect(result.params[0]).toBeCloseTo(1, 4);
    expect(result.params[1]).toBeCloseTo(1, 4);
  });
});

describe('numericGradient', () => {
  it('matches the analytic Rosenbrock gradient', () => {
    const x = [0.3, -0.7];
    const g = numericGradient(rosenbrock, x);
    rosenbrockGradient(x).forEach((gi, i) =>
      expect(Math.abs((g[i] ?? NaN) - gi)).toBeLessThan(1e-6 * (1 + Math.abs(gi))),
    );
  });
});
