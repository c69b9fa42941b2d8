import {
  BgNbdParams,
  bgNbdLogLikelihood,
  bgNbdObjective,
  bgNbdTotalLogLikelihood,
  fitBgNbd,
} from './bg-nbd.math';
import { loadCdnowExactWithHoldout, loadCdnowSummary, printedDecimals, refNumber } from './cdnow.fixture';
import { collapseSummaries } from './customer-summary.math';
import { numericGradient } from './optimizer.math';

// Ground truth: /work/shared/data/cdnow/reference_values.json (paths named in each test) and README.md.
const params = (path: string): BgNbdParams => ({
  r: refNumber(`${path}.r`),
  alpha: refNumber(`${path}.alpha`),
  a: refNumber(`${path}.a`),
  b: refNumber(`${path}.b`),
});
const expectWithin = (actual: BgNbdParams, expected: BgNbdParams, relativeTolerance: number): void => {
  for (const key of ['r', 'alpha', 'a', 'b'] as const) {
    expect(Math.abs(actual[key] - expected[key]) / expected[key]).toBeLessThan(relativeTolerance);
  }
};

describe('BG/NBD log-likelihood', () => {
  const rounded = loadCdnowSummary();
  const exact = loadCdnowExactWithHoldout();

  it('is −9582.4268 at the paper’s parameters on the rounded summary (bgnbd.recomputed.LL_at_paper_params_on_rounded_summary)', () => {
    const expected = refNumber('bgnbd.recomputed.LL_at_paper_params_on_rounded_summary');
    const ll = bgNbdTotalLogLikelihood(params('bgnbd.published.paper_params'), rounded);
    expect(ll).toBeCloseTo(expected, printedDecimals(expected));
  });

  it('is −9582.4292 at BTYD’s parameters on the exact-weeks file (bgnbd.recomputed.LL_at_btyd_params_on_exact_weeks)', () => {
    const expected = refNumber('bgnbd.recomputed.LL_at_btyd_params_on_exact_weeks');
    const ll = bgNbdTotalLogLikelihood(params('bgnbd.published.btyd_params'), exact);
    expect(ll).toBeCloseTo(expected, printedDecimals(expected));
  });

  it('sums the same over collapsed, weighted tuples as customer by customer', () => {
    const p = params('bgnbd.published.paper_params');
    const perCustomer = rounded.reduce((s, c) => s + bgNbdLogLikelihood(p, c), 0);
    expect(bgNbdTotalLogLikelihood(p, collapseSummaries(rounded))).toBeCloseTo(perCustomer, 8);
  });

  it('has an analytic gradient that matches central differences', () => {
    const objective = bgNbdObjective(collapseSummaries(rounded));
    const at = [0.3, 4.1, 0.7, 2.2].map(Math.log);
    const analytic = objective.valueAndGradient?.(at).gradient ?? [];
    const numeric = numericGradient((x) => objective.value(x), at);
    numeric.forEach((g, i) =>
      expect(Math.abs((analytic[i] ?? NaN) - g)).toBeLessThan(1e-7 * (1 + Math.abs(g))),
    );
  });
});

describe('fitBgNbd on CDNOW', () => {
  const roundedFit = fitBgNbd(loadCdnowSummary());
  const exactFit = fitBgNbd(loadCdnowExactWithHoldout());

  it('reproduces the MLE on the rounded summary within 0.1 % and LL −9582.4256 (bgnbd.recomputed.MLE_on_rounded_summary)', () => {
    expect(roundedFit.converged).toBe(true);
    expect(roundedFit.customers).toBe(2357);
    expectWithin(roundedFit.params, params('bgnbd.recomputed.MLE_on_rounded_summary'), 1e-3);
    const ll = refNumber('bgnbd.recomputed.MLE_on_rounded_summary.LL');
    expect(roundedFit.logLikelihood).toBeCloseTo(ll, printedDecimals(ll));
  });

  it('matches lifetimes’ Quickstart fit within 0.1 % (bgnbd.published.lifetimes_quickstart_summary)', () => {
    expectWithin(roundedFit.params, params('bgnbd.published.lifetimes_quickstart_summary'), 1e-3);
  });

  it('matches the paper’s r = 0.243, α = 4.414, a = 0.793, b = 2.426 to the 3 decimals published (bgnbd.published.paper_params)', () => {
    const paper = params('bgnbd.published.paper_params');
    for (const key of ['r', 'alpha', 'a', 'b'] as const)
      expect(roundedFit.params[key]).toBeCloseTo(paper[key], 3);
  });

  it('reproduces BTYD and CLVTools on the exact-weeks file within 0.1 %, LL −9582.429 (bgnbd.published.btyd_params, clvtools_params)', () => {
    expect(exactFit.converged).toBe(true);
    expectWithin(exactFit.params, params('bgnbd.published.btyd_params'), 1e-3);
    expectWithin(exactFit.params, params('bgnbd.published.clvtools_params'), 1e-3);
    const ll = refNumber('bgnbd.published.btyd_params.LL');
    expect(exactFit.logLikelihood).toBeCloseTo(ll, printedDecimals(ll));
  });

  it('gives the same model in days as in weeks: α scales by 7, r, a, b unchanged, LL shifts by −Σx·ln 7 (README: t_x = t_x_days/7)', () => {
    const exact = loadCdnowExactWithHoldout();
    const inDays = fitBgNbd(exact.map((c) => ({ x: c.x, tx: c.txDays, T: c.TDays })));
    expectWithin(inDays.params, { ...exactFit.params, alpha: exactFit.params.alpha * 7 }, 1e-5);
    const sumX = exact.reduce((s, c) => s + c.x, 0);
    expect(inDays.logLikelihood).toBeCloseTo(exactFit.logLikelihood - sumX * Math.log(7), 5);
  });

  it('shrinks the log-parameters toward 0 with a penalizer and costs likelihood', () => {
    const penalized = fitBgNbd(loadCdnowSummary(), { penalizer: 0.01 });
    const norm = (p: BgNbdParams): number =>
      [p.r, p.alpha, p.a, p.b].reduce((s, v) => s + Math.log(v) ** 2, 0);
    expect(norm(penalized.params)).toBeLessThan(norm(roundedFit.params));
    expect(penalized.logLikelihood).toBeLessThan(roundedFit.logLikelihood);
  });

  it('refuses to fit when nobody made a repeat purchase', () => {
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 10 }])).toThrow(RangeError);
  });
});
