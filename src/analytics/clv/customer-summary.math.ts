/**
 * The per-customer summary every CLV model consumes (DOMAIN.md §5), and its collapse into weighted
 * distinct tuples so that a fit over 100,000 customers costs one likelihood term per distinct
 * (x, t_x, T) rather than per customer: LL = Σ weight × ll(x, t_x, T).
 */

/** One customer at the as-of date, in the model's time unit (days or weeks). */
export interface CustomerSummary {
  /** Frequency: repeat purchases, i.e. distinct purchase days − 1. */
  readonly x: number;
  /** Recency: time from the first to the last purchase (0 when x = 0). */
  readonly tx: number;
  /** Age: time from the first purchase to the as-of date. */
  readonly T: number;
  /** Mean value of the repeat purchases, first excluded (Gamma-Gamma input; absent when x = 0). */
  readonly monetary?: number;
}

/** Distinct (x, t_x, T) tuples with their customer counts, as parallel typed arrays. */
export interface CollapsedSummaries {
  readonly x: Float64Array;
  readonly tx: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  /** Distinct frequencies, and for each tuple the index of its x in that list. */
  readonly distinctX: Float64Array;
  readonly xIndex: Int32Array;
  /** Number of customers (Σ weight). */
  readonly customers: number;
}

/** Options shared by the model fits (BG/NBD, Pareto/NBD, Gamma-Gamma). */
export interface ModelFitOptions<P> {
  /** Ridge penalty λ on the log-parameters, added to the MEAN negative log-likelihood (default 0). */
  readonly penalizer?: number;
  /** Starting point; defaults are model-specific (1s, with a rate-matched scale parameter). */
  readonly initial?: Partial<P>;
  readonly maxIterations?: number;
  /**
   * Asked before each likelihood evaluation; true stops the fit at the best point seen so far,
   * reported as not converged (a time budget supplied by the caller: the math reads no clock).
   */
  readonly shouldStop?: () => boolean;
}

/** What every model fit reports (DOMAIN.md §5 diagnostics: log-likelihood, convergence, customers used). */
export interface ModelFit<P> {
  readonly params: P;
  /** Total log-likelihood Σ ll over customers, without the penalty. */
  readonly logLikelihood: number;
  readonly converged: boolean;
  readonly iterations: number;
  /** Objective evaluations (a numeric gradient counts 2k + 1). */
  readonly evaluations: number;
  /** Customers used, and distinct tuples after collapsing. */
  readonly customers: number;
  readonly distinctTuples: number;
}

/** Throws RangeError naming the first customer whose summary is impossible. */
export function assertValidSummaries(summaries: readonly CustomerSummary[]): void {
  summaries.forEach((s, i) => {
    const ok =
      Number.isFinite(s.x) &&
      Number.isFinite(s.tx) &&
      Number.isFinite(s.T) &&
      s.x >= 0 &&
      s.tx >= 0 &&
      s.T >= s.tx &&
      (s.x > 0 || s.tx === 0);
    if (!ok) {
      throw new RangeError(
        `customer summary ${i} is invalid: need x ≥ 0, 0 ≤ t_x ≤ T, t_x = 0 when x = 0 (got x=${s.x}, t_x=${s.tx}, T=${s.T})`,
      );
    }
  });
}

/** Groups identical (x, t_x, T); validates first. Tuples keep first-seen order. */
export function collapseSummaries(summaries: readonly CustomerSummary[]): CollapsedSummaries {
  assertValidSummaries(summaries);
  const slot = new Map<string, number>();
  const xs: number[] = [];
  const txs: number[] = [];
  const Ts: number[] = [];
  const weights: number[] = [];
  for (const s of summaries) {
    const key = `${s.x}|${s.tx}|${s.T}`;
    const at = slot.get(key);
    if (at === undefined) {
      slot.set(key, xs.length);
      xs.push(s.x);
      txs.push(s.tx);
      Ts.push(s.T);
      weights.push(1);
    } else {
      weights[at] = (weights[at] ?? 0) + 1;
    }
  }
  const { distinct, index } = indexDistinct(xs);
  return {
    x: Float64Array.from(xs),
    tx: Float64Array.from(txs),
    T: Float64Array.from(Ts),
    weight: Float64Array.from(weights),
    distinctX: distinct,
    xIndex: index,
    customers: summaries.length,
  };
}

/** Sorted distinct values and, per input element, its position among them. */
export function indexDistinct(values: readonly number[]): { distinct: Float64Array; index: Int32Array } {
  const distinct = Float64Array.from(new Set(values)).sort();
  const position = new Map<number, number>();
  distinct.forEach((v, i) => position.set(v, i));
  return { distinct, index: Int32Array.from(values, (v) => position.get(v) ?? -1) };
}
