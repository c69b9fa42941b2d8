import { AGING_BUCKETS } from '../receivables/receivables.math';
import { Money } from '../../shared/money';
import type { SnapshotKind } from './recompute.steps';

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

/** Rows per stored chunk of a long list (result-steps.ts putChunked; a test may make them small). */
export const CHUNKING = { rows: 1000 };

/** The lists stored in chunks: `kind` is the index, `kind#i` the i-th chunk. */
export type ChunkedKind = 'profitability.customer' | 'receivables.aging';

/** The index of a chunked list: its totals, its length, and the (value, key) of each chunk's first row. */
export interface ChunkedIndex {
  totals: Record<string, string | number | null>;
  rows: number;
  firsts: [string, string][];
}

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

/** `r` comes strictly after the keyset cursor in the order value DESC, key (binary) ASC. */
function after(cursor: [string, string]): (value: string | null, key: string | null) => boolean {
  const v = new Money(cursor[0]);
  const k = Buffer.from(cursor[1]);
  return (value, key) => {
    const c = new Money(value ?? 0).cmp(v);
    return c < 0 || (c === 0 && Buffer.compare(Buffer.from(key ?? ''), k) > 0);
  };
}

/** The first index in [0, n) where the monotone `pred` holds (n when none). */
function firstWhere(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * pageAfter over a chunked list: the chunk where the page starts is found from the index's first rows,
 * then as many chunks are read (`chunk(i)`) as the page needs.
 */
export async function chunkedPageAfter(
  index: ChunkedIndex,
  chunk: (i: number) => Promise<StoredRow[]>,
  valueAt: number,
  keyAt: number,
  cursor: [string, string] | undefined,
  take: number | null,
): Promise<StoredRow[]> {
  let c = 0;
  let start = 0;
  if (cursor) {
    const isAfter = after(cursor);
    // the first chunk that starts after the cursor; the page starts in the chunk before it, or there
    const next = firstWhere(index.firsts.length, (i) => isAfter(...index.firsts[i]!));
    c = Math.max(0, next - 1);
    if (next > 0) {
      const rows = await chunk(c);
      start = firstWhere(rows.length, (i) => isAfter(rows[i]![valueAt] ?? null, rows[i]![keyAt] ?? null));
    }
  }
  const out: StoredRow[] = [];
  for (; c < index.firsts.length && (take === null || out.length < take); c++, start = 0) {
    const rows = await chunk(c);
    out.push(...rows.slice(start, take === null ? undefined : start + take - out.length));
  }
  return out;
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
    const isAfter = after(cursor);
    lo = firstWhere(rows.length, (i) => isAfter(rows[i]![valueAt] ?? null, rows[i]![keyAt] ?? null));
  }
  return rows.slice(lo, take === null ? undefined : lo + take);
}

/** What readChunked needs of SnapshotService: a memoised stored result. */
interface ResultSource {
  result<T>(tenantId: string, snapshotId: string, kind: SnapshotKind): Promise<T | null>;
}

/**
 * A page of a chunked list of the snapshot (null when the snapshot does not store it): its totals and
 * the rows after `cursor` (at most `take`), each chunk read once and then served from memory.
 */
export async function readChunked(
  source: ResultSource,
  tenantId: string,
  snapshotId: string,
  kind: ChunkedKind,
  at: { value: number; key: number },
  cursor: [string, string] | undefined,
  take: number | null,
): Promise<{ totals: ChunkedIndex['totals']; rows: StoredRow[] } | null> {
  const index = await source.result<ChunkedIndex>(tenantId, snapshotId, kind);
  if (!index) return null;
  const chunk = async (i: number) => {
    const rows = await source.result<StoredRow[]>(tenantId, snapshotId, `${kind}#${i}`);
    if (!rows) throw new Error(`snapshot ${snapshotId}: ${kind} chunk ${i} is missing`);
    return rows;
  };
  const rows = await chunkedPageAfter(index, chunk, at.value, at.key, cursor, take);
  return { totals: index.totals, rows };
}
