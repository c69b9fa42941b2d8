/**
 * Unconstrained minimiser for maximum-likelihood fits in log-parameter space (positivity comes
 * from θ = exp(x)). `minimize` runs BFGS (Nocedal & Wright, Numerical Optimization 2nd ed.,
 * Algorithm 6.1, inverse-Hessian update 6.17, initial scaling 6.20) with a backtracking Armijo line
 * search; if it has not converged it restarts from its end point with a fresh Hessian, and finally
 * falls back to Nelder–Mead (nelder-mead.math.ts) followed by a BFGS polish. Gradients are analytic
 * when the objective supplies them, else central differences. An optional ridge penalty λ Σ xᵢ² on
 * the (log-)parameters plays the role of lifetimes' `penalizer_coef`.
 */
import { nelderMead } from './nelder-mead.math';

export interface ValueAndGradient {
  readonly value: number;
  readonly gradient: number[];
}

export interface Objective {
  /** f(x); NaN or ±∞ marks an infeasible point, from which the line search backs off. */
  value(x: readonly number[]): number;
  /** f and ∇f together (analytic); when absent, central differences of value(). */
  valueAndGradient?(x: readonly number[]): ValueAndGradient;
}

export interface MinimizeOptions {
  /** Iterations per BFGS run (default 500). */
  readonly maxIterations?: number;
  /**
   * Converged when max |∂f/∂xᵢ| is below this (default 1e-8), or when the quasi-Newton decrement
   * −∇fᵀp/2 (the predicted remaining decrease) is below 1e-13·max(1, |f|), i.e. at f's rounding noise.
   */
  readonly gradientTolerance?: number;
  /** Ridge penalty λ: minimises f(x) + λ Σ xᵢ² (default 0). */
  readonly l2Penalty?: number;
  /** BFGS restarts from the end point with a fresh Hessian (default 2). */
  readonly restarts?: number;
}

export interface MinimizeResult {
  /** The minimiser (in the space the objective works in, e.g. log-parameters). */
  readonly params: number[];
  /** Objective value at params, penalty included. */
  readonly value: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly evaluations: number;
  /** max |∂f/∂xᵢ| at params. */
  readonly gradientNorm: number;
}

const ARMIJO_C1 = 1e-4;
const DECREMENT_TOLERANCE = 1e-13;
const MAX_BACKTRACKS = 60;

/** Central-difference gradient, step h·max(1, |xᵢ|) with h = ε^{1/3} (error ~ε^{2/3}·|f|). */
export function numericGradient(f: (x: readonly number[]) => number, x: readonly number[]): number[] {
  const h = 6e-6;
  const point = [...x];
  return x.map((xi, i) => {
    const step = h * Math.max(1, Math.abs(xi));
    point[i] = xi + step;
    const up = f(point);
    point[i] = xi - step;
    const down = f(point);
    point[i] = xi;
    return (up - down) / (2 * step);
  });
}

/** Adds the ridge penalty and a counting, gradient-capable wrapper around the objective. */
class Counted {
  evaluations = 0;
  constructor(
    private readonly objective: Objective,
    private readonly penalty: number,
  ) {}

  /** True when the objective's gradient is analytic, so computing it at every trial point is cheap. */
  get analytic(): boolean {
    return this.objective.valueAndGradient !== undefined;
  }

  value(x: readonly number[]): number {
    this.evaluations += 1;
    const v = this.objective.value(x);
    return this.penalty === 0 ? v : v + this.penalty * x.reduce((s, xi) => s + xi * xi, 0);
  }

  valueAndGradient(x: readonly number[]): ValueAndGradient {
    let value: number;
    let gradient: number[];
    if (this.objective.valueAndGradient) {
      this.evaluations += 1;
      ({ value, gradient } = this.objective.valueAndGradient(x));
    } else {
      value = this.objective.value(x);
      gradient = numericGradient((p) => this.objective.value(p), x);
      this.evaluations += 1 + 2 * x.length;
    }
    if (this.penalty === 0) return { value, gradient };
    return {
      value: value + this.penalty * x.reduce((s, xi) => s + xi * xi, 0),
      gradient: gradient.map((g, i) => g + 2 * this.penalty * (x[i] ?? 0)),
    };
  }
}

const maxAbs = (v: readonly number[]): number => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
const dot = (u: readonly number[], v: readonly number[]): number =>
  u.reduce((s, ui, i) => s + ui * (v[i] ?? 0), 0);

interface Run {
  x: number[];
  value: number;
  gradient: number[];
  converged: boolean;
  iterations: number;
}

function runBfgs(f: Counted, x0: readonly number[], maxIterations: number, gtol: number): Run {
  const n = x0.length;
  let x = [...x0];
  let { value, gradient } = f.valueAndGradient(x);
  if (!Number.isFinite(value)) return { x, value, gradient, converged: false, iterations: 0 };
  let H = identity(n);
  let scaled = false;
  let updates = 0;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(gradient) < gtol) return { x, value, gradient, converged: true, iterations: iteration };
    let p = H.map((row) => -dot(row, gradient));
    let slope = dot(gradient, p);
    if (!(slope < 0)) {
      H = identity(n);
      updates = 0;
      p = gradient.map((g) => -g);
      slope = dot(gradient, p);
    }
    // Quasi-Newton decrement −gᵀp/2 ≈ f(x) − min f (Boyd & Vandenberghe §9.5.1): once it is below the
    // rounding noise of f, no line search can make progress, whatever the raw gradient norm.
    if (updates >= n && -slope / 2 <= DECREMENT_TOLERANCE * Math.max(1, Math.abs(value))) {
      return { x, value, gradient, converged: true, iterations: iteration };
    }
    // First step: at most one unit in log-parameter space per coordinate.
    let step = scaled ? 1 : Math.min(1, 1 / Math.max(maxAbs(p), 1e-300));
    let trial: number[] = x;
    let trialValue = NaN;
    let trialPoint: ValueAndGradient | undefined;
    for (let k = 0; k < MAX_BACKTRACKS; k++) {
      trial = x.map((xi, i) => xi + step * (p[i] ?? 0));
      trialPoint = f.analytic ? f.valueAndGradient(trial) : undefined;
      trialValue = trialPoint ? trialPoint.value : f.value(trial);
      if (Number.isFinite(trialValue) && trialValue <= value + ARMIJO_C1 * step * slope) break;
      // Quadratic interpolation of the step, kept within [0.1, 0.5] of the previous one.
      const q = Number.isFinite(trialValue)
        ? (-slope * step) / (2 * (trialValue - value - slope * step))
        : 0.1;
      step *= Math.min(0.5, Math.max(0.1, q));
    }
    if (!(Number.isFinite(trialValue) && trialValue <= value + ARMIJO_C1 * step * slope)) {
      return { x, value, gradient, converged: false, iterations: iteration };
    }
    const next = trialPoint ?? f.valueAndGradient(trial);
    const s = trial.map((t, i) => t - (x[i] ?? 0));
    const y = next.gradient.map((g, i) => g - (gradient[i] ?? 0));
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
      if (!scaled) {
        H = identity(n).map((row) => row.map((e) => (e * sy) / dot(y, y)));
        scaled = true;
      }
      H = bfgsUpdate(H, s, y, 1 / sy);
      updates += 1;
    }
    const previous = value;
    x = trial;
    value = next.value;
    gradient = next.gradient;
    if (Math.abs(previous - value) <= 1e-15 * Math.max(1, Math.abs(value)) && maxAbs(s) < 1e-12) {
      return { x, value, gradient, converged: maxAbs(gradient) < gtol, iterations: iteration + 1 };
    }
  }
  return { x, value, gradient, converged: maxAbs(gradient) < gtol, iterations: maxIterations };
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i === j ? 1 : 0)));
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ (Nocedal & Wright eq. 6.17). */
function bfgsUpdate(H: number[][], s: number[], y: number[], rho: number): number[][] {
  const Hy = H.map((row) => dot(row, y));
  const yHy = dot(y, Hy);
  return H.map((row, i) =>
    row.map((h, j) => {
      const si = s[i] ?? 0;
      const sj = s[j] ?? 0;
      return h - rho * ((Hy[i] ?? 0) * sj + si * (Hy[j] ?? 0)) + (rho * rho * yHy + rho) * si * sj;
    }),
  );
}

/** BFGS with restarts, then Nelder–Mead + BFGS if it still has not converged. */
export function minimize(
  objective: Objective,
  x0: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult {
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-8;
  const f = new Counted(objective, options.l2Penalty ?? 0);
  let run = runBfgs(f, x0, maxIterations, gtol);
  let iterations = run.iterations;
  // A restart with a fresh Hessian recovers from a line search stalled on a stale curvature estimate.
  for (let k = 0; k < (options.restarts ?? 2) && !run.converged; k++) {
    const again = runBfgs(f, run.x, maxIterations, gtol);
    iterations += again.iterations;
    if (!(again.value > run.value)) run = again;
  }
  if (!run.converged) {
    const simplex = nelderMead((x) => f.value(x), Number.isFinite(run.value) ? run.x : x0, {
      maxIterations: 200 * x0.length * x0.length,
    });
    iterations += simplex.iterations;
    const polish = runBfgs(f, simplex.params, maxIterations, gtol);
    iterations += polish.iterations;
    if (!(polish.value > run.value)) run = polish;
  }
  return {
    params: run.x,
    value: run.value,
    converged: run.converged,
    iterations,
    evaluations: f.evaluations,
    gradientNorm: maxAbs(run.gradient),
  };
}
