import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';
import { ChurnFlag, riskScoreSql, SCORE_BANDS, scoreBandSql } from './churn.math';

/**
 * Kaplan–Meier curve of the time from a customer's first to second purchase day at `asOf` (a SQL
 * date expression), over every customer with a counting invoice; customers without a second purchase
 * are censored at asOf (churn.math.ts, oneTimeBuyerPAlive). CTEs: km_first (customer_id, f, s),
 * km_survival (t, survival), km_end (survival after the last t). $1 is the tenant.
 */
export function kaplanMeierCtes(asOf: string): string {
  return `
  km_days AS (SELECT DISTINCT customer_id, issue_date AS d FROM (${countingInvoices(asOf)}) i),
  km_first AS (
    SELECT customer_id, min(d) AS f, min(d) FILTER (WHERE k = 2) AS s
      FROM (SELECT customer_id, d, row_number() OVER (PARTITION BY customer_id ORDER BY d) AS k FROM km_days) x
     WHERE k <= 2 GROUP BY customer_id
  ),
  km_points AS (
    SELECT COALESCE(s - f, ${asOf} - f) AS t, count(*) FILTER (WHERE s IS NOT NULL) AS events, count(*) AS n
      FROM km_first GROUP BY 1
  ),
  km_risk AS (SELECT t, events, sum(n) OVER (ORDER BY t DESC) AS at_risk FROM km_points),
  km_survival AS (
    -- both window sums are computed for every row whatever the CASE picks: ln is taken only where
    -- 1 − events/at_risk > 0 (where it is 0 the curve is 0 from there on, the first branch)
    SELECT t, CASE WHEN bool_or(events > 0 AND events >= at_risk) OVER w THEN 0::float8
                   ELSE exp(sum(CASE WHEN events > 0 AND events < at_risk THEN ln(1 - events::float8 / at_risk) ELSE 0 END) OVER w) END AS survival
      FROM km_risk WINDOW w AS (ORDER BY t)
  ),
  km_end AS (SELECT survival FROM km_survival ORDER BY t DESC LIMIT 1)`;
}

/** SQL column of a churn flag in the scored rows. */
export const flagColumn = (f: ChurnFlag): string => `flag_${f}`;

/**
 * Churn risk of every customer with a purchase at asOf, over `source` (the customer rows of the
 * customer list, CUSTOMER_METRICS or a snapshot's rows, joined with the CLV predictions of asOf:
 * clv_p_alive, clv_predicted_clv) whose placeholders are $1…$offset; then asOf (date) and
 * pAliveThreshold. Columns: the source's, plus p_alive, p_alive_basis ('model' | 'one_time_rule' |
 * NULL when no model could be fitted), flag_low_p_alive, predicted_clv, last_12_months, risk_score,
 * value_basis ('predicted_clv' | 'last_12_months'), value_at_risk = score/100 × the base as shown (to the
 * cent), so the figures a reader sees multiply out (≥ 0, exact NUMERIC).
 */
export function churnScoredSql(source: string, offset: number): string {
  const p = (i: number) => `$${offset + i}`;
  const asOf = `${p(1)}::date`;
  return `
  WITH m AS (${source}),
  ${kaplanMeierCtes(asOf)},
  recent AS (
    SELECT customer_id, sum(v) AS v FROM (
      SELECT customer_id, net * exchange_rate AS v FROM (${countingInvoices(asOf)}) i WHERE issue_date > ${asOf} - 365
      UNION ALL
      SELECT customer_id, -net * exchange_rate FROM (${countingCreditNotes(asOf)}) n WHERE issue_date > ${asOf} - 365
    ) d GROUP BY customer_id
  ),
  alive AS (
    SELECT m.*, m.clv_predicted_clv AS predicted_clv, COALESCE(rc.v, 0) AS last_12_months,
           CASE WHEN m.purchase_days = 1 THEN
                  CASE WHEN ks.survival > 0 THEN 1 - ke.survival / ks.survival ELSE 0 END
                ELSE m.clv_p_alive END AS p_alive,
           CASE WHEN m.purchase_days = 1 THEN 'one_time_rule' WHEN m.clv_p_alive IS NOT NULL THEN 'model' END AS p_alive_basis
      FROM m
      LEFT JOIN recent rc ON rc.customer_id = m.customer_id
      LEFT JOIN km_first kf ON kf.customer_id = m.customer_id AND m.purchase_days = 1
      LEFT JOIN km_survival ks ON ks.t = ${asOf} - kf.f
      CROSS JOIN km_end ke
     WHERE m.purchase_days > 0
  ),
  flagged AS (
    SELECT a.*, COALESCE(a.p_alive < ${p(2)}::float8, false) AS flag_low_p_alive FROM alive a
  ),
  scored AS (
    SELECT f.*, ${riskScoreSql((x) => `f.${flagColumn(x)}`)} AS risk_score,
           CASE WHEN f.predicted_clv IS NOT NULL THEN 'predicted_clv' ELSE 'last_12_months' END AS value_basis,
           greatest(round(COALESCE(f.predicted_clv, f.last_12_months), 2), 0) AS value_base
      FROM flagged f
  )
  SELECT s.*, round(s.risk_score * s.value_base / 100, 6) AS value_at_risk FROM scored s`;
}

/**
 * One statement for a page of at-risk customers and the totals, over churnScoredSql (placeholders
 * $1…$offset+2, scored once), then minScore, segment or NULL, stage or NULL, keyset cursor (value at
 * risk, risk score, external id) or NULLs, limit (NULL = every row). Page: score ≥ minScore, sorted by
 * value at risk descending, then risk score descending, then external id. Totals (column `summary`,
 * JSON): customers scored, at risk (score ≥ minScore), value at risk, customers per band, and per flag
 * among those at risk. Always at least one row; page columns are NULL when the page is empty.
 */
export function churnPageSql(source: string, offset: number): string {
  const p = (i: number) => `$${offset + 2 + i}`;
  const atRisk = `risk_score >= ${p(1)}::int`;
  const flagCounts = (
    ['overdue', 'spend_decline', 'low_p_alive', 'returns_rising', 'paying_slower'] as const
  ).map((f) => `count(*) FILTER (WHERE ${atRisk} AND flag_${f})::int AS flag_${f}`);
  const bandCounts = SCORE_BANDS.map(
    (b) => `count(*) FILTER (WHERE risk_score BETWEEN ${b.min} AND ${b.max})::int AS band_${b.key}`,
  );
  return `
  WITH x AS MATERIALIZED (${churnScoredSql(source, offset)}),
  t AS (
    SELECT count(*)::int AS customers, count(*) FILTER (WHERE ${atRisk})::int AS at_risk,
           -- as text: money must not pass through a JSON number
           COALESCE(sum(value_at_risk) FILTER (WHERE ${atRisk}), 0)::text AS value_at_risk,
           ${[...bandCounts, ...flagCounts].join(',\n           ')},
           count(*) FILTER (WHERE p_alive_basis = 'one_time_rule')::int AS one_time_buyers,
           count(*) FILTER (WHERE value_basis = 'predicted_clv')::int AS valued_by_model
      FROM x
  ),
  page AS (
    SELECT * FROM x
     WHERE x.${atRisk}
       AND (${p(2)}::text IS NULL OR x.segment = ${p(2)}) AND (${p(3)}::text IS NULL OR x.stage = ${p(3)})
       AND (${p(4)}::numeric IS NULL OR x.value_at_risk < ${p(4)}::numeric
            OR (x.value_at_risk = ${p(4)}::numeric AND (x.risk_score < ${p(5)}::int
                OR (x.risk_score = ${p(5)}::int AND x.external_id > ${p(6)}::text))))
     ORDER BY x.value_at_risk DESC, x.risk_score DESC, x.external_id ASC
     LIMIT ${p(7)}
  )
  SELECT to_jsonb(t) AS summary, page.*
    FROM t LEFT JOIN page ON true
   ORDER BY page.value_at_risk DESC, page.risk_score DESC, page.external_id ASC`;
}

/**
 * Churn holdout over churnScoredSql (placeholders $1…$offset+2), then the holdout end (date): per
 * scored customer, whether they bought (a counting invoice dated in (asOf, end]). Rows: flag/band
 * groups with customers and buyers, for flagged and unflagged.
 */
export function churnHoldoutSql(source: string, offset: number): string {
  const p = (i: number) => `$${offset + 2 + i}`;
  const asOf = `$${offset + 1}::date`;
  const groups = [
    ...(['overdue', 'spend_decline', 'low_p_alive', 'returns_rising', 'paying_slower'] as const).map(
      (f) => `('flag', '${f}', x.flag_${f})`,
    ),
    `('band', ${scoreBandSql('x.risk_score')}, true)`,
    `('all', 'all', true)`,
    `('one_time', 'one_time_buyers', x.purchase_days = 1)`,
  ];
  return `
  WITH x AS (
    SELECT s.*, EXISTS (SELECT 1 FROM invoices i
                         WHERE i.tenant_id = $1 AND i.customer_id = s.customer_id AND i.status IN ('issued', 'paid')
                           AND i.issue_date > ${asOf} AND i.issue_date <= ${p(1)}::date) AS bought
      FROM (${churnScoredSql(source, offset)}) s
  )
  SELECT g.kind, g.key, g.flagged, count(*)::int AS customers, count(*) FILTER (WHERE x.bought)::int AS buyers
    FROM x CROSS JOIN LATERAL (VALUES ${groups.join(', ')}) AS g(kind, key, flagged)
   GROUP BY g.kind, g.key, g.flagged`;
}

/**
 * Customers whose expected next purchase (last purchase + median gap, lifecycle) is due, over `source`
 * (placeholders $1…$offset), then asOf, status ('passed' | 'upcoming'), keyset (expected date,
 * external id), limit. passed: expected date before asOf, latest first; upcoming: on or after asOf,
 * soonest first.
 */
export function nextPurchasesSql(source: string, offset: number): string {
  const p = (i: number) => `$${offset + i}`;
  return `
  SELECT * FROM (${source}) m
   WHERE m.next_expected_date IS NOT NULL
     AND CASE WHEN ${p(2)} = 'passed' THEN m.next_expected_date < ${p(1)}::date ELSE m.next_expected_date >= ${p(1)}::date END
     AND (${p(3)}::date IS NULL OR CASE WHEN ${p(2)} = 'passed'
            THEN (m.next_expected_date, m.external_id) < (${p(3)}::date, ${p(4)}::text)
            ELSE (m.next_expected_date, m.external_id) > (${p(3)}::date, ${p(4)}::text) END)
   ORDER BY CASE WHEN ${p(2)} = 'passed' THEN m.next_expected_date END DESC,
            CASE WHEN ${p(2)} = 'passed' THEN m.external_id END DESC,
            CASE WHEN ${p(2)} <> 'passed' THEN m.next_expected_date END ASC,
            CASE WHEN ${p(2)} <> 'passed' THEN m.external_id END ASC
   LIMIT ${p(5)}`;
}
