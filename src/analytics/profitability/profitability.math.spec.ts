import { groupLabel, NO_KEY, NO_SEGMENT, percent, ratios, whalePoint, whaleStep } from './profitability.math';

describe('percent', () => {
  it('is 100 × num / den, half-up to 2 places, exact past float precision', () => {
    expect(percent('230', '638')).toBe('36.05'); // 36.0501…
    expect(percent('40', '60')).toBe('66.67'); // 66.666…
    expect(percent('1', '8')).toBe('12.50');
    expect(percent('0.00125', '1')).toBe('0.13'); // 0.125 → half-up
    expect(percent('-0.00125', '1')).toBe('-0.13'); // half away from zero
    expect(percent('12345678901234567890.01', '12345678901234567890.01')).toBe('100.00');
  });

  it('is null over a zero or negative base', () => {
    expect(percent('5', '0')).toBeNull();
    expect(percent('-15', '-50')).toBeNull();
  });
});

describe('ratios', () => {
  it('measures margin on the covered revenue, markup on COGS, coverage on net revenue', () => {
    // net 763, of which 638 with a known cost; COGS 408 → GP 230
    expect(ratios({ net_revenue: '763', covered_revenue: '638', cogs: '408', gross_profit: '230' })).toEqual({
      marginPct: '36.05',
      markupPct: '56.37',
      costCoverage: '83.62',
    });
  });

  it('has no margin or markup when no revenue has a known cost', () => {
    expect(ratios({ net_revenue: '125', covered_revenue: '0', cogs: '0', gross_profit: '0' })).toEqual({
      marginPct: null,
      markupPct: null,
      costCoverage: '0.00',
    });
  });
});

describe('groupLabel', () => {
  it('names segments in the language asked for, with both labels', () => {
    expect(groupLabel('segment', 'at_risk', null, null, 'en')).toEqual({
      name: 'At risk',
      nameAr: 'معرضون للخطر',
      label: 'At risk',
      labelAr: 'معرضون للخطر',
    });
    expect(groupLabel('segment', NO_SEGMENT, null, null, 'ar').name).toBe('بلا شريحة');
  });

  it('names the (none) groups and keeps customer and product names', () => {
    expect(groupLabel('product', NO_KEY, null, null, 'en')).toEqual({
      name: 'Lines without a product',
      nameAr: 'بنود بلا منتج',
    });
    expect(groupLabel('category', NO_KEY, null, null, 'ar')).toEqual({ name: 'بلا فئة', nameAr: 'بلا فئة' });
    expect(groupLabel('category', 'Coffee', null, null, 'en')).toEqual({ name: 'Coffee', nameAr: null });
    expect(groupLabel('customer', 'C1', 'Al Ufuq', 'الأفق', 'en')).toEqual({
      name: 'Al Ufuq',
      nameAr: 'الأفق',
    });
  });
});

describe('whale curve', () => {
  it('gives the cumulative shares of customers and of the total contribution', () => {
    const p = whalePoint(
      { rank: 3, key: 'C2', name: 'Najd', contribution: '20.7369', cumulative: '276.7451' },
      4,
      '261.7451',
    );
    expect(p).toEqual({
      rank: 3,
      key: 'C2',
      name: 'Najd',
      contribution: '20.74',
      cumulativeContribution: '276.75',
      customerShare: '75.00',
      contributionShare: '105.73',
    });
  });

  it('has no contribution share against a total of zero or less', () => {
    expect(
      whalePoint({ rank: 1, key: 'A', name: 'A', contribution: '-5', cumulative: '-5' }, 1, '-5')
        .contributionShare,
    ).toBeNull();
  });

  it('samples every k-th customer, k = ⌈n / 200⌉', () => {
    expect(whaleStep(0)).toBe(1);
    expect(whaleStep(200)).toBe(1);
    expect(whaleStep(201)).toBe(2);
    expect(whaleStep(450)).toBe(3);
    expect(whaleStep(1_000_000)).toBe(5000);
    expect(() => whaleStep(-1)).toThrow(RangeError);
  });
});
