import { rfmScoresSql } from '../../analytics/rfm/rfm.queries';
import { countingCreditNotes, countingInvoices } from '../../analytics/shared/documents.sql';

/** RFM segments that count as "at risk" for the interim churn-risk report. */
export const AT_RISK_SEGMENTS = ['at_risk', 'cant_lose', 'about_to_sleep', 'hibernating'] as const;
export type AtRiskSegment = (typeof AT_RISK_SEGMENTS)[number];

/** Days of net revenue that make up a customer's value at risk. */
export const VALUE_WINDOW_DAYS = 365;

/**
 * The at-risk customers at $2 (as-of date), one set-based query. $1 tenant, $3 RFM window days
 * (NULL = all history, the tenant setting rfmWindowDays).
 *   segment, R, FM, recency, last purchase: RFM at $2 (DOMAIN §3, rfmScoresSql).
 *   value_at_risk = Σ invoice net − Σ credit-note net dated in ($2 − 365, $2], base currency.
 *   balance = Σ invoice total − Σ credit-note total − Σ payments, dated ≤ $2, base currency
 *   (document totals, ADR 0006; unallocated payments reduce it too).
 * Sorted by value at risk (descending), then the customer's external id.
 */
export const CHURN_RISK_ROWS = `
  WITH rfm AS (${rfmScoresSql('$2::date', '$3::int')}),
  risk AS (
    SELECT * FROM rfm WHERE segment IN (${AT_RISK_SEGMENTS.map((s) => `'${s}'`).join(', ')})
  ),
  value AS (
    SELECT x.customer_id, sum(x.net) AS value_at_risk
      FROM (
        SELECT i.customer_id, i.net FROM (${countingInvoices('$2::date')}) i
         WHERE i.issue_date > $2::date - ${VALUE_WINDOW_DAYS}
        UNION ALL
        SELECT n.customer_id, -n.net FROM (${countingCreditNotes('$2::date')}) n
         WHERE n.issue_date > $2::date - ${VALUE_WINDOW_DAYS}
      ) x
     GROUP BY x.customer_id
  ),
  owed AS (
    SELECT b.customer_id, sum(b.amount) AS balance
      FROM (
        SELECT i.customer_id, i.total AS amount FROM (${countingInvoices('$2::date')}) i
        UNION ALL
        SELECT n.customer_id, -n.total FROM (${countingCreditNotes('$2::date')}) n
        UNION ALL
        SELECT p.customer_id, -(p.amount * p.exchange_rate) FROM payments p
         WHERE p.tenant_id = $1 AND p.payment_date <= $2::date
      ) b
     GROUP BY b.customer_id
  )
  SELECT c.external_id, c.name, c.name_ar, c.email, c.phone, c.city,
         r.segment, r.r_score, r.fm, r.recency_days, r.last_date, r.frequency,
         COALESCE(v.value_at_risk, 0) AS value_at_risk, COALESCE(o.balance, 0) AS balance
    FROM risk r
    JOIN customers c ON c.tenant_id = $1 AND c.id = r.customer_id
    LEFT JOIN value v ON v.customer_id = r.customer_id
    LEFT JOIN owed o ON o.customer_id = r.customer_id
   ORDER BY COALESCE(v.value_at_risk, 0) DESC, c.external_id`;
