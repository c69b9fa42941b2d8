import { lifecycleAtDatesSql } from '../lifecycle/lifecycle.queries';
import { rfmScoresSql } from '../rfm/rfm.queries';
import { factCtes } from '../snapshots/document-facts.queries';
import { COUNTING_CREDIT_NOTE, COUNTING_INVOICE } from '../shared/documents.sql';

/**
 * Queries of the RFM, movement and lifecycle endpoints. $1 tenant; the other placeholders are named
 * in each builder's comment. Aggregation happens here, in SQL; Node only shapes the rows.
 */

/** $2 asOf, $3 windowDays → segment, customers, net_revenue */
export const RFM_SEGMENT_COUNTS = `
  SELECT segment, count(*)::int AS customers, sum(monetary) AS net_revenue
    FROM (${rfmScoresSql('$2::date', '$3::int')}) s
   GROUP BY segment`;

/** $2 asOf, $3 windowDays → dim ('r'|'f'|'m'|'fm'), score, customers */
export const RFM_SCORE_DISTRIBUTION = `
  WITH s AS (${rfmScoresSql('$2::date', '$3::int')})
  SELECT 'r' AS dim, r_score AS score, count(*)::int AS customers FROM s GROUP BY r_score
  UNION ALL SELECT 'f', f_score, count(*)::int FROM s GROUP BY f_score
  UNION ALL SELECT 'm', m_score, count(*)::int FROM s GROUP BY m_score
  UNION ALL SELECT 'fm', fm, count(*)::int FROM s GROUP BY fm`;

/** Net revenue (invoices − credit notes, base currency) per customer dated in ($2, $3]. */
const REVENUE_BETWEEN = `
  SELECT customer_id, sum(net) AS net FROM (
    SELECT customer_id, net * exchange_rate AS net FROM invoices
     WHERE tenant_id = $1 AND ${COUNTING_INVOICE} AND issue_date > $2::date AND issue_date <= $3::date
    UNION ALL
    SELECT customer_id, -net * exchange_rate FROM credit_notes
     WHERE tenant_id = $1 AND ${COUNTING_CREDIT_NOTE} AND issue_date > $2::date AND issue_date <= $3::date
  ) x GROUP BY customer_id`;

/** RFM movement: $2 from, $3 to, $4 windowDays → from_key, to_key, customers, net_revenue */
export const RFM_MOVEMENT = `
  WITH a AS (${rfmScoresSql('$2::date', '$4::int')}),
       b AS (${rfmScoresSql('$3::date', '$4::int')}),
       rev AS (${REVENUE_BETWEEN})
  SELECT COALESCE(a.segment, 'none') AS from_key, b.segment AS to_key, count(*)::int AS customers,
         COALESCE(sum(rev.net), 0) AS net_revenue
    FROM b LEFT JOIN a ON a.customer_id = b.customer_id LEFT JOIN rev ON rev.customer_id = b.customer_id
   GROUP BY 1, 2`;

/**
 * Lifecycle movement: $2 from, $3 to, $4 newDays, $5 lapseDays, $6 paymentTermsDays. Both stages
 * come from one set of document facts (at the later date).
 */
export const LIFECYCLE_MOVEMENT = `
  WITH ${factCtes('GREATEST($2::date, $3::date)', '$6::int')},
       l AS (${lifecycleAtDatesSql(['$2::date', '$3::date'], '$4::int', '$5::int')}),
       a AS (SELECT * FROM l WHERE at = $2::date),
       b AS (SELECT * FROM l WHERE at = $3::date),
       rev AS (${REVENUE_BETWEEN})
  SELECT COALESCE(a.stage, 'none') AS from_key, b.stage AS to_key, count(*)::int AS customers,
         COALESCE(sum(rev.net), 0) AS net_revenue
    FROM b LEFT JOIN a ON a.customer_id = b.customer_id LEFT JOIN rev ON rev.customer_id = b.customer_id
   GROUP BY 1, 2`;

/**
 * Customers per lifecycle stage now, with the flows of the last 30 and 90 days: `now_`, `d30` and
 * `d90` are relations of (customer_id, stage) at asOf, asOf − 30 and asOf − 90.
 */
export function lifecycleSummarySql(now_: string, d30: string, d90: string): string {
  return `
  WITH pairs AS (
         SELECT n.stage AS now_stage, COALESCE(a.stage, 'none') AS stage30, COALESCE(b.stage, 'none') AS stage90
           FROM ${now_} n LEFT JOIN ${d30} a ON a.customer_id = n.customer_id LEFT JOIN ${d90} b ON b.customer_id = n.customer_id
       ),
       stages AS (SELECT unnest(ARRAY['prospect','new','active','at_risk','lapsed','reactivated']) AS stage)
  SELECT s.stage,
         (SELECT count(*) FROM pairs WHERE now_stage = s.stage)::int AS customers,
         (SELECT count(*) FROM pairs WHERE now_stage = s.stage AND stage30 <> s.stage)::int AS in30,
         (SELECT count(*) FROM pairs WHERE stage30 = s.stage AND now_stage <> s.stage)::int AS out30,
         (SELECT count(*) FROM pairs WHERE now_stage = s.stage AND stage90 <> s.stage)::int AS in90,
         (SELECT count(*) FROM pairs WHERE stage90 = s.stage AND now_stage <> s.stage)::int AS out90
    FROM stages s`;
}

/**
 * Lifecycle at $2 with flows since $3 (30 days before) and $4 (90 days before); $5 newDays,
 * $6 lapseDays, $7 terms. The three stages come from one set of document facts at $2.
 */
export const LIFECYCLE_SUMMARY = `
  WITH ${factCtes('$2::date', '$7::int')},
       l AS (${lifecycleAtDatesSql(['$2::date', '$3::date', '$4::date'], '$5::int', '$6::int')})
  SELECT * FROM (${lifecycleSummarySql('(SELECT * FROM l WHERE at = $2::date)', '(SELECT * FROM l WHERE at = $3::date)', '(SELECT * FROM l WHERE at = $4::date)')}) s`;
