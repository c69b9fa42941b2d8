import { BgNbdParams, fitBgNbd } from './bg-nbd.math';
import { bgNbdConditionalExpectedPurchases } from './bg-nbd-predict.math';
import {
  fitDependentTolerance,
  loadCdnowExactWithHoldout,
  loadCdnowSummaryWithSpend,
  refTable,
} from './cdnow.fixture';
import { discountedClv, marginClv, monthLengthInUnits } from './clv.math';
import { CustomerSummary } from './customer-summary.math';
import { GammaGammaParams, fitGammaGamma, gammaGammaConditionalExpectedSpend } from './gamma-gamma.math';

// Ground truth: reference_values.json clv_lifetimes_docs (lifetimes docs/Quickstart.md lines 308-336):
// BG/NBD fitted on cdnow_customers_summary_with_transactions.csv, Gamma-Gamma on its zbar (x > 0),
// then ggf.customer_lifetime_value(bgf, …, time=12, discount_rate=0.01) with freq 'D' = 30 units/month.
// The CDNOW units are weeks, so lifetimes' 'D' there is really a 30-week "month" (360-week horizon).
const customers = loadCdnowSummaryWithSpend();
const bg = fitBgNbd(customers).params;
const gg = fitGammaGamma(customers).params;
const clvOf = (
  c: CustomerSummary & { monetary: number },
  monthLength: number,
  b: BgNbdParams = bg,
  g: GammaGammaParams = gg,
) =>
  discountedClv(
    (t) => bgNbdConditionalExpectedPurchases(b, c, t),
    gammaGammaConditionalExpectedSpend(g, c.x, c.monetary),
    { monthLength },
  );
const byId = (id: number) => {
  const c = customers.find((k) => k.id === id);
  if (!c) throw new Error(`customer ${id} missing from cdnow_customers_summary_with_transactions.csv`);
  return c;
};

describe('discountedClv against lifetimes', () => {
  it.each(refTable('clv_lifetimes_docs.published.customers_1_10'))(
    'gives customer %s the documented CLV %d with a 30-unit month (freq D; printed digits + 1e-5 relative for the fits)',
    (id, expected) => {
      expect(Math.abs(clvOf(byId(Number(id)), 30) - expected)).toBeLessThanOrEqual(
        fitDependentTolerance(expected),
      );
    },
  );

  it.each([
    [1, 36.278494],
    [2, 4.63746],
    [3, 8.344095],
    [6, 283.52374],
    [7, 6.8814],
    [9, 43.353643],
  ])(
    'gives customer %i the freq W value %d with lifetimes’ 4.345-week month (clv_lifetimes_docs.recomputed.note)',
    (id, expected) => {
      expect(Math.abs(clvOf(byId(id), 4.345) - expected)).toBeLessThanOrEqual(
        fitDependentTolerance(expected),
      );
    },
  );

  it('with DOMAIN’s 30/7-week month lies between c·CLV(4.345) and CLV(4.345), c = (30/7)/4.345: lifetimes’ W month is 1.4 % longer, CLV grows with the month and E[X] is concave', () => {
    const c = monthLengthInUnits('week') / 4.345;
    for (const id of [1, 2, 3, 6, 7, 9]) {
      const domain = clvOf(byId(id), monthLengthInUnits('week'));
      const lifetimesWeek = clvOf(byId(id), 4.345);
      expect(domain).toBeLessThan(lifetimesWeek);
      expect(domain).toBeGreaterThan(c * lifetimesWeek);
    }
  });
});

describe('discountedClv as DOMAIN.md §5 defines it', () => {
  it('uses a 30-day month: 30 units for days, 30/7 for weeks', () => {
    expect(monthLengthInUnits('day')).toBe(30);
    expect(monthLengthInUnits('week')).toBe(30 / 7);
  });

  it('gives the same CLV whether the model is fitted in days or in weeks (README: t_x = t_x_days/7, T = T_days/7)', () => {
    const exact = loadCdnowExactWithHoldout();
    const inWeeks = fitBgNbd(exact).params;
    const inDays = fitBgNbd(exact.map((c) => ({ x: c.x, tx: c.txDays, T: c.TDays }))).params;
    for (const c of exact.slice(0, 20)) {
      const spend = gammaGammaConditionalExpectedSpend(gg, c.x, c.monetary);
      const weeks = discountedClv((t) => bgNbdConditionalExpectedPurchases(inWeeks, c, t), spend, {
        monthLength: monthLengthInUnits('week'),
      });
      const days = discountedClv(
        (t) => bgNbdConditionalExpectedPurchases(inDays, { x: c.x, tx: c.txDays, T: c.TDays }, t),
        spend,
        {
          monthLength: monthLengthInUnits('day'),
        },
      );
      expect(Math.abs(days / weeks - 1)).toBeLessThan(1e-5);
    }
  });

  it('defaults to H = 12 months, d = 0.01 and the day unit', () => {
    const e = (t: number): number => Math.sqrt(t);
    expect(discountedClv(e, 40)).toBe(
      discountedClv(e, 40, { horizonMonths: 12, monthlyDiscountRate: 0.01, monthLength: 30 }),
    );
  });

  it('telescopes to spend × E[X(H months)] without discounting', () => {
    const c = byId(1);
    const undiscounted = discountedClv((t) => bgNbdConditionalExpectedPurchases(bg, c, t), 25, {
      monthlyDiscountRate: 0,
      monthLength: 30 / 7,
    });
    expect(undiscounted).toBeCloseTo(25 * bgNbdConditionalExpectedPurchases(bg, c, (12 * 30) / 7), 10);
  });

  it('discounts month m by (1 + d)^m: a constant rate k per unit gives spend·k·L·(1 − (1+d)^−H)/d', () => {
    const [k, L, d, H, spend] = [0.2, 30, 0.01, 12, 50];
    const clv = discountedClv((t) => k * t, spend, {
      monthLength: L,
      monthlyDiscountRate: d,
      horizonMonths: H,
    });
    expect(clv).toBeCloseTo((spend * k * L * (1 - (1 + d) ** -H)) / d, 9);
  });

  it('gives margin CLV as CLV × the gross margin ratio', () => {
    expect(marginClv(140, 0.35)).toBeCloseTo(49, 12);
    expect(() => marginClv(140, NaN)).toThrow(RangeError);
  });

  it('rejects a fractional horizon, a discount rate ≤ −1 and a non-positive month', () => {
    const e = (t: number): number => t;
    expect(() => discountedClv(e, 10, { horizonMonths: 1.5 })).toThrow(RangeError);
    expect(() => discountedClv(e, 10, { monthlyDiscountRate: -1 })).toThrow(RangeError);
    expect(() => discountedClv(e, 10, { monthLength: 0 })).toThrow(RangeError);
  });
});
