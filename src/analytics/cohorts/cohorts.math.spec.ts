import { CohortGridRow, monthIndex, monthLabel, percent, perCustomer, shapeCohorts } from './cohorts.math';

describe('month indexes', () => {
  it('numbers months as year × 12 + month − 1 and round-trips to YYYY-MM', () => {
    expect(monthIndex('2024-03-15')).toBe(2024 * 12 + 2);
    expect(monthIndex('2024-03')).toBe(24290);
    expect(monthLabel(24290)).toBe('2024-03');
  });

  it('crosses year ends in both directions', () => {
    expect(monthLabel(monthIndex('2023-12-31') + 1)).toBe('2024-01');
    expect(monthLabel(monthIndex('2024-01-01') - 1)).toBe('2023-12');
    expect(monthIndex('2024-02-01') - monthIndex('2023-11-30')).toBe(3);
  });
});

describe('percent', () => {
  it('rounds half-up to 2 decimals, exactly', () => {
    expect(percent(2, 3)).toBe('66.67');
    expect(percent(1, 3)).toBe('33.33');
    expect(percent(1, 8)).toBe('12.50');
    expect(percent(1, 16)).toBe('6.25');
    expect(percent(1, 1600)).toBe('0.06'); // 0.0625 → 0.06
    expect(percent(1, 400)).toBe('0.25');
    expect(percent(1, 80000)).toBe('0.00'); // 0.00125
    expect(percent(1, 200)).toBe('0.50');
    expect(percent(3, 3)).toBe('100.00');
    expect(percent(0, 5)).toBe('0.00');
  });

  it('is null for an empty whole rather than 0 % or NaN', () => {
    expect(percent(0, 0)).toBeNull();
  });
});

describe('perCustomer', () => {
  it('divides exactly and rounds half-up only when presenting', () => {
    expect(perCustomer('450.01', 2)).toBe('225.01'); // 225.005 → half-up
    expect(perCustomer('170.00', 3)).toBe('56.67');
    expect(perCustomer('-0.01', 2)).toBe('-0.01'); // −0.005 → away from zero
    expect(perCustomer('0', 0)).toBeNull();
  });
});

function row(p: Partial<CohortGridRow> & Pick<CohortGridRow, 'cohort_idx' | 'month_offset'>): CohortGridRow {
  return {
    period_idx: p.cohort_idx + p.month_offset,
    size: 0,
    active: 0,
    net: '0',
    cum_net: '0',
    partial: false,
    offset_cohorts: 0,
    offset_size: 0,
    offset_active: 0,
    total_customers: 3,
    total_net: '130.5',
    ...p,
  };
}

describe('shapeCohorts', () => {
  const may = monthIndex('2024-05');
  const rows: CohortGridRow[] = [
    // given out of order, counts as strings (as some drivers return them)
    row({
      cohort_idx: may + 1,
      month_offset: 0,
      partial: true,
      offset_cohorts: 1,
      offset_size: 3,
      offset_active: 3,
    }),
    row({
      cohort_idx: may,
      month_offset: 1,
      size: 3,
      active: '1' as unknown as number,
      net: '-10.5',
      cum_net: '130.5',
      partial: true,
    }),
    row({
      cohort_idx: may,
      month_offset: 0,
      size: 3,
      active: 3,
      net: '141',
      cum_net: '141',
      offset_cohorts: 1,
      offset_size: 3,
      offset_active: 3,
    }),
  ];

  it('nests periods under their cohort, oldest cohort and lowest offset first', () => {
    const shaped = shapeCohorts(rows);
    expect(shaped.cohorts).toEqual([
      {
        cohort: '2024-05',
        customers: 3,
        periods: [
          {
            offset: 0,
            month: '2024-05',
            activeCustomers: 3,
            retentionPct: '100.00',
            netRevenue: '141.00',
            cumulativeNetRevenuePerCustomer: '47.00',
            partial: false,
          },
          {
            offset: 1,
            month: '2024-06',
            activeCustomers: 1,
            retentionPct: '33.33',
            netRevenue: '-10.50',
            cumulativeNetRevenuePerCustomer: '43.50',
            partial: true,
          },
        ],
      },
      {
        cohort: '2024-06',
        customers: 0,
        periods: [
          {
            offset: 0,
            month: '2024-06',
            activeCustomers: 0,
            retentionPct: null,
            netRevenue: '0.00',
            cumulativeNetRevenuePerCustomer: null,
            partial: true,
          },
        ],
      },
    ]);
  });

  it('gives one weighted retention per offset and the totals', () => {
    const shaped = shapeCohorts(rows);
    expect(shaped.retentionByOffset).toEqual([
      { offset: 0, cohorts: 1, customers: 3, activeCustomers: 3, retentionPct: '100.00' },
      { offset: 1, cohorts: 0, customers: 0, activeCustomers: 0, retentionPct: null },
    ]);
    expect(shaped.totals).toEqual({ customers: 3, netRevenue: '130.50' });
  });

  it('answers an empty grid with empty lists and zero totals', () => {
    expect(shapeCohorts([])).toEqual({
      cohorts: [],
      retentionByOffset: [],
      totals: { customers: 0, netRevenue: '0.00' },
    });
  });
});
