import { lifecycleSql } from '../lifecycle/lifecycle.queries';
import { customerProfitabilitySql } from '../profitability/profitability.queries';
import { receivablesSnapshotSql } from '../receivables/receivables.queries';
import { rfmScoresSql } from '../rfm/rfm.queries';

/**
 * One row per customer known at asOf with everything the customer list and profile show: RFM,
 * lifecycle and flags, lifetime net revenue, profitability (customerProfitabilitySql) and
 * receivables (receivablesSnapshotSql; `balance` is the receivables engine's net owed). The snapshot
 * job materialises exactly this query; on-demand reads run it as a CTE. Placeholders: $1 tenant,
 * $2 asOf, $3 windowDays, $4 newDays, $5 lapseDays, $6 paymentTermsDays, $7 annualCreditRate.
 */
export const CUSTOMER_METRICS = `
  WITH rfm AS (${rfmScoresSql('$2::date', '$3::int')}),
       life AS (${lifecycleSql('$2::date', '$4::int', '$5::int', '$6::int')}),
       money AS (
         SELECT customer_id, sum(net) AS net_revenue FROM (
           SELECT customer_id, net * exchange_rate AS net FROM invoices
            WHERE tenant_id = $1 AND status IN ('issued', 'paid') AND issue_date <= $2::date
           UNION ALL
           SELECT customer_id, -net * exchange_rate FROM credit_notes
            WHERE tenant_id = $1 AND status = 'issued' AND issue_date <= $2::date
         ) d GROUP BY customer_id
       ),
       prof AS (${customerProfitabilitySql({ asOf: '$2::date', from: 'NULL::date', end: '$2::date', rate: '$7::numeric' })}),
       recv AS (${receivablesSnapshotSql('$2::date', '$6::int')})
  SELECT c.id AS customer_id, c.external_id, c.name, c.name_ar, c.email, c.phone, c.city, c.country,
         r.recency_days, r.frequency, r.monetary, r.r_score, r.f_score, r.m_score, r.fm, r.segment,
         l.stage, l.stage_since, l.first_date, l.last_date, l.purchase_days, l.median_gap, l.lapse_days,
         l.reactivated_on, l.days_since_last, l.expected_gap, l.overdue_basis, l.next_expected_date,
         l.flag_overdue, l.flag_spend_decline, l.flag_returns_rising, l.flag_paying_slower,
         l.spend_recent, l.spend_prior, l.returns_recent_share, l.returns_lifetime_share, l.max_days_overdue,
         COALESCE(m.net_revenue, 0) AS net_revenue,
         COALESCE(rv.net_owed, 0) AS balance,
         COALESCE(pf.gross_profit, 0) AS gross_profit, COALESCE(pf.cogs, 0) AS cogs,
         COALESCE(pf.covered_revenue, 0) AS covered_revenue, COALESCE(pf.cost_of_credit, 0) AS cost_of_credit,
         COALESCE(pf.contribution, 0) AS contribution,
         COALESCE(rv.total_open, 0) AS total_open, COALESCE(rv.overdue, 0) AS overdue, rv.mean_days_to_pay
    FROM life l
    JOIN customers c ON c.tenant_id = $1 AND c.id = l.customer_id
    LEFT JOIN rfm r ON r.customer_id = l.customer_id
    LEFT JOIN money m ON m.customer_id = l.customer_id
    LEFT JOIN prof pf ON pf.customer_id = l.customer_id
    LEFT JOIN recv rv ON rv.customer_id = l.customer_id`;

export const CUSTOMER_SORTS = {
  netRevenue: 'net_revenue',
  grossProfit: 'gross_profit',
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
