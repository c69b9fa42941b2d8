import {
  fitDependentTolerance,
  loadCdnowExactWithHoldout,
  loadCdnowSummaryWithSpend,
  printedDecimals,
  refNumber,
  refNumbers,
} from './cdnow.fixture';
import {
  GammaGammaParams,
  fitGammaGamma,
  gammaGammaConditionalExpectedSpend,
  gammaGammaObjective,
  gammaGammaTotalLogLikelihood,
  spendModelCustomers,
} from './gamma-gamma.math';
import { numericGradient } from './optimizer.math';

// Ground truth: /work/shared/data/cdnow/reference_values.json (paths named in each test) and README.md.
// The JSON calls the scale parameter `gamma`; lifetimes (and this module) call it `v`.
const params = (path: string): GammaGammaParams => ({
  p: refNumber(`${path}.p`),
  q: refNumber(`${path}.q`),
  v: refNumber(`${path}.gamma`),
});
const paper = params('gamma_gamma.published.paper_params');
const rounded = loadCdnowSummaryWithSpend();
const exact = loadCdnowExactWithHoldout();
const roundedFit = fitGammaGamma(rounded);
const exactFit = fitGammaGamma(exact);
const expectWithin = (actual: GammaGammaParams, expected: GammaGammaParams, tolerance: number): void => {
  for (const key of ['p', 'q', 'v'] as const)
    expect(Math.abs(actual[key] / expected[key] - 1)).toBeLessThan(tolerance);
};

describe('Gamma-Gamma log-likelihood', () => {
  it('is −4055.9247 on rounded zbar and −4055.9192 on exact zbar at (6.25, 3.74, 15.44) (gamma_gamma.recomputed.LL_at_paper_params_*)', () => {
    const onRounded = refNumber('gamma_gamma.recomputed.LL_at_paper_params_rounded_zbar');
    const onExact = refNumber('gamma_gamma.recomputed.LL_at_paper_params_exact_zbar');
    expect(gammaGammaTotalLogLikelihood(paper, rounded)).toBeCloseTo(onRounded, printedDecimals(onRounded));
    expect(gammaGammaTotalLogLikelihood(paper, exact)).toBeCloseTo(onExact, printedDecimals(onExact));
  });

  it('uses only the 946 customers with x > 0 and monetary > 0 (README “Spend for the 946 repeat buyers”)', () => {
    expect(spendModelCustomers(rounded)).toHaveLength(946);
    expect(roundedFit.customers).toBe(946);
    expect(spendModelCustomers(exact)).toHaveLength(946);
    const meanZbar = spendModelCustomers(rounded).reduce((s, c) => s + (c.monetary ?? 0), 0) / 946;
    const quoted = refNumber('gamma_gamma.published.lifetimes_quickstart_fit.mean_observed_repeaters');
    expect(meanZbar).toBeCloseTo(quoted, printedDecimals(quoted));
  });

  it('has an analytic gradient that matches central differences', () => {
    const objective = gammaGammaObjective(rounded);
    const at = [5, 3, 14].map(Math.log);
    const analytic = objective.valueAndGradient?.(at).gradient ?? [];
    const numeric = numericGradient((x) => objective.value(x), at);
    numeric.forEach((g, i) =>
      expect(Math.abs((analytic[i] ?? NaN) - g)).toBeLessThan(1e-7 * (1 + Math.abs(g))),
    );
  });
});

describe('fitGammaGamma on CDNOW', () => {
  it('reproduces the exact-zbar MLE within 0.1 % and CLVTools’ LL −4055.9177 (gamma_gamma.recomputed.MLE_exact_zbar, published.clvtools_LL)', () => {
    expect(exactFit.converged).toBe(true);
    expectWithin(exactFit.params, params('gamma_gamma.recomputed.MLE_exact_zbar'), 1e-3);
    const ll = refNumber('gamma_gamma.published.clvtools_LL');
    expect(exactFit.logLikelihood).toBeCloseTo(ll, printedDecimals(ll));
  });

  it('matches p = 6.25, q = 3.74, γ = 15.44 to the 2 decimals published (gamma_gamma.published.paper_params)', () => {
    for (const key of ['p', 'q', 'v'] as const) expect(exactFit.params[key]).toBeCloseTo(paper[key], 2);
  });

  it('reproduces the rounded-zbar MLE within 0.1 % and LL −4055.9232 (gamma_gamma.recomputed.MLE_rounded_zbar)', () => {
    expect(roundedFit.converged).toBe(true);
    expectWithin(roundedFit.params, params('gamma_gamma.recomputed.MLE_rounded_zbar'), 1e-3);
    const ll = refNumber('gamma_gamma.recomputed.MLE_rounded_zbar.LL');
    expect(roundedFit.logLikelihood).toBeCloseTo(ll, printedDecimals(ll));
  });

  it('refuses to fit without repeat buyers that have a spend', () => {
    expect(() =>
      fitGammaGamma([
        { x: 0, tx: 0, T: 5 },
        { x: 2, tx: 3, T: 5, monetary: 0 },
      ]),
    ).toThrow(RangeError);
  });
});

describe('gammaGammaConditionalExpectedSpend', () => {
  it('gives Hardie’s note-025 spreadsheet values for customers 1..10 at (6.25, 3.74, 15.44) (gamma_gamma.recomputed.cond_expected_avg_profit_at_paper_params_customers_1_10)', () => {
    const expected = refNumbers(
      'gamma_gamma.recomputed.cond_expected_avg_profit_at_paper_params_customers_1_10',
    );
    rounded.slice(0, 10).forEach((c, i) => {
      const e = expected[i] ?? NaN;
      expect(gammaGammaConditionalExpectedSpend(paper, c.x, c.monetary)).toBeCloseTo(e, printedDecimals(e));
    });
  });

  it('gives lifetimes’ Quickstart values for customers 1..10 with our rounded-zbar fit (gamma_gamma.published.lifetimes_quickstart_fit)', () => {
    const expected = refNumbers(
      'gamma_gamma.published.lifetimes_quickstart_fit.cond_expected_avg_profit_customers_1_10',
    );
    rounded.slice(0, 10).forEach((c, i) => {
      const e = expected[i] ?? NaN;
      const spend = gammaGammaConditionalExpectedSpend(roundedFit.params, c.x, c.monetary);
      expect(Math.abs(spend - e)).toBeLessThanOrEqual(fitDependentTolerance(e));
    });
    const all = rounded.map((c) => gammaGammaConditionalExpectedSpend(roundedFit.params, c.x, c.monetary));
    const mean = refNumber('gamma_gamma.published.lifetimes_quickstart_fit.mean_expected');
    expect(Math.abs(all.reduce((s, v) => s + v, 0) / all.length - mean)).toBeLessThanOrEqual(
      fitDependentTolerance(mean),
    );
  });

  it('gives a customer without repeat purchases the population mean pγ/(q − 1), and refuses q ≤ 1', () => {
    expect(gammaGammaConditionalExpectedSpend(paper, 0, 0)).toBeCloseTo(
      (paper.p * paper.v) / (paper.q - 1),
      12,
    );
    expect(() => gammaGammaConditionalExpectedSpend({ ...paper, q: 1 }, 2, 10)).toThrow(RangeError);
  });
});
