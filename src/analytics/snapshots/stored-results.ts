import { AGING_BUCKETS } from '../receivables/receivables.math';
import { Money } from '../../shared/money';

/**
 * The shapes of the stored results of result-steps.ts and how they are read back: every row is an
 * array of text (or null) in the order of its column list, sorted as the endpoint's SQL sorts.
 */

/** Figures of profitabilityPageSql that its totals row sums over the groups. */
export const PROFIT_SUMMED = [
  'gross_sales',
  'returns',
  'net_revenue',
  'covered_revenue',
  'cogs',
  'gross_profit',
  'cost_of_credit',
  'contribution',
  'units',
  'returned_units',
] as const;

export const PROFIT_COLUMNS = [
  'key',
  'name',
  'name_ar',
  ...PROFIT_SUMMED,
  'invoices',
  'credit_notes',
] as const;

export const WHALE_COLUMNS = [
  'key',
  'name',
  'contribution',
  'rank',
  'cumulative',
  'n',
  'total',
  'peak_rank',
] as const;

export const AGING_COLUMNS = [
  'external_id',
  'name',
  'name_ar',
  'email',
  'phone',
  'total_open',
  'unapplied',
  'net_owed',
  'mean_days_to_pay',
  ...AGING_BUCKETS.map((b) => b.column),
  'oldest_overdue_days',
  'settled_invoices',
  'open_invoices',
] as const;

export type StoredRow = (string | null)[];

/** A stored list: the totals row of its query and every row, in the query's order. */
export interface StoredList {
  totals: Record<string, string | number | null>;
  rows: StoredRow[];
}

/** A stored row as the object the query's row would be, keyed by `columns`. */
export function rowObject(columns: readonly string[], row: StoredRow): Record<string, string | null> {
  const o: Record<string, string | null> = {};
  columns.forEach((c, i) => (o[c] = row[i] ?? null));
  return o;
}

/**
 * The rows of a page after the keyset cursor (value, key), rows sorted by value descending (exact
 * decimal), then key in binary (UTF-8 byte) order, as `ORDER BY value DESC, key COLLATE "C"` with
 * `WHERE value < $v OR (value = $v AND key COLLATE "C" > $k)` and `LIMIT take` (null = all).
 */
export function pageAfter(
  rows: StoredRow[],
  valueAt: number,
  keyAt: number,
  cursor: [string, string] | undefined,
  take: number | null,
): StoredRow[] {
  let lo = 0;
  if (cursor) {
    const value = new Money(cursor[0]);
    const key = Buffer.from(cursor[1]);
    const isAfter = (r: StoredRow) => {
      const c = new Money(r[valueAt] ?? 0).cmp(value);
      return c < 0 || (c === 0 && Buffer.compare(Buffer.from(r[keyAt] ?? ''), key) > 0);
    };
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAfter(rows[mid]!)) hi = mid;
      else lo = mid + 1;
    }
  }
  return rows.slice(lo, take === null ? undefined : lo + take);
}
