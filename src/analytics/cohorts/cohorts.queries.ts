import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';

/** Cohort months shown by default (the recompute stores this grid) and at most. */
export const DEFAULT_COHORT_MONTHS = 12;
export const MAX_COHORT_MONTHS = 120;

/** Month index of a date expression: year × 12 + (month − 1), as in cohorts.math.ts `monthIndex`. */
const monthIdx = (d: string) => `(extract(year FROM ${d})::int * 12 + extract(month FROM ${d})::int - 1)`;

/**
 * The acquisition-cohorts grid at asOf, one set-based query ($1 tenant, $2 asOf date, $3 months).
 *
 * - cohort of a customer = month of their first counting invoice dated ≤ asOf (issued/paid; draft,
 *   void and later documents never set it). Shown cohorts: the $3 months ending with asOf's month;
 *   customers acquired before that window are left out entirely.
 * - grid: every shown cohort month (also those with no customers) × every month from the cohort
 *   month to asOf's month (generate_series); offset 0 = the cohort month.
 * - active = distinct cohort customers with a counting invoice in the period month (credit notes
 *   never make a customer active). net = invoice net − credit-note net dated in the period month,
 *   base currency (× exchange_rate). A credit note dated before its customer's first invoice has no
 *   period to fall in, so it is booked in the cohort month: a cohort's revenue is always its
 *   customers' whole net revenue ≤ asOf.
 * - partial = the period is asOf's month and asOf is not the month's last day.
 * - window aggregates: the cumulative net per cohort; per offset, over complete periods of
 *   non-empty cohorts, the number of cohorts, Σ size and Σ active (weighted retention); the grid's
 *   Σ customers and Σ net.
 *
 * Columns: cohort_idx, month_offset, period_idx, size, active, net, cum_net, partial,
 * offset_cohorts, offset_size, offset_active, total_customers, total_net (see CohortGridRow).
 */
export const COHORT_GRID = cohortGridSql('$2::date', '$3::int');

/**
 * COHORT_GRID with asOf and months as SQL expressions and, optionally, the counting invoices and
 * credit notes dated ≤ asOf from other relations with their columns (a recompute's staged facts).
 */
export function cohortGridSql(
  asOf: string,
  months: string,
  documents = { invoices: countingInvoices(asOf), creditNotes: countingCreditNotes(asOf) },
): string {
  return `
  WITH bounds AS (
    SELECT ${monthIdx(asOf)} AS last_idx,
           ${monthIdx(asOf)} - ${months} + 1 AS first_idx,
           extract(day FROM ${asOf} + 1) <> 1 AS as_of_mid_month
  ),
  inv AS (${documents.invoices}),
  cn AS (${documents.creditNotes}),
  members AS (
    SELECT f.customer_id, f.cohort_idx
      FROM (SELECT customer_id, ${monthIdx('min(issue_date)')} AS cohort_idx FROM inv GROUP BY customer_id) f
      CROSS JOIN bounds b
     WHERE f.cohort_idx >= b.first_idx
  ),
  sizes AS (
    SELECT cohort_idx, count(*)::int AS size FROM members GROUP BY cohort_idx
  ),
  movements AS (
    SELECT m.cohort_idx, ${monthIdx('i.issue_date')} AS period_idx, i.customer_id, i.net, true AS is_invoice
      FROM inv i
      JOIN members m ON m.customer_id = i.customer_id
    UNION ALL
    SELECT m.cohort_idx, GREATEST(${monthIdx('n.issue_date')}, m.cohort_idx), n.customer_id, -n.net, false
      FROM cn n
      JOIN members m ON m.customer_id = n.customer_id
  ),
  cells AS (
    SELECT cohort_idx, period_idx,
           count(DISTINCT customer_id) FILTER (WHERE is_invoice)::int AS active,
           sum(net) AS net
      FROM movements
     GROUP BY cohort_idx, period_idx
  ),
  grid AS (
    SELECT c AS cohort_idx, o AS month_offset, c + o AS period_idx,
           (c + o = b.last_idx AND b.as_of_mid_month) AS partial
      FROM bounds b
     CROSS JOIN LATERAL generate_series(b.first_idx, b.last_idx) AS c
     CROSS JOIN LATERAL generate_series(0, b.last_idx - c) AS o
  ),
  filled AS (
    SELECT g.cohort_idx, g.month_offset, g.period_idx, g.partial,
           COALESCE(s.size, 0) AS size, COALESCE(x.active, 0) AS active, COALESCE(x.net, 0) AS net
      FROM grid g
      LEFT JOIN sizes s ON s.cohort_idx = g.cohort_idx
      LEFT JOIN cells x ON x.cohort_idx = g.cohort_idx AND x.period_idx = g.period_idx
  )
  SELECT cohort_idx, month_offset, period_idx, size, active, net, partial,
         sum(net) OVER (PARTITION BY cohort_idx ORDER BY month_offset) AS cum_net,
         count(*) FILTER (WHERE NOT partial AND size > 0) OVER (PARTITION BY month_offset)::int AS offset_cohorts,
         COALESCE(sum(size) FILTER (WHERE NOT partial) OVER (PARTITION BY month_offset), 0)::int AS offset_size,
         COALESCE(sum(active) FILTER (WHERE NOT partial) OVER (PARTITION BY month_offset), 0)::int AS offset_active,
         COALESCE(sum(size) FILTER (WHERE month_offset = 0) OVER (), 0)::int AS total_customers,
         sum(net) OVER () AS total_net
    FROM filled
   ORDER BY cohort_idx, month_offset`;
}
