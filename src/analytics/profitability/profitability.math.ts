/**
 * Profitability (DOMAIN.md §6): the pure parts — ratios, labels of the "(none)" groups and the
 * shaping of whale-curve points. Inputs are exact decimal strings from NUMERIC columns; ratios are
 * computed with decimal.js and presented half-up to 2 places ("37.50"), never through a JS float.
 */
import { Decimal } from 'decimal.js';
import { formatMoney, Money, percent } from '../../shared/money';
import { RFM_SEGMENTS } from '../rfm/rfm.math';

export const GROUPINGS = ['customer', 'product', 'segment', 'category'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** Key of the group of lines without a product (by=product) or without a category (by=category). */
export const NO_KEY = '(none)';
/** Key of the customers that have no RFM segment at asOf (no counting invoice ≤ asOf), as in DOMAIN §3. */
export const NO_SEGMENT = 'none';

/** Whale curves of larger tenants are sampled down to about this many points. */
export const WHALE_MAX_POINTS = 200;

/** Ratios are shared/money.ts percent(): 100 × num / den half-up, null when den ≤ 0. */
export { percent };

export interface ExactFigures {
  net_revenue: string;
  covered_revenue: string;
  cogs: string;
  gross_profit: string;
}

/**
 * The ratios of a row, from its exact figures:
 *   marginPct   = GP / covered revenue (the net revenue GP is measured on; revenue without a known
 *                 cost has no GP, so it cannot lower or raise the margin)
 *   markupPct   = GP / COGS
 *   costCoverage = covered revenue / net revenue
 * Each is null when its denominator is ≤ 0.
 */
export function ratios(r: ExactFigures): {
  marginPct: string | null;
  markupPct: string | null;
  costCoverage: string | null;
} {
  return {
    marginPct: percent(r.gross_profit, r.covered_revenue),
    markupPct: percent(r.gross_profit, r.cogs),
    costCoverage: percent(r.covered_revenue, r.net_revenue),
  };
}

export interface GroupLabel {
  name: string | null;
  nameAr: string | null;
  label?: string;
  labelAr?: string;
}

const NONE_LABELS: Record<Exclude<Grouping, 'customer'>, { en: string; ar: string }> = {
  product: { en: 'Lines without a product', ar: 'بنود بلا منتج' },
  category: { en: 'Without a category', ar: 'بلا فئة' },
  segment: { en: 'No segment', ar: 'بلا شريحة' },
};

/**
 * Name of a group row. Customers and products carry their own name/nameAr; a category is its own
 * name; a segment has its English and Arabic label, `name` being the one of the request language.
 */
export function groupLabel(
  by: Grouping,
  key: string,
  name: string | null,
  nameAr: string | null,
  lang: 'ar' | 'en',
): GroupLabel {
  if (by === 'segment') {
    const s = RFM_SEGMENTS.find((x) => x.key === key);
    const label = s ? s.labelEn : NONE_LABELS.segment.en;
    const labelAr = s ? s.labelAr : NONE_LABELS.segment.ar;
    return { name: lang === 'ar' ? labelAr : label, nameAr: labelAr, label, labelAr };
  }
  if ((by === 'product' && key === NO_KEY && name === null) || (by === 'category' && key === NO_KEY)) {
    const l = NONE_LABELS[by];
    return { name: lang === 'ar' ? l.ar : l.en, nameAr: l.ar };
  }
  if (by === 'category') return { name: key, nameAr: null };
  return { name, nameAr };
}

/** One whale-curve row from SQL: customers ordered by contribution desc, cumulative sums exact. */
export interface WhaleRow {
  rank: number;
  key: string;
  name: string;
  contribution: string;
  cumulative: string;
}

export interface WhalePoint {
  rank: number;
  key: string;
  name: string;
  contribution: string;
  cumulativeContribution: string;
  /** rank / customers, % */
  customerShare: string;
  /** cumulative contribution / total contribution, %; null when the total is ≤ 0 */
  contributionShare: string | null;
}

/**
 * Shapes a whale-curve point. Shares are % of the n customers and of the total contribution; the
 * contribution share is only meaningful against a positive total (with a total ≤ 0 every "share"
 * would flip sign or divide by zero), so it is null then.
 */
export function whalePoint(row: WhaleRow, n: number, total: Decimal.Value): WhalePoint {
  const t = new Money(total);
  return {
    rank: row.rank,
    key: row.key,
    name: row.name,
    contribution: formatMoney(row.contribution),
    cumulativeContribution: formatMoney(row.cumulative),
    customerShare: percent(row.rank, n) ?? '0.00',
    contributionShare: t.gt(0) ? percent(row.cumulative, t) : null,
  };
}

/**
 * Sampling step of the whale curve: every k-th customer, k = ⌈n / maxPoints⌉ (1 when n ≤ maxPoints).
 * The whale-curve SQL applies the same formula (`GREATEST(1, ceil(n / maxPoints))`) and also keeps
 * the peak and the last customer.
 */
export function whaleStep(n: number, maxPoints = WHALE_MAX_POINTS): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number, got ${n}`);
  if (!Number.isInteger(maxPoints) || maxPoints < 1)
    throw new RangeError(`maxPoints must be ≥ 1, got ${maxPoints}`);
  return Math.max(1, Math.ceil(n / maxPoints));
}
