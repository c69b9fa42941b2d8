import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';

/**
 * Lifecycle stage and risk flags of every customer at an as-of date (DOMAIN.md §4), one set-based
 * query. Arguments are SQL expressions (placeholders): asOf (date), newDays, lapseDays (int). $1 is
 * the tenant; paymentTermsDays (int) dates invoices without a due date. Stage precedence (first that applies): prospect, lapsed, new, reactivated, at_risk,
 * active. See docs/analytics-definitions.md for every rule and the "since" dates.
 * Columns: customer_id, stage, stage_since, first_date, last_date, purchase_days, median_gap,
 * lapse_days, reactivated_on, days_since_last, expected_gap, overdue_basis, flag_overdue,
 * spend_recent, spend_prior, flag_spend_decline, returns_recent_share, returns_lifetime_share,
 * flag_returns_rising, max_days_overdue, flag_paying_slower, next_expected_date.
 */
export function lifecycleSql(
  asOf: string,
  newDays: string,
  lapseDays: string,
  paymentTermsDays: string,
): string {
  return `
  WITH inv AS (${countingInvoices(asOf)}),
  cn AS (${countingCreditNotes(asOf)}),
  days AS (SELECT DISTINCT customer_id, issue_date AS d FROM inv),
  gaps AS (
    SELECT customer_id, d, d - lag(d) OVER (PARTITION BY customer_id ORDER BY d) AS gap FROM days
  ),
  stats AS (
    SELECT customer_id, min(d) AS first_date, max(d) AS last_date, count(*)::int AS purchase_days,
           count(gap)::int AS gaps, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap
      FROM gaps GROUP BY customer_id
  ),
  tenant_gap AS MATERIALIZED (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap FROM gaps),
  thresholds AS (
    SELECT s.*, greatest(${lapseDays}::numeric, 3 * COALESCE(s.median_gap, 0)) AS lapse_days,
           CASE WHEN s.gaps >= 2 THEN s.median_gap ELSE tg.median_gap END AS expected_gap,
           CASE WHEN s.gaps >= 2 THEN 'own' ELSE 'tenant' END AS overdue_basis
      FROM stats s CROSS JOIN tenant_gap tg
  ),
  reactivation AS (
    SELECT g.customer_id, max(g.d) AS reactivated_on
      FROM gaps g JOIN thresholds t ON t.customer_id = g.customer_id
     WHERE g.gap > t.lapse_days
     GROUP BY g.customer_id
  ),
  spend AS (
    SELECT customer_id,
           sum(net) FILTER (WHERE issue_date > ${asOf} - 90) AS inv_recent,
           sum(net) FILTER (WHERE issue_date > ${asOf} - 180 AND issue_date <= ${asOf} - 90) AS inv_prior,
           sum(net) AS inv_lifetime
      FROM inv GROUP BY customer_id
  ),
  returns AS (
    SELECT customer_id,
           sum(net) FILTER (WHERE issue_date > ${asOf} - 90) AS cn_recent,
           sum(net) FILTER (WHERE issue_date > ${asOf} - 180 AND issue_date <= ${asOf} - 90) AS cn_prior,
           sum(net) AS cn_lifetime
      FROM cn GROUP BY customer_id
  ),
  allocated AS (
    SELECT a.invoice_id, sum(a.amount) AS paid
      FROM payment_allocations a JOIN payments p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
     WHERE a.tenant_id = $1 AND p.payment_date <= ${asOf}
     GROUP BY a.invoice_id
  ),
  credited AS (SELECT invoice_id, sum(total) AS total FROM cn WHERE invoice_id IS NOT NULL GROUP BY invoice_id),
  open_invoices AS (
    SELECT i.customer_id,
           max(${asOf} - COALESCE(i.due_date, i.issue_date + ${paymentTermsDays})) AS max_days_overdue
      FROM inv i
      LEFT JOIN allocated al ON al.invoice_id = i.id
      LEFT JOIN credited cr ON cr.invoice_id = i.id
     WHERE i.total - COALESCE(al.paid, 0) * i.exchange_rate - COALESCE(cr.total, 0) > 0
     GROUP BY i.customer_id
  ),
  facts AS (
    SELECT t.*, r.reactivated_on, (${asOf} - t.last_date) AS days_since_last,
           COALESCE(s.inv_recent, 0) - COALESCE(rt.cn_recent, 0) AS spend_recent,
           COALESCE(s.inv_prior, 0) - COALESCE(rt.cn_prior, 0) AS spend_prior,
           CASE WHEN COALESCE(s.inv_recent, 0) > 0 THEN COALESCE(rt.cn_recent, 0) / s.inv_recent END AS returns_recent_share,
           CASE WHEN COALESCE(s.inv_lifetime, 0) > 0 THEN COALESCE(rt.cn_lifetime, 0) / s.inv_lifetime END AS returns_lifetime_share,
           o.max_days_overdue
      FROM thresholds t
      LEFT JOIN reactivation r ON r.customer_id = t.customer_id
      LEFT JOIN spend s ON s.customer_id = t.customer_id
      LEFT JOIN returns rt ON rt.customer_id = t.customer_id
      LEFT JOIN open_invoices o ON o.customer_id = t.customer_id
  ),
  flagged AS (
    SELECT f.*,
           COALESCE(f.days_since_last > 2 * f.expected_gap, false) AS flag_overdue,
           (f.spend_prior > 0 AND f.spend_recent < 0.5 * f.spend_prior) AS flag_spend_decline,
           COALESCE(f.returns_recent_share > 2 * f.returns_lifetime_share AND f.returns_recent_share > 0.1, false) AS flag_returns_rising,
           COALESCE(f.max_days_overdue > 60, false) AS flag_paying_slower
      FROM facts f
  )
  SELECT c.id AS customer_id,
         CASE
           WHEN f.customer_id IS NULL THEN 'prospect'
           WHEN f.days_since_last > f.lapse_days THEN 'lapsed'
           WHEN ${asOf} - f.first_date < ${newDays} THEN 'new'
           WHEN f.reactivated_on IS NOT NULL AND ${asOf} - f.reactivated_on < 90 THEN 'reactivated'
           WHEN f.flag_overdue OR f.flag_spend_decline OR f.flag_returns_rising OR f.flag_paying_slower THEN 'at_risk'
           ELSE 'active'
         END AS stage,
         CASE
           WHEN f.customer_id IS NULL THEN c.source_created_at::date
           WHEN f.days_since_last > f.lapse_days THEN f.last_date + ceil(f.lapse_days)::int + 1
           WHEN ${asOf} - f.first_date < ${newDays} THEN f.first_date
           WHEN f.reactivated_on IS NOT NULL AND ${asOf} - f.reactivated_on < 90 THEN f.reactivated_on
           WHEN f.flag_overdue THEN f.last_date + floor(2 * f.expected_gap)::int + 1
           WHEN f.flag_spend_decline OR f.flag_returns_rising OR f.flag_paying_slower THEN f.last_date
           ELSE greatest(f.first_date + ${newDays}, COALESCE(f.reactivated_on + 90, f.first_date))
         END AS stage_since,
         f.first_date, f.last_date, COALESCE(f.purchase_days, 0) AS purchase_days, f.median_gap, f.lapse_days,
         f.reactivated_on, f.days_since_last, f.expected_gap, f.overdue_basis, COALESCE(f.flag_overdue, false) AS flag_overdue,
         f.spend_recent, f.spend_prior, COALESCE(f.flag_spend_decline, false) AS flag_spend_decline,
         f.returns_recent_share, f.returns_lifetime_share, COALESCE(f.flag_returns_rising, false) AS flag_returns_rising,
         f.max_days_overdue, COALESCE(f.flag_paying_slower, false) AS flag_paying_slower,
         CASE WHEN f.median_gap IS NOT NULL THEN f.last_date + round(f.median_gap)::int END AS next_expected_date
    FROM customers c
    LEFT JOIN flagged f ON f.customer_id = c.id
   WHERE c.tenant_id = $1 AND (c.source_created_at IS NULL OR c.source_created_at::date <= ${asOf} OR f.customer_id IS NOT NULL)`;
}
