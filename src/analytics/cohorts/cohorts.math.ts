import Decimal from 'decimal.js';
import { formatMoney, Money, percent } from '../../shared/money';

/**
 * Pure shaping of the acquisition-cohorts grid (docs/analytics-definitions.md, "Cohorts"). The SQL
 * (cohorts.queries.ts) returns one row per (cohort month, month offset) with exact NUMERIC sums and
 * integer counts; this file turns those rows into the nested response. No clock, no database.
 *
 * Months are handled as month indexes: index = year × 12 + (month − 1), so 2024-03 = 24290. The SQL
 * uses the same formula, so an index never passes through a Date or a time zone.
 */

/** 'YYYY-MM-DD' (or 'YYYY-MM') → month index (year × 12 + month − 1). */
export function monthIndex(date: string): number {
  const [y, m] = date.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
}

/** month index → 'YYYY-MM'. */
export function monthLabel(index: number): string {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** Retention: shared/money.ts percent() (null for an empty cohort). */
export { percent };

/** amount / count as money (half-up, 2 places); null when count is 0. */
export function perCustomer(amount: Decimal.Value, count: number): string | null {
  if (count === 0) return null;
  return formatMoney(new Money(amount).dividedBy(count));
}

/** One row of the grid query (column names as the SQL returns them). */
export interface CohortGridRow {
  cohort_idx: number;
  month_offset: number;
  period_idx: number;
  /** customers whose first counting invoice is in the cohort month */
  size: number;
  /** customers of the cohort with a counting invoice in the period month */
  active: number;
  /** invoice net − credit-note net in the period month, base currency (NUMERIC string) */
  net: string;
  /** Σ net from offset 0 through this offset */
  cum_net: string;
  /** the period month is the month of asOf and asOf is not its last day */
  partial: boolean;
  /** over complete periods of non-empty cohorts at this offset: how many cohorts, Σ size, Σ active */
  offset_cohorts: number;
  offset_size: number;
  offset_active: number;
  /** Σ size over the shown cohorts; Σ net over the whole grid */
  total_customers: number;
  total_net: string;
}

export interface CohortPeriod {
  offset: number;
  month: string;
  activeCustomers: number;
  retentionPct: string | null;
  netRevenue: string;
  cumulativeNetRevenuePerCustomer: string | null;
  partial: boolean;
}

export interface Cohort {
  cohort: string;
  customers: number;
  periods: CohortPeriod[];
}

export interface OffsetRetention {
  offset: number;
  /** non-empty cohorts whose period at this offset is a complete month */
  cohorts: number;
  customers: number;
  activeCustomers: number;
  /** Σ active / Σ customers over those cohorts (= the customer-weighted mean of their retention) */
  retentionPct: string | null;
}

export interface CohortsShape {
  cohorts: Cohort[];
  retentionByOffset: OffsetRetention[];
  totals: { customers: number; netRevenue: string };
}

/**
 * Rows (any order) → cohorts oldest first, each with its periods by offset; the weighted retention
 * per offset; totals. Counts may arrive as strings or numbers depending on the driver: normalised here.
 */
export function shapeCohorts(rows: readonly CohortGridRow[]): CohortsShape {
  const sorted = [...rows].sort((a, b) => a.cohort_idx - b.cohort_idx || a.month_offset - b.month_offset);
  const cohorts: Cohort[] = [];
  const byOffset = new Map<number, OffsetRetention>();
  for (const r of sorted) {
    const offset = Number(r.month_offset);
    const size = Number(r.size);
    const active = Number(r.active);
    let cohort = cohorts[cohorts.length - 1];
    const label = monthLabel(Number(r.cohort_idx));
    if (!cohort || cohort.cohort !== label) {
      cohort = { cohort: label, customers: size, periods: [] };
      cohorts.push(cohort);
    }
    cohort.periods.push({
      offset,
      month: monthLabel(Number(r.period_idx)),
      activeCustomers: active,
      retentionPct: percent(active, size),
      netRevenue: formatMoney(r.net),
      cumulativeNetRevenuePerCustomer: perCustomer(r.cum_net, size),
      partial: r.partial,
    });
    if (!byOffset.has(offset)) {
      const customers = Number(r.offset_size);
      const activeCustomers = Number(r.offset_active);
      byOffset.set(offset, {
        offset,
        cohorts: Number(r.offset_cohorts),
        customers,
        activeCustomers,
        retentionPct: percent(activeCustomers, customers),
      });
    }
  }
  const first = sorted[0];
  return {
    cohorts,
    retentionByOffset: [...byOffset.values()].sort((a, b) => a.offset - b.offset),
    totals: {
      customers: first ? Number(first.total_customers) : 0,
      netRevenue: formatMoney(first ? first.total_net : 0),
    },
  };
}
