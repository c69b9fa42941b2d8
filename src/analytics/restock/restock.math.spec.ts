import { classifyDemand } from './demand.math';
import {
  belowReorderPoint,
  computeRestock,
  daysOfCover,
  isoDayNumber,
  lapsedLookbackDays,
  orderQuantity,
  reorderPoint,
  RESTOCK_DEFAULTS,
  restockDemand,
  restockPosition,
  safetyStock,
  stockOutDate,
  suggestedQuantity,
  targetStock,
} from './restock.math';

// 90 days repeating 3, 4, 2, 3, 5, 3 (15 cycles): 300 units, mean 10/3 a day.
const SMOOTH_90 = Array.from({ length: 90 }, (_, i) => [3, 4, 2, 3, 5, 3][i % 6]!);
// 14 days, sales on days 2, 6, 8, 13 (see demand.math.spec.ts for Croston by hand).
const INTERMITTENT_14 = [0, 0, 4, 0, 0, 0, 2, 0, 6, 0, 0, 0, 0, 3];

describe('safety stock, reorder point, target', () => {
  it('safety stock = z 1.645 × σ 1.86 × √14 = 11.4483', () => {
    expect(safetyStock(1.645, 1.86, 14)).toBeCloseTo(11.448349, 6);
  });

  it('safety stock is 0 with no lead time or no variability', () => {
    expect(safetyStock(1.645, 1.86, 0)).toBe(0);
    expect(safetyStock(1.645, 0, 14)).toBe(0);
  });

  it('reorder point = 3.2 a day × 14 days + 12.1 = 56.9; target = 56.9 + 3.2 × 30 = 152.9', () => {
    expect(reorderPoint(3.2, 14, 12.1)).toBeCloseTo(56.9, 12);
    expect(targetStock(56.9, 3.2, 30)).toBeCloseTo(152.9, 12);
  });

  it('rejects negative σ, lead time or cover', () => {
    expect(() => safetyStock(1.645, -1, 14)).toThrow(RangeError);
    expect(() => safetyStock(1.645, 1, -1)).toThrow(RangeError);
    expect(() => reorderPoint(1, -1, 0)).toThrow(RangeError);
    expect(() => targetStock(1, 1, -30)).toThrow(RangeError);
  });
});

describe('suggested quantity: minimum first, then whole packs', () => {
  const pack6min10 = (target: number, onHand = '0') =>
    suggestedQuantity({ target, onHand, onOrder: '0', packSize: 6, minOrderQty: 10 });

  it.each([
    [0, '0'], // nothing needed → nothing ordered, the minimum does not apply
    [0.1, '12'], // max(0.1, 10) = 10 → ⌈10/6⌉ = 2 packs = 12 (not 10: that is not whole packs)
    [10, '12'],
    [11, '12'],
    [12, '12'],
    [12.5, '18'], // ⌈12.5/6⌉ = 3 packs
    [30, '30'],
  ])('pack 6, minimum 10: need %p → %s', (need, expected) => {
    expect(pack6min10(need)).toBe(expected);
  });

  it('orders nothing when on order covers the need: target 100 − on hand 30 − on order 80 < 0 → 0', () => {
    expect(orderQuantity({ target: 100, onHand: '30', onOrder: '80', packSize: 6, minOrderQty: 10 })).toEqual(
      {
        need: '0',
        suggested: '0',
      },
    );
  });

  it('rounds up to whole units when there is no pack size: need 12.3 → 13, need 12 → 12', () => {
    expect(suggestedQuantity({ target: 12.3, onHand: 0, onOrder: 0 })).toBe('13');
    expect(suggestedQuantity({ target: 12, onHand: 0, onOrder: 0 })).toBe('12');
  });

  it('gives fractional quantities for fractional packs: 0.5 kg packs, need 2.2 → 2.5; 0.25, need 0.6 → 0.75', () => {
    expect(suggestedQuantity({ target: 2.2, onHand: 0, onOrder: 0, packSize: '0.5' })).toBe('2.5');
    expect(suggestedQuantity({ target: 0.6, onHand: 0, onOrder: 0, packSize: '0.25' })).toBe('0.75');
  });

  it('subtracts decimal on-hand exactly: target 20 − 12.5 − 2.25 = 5.25 → packs of 0.75 → 5.25', () => {
    expect(orderQuantity({ target: 20, onHand: '12.5', onOrder: '2.25', packSize: '0.75' })).toEqual({
      need: '5.25',
      suggested: '5.25',
    });
  });

  it('drops binary noise before rounding up: target 1.1 × 3 = 3.3000000000000003, packs of 1.1 → 3.3 (3 packs)', () => {
    expect(1.1 * 3).not.toBe(3.3);
    expect(suggestedQuantity({ target: 1.1 * 3, onHand: 0, onOrder: 0, packSize: '1.1' })).toBe('3.3');
    expect(suggestedQuantity({ target: 0.1 + 0.2, onHand: '0.3', onOrder: 0, packSize: '0.1' })).toBe('0');
  });

  it('rejects a pack size ≤ 0 and a negative minimum', () => {
    expect(() => suggestedQuantity({ target: 1, onHand: 0, onOrder: 0, packSize: 0 })).toThrow(RangeError);
    expect(() => suggestedQuantity({ target: 1, onHand: 0, onOrder: 0, minOrderQty: -1 })).toThrow(
      RangeError,
    );
  });
});

describe('days of cover and stock-out date', () => {
  it('40 on hand at 3.2 a day lasts 12.5 days; from 2024-05-01 runs out on 2024-05-13 (floor)', () => {
    expect(daysOfCover(40, 3.2)).toBe(12.5);
    expect(stockOutDate('2024-05-01', 12.5)).toBe('2024-05-13');
  });

  it('has no cover figure or date without a sales rate', () => {
    expect(daysOfCover(40, 0)).toBeNull();
    expect(stockOutDate('2024-05-01', null)).toBeNull();
  });

  it('counts negative stock as no cover: stock-out is the as-of date', () => {
    expect(daysOfCover(-3, 2)).toBe(0);
    expect(stockOutDate('2024-05-01', 0)).toBe('2024-05-01');
  });

  it('does calendar arithmetic across leap days, months and years', () => {
    expect(stockOutDate('2024-02-27', 3.9)).toBe('2024-03-01');
    expect(stockOutDate('2023-02-27', 3)).toBe('2023-03-02');
    expect(stockOutDate('2023-12-30', 2)).toBe('2024-01-01');
    expect(stockOutDate('2000-02-28', 1)).toBe('2000-02-29');
    expect(stockOutDate('1900-02-28', 1)).toBe('1900-03-01');
    expect(isoDayNumber('1970-01-01')).toBe(0);
    expect(isoDayNumber('2024-05-13') - isoDayNumber('2024-05-01')).toBe(12);
  });

  it('gives no date beyond 9999-12-31', () => {
    expect(stockOutDate('9999-12-30', 1)).toBe('9999-12-31');
    expect(stockOutDate('9999-12-30', 2)).toBeNull();
  });

  it('rejects dates that are not real calendar dates', () => {
    expect(() => stockOutDate('2023-02-29', 1)).toThrow(RangeError);
    expect(() => stockOutDate('2024-13-01', 1)).toThrow(RangeError);
    expect(() => stockOutDate('2024-5-1', 1)).toThrow(RangeError);
  });
});

describe('below reorder point', () => {
  it('is onHand + onOrder ≤ reorder point, equality included', () => {
    expect(belowReorderPoint('40', '16.9', 56.9)).toBe(true);
    expect(belowReorderPoint('40', '17', 56.9)).toBe(false);
    expect(belowReorderPoint('0', '0', 0.5)).toBe(true);
  });

  it('never flags a product whose reorder point is 0 (no demand)', () => {
    expect(belowReorderPoint('0', '0', 0)).toBe(false);
  });
});

describe('computeRestock', () => {
  it('smooth: 10/3 a day over 90 days, σ √(80/89), L 14 → ROP 52.5017, target 152.5017, 40 on hand → order 120 (10 packs of 12)', () => {
    // Sizes per 6-day cycle 3, 4, 2, 3, 5, 3: Σ 20, Σ² 72 → CV² = 6 × 72 / 20² − 1 = 0.08; ADI 1 → smooth.
    // Mean 10/3. Squared deviations per cycle 1/9 + 4/9 + 16/9 + 1/9 + 25/9 + 1/9 = 16/3; × 15 = 80;
    // σ = √(80/89) = 0.948091. SS = 1.644854 × 0.948091 × √14 = 5.835005.
    // ROP = 10/3 × 14 + 5.835005 = 52.501672; target = 52.501672 + 10/3 × 30 = 152.501672.
    // Need = 152.501672 − 40 = 112.501672 → ⌈9.375⌉ = 10 packs of 12 = 120.
    // Cover = 40 / (10/3) = 12 days → 2024-05-01 + 12 = 2024-05-13.
    const row = computeRestock({
      dailySeries: SMOOTH_90,
      asOf: '2024-05-01',
      onHand: '40',
      onOrder: '0',
      packSize: 12,
    });
    expect(row).toMatchObject({
      windowDays: 90,
      demandClass: 'smooth',
      adi: 1,
      cv2: 0.08,
      method: 'mean',
      croston: null,
      leadTimeDays: 14,
      serviceLevel: 0.95,
      coverDays: 30,
      need: '112.501672',
      suggested: '120',
      daysOfCover: 12,
      stockOutDate: '2024-05-13',
      belowReorderPoint: true,
    });
    expect(row.rate).toBeCloseTo(10 / 3, 12);
    expect(row.sigma).toBeCloseTo(Math.sqrt(80 / 89), 12);
    expect(row.z).toBeCloseTo(1.6448536, 7);
    expect(row.safetyStock).toBeCloseTo(5.835005, 6);
    expect(row.reorderPoint).toBeCloseTo(52.501672, 6);
    expect(row.target).toBeCloseTo(152.501672, 6);
  });

  it('intermittent: SBA 1.166437 a day, σ 1.940035, ROP 28.2700, target 63.2631; 5 + 1 on order, pack 6 min 10 → 60', () => {
    // Σ 15, Σx² 65 over 14 days: SS = 65 − 15²/14 = 48.928571; σ = √(48.928571/13) = 1.940035.
    // Safety = 1.644854 × 1.940035 × 3.741657 = 11.939905; ROP = 1.166437 × 14 + 11.939905 = 28.270021.
    // Target = 28.270021 + 1.166437 × 30 = 63.263126; need = 63.263126 − 5 − 1 = 57.263126
    // → max(57.263126, 10) → ⌈9.54⌉ = 10 packs of 6 = 60. Cover 5 / 1.166437 = 4.29 days → +4 days.
    const row = computeRestock({
      dailySeries: INTERMITTENT_14,
      asOf: '2024-02-27',
      onHand: '5',
      onOrder: '1',
      packSize: 6,
      minOrderQty: 10,
    });
    expect(row).toMatchObject({ demandClass: 'intermittent', method: 'sba', adi: 3.5, demandDays: 4 });
    expect(row.croston!.size).toBeCloseTo(3.918, 12);
    expect(row.croston!.interval).toBeCloseTo(3.191, 12);
    expect(row.rate).toBeCloseTo(1.166437, 6);
    expect(row.sigma).toBeCloseTo(1.940035, 6);
    expect(row.safetyStock).toBeCloseTo(11.939905, 6);
    expect(row.reorderPoint).toBeCloseTo(28.270021, 6);
    expect(row.target).toBeCloseTo(63.263126, 6);
    expect(row).toMatchObject({ need: '57.263126', suggested: '60', stockOutDate: '2024-03-02' });
    expect(row.daysOfCover).toBeCloseTo(4.286559, 6);
  });

  it('zero demand: rate 0, no safety stock, nothing to order, no stock-out date, not flagged', () => {
    const row = computeRestock({ dailySeries: new Array(90).fill(0), asOf: '2024-05-01', onHand: 0 });
    expect(row).toMatchObject({
      demandClass: 'none',
      rate: 0,
      sigma: 0,
      safetyStock: 0,
      reorderPoint: 0,
      target: 0,
      suggested: '0',
      daysOfCover: null,
      stockOutDate: null,
      belowReorderPoint: false,
    });
  });

  it('keeps no safety stock for a window of returns only (σ > 0 but no demand day)', () => {
    const row = computeRestock({ dailySeries: [0, -3, 0, 0], asOf: '2024-05-01', onHand: 2 });
    expect(row.sigma).toBeGreaterThan(0);
    expect(row).toMatchObject({ demandClass: 'none', safetyStock: 0, reorderPoint: 0, suggested: '0' });
  });

  it('on order covering the target → 0 and not below the reorder point', () => {
    const row = computeRestock({ dailySeries: SMOOTH_90, asOf: '2024-05-01', onHand: '40', onOrder: '120' });
    expect(row).toMatchObject({ suggested: '0', need: '0', belowReorderPoint: false, daysOfCover: 12 });
  });

  it('honours tenant settings: L 7, z(0.99) 2.326348 → SS 5.835441, target 10/3 × 21 + 5.835441 = 75.84 → 76', () => {
    const row = computeRestock({
      dailySeries: SMOOTH_90,
      asOf: '2024-05-01',
      onHand: 0,
      leadTimeDays: 7,
      serviceLevel: 0.99,
      coverDays: 14,
    });
    expect(row.z).toBeCloseTo(2.326348, 6);
    expect(row.safetyStock).toBeCloseTo(5.835441, 5);
    expect(row.target).toBeCloseTo(75.835441, 5);
    expect(row.suggested).toBe('76');
  });

  it('defaults to DOMAIN §8: window 90, L 14, service level 0.95, cover 30, α 0.1', () => {
    expect(RESTOCK_DEFAULTS).toEqual({
      windowDays: 90,
      leadTimeDays: 14,
      serviceLevel: 0.95,
      coverDays: 30,
      alpha: 0.1,
    });
  });

  it('rejects an invalid as-of date, negative on order and a service level of 1', () => {
    const base = { dailySeries: SMOOTH_90, onHand: 1 };
    expect(() => computeRestock({ ...base, asOf: '2024-02-30' })).toThrow(RangeError);
    expect(() => computeRestock({ ...base, asOf: '2024-05-01', onOrder: -1 })).toThrow(RangeError);
    expect(() => computeRestock({ ...base, asOf: '2024-05-01', serviceLevel: 1 })).toThrow(RangeError);
  });
});

describe('whole-unit fast paths agree with the decimal arithmetic', () => {
  /** A fixed pseudo-random sequence (mulberry32). */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  // "8.0" is not a canonical whole number, so it takes the decimal path with the same value
  const decimal = (n: number) => `${n}.0`;

  it('orderQuantity and belowReorderPoint give the same answers either way on 20,000 cases', () => {
    const next = random(7);
    const differences: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const onHand = Math.floor(next() * 60);
      const onOrder = next() < 0.7 ? 0 : Math.floor(next() * 30);
      const pack = next() < 0.5 ? 1 : 1 + Math.floor(next() * 12);
      const minimum = next() < 0.6 ? 0 : Math.floor(next() * 25);
      // targets on the grid of the position, at 6-place ties, and plain floats
      const target =
        i % 3 === 0
          ? onHand + onOrder + (Math.floor(next() * 2e6) - 1e6) / 1e6 + 5e-7
          : i % 3 === 1
            ? onHand + onOrder + Math.floor(next() * 10) - 5
            : next() * 90 * (1 + next());
      const fast = orderQuantity({
        target,
        onHand: String(onHand),
        onOrder,
        packSize: pack,
        minOrderQty: minimum,
      });
      const slow = orderQuantity({
        target,
        onHand: decimal(onHand),
        onOrder: decimal(onOrder),
        packSize: decimal(pack),
        minOrderQty: decimal(minimum),
      });
      if (JSON.stringify(fast) !== JSON.stringify(slow)) differences.push(`${target} ${onHand} ${onOrder}`);
      const reorder = i % 2 === 0 ? onHand + onOrder : target;
      if (
        belowReorderPoint(onHand, onOrder, reorder) !==
        belowReorderPoint(decimal(onHand), decimal(onOrder), reorder)
      ) {
        differences.push(`below ${reorder} ${onHand} ${onOrder}`);
      }
    }
    expect(differences).toEqual([]);
  });
});

describe('demand once per product, stock per warehouse', () => {
  it('restockDemand then restockPosition is computeRestock', () => {
    const input = {
      dailySeries: INTERMITTENT_14,
      asOf: '2024-02-27',
      onHand: '5',
      onOrder: '1',
      packSize: 6,
      minOrderQty: 10,
    };
    expect(restockPosition(restockDemand(input), input)).toEqual(computeRestock(input));
  });

  it("classifies a warehouse's third of the demand as the whole: class, ADI and CV² do not scale", () => {
    const third = INTERMITTENT_14.map((x) => x / 3);
    const demand = restockDemand({ dailySeries: third, classification: classifyDemand(INTERMITTENT_14) });
    const whole = restockDemand({ dailySeries: INTERMITTENT_14 });
    expect(demand).toMatchObject({
      demandClass: whole.demandClass,
      adi: whole.adi,
      cv2: whole.cv2,
      demandDays: 4,
    });
    expect(demand.rate).toBeCloseTo(whole.rate / 3, 12);
    expect(demand.sigma).toBeCloseTo(whole.sigma / 3, 12);
  });

  it('normalises whole and decimal stock figures alike: "8" and 8 → "8", "2.50" → "2.5"', () => {
    const demand = restockDemand({ dailySeries: SMOOTH_90 });
    const at = (onHand: string | number, onOrder: string | number) =>
      restockPosition(demand, { asOf: '2024-05-01', onHand, onOrder });
    expect(at('8', 0)).toMatchObject({ onHand: '8', onOrder: '0' });
    expect(at(8, '2.50')).toMatchObject({ onHand: '8', onOrder: '2.5' });
    expect(() => at('8', -1)).toThrow(RangeError);
    expect(() => at('x', 0)).toThrow();
  });
});

describe('lapsed-share lookback', () => {
  it('is max(365, lapseDays + windowDays): a year by default, longer when the lapse and window need it', () => {
    expect(lapsedLookbackDays(90, 180)).toBe(365);
    expect(lapsedLookbackDays(10, 5)).toBe(365);
    expect(lapsedLookbackDays(90, 300)).toBe(390);
    expect(lapsedLookbackDays(400, 180)).toBe(580);
  });
});
