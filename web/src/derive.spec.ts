import { monthEnds, monthlyNet, newVsReturning, sumDecimals } from './derive';
import { ar } from './i18n/ar';
import { en } from './i18n/en';

describe('dashboard derivations', () => {
  it('splits each month’s revenue into first-month (new) and returning customers', () => {
    const r = newVsReturning({
      cohorts: [
        {
          cohort: '2026-01',
          customers: 2,
          periods: [
            { offset: 0, month: '2026-01', netRevenue: '100.10', activeCustomers: 2 },
            { offset: 1, month: '2026-02', netRevenue: '40.00', activeCustomers: 1 },
          ],
        },
        {
          cohort: '2026-02',
          customers: 1,
          periods: [{ offset: 0, month: '2026-02', netRevenue: '25.50', activeCustomers: 1 }],
        },
      ],
    });
    expect(r).toEqual({ months: ['2026-01', '2026-02'], fresh: [100.1, 25.5], returning: [0, 40] });
  });

  it('gives the month ends before a date, oldest first', () => {
    expect(monthEnds(3, new Date('2026-12-07T10:00:00Z'))).toEqual([
      '2026-09-30',
      '2026-10-31',
      '2026-11-30',
    ]);
    expect(monthEnds(2, new Date('2024-03-15T00:00:00Z'))).toEqual(['2024-01-31', '2024-02-29']);
  });

  it('sums a customer’s invoices per month, leaving out drafts and void ones', () => {
    const r = monthlyNet([
      { externalId: 'A', issueDate: '2026-01-03', total: '115', net: '100', status: 'paid' },
      { externalId: 'B', issueDate: '2026-01-20', total: '23', net: '20', status: 'issued' },
      { externalId: 'C', issueDate: '2026-02-01', total: '50', net: '40', status: 'void' },
      { externalId: 'D', issueDate: '2025-12-31', total: '11.5', net: '10', status: 'issued' },
    ]);
    expect(r).toEqual({ months: ['2025-12', '2026-01'], values: [10, 120] });
  });

  it('has the same keys in the Arabic and English catalogues, none empty, placeholders alike', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(en)) {
      const a = ar[k as keyof typeof ar];
      expect(a.trim()).not.toBe('');
      expect([...a.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()).toEqual(
        [...v.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(),
      );
    }
  });

  it('sums money strings exactly, signs and scales mixed', () => {
    expect(sumDecimals(['0.10', '0.20'])).toBe('0.30');
    expect(sumDecimals(['98765432109876.54', '0.01', null, undefined])).toBe('98765432109876.55');
    expect(sumDecimals(['-5.5', '2.25'])).toBe('-3.25');
    expect(sumDecimals(['-0.01', '0.005'])).toBe('-0.005');
    expect(sumDecimals([])).toBe('0');
  });
});
