/**
 * Nelder–Mead downhill simplex (Nelder & Mead 1965; coefficients 1, 2, ½, ½ as in Lagarias et al.
 * 1998), with restarts from the best vertex against premature collapse of the simplex. Derivative-free
 * fallback for optimizer.math.ts when BFGS cannot converge.
 */
import type { MinimizeResult } from './optimizer.math';

const maxAbs = (v: readonly number[]): number => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);

export interface NelderMeadOptions {
  readonly maxIterations?: number;
  /** Stop when the simplex's value spread and its size both fall below this (default 1e-10). */
  readonly tolerance?: number;
  /** Initial simplex edge in each coordinate (default 0.5, i.e. a factor e^0.5 in log space). */
  readonly initialStep?: number;
  /** Re-initialised simplex restarts from the best vertex (default 2), against false convergence. */
  readonly restarts?: number;
}

/** Derivative-free Nelder–Mead simplex with restarts; `gradientNorm` is reported as NaN. */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): MinimizeResult {
  const tol = options.tolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 5000;
  let evaluations = 0;
  const g = (x: readonly number[]): number => {
    evaluations += 1;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  let best = [...x0];
  let bestValue = g(best);
  let iterations = 0;
  let converged = false;
  let edge = options.initialStep ?? 0.5;
  for (let restart = 0; restart <= (options.restarts ?? 2); restart++) {
    const vertices = [best, ...best.map((_, i) => best.map((v, j) => (i === j ? v + edge : v)))];
    const values = vertices.map((v, i) => (i === 0 ? bestValue : g(v)));
    converged = false;
    while (iterations < maxIterations) {
      iterations += 1;
      const order = values.map((_, i) => i).sort((i, j) => (values[i] ?? 0) - (values[j] ?? 0));
      const sorted = order.map((i) => vertices[i] ?? []);
      const sortedValues = order.map((i) => values[i] ?? Infinity);
      sorted.forEach((v, i) => (vertices[i] = v));
      sortedValues.forEach((v, i) => (values[i] = v));
      const lo = values[0] ?? Infinity;
      const hi = values[values.length - 1] ?? Infinity;
      const size = Math.max(...vertices.map((v) => maxAbs(v.map((e, i) => e - (vertices[0]?.[i] ?? 0)))));
      if (Math.abs(hi - lo) <= tol * (Math.abs(lo) + tol) && size <= Math.sqrt(tol)) {
        converged = true;
        break;
      }
      stepSimplex(vertices, values, g);
    }
    const restartFrom = vertices[0] ?? best;
    const restartValue = values[0] ?? bestValue;
    const improved = restartValue < bestValue - tol * (Math.abs(bestValue) + tol);
    if (restartValue <= bestValue) {
      best = restartFrom;
      bestValue = restartValue;
    }
    if (!improved && restart > 0) break;
    edge = Math.max(edge * 0.1, 1e-4);
  }
  return { params: best, value: bestValue, converged, iterations, evaluations, gradientNorm: NaN };
}

/** One reflect / expand / contract / shrink move on a simplex sorted best-first. */
function stepSimplex(vertices: number[][], values: number[], g: (x: readonly number[]) => number): void {
  const n = vertices.length - 1;
  const worst = vertices[n] ?? [];
  const worstValue = values[n] ?? Infinity;
  const centroid = worst.map((_, j) => vertices.slice(0, n).reduce((s, v) => s + (v[j] ?? 0), 0) / n);
  const along = (t: number): number[] => centroid.map((c, j) => c + t * (c - (worst[j] ?? 0)));
  const reflected = along(1);
  const fr = g(reflected);
  const best = values[0] ?? Infinity;
  const secondWorst = values[n - 1] ?? Infinity;
  if (fr < best) {
    const expanded = along(2);
    const fe = g(expanded);
    [vertices[n], values[n]] = fe < fr ? [expanded, fe] : [reflected, fr];
    return;
  }
  if (fr < secondWorst) {
    [vertices[n], values[n]] = [reflected, fr];
    return;
  }
  const contracted = fr < worstValue ? along(0.5) : along(-0.5);
  const fc = g(contracted);
  if (fc < Math.min(fr, worstValue)) {
    [vertices[n], values[n]] = [contracted, fc];
    return;
  }
  const first = vertices[0] ?? [];
  for (let i = 1; i <= n; i++) {
    const shrunk = (vertices[i] ?? []).map((v, j) => (first[j] ?? 0) + 0.5 * (v - (first[j] ?? 0)));
    vertices[i] = shrunk;
    values[i] = g(shrunk);
  }
}
