import { BgNbdParams, fitBgNbd } from './bg-nbd.math';
import {
  bgNbdConditionalExpectedPurchases,
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  bgNbdProbabilityOfPurchases,
} from './bg-nbd-predict.math';
import {
  fitDependentTolerance,
  loadCdnowExactWithHoldout,
  loadCdnowSummary,
  printedDecimals,
  refNumber,
  refNumbers,
  refTable,
} from './cdnow.fixture';

// Ground truth: /work/shared/data/cdnow/reference_values.json (paths named in each test) and README.md.
// BTYD-walkthrough values are printed to 7 significant digits from BTYD's own fit (its parameters are
// printed to 7 digits too), so they are compared at 1e-5 relative; values recomputed at the listed
// parameters are compared to half a unit in their last printed digit.
const params = (path: string): BgNbdParams => ({
  r: refNumber(`${path}.r`),
  alpha: refNumber(`${path}.alpha`),
  a: refNumber(`${path}.a`),
  b: refNumber(`${path}.b`),
});
const paper = params('bgnbd.published.paper_params');
const btyd = params('bgnbd.published.btyd_params');
const WALKTHROUGH = 'bgnbd.published.btyd_walkthrough_individual';
const rounded = loadCdnowSummary();
const roundedFit = fitBgNbd(rounded).params;
const expectRelative = (actual: number, expected: number, tolerance: number): void => {
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(tolerance);
};

describe('BG/NBD E[X(t)] for a new customer', () => {
  it.each(refTable('bgnbd.recomputed.E_X_t_at_paper_params'))(
    'E[X(%s)] at the paper’s parameters is %d (bgnbd.recomputed.E_X_t_at_paper_params)',
    (t, expected) => {
      expect(bgNbdExpectedPurchases(paper, Number(t))).toBeCloseTo(expected, printedDecimals(expected));
    },
  );

  it.each(refTable('bgnbd.recomputed.E_X_t_at_MLE'))(
    'E[X(%s)] at the rounded-summary MLE is %d (bgnbd.recomputed.E_X_t_at_MLE)',
    (t, expected) => {
      const mle = params('bgnbd.recomputed.MLE_on_rounded_summary');
      expect(bgNbdExpectedPurchases(mle, Number(t))).toBeCloseTo(expected, printedDecimals(expected));
    },
  );

  it('meets lifetimes’ Hardie-spreadsheet assertion [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576] at decimal=3 with our own fit (bgnbd.published.lifetimes_test_assertions[1], test_estimation.py:541-548)', () => {
    const ts = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    ts.forEach((t, i) =>
      expect(Math.abs(bgNbdExpectedPurchases(roundedFit, t) - (expected[i] ?? NaN))).toBeLessThan(1.5e-3),
    );
  });

  it('gives E[X(52)] = 1.444004 at BTYD’s parameters (bgnbd.published.btyd_walkthrough_individual.E_X_52_new_customer)', () => {
    expectRelative(bgNbdExpectedPurchases(btyd, 52), refNumber(`${WALKTHROUGH}.E_X_52_new_customer`), 1e-5);
  });
});

describe('BG/NBD P(X(t) = n) for a new customer', () => {
  // Values from lifetimes tests/test_estimation.py:591-621 (bgnbd.published.lifetimes_test_assertions[4]).
  it('gives P(X(2) = 10) = 1.07869e-07 and P(X(39) = 0) = 0.5737864 at (0.243, 4.414, 0.793, 2.426)', () => {
    expect(bgNbdProbabilityOfPurchases(paper, 2, 10)).toBeCloseTo(1.07869e-7, printedDecimals(1.07869e-7));
    expect(bgNbdProbabilityOfPurchases(paper, 39, 0)).toBeCloseTo(0.5737864, printedDecimals(0.5737864));
  });

  it('gives P(X(30) = n) for n = 11..20 to the 10 digits lifetimes asserts', () => {
    const expected = [
      0.0019995214, 0.0015170236, 0.001163315, 0.0009003148, 0.0007023638, 0.0005517902, 0.0004361913,
      0.0003467171, 0.0002769613, 0.000222226,
    ];
    expected.forEach((p, i) => expect(bgNbdProbabilityOfPurchases(paper, 30, 11 + i)).toBeCloseTo(p, 10));
  });

  it('is a distribution whose mean is E[X(t)] (consistency of the two closed forms)', () => {
    let total = 0;
    let mean = 0;
    for (let n = 0; n <= 2000; n++) {
      const p = bgNbdProbabilityOfPurchases(paper, 39, n);
      total += p;
      mean += n * p;
    }
    expect(total).toBeCloseTo(1, 10);
    expect(mean).toBeCloseTo(bgNbdExpectedPurchases(paper, 39), 6);
  });
});

describe('BG/NBD conditional expectations and P(alive)', () => {
  it('gives 1.226 for (t = 39, x = 2, t_x = 30.43, T = 38.86) with our fit (bgnbd.published.lifetimes_test_assertions[1], test_estimation.py:530-539, abs tol 0.001)', () => {
    expect(
      Math.abs(bgNbdConditionalExpectedPurchases(roundedFit, { x: 2, tx: 30.43, T: 38.86 }, 39) - 1.226),
    ).toBeLessThan(1e-3);
  });

  it.each(refTable('bgnbd.published.lifetimes_quickstart_top5_predicted_purchases_t1'))(
    'predicts customer %s’s purchases next week as lifetimes’ Quickstart does, %d (printed digits + 1e-5 relative for the fit)',
    (id, expected) => {
      const customer = rounded.find((c) => c.id === Number(id));
      if (!customer) throw new Error(`customer ${id} is not in cdnow_customers_summary.csv`);
      const predicted = bgNbdConditionalExpectedPurchases(roundedFit, customer, 1);
      expect(Math.abs(predicted - expected)).toBeLessThanOrEqual(fitDependentTolerance(expected));
    },
  );

  it('reproduces customer 1516: E[Y(52)] = 25.75659 and P(alive) = 0.9688523 (bgnbd.published.btyd_walkthrough_individual.customer_1516)', () => {
    const c = {
      x: refNumber(`${WALKTHROUGH}.customer_1516.x`),
      tx: refNumber(`${WALKTHROUGH}.customer_1516.t_x`),
      T: refNumber(`${WALKTHROUGH}.customer_1516.T`),
    };
    expectRelative(
      bgNbdConditionalExpectedPurchases(btyd, c, 52),
      refNumber(`${WALKTHROUGH}.customer_1516.cond_expected_T_star_52`),
      1e-5,
    );
    expectRelative(bgNbdProbabilityAlive(btyd, c), refNumber(`${WALKTHROUGH}.customer_1516.p_alive`), 1e-5);
  });

  it.each(refTable(`${WALKTHROUGH}.increasing_frequency_paradox_t_x20_T39_Tstar52`))(
    'shows the increasing-frequency paradox: x = %s with t_x = 20, T = 39 expects %d in 52 weeks (btyd_walkthrough_individual.increasing_frequency_paradox_t_x20_T39_Tstar52)',
    (x, expected) => {
      expectRelative(
        bgNbdConditionalExpectedPurchases(btyd, { x: Number(x), tx: 20, T: 39 }, 52),
        expected,
        1e-5,
      );
    },
  );

  it('reproduces BTYD’s hold-out expectations per calibration frequency 0..7+ on the exact-weeks file (btyd_walkthrough_individual.holdout_by_calib_freq_bins_0_to_7plus)', () => {
    const customers = loadCdnowExactWithHoldout();
    const sums = new Array<number>(8).fill(0);
    const actual = new Array<number>(8).fill(0);
    const sizes = new Array<number>(8).fill(0);
    for (const c of customers) {
      const bin = Math.min(c.x, 7);
      sums[bin] = (sums[bin] ?? 0) + bgNbdConditionalExpectedPurchases(btyd, c, 39);
      actual[bin] = (actual[bin] ?? 0) + c.xStar;
      sizes[bin] = (sizes[bin] ?? 0) + 1;
    }
    const bins = `${WALKTHROUGH}.holdout_by_calib_freq_bins_0_to_7plus`;
    expect(sizes).toEqual(refNumbers(`${bins}.bin_size`));
    refNumbers(`${bins}.act`).forEach((mean, k) =>
      expect((actual[k] ?? 0) / (sizes[k] ?? 1)).toBeCloseTo(mean, printedDecimals(mean)),
    );
    refNumbers(`${bins}.exp`).forEach((mean, k) =>
      expectRelative((sums[k] ?? 0) / (sizes[k] ?? 1), mean, 1e-5),
    );
  });

  it('sums to 1653.95 expected hold-out purchases at the paper’s parameters on the rounded summary (bgnbd.recomputed.sum_over_customers_cond_E_Y39_at_paper_params)', () => {
    const expected = refNumber('bgnbd.recomputed.sum_over_customers_cond_E_Y39_at_paper_params');
    const total = rounded.reduce((s, c) => s + bgNbdConditionalExpectedPurchases(paper, c, 39), 0);
    expect(total).toBeCloseTo(expected, printedDecimals(expected));
  });

  it('gives P(alive) = 1 for x = 0 (lifetimes test_estimation.py:550-554) and exactly 0, not NaN, for x = 1000, t_x = 10, T = 100 (:733-740)', () => {
    expect(bgNbdProbabilityAlive(paper, { x: 0, tx: 0, T: 1 })).toBe(1);
    expect(bgNbdProbabilityAlive(paper, { x: 1000, tx: 10, T: 100 })).toBe(0);
    expect(bgNbdConditionalExpectedPurchases(paper, { x: 1000, tx: 10, T: 100 }, 52)).toBe(0);
  });

  it('is finite and continuous across the removable singularity a = 1', () => {
    const c = { x: 3, tx: 20, T: 39 };
    const atOne = bgNbdConditionalExpectedPurchases({ ...paper, a: 1 }, c, 52);
    const below = bgNbdConditionalExpectedPurchases({ ...paper, a: 1 - 1e-4 }, c, 52);
    const above = bgNbdConditionalExpectedPurchases({ ...paper, a: 1 + 1e-4 }, c, 52);
    expect(Number.isFinite(atOne)).toBe(true);
    expect(atOne).toBeCloseTo((below + above) / 2, 7);
  });
});
