import { bgNbdConditionalExpectedPurchases, bgNbdProbabilityAlive } from './bg-nbd-predict.math';
import { loadCdnowExactWithHoldout, refNumbers } from './cdnow.fixture';
import { discountedClv } from './clv.math';
import {
  fitModels,
  holdoutGroup,
  modelFunctions,
  nextExpectedOffsetDays,
  predictor,
  toNumericText,
  toSummary,
} from './clv-fit';
import { BgNbdParams } from './bg-nbd.math';
import { gammaGammaConditionalExpectedSpend, GammaGammaParams } from './gamma-gamma.math';

describe('clv-fit: from summaries to fits and per-customer predictions', () => {
  const cdnow = loadCdnowExactWithHoldout().map((c) => ({
    ...c,
    monetary: c.x > 0 ? c.monetary : undefined,
  }));
  const fits = fitModels('bg-nbd', cdnow);
  const params = fits.transaction.params as BgNbdParams;
  const spend = fits.spend?.params as GammaGammaParams;

  it('fits BG/NBD and Gamma-Gamma on CDNOW (exact weeks) to the published values', () => {
    expect(fits.transaction.converged).toBe(true);
    expect(params.r).toBeCloseTo(0.2426, 3);
    expect(params.alpha).toBeCloseTo(4.4136, 3);
    expect(params.a).toBeCloseTo(0.7929, 3);
    expect(params.b).toBeCloseTo(2.4259, 3);
    expect(fits.spend?.customers).toBe(946);
    expect(spend.p).toBeCloseTo(6.2496, 3);
    expect(spend.q).toBeCloseTo(3.7442, 3);
    expect(spend.v).toBeCloseTo(15.4435, 3);
  });

  it('predicts what the math modules give, with CLV = expected spend × the discounted purchase increments', () => {
    const predict = predictor('bg-nbd', params, spend, {
      unit: 'week',
      horizonMonths: 12,
      discountRate: 0.01,
    });
    for (const c of cdnow.slice(0, 50)) {
      const p = predict(c);
      const expected = (t: number) => bgNbdConditionalExpectedPurchases(params, c, t);
      const es = gammaGammaConditionalExpectedSpend(spend, c.x, c.monetary ?? 0);
      expect(p.pAlive).toBe(bgNbdProbabilityAlive(params, c));
      expect(p.exp30).toBeCloseTo(expected(30 / 7), 12);
      expect(p.exp365).toBeCloseTo(expected(365 / 7), 12);
      expect(p.expectedSpend).toBeCloseTo(es, 12);
      const clv = discountedClv(expected, es, {
        horizonMonths: 12,
        monthlyDiscountRate: 0.01,
        monthLength: 30 / 7,
      });
      expect(p.predictedClv).toBeCloseTo(clv, 8);
    }
  });

  it('reproduces the BTYD hold-out expectations per calibration-frequency group', () => {
    const f = modelFunctions('bg-nbd', params);
    const sums = new Map<number | '7+', { n: number; e: number }>();
    for (const c of cdnow) {
      const g = holdoutGroup(c.x);
      const s = sums.get(g) ?? { n: 0, e: 0 };
      sums.set(g, { n: s.n + 1, e: s.e + f.expected(c, 39) });
    }
    const exp = refNumbers(
      'bgnbd.published.btyd_walkthrough_individual.holdout_by_calib_freq_bins_0_to_7plus.exp',
    );
    [0, 1, 2, 3, 4, 5, 6, '7+'].forEach((g, i) => {
      const s = sums.get(g as number | '7+')!;
      expect(Math.abs(s.e / s.n / (exp[i] ?? NaN) - 1)).toBeLessThan(1e-4);
    });
  });

  it('parses summary rows, and formats the derived values', () => {
    expect(
      toSummary({
        customer_id: '7',
        first_purchase: '1997-01-01',
        frequency: 0,
        recency: '0',
        age: '38.857142857142857143',
        monetary: null,
        historical_clv: '29.33',
      }),
    ).toEqual({ x: 0, tx: 0, T: 272 / 7, monetary: undefined });
    expect(nextExpectedOffsetDays(0.99)).toBeNull();
    expect(nextExpectedOffsetDays(4)).toBe(92);
    expect(holdoutGroup(7)).toBe('7+');
    expect(toNumericText(1e-9)).toBe('0.000000');
    expect(toNumericText(NaN)).toBeNull();
  });
});
