import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';
import { segmentCaseSql } from './rfm.math';

/**
 * Per-customer RFM at an as-of date (DOMAIN.md §3), one set-based query. `asOf` and `windowDays` are
 * SQL expressions (placeholders such as `$2::date`, `$3::int`); the tenant is $1. Window NULL = all
 * history. Population: customers with a counting invoice ≤ asOf.
 *   R = asOf − last invoice date; F = counting invoices in the window; M = invoice net − credit-note
 *   net in the window (base currency).
 *   score = 1 + ⌊5 (rank − 1) / n⌋ with rank() over R descending / F / M ascending; FM = ⌊(F+M+1)/2⌋.
 * Columns: customer_id, first_date, last_date, recency_days, frequency, monetary, r_score, f_score,
 * m_score, fm, segment.
 * `counting`: relations holding exactly the counting invoices and credit notes dated ≤ asOf in base
 * currency (customer_id, issue_date, net), e.g. a recompute's staged document facts; by default the
 * documents are read from their tables.
 */
export function rfmScoresSql(
  asOf: string,
  windowDays: string,
  counting: { invoices: string; creditNotes: string } = {
    invoices: `(${countingInvoices(asOf)})`,
    creditNotes: `(${countingCreditNotes(asOf)})`,
  },
): string {
  const inWindow = (col: string) => `(${windowDays} IS NULL OR ${col} > ${asOf} - ${windowDays})`;
  return `
    SELECT t.*, ${segmentCaseSql('r_score', 'fm')} AS segment
      FROM (
        SELECT s.*, (s.f_score + s.m_score + 1) / 2 AS fm
          FROM (
            SELECT b.customer_id, b.first_date, b.last_date, b.recency_days, b.frequency, b.monetary,
                   (1 + 5 * (rank() OVER (ORDER BY b.recency_days DESC) - 1) / count(*) OVER ())::int AS r_score,
                   (1 + 5 * (rank() OVER (ORDER BY b.frequency) - 1) / count(*) OVER ())::int AS f_score,
                   (1 + 5 * (rank() OVER (ORDER BY b.monetary) - 1) / count(*) OVER ())::int AS m_score
              FROM (
                SELECT i.customer_id, min(i.issue_date) AS first_date, max(i.issue_date) AS last_date,
                       ${asOf} - max(i.issue_date) AS recency_days,
                       count(*) FILTER (WHERE ${inWindow('i.issue_date')})::int AS frequency,
                       COALESCE(sum(i.net) FILTER (WHERE ${inWindow('i.issue_date')}), 0)
                         - COALESCE(max(c.net), 0) AS monetary
                  FROM ${counting.invoices} i
                  LEFT JOIN (
                    SELECT n.customer_id, sum(n.net) AS net
                      FROM ${counting.creditNotes} n
                     WHERE ${inWindow('n.issue_date')}
                     GROUP BY n.customer_id
                  ) c ON c.customer_id = i.customer_id
                 GROUP BY i.customer_id
              ) b
          ) s
      ) t`;
}
