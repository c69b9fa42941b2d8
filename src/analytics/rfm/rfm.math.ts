/**
 * RFM scores and segments (DOMAIN §3). Pure; the SQL engine must give the same answers, and the
 * segment grid below is the one definition both use (segmentCaseSql builds the SQL from it).
 *
 * Scores, n = population size, rank = standard competition rank (1-based; ties share the lowest
 * rank, the next distinct value skips: 1, 1, 3):
 *   score(rank, n) = 1 + ⌊5 · (rank − 1) / n⌋
 *   R: rank over recency days DESCENDING (the longest-silent customer has rank 1 → score 1; the most
 *      recent gets the highest score); F and M: rank ascending (lowest value → 1).
 * rank − 1 is the number of customers strictly worse, so a tie always shares one score, the lowest
 * of its range, and a bottom-heavy tie (40 % one-time buyers) still scores 1. Consequences worth
 * knowing: a single customer (rank 1, n 1) scores 1 everywhere, and so does a population where
 * everyone is equal; scores can skip (n = 3 gives 1, 2, 4).
 *   FM = round half-up of (F + M) / 2 = ⌊(F + M + 1) / 2⌋
 * Monetary is a decimal string (net revenue; negative when returns exceed sales) compared with
 * decimal.js, so "10.5" and "10.50" tie and values beyond float precision still order correctly.
 *
 * Segments: the 11-segment (R, FM) grid of DOMAIN §3, which covers each of the 25 cells exactly
 * once (checked when this module loads, and asserted cell by cell in the spec).
 */
import { Decimal } from 'decimal.js';

export type Score = 1 | 2 | 3 | 4 | 5;
export type Cell = readonly [r: Score, fm: Score];

/** Ordered as DOMAIN §3. Keys are [a-z_] only; cells are (R, FM). */
export const RFM_SEGMENTS = [
  {
    key: 'champions',
    labelEn: 'Champions',
    labelAr: 'الأبطال',
    cells: [
      [5, 5],
      [5, 4],
      [4, 5],
    ],
  },
  {
    key: 'loyal',
    labelEn: 'Loyal',
    labelAr: 'العملاء المخلصون',
    cells: [
      [5, 3],
      [4, 4],
      [3, 5],
      [3, 4],
    ],
  },
  {
    key: 'potential_loyalists',
    labelEn: 'Potential loyalists',
    labelAr: 'مخلصون محتملون',
    cells: [
      [5, 2],
      [4, 2],
      [3, 3],
      [4, 3],
    ],
  },
  { key: 'new', labelEn: 'New customers', labelAr: 'عملاء جدد', cells: [[5, 1]] },
  {
    key: 'promising',
    labelEn: 'Promising',
    labelAr: 'واعدون',
    cells: [
      [4, 1],
      [3, 1],
    ],
  },
  {
    key: 'need_attention',
    labelEn: 'Need attention',
    labelAr: 'بحاجة إلى اهتمام',
    cells: [
      [3, 2],
      [2, 3],
      [2, 2],
    ],
  },
  { key: 'about_to_sleep', labelEn: 'About to sleep', labelAr: 'على وشك السبات', cells: [[2, 1]] },
  {
    key: 'at_risk',
    labelEn: 'At risk',
    labelAr: 'معرضون للخطر',
    cells: [
      [2, 5],
      [2, 4],
      [1, 3],
    ],
  },
  {
    key: 'cant_lose',
    labelEn: "Can't lose them",
    labelAr: 'لا يمكن خسارتهم',
    cells: [
      [1, 5],
      [1, 4],
    ],
  },
  { key: 'hibernating', labelEn: 'Hibernating', labelAr: 'في سبات', cells: [[1, 2]] },
  { key: 'lost', labelEn: 'Lost', labelAr: 'مفقودون', cells: [[1, 1]] },
] as const satisfies readonly {
  key: string;
  labelEn: string;
  labelAr: string;
  cells: readonly Cell[];
}[];

export type SegmentKey = (typeof RFM_SEGMENTS)[number]['key'];

function isScore(x: number): x is Score {
  return Number.isInteger(x) && x >= 1 && x <= 5;
}

function assertScore(x: number, name: string): asserts x is Score {
  if (!isScore(x)) throw new RangeError(`${name} must be an integer from 1 to 5, got ${x}`);
}

// (R, FM) → segment, built once from the table; index (r − 1) · 5 + (fm − 1).
const GRID: SegmentKey[] = (() => {
  const grid: (SegmentKey | undefined)[] = new Array<SegmentKey | undefined>(25).fill(undefined);
  for (const segment of RFM_SEGMENTS) {
    for (const [r, fm] of segment.cells) {
      const i = (r - 1) * 5 + (fm - 1);
      if (grid[i] !== undefined) throw new Error(`RFM cell (${r}, ${fm}) is in two segments`);
      grid[i] = segment.key;
    }
  }
  if (grid.includes(undefined)) throw new Error('RFM grid does not cover every (R, FM) cell');
  return grid as SegmentKey[];
})();

/** 1 + ⌊5 · (rank − 1) / n⌋, for a 1-based competition rank within a population of n. */
export function score(rank: number, n: number): Score {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(rank) || rank < 1 || rank > n) {
    throw new RangeError(`rank must be an integer from 1 to n = ${n}, got ${rank}`);
  }
  // Integer operands: 5 · (rank − 1) and n are exact, and the quotient floors correctly for any
  // population below 2^50.
  return (1 + Math.floor((5 * (rank - 1)) / n)) as Score;
}

/** Round half-up of (f + m) / 2. */
export function fmScore(f: number, m: number): Score {
  assertScore(f, 'f');
  assertScore(m, 'm');
  return Math.floor((f + m + 1) / 2) as Score;
}

export function segmentOf(r: number, fm: number): SegmentKey {
  assertScore(r, 'r');
  assertScore(fm, 'fm');
  return GRID[(r - 1) * 5 + (fm - 1)]!;
}

const COLUMN_REF = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * SQL CASE expression giving the segment key of (rExpr, fmExpr), built from RFM_SEGMENTS:
 *   CASE
 *     WHEN (r, fm) IN ((5, 5), (5, 4), (4, 5)) THEN 'champions'
 *     …
 *   END
 * The expressions must be plain column references (`fm` or `s.fm`): they are code, never input,
 * and anything else is refused. Every other character comes from the table (digits and [a-z_]
 * keys), so the string needs no parameters. NULL for scores outside 1–5.
 */
export function segmentCaseSql(rExpr: string, fmExpr: string): string {
  for (const expr of [rExpr, fmExpr]) {
    if (!COLUMN_REF.test(expr)) throw new RangeError(`segmentCaseSql: not a column reference: ${expr}`);
  }
  const whens = RFM_SEGMENTS.map((segment) => {
    if (!/^[a-z_]+$/.test(segment.key)) throw new Error(`unsafe segment key ${segment.key}`);
    const cells = segment.cells.map(([r, fm]) => `(${r}, ${fm})`).join(', ');
    return `  WHEN (${rExpr}, ${fmExpr}) IN (${cells}) THEN '${segment.key}'`;
  });
  return ['CASE', ...whens, 'END'].join('\n');
}

export interface RfmInputRow {
  id: string;
  /** Days from the last counting invoice to A. */
  recencyDays: number;
  /** Counting invoices (in the window). */
  frequency: number;
  /** Net revenue as a decimal string; can be negative. */
  monetary: string;
}

export interface RfmScoredRow {
  id: string;
  r: number;
  f: number;
  m: string;
  rScore: Score;
  fScore: Score;
  mScore: Score;
  fm: Score;
  segment: SegmentKey;
}

/**
 * Standard competition ranks of `values` under `compare` (ascending): rank = 1 + the number of
 * values strictly before it.
 */
function competitionRanks<T>(values: readonly T[], compare: (a: T, b: T) => number): number[] {
  const order = values.map((_, i) => i).sort((a, b) => compare(values[a]!, values[b]!));
  const ranks = new Array<number>(values.length);
  order.forEach((index, position) => {
    const previous = position > 0 ? order[position - 1]! : undefined;
    const tied = previous !== undefined && compare(values[previous]!, values[index]!) === 0;
    ranks[index] = tied ? ranks[previous]! : position + 1;
  });
  return ranks;
}

/** Reference implementation of the RFM scoring of a population; rows come back in input order. */
export function scoreCustomers(rows: readonly RfmInputRow[]): RfmScoredRow[] {
  const n = rows.length;
  const ids = new Set<string>();
  for (const row of rows) {
    if (ids.has(row.id)) throw new RangeError(`duplicate customer id ${row.id}`);
    ids.add(row.id);
    if (!Number.isInteger(row.recencyDays) || row.recencyDays < 0) {
      throw new RangeError(`recencyDays must be an integer ≥ 0 (customer ${row.id})`);
    }
    if (!Number.isInteger(row.frequency) || row.frequency < 0) {
      throw new RangeError(`frequency must be an integer ≥ 0 (customer ${row.id})`);
    }
  }
  const monetary = rows.map((row) => new Decimal(row.monetary)); // throws on a malformed decimal
  monetary.forEach((m, i) => {
    if (!m.isFinite()) throw new RangeError(`monetary must be finite (customer ${rows[i]!.id})`);
  });

  const rRanks = competitionRanks(
    rows.map((row) => row.recencyDays),
    (a, b) => b - a,
  );
  const fRanks = competitionRanks(
    rows.map((row) => row.frequency),
    (a, b) => a - b,
  );
  const mRanks = competitionRanks(monetary, (a, b) => a.comparedTo(b));

  return rows.map((row, i) => {
    const rScore = score(rRanks[i]!, n);
    const fScore = score(fRanks[i]!, n);
    const mScore = score(mRanks[i]!, n);
    const fm = fmScore(fScore, mScore);
    return {
      id: row.id,
      r: row.recencyDays,
      f: row.frequency,
      m: row.monetary,
      rScore,
      fScore,
      mScore,
      fm,
      segment: segmentOf(rScore, fm),
    };
  });
}
