import { loadCdnowSummary } from './cdnow.fixture';
import { assertValidSummaries, collapseSummaries } from './customer-summary.math';

describe('collapseSummaries', () => {
  it('groups identical (x, t_x, T) with their counts and indexes the distinct frequencies', () => {
    const data = collapseSummaries([
      { x: 0, tx: 0, T: 10 },
      { x: 2, tx: 4, T: 10 },
      { x: 0, tx: 0, T: 10 },
      { x: 2, tx: 4, T: 10, monetary: 12 },
      { x: 5, tx: 9, T: 10 },
    ]);
    expect(Array.from(data.weight)).toEqual([2, 2, 1]);
    expect(Array.from(data.x)).toEqual([0, 2, 5]);
    expect(Array.from(data.distinctX)).toEqual([0, 2, 5]);
    expect(Array.from(data.xIndex, (k) => data.distinctX[k])).toEqual([0, 2, 5]);
    expect(data.customers).toBe(5);
  });

  it('keeps every CDNOW customer: weights add up to the 2,357 of the README', () => {
    const data = collapseSummaries(loadCdnowSummary());
    expect(data.customers).toBe(2357);
    expect(data.weight.reduce((s, w) => s + w, 0)).toBe(2357);
    expect(data.x.length).toBeLessThan(2357);
  });
});

describe('assertValidSummaries', () => {
  it.each([
    [{ x: -1, tx: 0, T: 5 }],
    [{ x: 1, tx: 6, T: 5 }],
    [{ x: 0, tx: 2, T: 5 }],
    [{ x: 1, tx: NaN, T: 5 }],
  ])('rejects an impossible summary %j, naming its position', (bad) => {
    expect(() => assertValidSummaries([{ x: 0, tx: 0, T: 1 }, bad])).toThrow(/customer summary 1 is invalid/);
  });
});
