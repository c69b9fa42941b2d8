import { FACTS, factCtes } from '../snapshots/document-facts.queries';

/** The columns of lifecycleSql, in order. */
const COLUMNS = `customer_id, stage, stage_since, first_date, last_date, purchase_days, median_gap, lapse_days,
  reactivated_on, days_since_last, expected_gap, overdue_basis, flag_overdue, spend_recent, spend_prior,
  flag_spend_decline, returns_recent_share, returns_lifetime_share, flag_returns_rising, max_days_overdue,
  flag_paying_slower, next_expected_date, pay_days_recent, pay_days_lifetime`;

/**
 * The lapse threshold of DOMAIN.md §4 (SQL expressions): max(lapseDays, 3 × the customer's median gap
 * between purchase days, 0 without one). A customer is lapsed when the days since the last purchase
 * exceed it. The one definition of the rule: the lifecycle engine and restock's lapsed shares use it.
 */
export function lapseThresholdSql(lapseDays: string, medianGap: string): string {
  return `greatest(${lapseDays}::numeric, 3 * COALESCE(${medianGap}, 0))`;
}

/**
 * Lifecycle stage and risk flags of every customer at an as-of date (DOMAIN.md §4), one set-based
 * query. Arguments are SQL expressions (placeholders): asOf (date), newDays, lapseDays (int). $1 is
 * the tenant; paymentTermsDays (int) dates invoices without a due date. Stage precedence (first that
 * applies): prospect, lapsed, new, reactivated, at_risk, active. See docs/analytics-definitions.md for
 * every rule and the "since" dates.
 * Columns: customer_id, stage, stage_since, first_date, last_date, purchase_days, median_gap,
 * lapse_days, reactivated_on, days_since_last, expected_gap, overdue_basis, flag_overdue,
 * spend_recent, spend_prior, flag_spend_decline, returns_recent_share, returns_lifetime_share,
 * flag_returns_rising, max_days_overdue, flag_paying_slower, next_expected_date, pay_days_recent,
 * pay_days_lifetime.
 */
export function lifecycleSql(
  asOf: string,
  newDays: string,
  lapseDays: string,
  paymentTermsDays: string,
): string {
  return `
  WITH ${factCtes(asOf, paymentTermsDays)}
  SELECT ${COLUMNS} FROM (${lifecycleAtDatesSql([asOf], newDays, lapseDays)}) l`;
}

/**
 * The tenant's median gap between purchase days at each of `dates` (median_gap_k, k in the order
 * given) over `purchaseDays` (FACTS.purchaseDays: every customer's) — the expected gap of customers
 * with fewer than two gaps of their own. A population-wide figure: a computation restricted to some
 * customers (customer-metrics.queries.ts) passes it in, computed over everyone.
 */
export function tenantGapSql(dates: string[], purchaseDays: string = FACTS.purchaseDays): string {
  const cols = dates.map(
    (at, k) =>
      `percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) FILTER (WHERE d <= ${at}) AS median_gap_${k}`,
  );
  return `SELECT ${cols.join(', ')} FROM ${purchaseDays}`;
}

/**
 * lifecycleSql at each of `dates` (SQL date expressions, each ≤ the as-of date of the document facts
 * FACTS, staged or CTEs), one row per (at, customer): the columns of lifecycleSql after `at`. The facts
 * hold everything dated ≤ their as-of date and each date reads the part dated ≤ it, so the stages at
 * asOf, asOf − 30 and asOf − 90 come from one pass over each fact (an aggregate per date, FILTERed).
 *
 * Paying slower (either half): an invoice open at the date (lifecycle's own rule: FACTS.invoices
 * closed_on) more than 60 days past its due date; or, with ≥ 4 invoices settled by the date (the
 * receivables engine's settled invoices and days to pay, settled_on − issue date), the mean days to
 * pay of the 3 most recently settled (latest settled_on first, ties by the later issue date, then the
 * later invoice id) > 1.5 × the mean over all of them (pay_days_recent, pay_days_lifetime; null below
 * 4 settled invoices).
 *
 * `tenantGap`: a SELECT of one row, median_gap_k for each date (tenantGapSql over the facts' purchase
 * days by default).
 */
export function lifecycleAtDatesSql(
  dates: string[],
  newDays: string,
  lapseDays: string,
  tenantGap: string = tenantGapSql(dates),
): string {
  const ks = dates.map((at, k) => ({ at, k }));
  const each = (f: (at: string, k: number) => string) =>
    ks.map(({ at, k }) => f(at, k)).join(',\n           ');
  // the per-date column `col`_k of a wide row, for the row's date k
  const pick = (col: string) =>
    ks.length === 1
      ? `${col}_0`
      : `CASE t.k ${ks.map(({ k }) => `WHEN ${k} THEN ${col}_${k}`).join(' ')} END`;
  return `
  WITH dates (k, at) AS (VALUES ${ks.map(({ at, k }) => `(${k}, ${at})`).join(', ')}),
  days AS (
    SELECT customer_id, min(d) AS first_date,
           ${each(
             (
               at,
               k,
             ) => `max(d) FILTER (WHERE d <= ${at}) AS last_date_${k}, count(*) FILTER (WHERE d <= ${at})::int AS purchase_days_${k},
           count(gap) FILTER (WHERE d <= ${at})::int AS gaps_${k},
           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) FILTER (WHERE d <= ${at}) AS median_gap_${k}`,
           )}
      FROM ${FACTS.purchaseDays} GROUP BY customer_id
  ),
  tenant_gap AS MATERIALIZED (${tenantGap}),
  thresholds AS (
    SELECT s.*, ${lapseThresholdSql(lapseDays, 's.median_gap')} AS lapse_days,
           CASE WHEN s.gaps >= 2 THEN s.median_gap ELSE s.tenant_median_gap END AS expected_gap,
           CASE WHEN s.gaps >= 2 THEN 'own' ELSE 'tenant' END AS overdue_basis
      FROM (SELECT t.k, t.at, d.customer_id, d.first_date, ${pick('d.last_date')} AS last_date,
                   ${pick('d.purchase_days')} AS purchase_days, ${pick('d.gaps')} AS gaps,
                   ${pick('d.median_gap')} AS median_gap, ${pick('tg.median_gap')} AS tenant_median_gap
              FROM days d CROSS JOIN dates t CROSS JOIN tenant_gap tg) s
     WHERE s.purchase_days > 0
  ),
  reactivation AS (
    SELECT t.k, g.customer_id, max(g.d) AS reactivated_on
      FROM ${FACTS.purchaseDays} g JOIN thresholds t ON t.customer_id = g.customer_id
     WHERE g.gap > ${lapseDays} AND g.d <= t.at AND g.gap > t.lapse_days
     GROUP BY t.k, g.customer_id
  ),
  -- invoice sums per customer and date (recent 90 days, the 90 before, lifetime) from one sum per
  -- (customer, stretch between consecutive breakpoints): every window's ends are breakpoints, so each
  -- window is a union of whole stretches (a stretch is (previous breakpoint, its breakpoint])
  breakpoints AS (
    SELECT ARRAY(SELECT DISTINCT b FROM unnest(ARRAY[${ks.map(({ at }) => `${at}, ${at} - 90, ${at} - 180`).join(', ')}]::date[]) b ORDER BY b) AS b
  ),
  stretches AS (
    -- j: the number of breakpoints before the issue date, so the stretch ends at b[j + 1] (null past the last)
    SELECT customer_id, (SELECT b FROM breakpoints)[width_bucket(issue_date - 1, (SELECT b FROM breakpoints)) + 1] AS upto,
           sum(net) AS net,
           ${each((at, k) => `min(due_on) FILTER (WHERE closed_on IS NULL OR closed_on > ${at}) AS open_due_${k}`)}
      FROM ${FACTS.invoices} GROUP BY customer_id, 2
  ),
  invoiced AS (
    SELECT customer_id,
           ${each(
             (at, k) => `sum(net) FILTER (WHERE upto > ${at} - 90 AND upto <= ${at}) AS inv_recent_${k},
           sum(net) FILTER (WHERE upto > ${at} - 180 AND upto <= ${at} - 90) AS inv_prior_${k},
           sum(net) FILTER (WHERE upto <= ${at}) AS inv_lifetime_${k},
           ${at} - min(open_due_${k}) FILTER (WHERE upto <= ${at}) AS max_days_overdue_${k}`,
           )}
      FROM stretches GROUP BY customer_id
  ),
  returns AS (
    SELECT customer_id,
           ${each(
             (
               at,
               k,
             ) => `sum(net) FILTER (WHERE issue_date > ${at} - 90 AND issue_date <= ${at}) AS cn_recent_${k},
           sum(net) FILTER (WHERE issue_date > ${at} - 180 AND issue_date <= ${at} - 90) AS cn_prior_${k},
           sum(net) FILTER (WHERE issue_date <= ${at}) AS cn_lifetime_${k}`,
           )}
      FROM ${FACTS.creditNotes} GROUP BY customer_id
  ),
  settled AS (
    -- n: the invoice's place in settlement order; settled_k: how many were settled by date k, so the
    -- last 3 settled by date k are n in (settled_k − 3, settled_k]
    SELECT customer_id, settled_on, settled_on - issue_date AS days, row_number() OVER w AS n,
           ${each((at, k) => `count(*) FILTER (WHERE settled_on <= ${at}) OVER w AS settled_${k}`)}
      FROM ${FACTS.invoices} WHERE settled_on IS NOT NULL
    WINDOW w AS (PARTITION BY customer_id ORDER BY settled_on, issue_date, id
                 ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
  ),
  pay_speed AS (
    SELECT customer_id,
           ${each(
             (
               at,
               k,
             ) => `avg(days) FILTER (WHERE settled_${k} >= 4 AND n > settled_${k} - 3 AND n <= settled_${k}) AS pay_days_recent_${k},
           avg(days) FILTER (WHERE settled_${k} >= 4 AND settled_on <= ${at}) AS pay_days_lifetime_${k},
           sum(days) FILTER (WHERE settled_${k} >= 4 AND n > settled_${k} - 3 AND n <= settled_${k}) AS pay_sum_recent_${k},
           sum(days) FILTER (WHERE settled_${k} >= 4 AND settled_on <= ${at}) AS pay_sum_lifetime_${k},
           count(*) FILTER (WHERE settled_${k} >= 4 AND settled_on <= ${at}) AS pay_n_lifetime_${k}`,
           )}
      FROM settled GROUP BY customer_id
  ),
  facts AS (
    SELECT t.*, r.reactivated_on, (t.at - t.last_date) AS days_since_last,
           COALESCE(${pick('s.inv_recent')}, 0) - COALESCE(${pick('rt.cn_recent')}, 0) AS spend_recent,
           COALESCE(${pick('s.inv_prior')}, 0) - COALESCE(${pick('rt.cn_prior')}, 0) AS spend_prior,
           CASE WHEN COALESCE(${pick('s.inv_recent')}, 0) > 0
                THEN COALESCE(${pick('rt.cn_recent')}, 0) / ${pick('s.inv_recent')} END AS returns_recent_share,
           CASE WHEN COALESCE(${pick('s.inv_lifetime')}, 0) > 0
                THEN COALESCE(${pick('rt.cn_lifetime')}, 0) / ${pick('s.inv_lifetime')} END AS returns_lifetime_share,
           ${pick('s.max_days_overdue')} AS max_days_overdue,
           ${pick('ps.pay_days_recent')} AS pay_days_recent, ${pick('ps.pay_days_lifetime')} AS pay_days_lifetime,
           -- the raw sums, for comparisons without rounded quotients
           ${pick('s.inv_recent')} AS inv_recent_raw, ${pick('rt.cn_recent')} AS cn_recent_raw,
           ${pick('s.inv_lifetime')} AS inv_lifetime_raw, ${pick('rt.cn_lifetime')} AS cn_lifetime_raw,
           ${pick('ps.pay_sum_recent')} AS pay_sum_recent, ${pick('ps.pay_sum_lifetime')} AS pay_sum_lifetime,
           ${pick('ps.pay_n_lifetime')} AS pay_n_lifetime
      FROM thresholds t
      LEFT JOIN reactivation r ON r.k = t.k AND r.customer_id = t.customer_id
      LEFT JOIN invoiced s ON s.customer_id = t.customer_id
      LEFT JOIN returns rt ON rt.customer_id = t.customer_id
      LEFT JOIN pay_speed ps ON ps.customer_id = t.customer_id
  ),
  flagged AS (
    SELECT f.*,
           COALESCE(f.days_since_last > 2 * f.expected_gap, false) AS flag_overdue,
           (f.spend_prior > 0 AND f.spend_recent < 0.5 * f.spend_prior) AS flag_spend_decline,
           -- recent share > 2 × lifetime share and > 10 %, cross-multiplied (both invoice sums > 0)
           COALESCE(f.inv_recent_raw > 0 AND f.inv_lifetime_raw > 0
                    AND COALESCE(f.cn_recent_raw, 0) * f.inv_lifetime_raw > 2 * COALESCE(f.cn_lifetime_raw, 0) * f.inv_recent_raw
                    AND COALESCE(f.cn_recent_raw, 0) > 0.1 * f.inv_recent_raw, false) AS flag_returns_rising,
           -- mean of the last 3 > 1.5 × lifetime mean ⇔ 2 n Σ last 3 > 9 Σ all
           (COALESCE(f.max_days_overdue > 60, false)
             OR COALESCE(2 * f.pay_n_lifetime * f.pay_sum_recent > 9 * f.pay_sum_lifetime, false)) AS flag_paying_slower
      FROM facts f
  )
  SELECT t.at, c.id AS customer_id,
         CASE
           WHEN f.customer_id IS NULL THEN 'prospect'
           WHEN f.days_since_last > f.lapse_days THEN 'lapsed'
           WHEN t.at - f.first_date < ${newDays} THEN 'new'
           WHEN f.reactivated_on IS NOT NULL AND t.at - f.reactivated_on < 90 THEN 'reactivated'
           WHEN f.flag_overdue OR f.flag_spend_decline OR f.flag_returns_rising OR f.flag_paying_slower THEN 'at_risk'
           ELSE 'active'
         END AS stage,
         CASE
           WHEN f.customer_id IS NULL THEN c.source_created_at::date
           WHEN f.days_since_last > f.lapse_days THEN f.last_date + floor(f.lapse_days)::int + 1
           WHEN t.at - f.first_date < ${newDays} THEN f.first_date
           WHEN f.reactivated_on IS NOT NULL AND t.at - f.reactivated_on < 90 THEN f.reactivated_on
           WHEN f.flag_overdue THEN f.last_date + floor(2 * f.expected_gap)::int + 1
           WHEN f.flag_spend_decline OR f.flag_returns_rising OR f.flag_paying_slower THEN f.last_date
           ELSE greatest(f.first_date + ${newDays}, COALESCE(f.reactivated_on + 90, f.first_date))
         END AS stage_since,
         f.first_date, f.last_date, COALESCE(f.purchase_days, 0) AS purchase_days, f.median_gap, f.lapse_days,
         f.reactivated_on, f.days_since_last, f.expected_gap, f.overdue_basis, COALESCE(f.flag_overdue, false) AS flag_overdue,
         f.spend_recent, f.spend_prior, COALESCE(f.flag_spend_decline, false) AS flag_spend_decline,
         f.returns_recent_share, f.returns_lifetime_share, COALESCE(f.flag_returns_rising, false) AS flag_returns_rising,
         f.max_days_overdue, COALESCE(f.flag_paying_slower, false) AS flag_paying_slower,
         CASE WHEN f.median_gap IS NOT NULL THEN f.last_date + round(f.median_gap)::int END AS next_expected_date,
         f.pay_days_recent, f.pay_days_lifetime
    FROM customers c
    CROSS JOIN dates t
    LEFT JOIN flagged f ON f.k = t.k AND f.customer_id = c.id
   WHERE c.tenant_id = $1 AND (c.source_created_at IS NULL OR c.source_created_at::date <= t.at OR f.customer_id IS NOT NULL)`;
}
