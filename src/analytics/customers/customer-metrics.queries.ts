import { lifecycleSql } from '../lifecycle/lifecycle.queries';
import { rfmScoresSql } from '../rfm/rfm.queries';

/**
 * One row per customer known at asOf with everything the customer list and profile show: RFM,
 * lifecycle and flags, lifetime net revenue and balance. The snapshot job materialises exactly this
 * query; on-demand reads run it as a CTE. Placeholders: $1 tenant, $2 asOf, $3 windowDays,
 * $4 newDays, $5 lapseDays, $6 paymentTermsDays.
 */
export const CUSTOMER_METRICS = `
  WITH rfm AS (${rfmScoresSql('$2::date', '$3::int')}),
       life AS (${lifecycleSql('$2::date', '$4::int', '$5::int', '$6::int')}),
       money AS (
         SELECT customer_id, sum(net) AS net_revenue, sum(total) AS invoiced FROM (
           SELECT customer_id, net * exchange_rate AS net, total * exchange_rate AS total FROM invoices
            WHERE tenant_id = $1 AND status IN ('issued', 'paid') AND issue_date <= $2::date
           UNION ALL
           SELECT customer_id, -net * exchange_rate, -total * exchange_rate FROM credit_notes
            WHERE tenant_id = $1 AND status = 'issued' AND issue_date <= $2::date
         ) d GROUP BY customer_id
       ),
       paid AS (
         SELECT customer_id, sum(amount * exchange_rate) AS paid FROM payments
          WHERE tenant_id = $1 AND payment_date <= $2::date GROUP BY customer_id
       )
  SELECT c.id AS customer_id, c.external_id, c.name, c.name_ar, c.email, c.phone, c.city, c.country,
         r.recency_days, r.frequency, r.monetary, r.r_score, r.f_score, r.m_score, r.fm, r.segment,
         l.stage, l.stage_since, l.first_date, l.last_date, l.purchase_days, l.median_gap, l.lapse_days,
         l.reactivated_on, l.days_since_last, l.expected_gap, l.overdue_basis, l.next_expected_date,
         l.flag_overdue, l.flag_spend_decline, l.flag_returns_rising, l.flag_paying_slower,
         l.spend_recent, l.spend_prior, l.returns_recent_share, l.returns_lifetime_share, l.max_days_overdue,
         COALESCE(m.net_revenue, 0) AS net_revenue,
         COALESCE(m.invoiced, 0) - COALESCE(p.paid, 0) AS balance
    FROM life l
    JOIN customers c ON c.tenant_id = $1 AND c.id = l.customer_id
    LEFT JOIN rfm r ON r.customer_id = l.customer_id
    LEFT JOIN money m ON m.customer_id = l.customer_id
    LEFT JOIN paid p ON p.customer_id = l.customer_id`;

export const CUSTOMER_SORTS = {
  netRevenue: 'net_revenue',
  recency: 'recency_days',
  frequency: 'frequency',
  balance: 'balance',
} as const;
export type CustomerSort = keyof typeof CUSTOMER_SORTS;

/**
 * A page of the list over `source` (CUSTOMER_METRICS, or a snapshot's rows) whose own placeholders
 * are $1…$offset; then segment or null, stage or null, (sort value, external id) keyset cursor, limit.
 * Sorted descending by the sort column (recency ascending: most recent first), NULLs last, then by
 * external id.
 */
export function customerListSql(sort: CustomerSort, source: string, offset: number): string {
  const p = (i: number) => `$${offset + i}`;
  const col = CUSTOMER_SORTS[sort];
  const asc = sort === 'recency';
  // the same expressions as the snapshot's sort indexes (migration IndexSnapshotCustomerSorts)
  const key = `COALESCE(${col}, ${asc ? "'Infinity'::numeric" : "'-Infinity'::numeric"})`;
  return `
    SELECT * FROM (
      SELECT m.*, ${key} AS sort_key FROM (${source}) m
       WHERE (${p(1)}::text IS NULL OR m.segment = ${p(1)}) AND (${p(2)}::text IS NULL OR m.stage = ${p(2)})
    ) x
    WHERE ${p(3)}::numeric IS NULL OR (x.sort_key, x.external_id) ${asc ? '>' : '<'} (${p(3)}::numeric, ${p(4)}::text)
    ORDER BY x.sort_key ${asc ? 'ASC' : 'DESC'}, x.external_id ${asc ? 'ASC' : 'DESC'}
    LIMIT ${p(5)}`;
}
