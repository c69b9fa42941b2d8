import { Decimal } from 'decimal.js';

import { classifyDemand, crostonSba, dailyRate, mean, sampleStdDev } from './demand.math';

/** A series of `length` days with demand `sizes[j]` on the j-th day not listed in `zeroDays`. */
function series(length: number, zeroDays: readonly number[], sizes: (j: number) => number): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < length; i++) out.push(zeroDays.includes(i) ? 0 : sizes(j++));
  return out;
}

// The hand-worked intermittent series: 16 days, demand on days 2, 6, 8 and 13 (0-based), two
// trailing zero days.
const INTERMITTENT = [0, 0, 4, 0, 0, 0, 2, 0, 6, 0, 0, 0, 0, 3, 0, 0];

describe('classifyDemand (Syntetos–Boylan)', () => {
  it('classifies the hand-worked series as intermittent: ADI (3+4+2+5)/4 = 3.5, CV² 2.1875/3.75² = 0.1556', () => {
    // Intervals: day 2 → 3 (from the window start), 6 − 2 = 4, 8 − 6 = 2, 13 − 8 = 5; the two trailing
    // zero days do not count. Sizes 4, 2, 6, 3: mean 3.75; population variance
    // (0.25² + 1.75² + 2.25² + 0.75²)/4 = 8.75/4 = 2.1875; CV² = 2.1875/14.0625 = 0.155…
    const c = classifyDemand(INTERMITTENT);
    expect(c.demandClass).toBe('intermittent');
    expect(c.adi).toBe(3.5);
    expect(c.cv2).toBeCloseTo(0.155556, 6);
    expect(c.demandDays).toBe(4);
  });

  it('counts the first interval from the window start: a sale on day 0 is an interval of 1', () => {
    expect(classifyDemand([5, 5, 5]).adi).toBe(1);
    expect(classifyDemand([0, 0, 5]).adi).toBe(3);
  });

  it('puts ADI exactly 1.32 (25 sales over 33 days) on the intermittent side', () => {
    const s = series(33, [1, 5, 9, 13, 17, 21, 25, 29], () => 5);
    expect(s[32]).toBe(5);
    expect(classifyDemand(s)).toEqual({ demandClass: 'intermittent', adi: 1.32, cv2: 0, demandDays: 25 });
  });

  it('keeps ADI 1.28 (25 sales over 32 days) smooth', () => {
    const s = series(32, [1, 5, 9, 13, 17, 21, 25], () => 5);
    expect(classifyDemand(s)).toEqual({ demandClass: 'smooth', adi: 1.28, cv2: 0, demandDays: 25 });
  });

  it('puts CV² exactly 0.49 (sizes 3 and 17: mean 10, variance 49) on the erratic side', () => {
    expect(classifyDemand([3, 17])).toEqual({ demandClass: 'erratic', adi: 1, cv2: 0.49, demandDays: 2 });
  });

  it('keeps CV² 0.36 (sizes 4 and 16: mean 10, variance 36) smooth', () => {
    expect(classifyDemand([4, 16]).demandClass).toBe('smooth');
    expect(classifyDemand([4, 16]).cv2).toBe(0.36);
  });

  it('computes CV² in decimals: sizes 0.3 and 1.7 give exactly 0.49 (floats give 0.48999999999999994)', () => {
    expect(classifyDemand([0.3, 1.7])).toEqual({ demandClass: 'erratic', adi: 1, cv2: 0.49, demandDays: 2 });
  });

  it('is lumpy with ADI exactly 1.32 and CV² exactly 0.49 (50 sales of 3 or 17 over 66 days)', () => {
    const zeros = Array.from({ length: 16 }, (_, i) => i * 4); // days 0, 4, …, 60
    const s = series(66, zeros, (j) => (j % 2 === 0 ? 3 : 17));
    expect(classifyDemand(s)).toEqual({ demandClass: 'lumpy', adi: 1.32, cv2: 0.49, demandDays: 50 });
  });

  it('is none when no day has demand, including a window of returns only', () => {
    expect(classifyDemand([0, 0, 0])).toEqual({ demandClass: 'none', adi: null, cv2: null, demandDays: 0 });
    expect(classifyDemand([0, -2, 0]).demandClass).toBe('none');
    expect(classifyDemand([]).demandClass).toBe('none');
  });

  it('treats a day of net returns as a day without demand: [5, −2, 5, 0] → ADI 3/2', () => {
    expect(classifyDemand([5, -2, 5, 0])).toEqual({
      demandClass: 'intermittent',
      adi: 1.5,
      cv2: 0,
      demandDays: 2,
    });
  });

  it('gives a single sale CV² 0 (population variance stays defined)', () => {
    expect(classifyDemand([0, 7, 0]).cv2).toBe(0);
  });

  it('rejects non-finite values', () => {
    expect(() => classifyDemand([1, NaN])).toThrow(RangeError);
  });

  it('gives whole-unit series the figures of exact decimal arithmetic (2,000 random series)', () => {
    // reference: ADI = span / k and CV² = k·Σs² / (Σs)² − 1 in 60-digit decimals
    const Exact = Decimal.clone({ precision: 60 });
    let seed = 11;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let n = 0; n < 2000; n++) {
      const s = Array.from({ length: 30 + Math.floor(next() * 60) }, () =>
        next() < 0.5 ? 0 : Math.floor(next() * (n % 2 ? 9 : 400)),
      );
      const sizes = s.filter((v) => v > 0);
      if (sizes.length === 0) continue;
      const span = s.lastIndexOf(sizes[sizes.length - 1]!) + 1;
      const sum = sizes.reduce((a, v) => a.plus(v), new Exact(0));
      const sumSq = sizes.reduce((a, v) => a.plus(v * v), new Exact(0));
      const adi = new Exact(span).div(sizes.length);
      const cv2 = sumSq.times(sizes.length).div(sum.times(sum)).minus(1);
      const c = classifyDemand(s);
      expect([c.adi, c.cv2]).toEqual([adi.toNumber(), cv2.toNumber()]);
      const cls = adi.gte('1.32')
        ? cv2.gte('0.49')
          ? 'lumpy'
          : 'intermittent'
        : cv2.gte('0.49')
          ? 'erratic'
          : 'smooth';
      expect(c.demandClass).toBe(cls);
    }
  });

  it('keeps huge whole sizes exact through the decimal path: sizes 3e8 and 17e8 → CV² 0.49', () => {
    expect(classifyDemand([3e8, 17e8])).toEqual({ demandClass: 'erratic', adi: 1, cv2: 0.49, demandDays: 2 });
  });
});

describe('crostonSba', () => {
  it('smooths the hand-worked series to size 3.918, interval 3.191, SBA rate 0.95 × 3.918/3.191 = 1.16644', () => {
    // α = 0.1. Demand events (size, interval): (4, 3), (2, 4), (6, 2), (3, 5).
    // init            z = 4                               p = 3
    // (2, 4)          z = 4 + 0.1 × (2 − 4) = 3.8         p = 3 + 0.1 × (4 − 3) = 3.1
    // (6, 2)          z = 3.8 + 0.1 × (6 − 3.8) = 4.02    p = 3.1 + 0.1 × (2 − 3.1) = 2.99
    // (3, 5)          z = 4.02 + 0.1 × (3 − 4.02) = 3.918 p = 2.99 + 0.1 × (5 − 2.99) = 3.191
    // rate = (1 − 0.1/2) × 3.918 / 3.191 = 3.7221 / 3.191 = 1.166437
    const r = crostonSba(INTERMITTENT);
    expect(r).not.toBeNull();
    expect(r!.size).toBeCloseTo(3.918, 12);
    expect(r!.interval).toBeCloseTo(3.191, 12);
    expect(r!.rate).toBeCloseTo(1.166437, 6);
  });

  it('ignores zeros after the last sale (Croston only updates on demand days)', () => {
    expect(crostonSba(INTERMITTENT.slice(0, 14))).toEqual(crostonSba(INTERMITTENT));
  });

  it('uses α: with α = 0.5 the same series gives z 3.75, p 3.875, rate 0.75 × 3.75/3.875 = 0.725806', () => {
    // z: 4; 4 + 0.5(2 − 4) = 3; 3 + 0.5(6 − 3) = 4.5; 4.5 + 0.5(3 − 4.5) = 3.75.
    // p: 3; 3 + 0.5(4 − 3) = 3.5; 3.5 + 0.5(2 − 3.5) = 2.75; 2.75 + 0.5(5 − 2.75) = 3.875.
    // rate = (1 − 0.5/2) × 3.75 / 3.875 = 2.8125 / 3.875 = 0.725806…
    const r = crostonSba(INTERMITTENT, 0.5)!;
    expect(r.size).toBe(3.75);
    expect(r.interval).toBe(3.875);
    expect(r.rate).toBeCloseTo(0.725806, 6);
  });

  it('initialises a single sale on day 4 to size = that sale, interval 5: rate 0.95 × 10/5 = 1.9', () => {
    expect(crostonSba([0, 0, 0, 0, 10, 0])).toEqual({ size: 10, interval: 5, rate: 1.9 });
  });

  it('returns null without demand and rejects α outside (0, 1]', () => {
    expect(crostonSba([0, 0])).toBeNull();
    expect(() => crostonSba([1], 0)).toThrow(RangeError);
    expect(() => crostonSba([1], 1.1)).toThrow(RangeError);
  });
});

describe('dailyRate', () => {
  it('uses the mean over every day for smooth and erratic demand: 15 units / 16 days = 0.9375', () => {
    expect(dailyRate(INTERMITTENT, 'smooth')).toEqual({ rate: 0.9375, method: 'mean' });
    expect(dailyRate(INTERMITTENT, 'erratic')).toEqual({ rate: 0.9375, method: 'mean' });
  });

  it('uses SBA for intermittent and lumpy demand', () => {
    const sba = crostonSba(INTERMITTENT)!.rate;
    expect(dailyRate(INTERMITTENT, 'intermittent')).toEqual({ rate: sba, method: 'sba' });
    expect(dailyRate(INTERMITTENT, 'lumpy')).toEqual({ rate: sba, method: 'sba' });
  });

  it('is 0 without demand, and never negative when returns exceed sales', () => {
    expect(dailyRate([0, 0], 'none')).toEqual({ rate: 0, method: 'mean' });
    expect(dailyRate([1, -5, 1], 'smooth')).toEqual({ rate: 0, method: 'mean' });
  });
});

describe('sampleStdDev', () => {
  it('divides by n − 1: [2, 4, 4, 4, 5, 5, 7, 9] → √(32/7) = 2.13809 (population σ would be 2)', () => {
    expect(sampleStdDev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 14);
  });

  it('is 0 for fewer than two days and for a constant series', () => {
    expect(sampleStdDev([])).toBe(0);
    expect(sampleStdDev([7])).toBe(0);
    expect(sampleStdDev([3, 3, 3])).toBe(0);
  });

  it('mean of an empty series is 0', () => {
    expect(mean([])).toBe(0);
  });
});
