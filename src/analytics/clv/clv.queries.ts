import type { StagedDocuments } from '../profitability/profitability.queries';
import { COUNTING_INVOICE, countingCreditNotes, countingInvoices } from '../shared/documents.sql';

/**
 * Predictive-CLV SQL (DOMAIN.md §5). $1 is always the tenant; everything is in the base currency
 * (× exchange_rate) and exact NUMERIC. One row per customer with a counting invoice dated ≤ asOf.
 *
 * Purchases: the distinct dates of counting invoices (issued/paid, ≤ asOf); same-day invoices merge
 * into one purchase whose value is the sum of their nets (a purchase of value 0 is still a purchase).
 *   frequency x   = purchase days − 1
 *   recency t_x   = (last − first purchase day) in days ÷ unit (1 or 7), exact numeric
 *   age T         = (asOf − first purchase day) ÷ unit
 * Credit notes (counting: issued, ≤ asOf) reduce the purchase they return:
 *   1. linked to a counting invoice of the same customer dated ≤ asOf → that invoice's purchase day;
 *   2. otherwise → the customer's last purchase day on or before the credit note's date;
 *   3. otherwise (dated before the first purchase) → the first purchase day.
 * A day's value = Σ invoice net − Σ credit notes assigned to it, floored at 0 for the fit.
 *   monetary      = mean value of the repeat purchase days (first day excluded); NULL when x = 0
 *   historical    = lifetime net revenue = Σ invoice net − Σ credit-note net (not floored), i.e. the
 *                   customer list's net_revenue at asOf: every credit note of a customer who bought is
 *                   assigned to one of their purchase days, so it is the sum of the unfloored day values.
 * Credit notes of a customer without any counting invoice have no purchase day: no summary row.
 * One pass: invoices and assigned credit notes are summed per (customer, day), numbered by day, and
 * aggregated per customer (the first day is k = 1).
 */
export function clvSummaryCtes(asOf: string, unitDays: string, facts?: StagedDocuments): string {
  // each counting credit note with linked_d, the date of its linked invoice when that invoice counts
  // and is the same customer's; from the staged facts (their inv_* columns) when a recompute has them
  const creditNotes = facts
    ? `SELECT customer_id, issue_date, net,
              CASE WHEN inv_customer_id = customer_id THEN inv_issue_date END AS linked_d
         FROM ${facts.creditNotes}`
    : `SELECT n.customer_id, n.issue_date, n.net, li.issue_date AS linked_d
         FROM (${countingCreditNotes(asOf)}) n
         LEFT JOIN invoices li ON li.tenant_id = $1 AND li.id = n.invoice_id AND li.customer_id = n.customer_id
               AND li.${COUNTING_INVOICE} AND li.issue_date <= ${asOf}`;
  const invoices = facts
    ? `SELECT customer_id, issue_date, net FROM ${facts.invoices}`
    : countingInvoices(asOf);
  return `
    cn_day AS (
      SELECT n.customer_id, COALESCE(n.linked_d, lp.d, fp.d) AS d, n.net
        FROM (${creditNotes}) n
        LEFT JOIN LATERAL (
          SELECT max(i.issue_date) AS d FROM invoices i
           WHERE n.linked_d IS NULL AND i.tenant_id = $1 AND i.customer_id = n.customer_id
             AND i.${COUNTING_INVOICE} AND i.issue_date <= n.issue_date
        ) lp ON true
        LEFT JOIN LATERAL (
          SELECT min(i.issue_date) AS d FROM invoices i
           WHERE n.linked_d IS NULL AND lp.d IS NULL AND i.tenant_id = $1 AND i.customer_id = n.customer_id
             AND i.${COUNTING_INVOICE} AND i.issue_date <= ${asOf}
        ) fp ON true
    ),
    days AS (
      SELECT customer_id, d, sum(net) AS value, row_number() OVER (PARTITION BY customer_id ORDER BY d) AS k
        FROM (SELECT customer_id, issue_date AS d, net FROM (${invoices}) i
              UNION ALL
              SELECT customer_id, d, -net FROM cn_day WHERE d IS NOT NULL) e
       GROUP BY customer_id, d
    ),
    summary AS (
      SELECT customer_id, min(d) AS first_purchase, count(*)::int - 1 AS frequency,
             (max(d) - min(d))::numeric / ${unitDays} AS recency,
             (${asOf} - min(d))::numeric / ${unitDays} AS age,
             sum(GREATEST(value, 0)) FILTER (WHERE k > 1) / NULLIF(count(*) - 1, 0) AS monetary,
             sum(value) AS historical_clv
        FROM days GROUP BY customer_id
    )`;
}

/** $1 tenant, $2 asOf, $3 unit length in days (1 = day, 7 = week) → one summary row per customer. */
export const CLV_SUMMARY = clvSummarySql();

/** CLV_SUMMARY, over a recompute's staged document facts when given (the same rows). */
export function clvSummarySql(facts?: StagedDocuments): string {
  return `
  WITH ${clvSummaryCtes('$2::date', '$3::numeric', facts)}
  SELECT customer_id, first_purchase, frequency, recency, age, monetary, historical_clv FROM summary`;
}

/**
 * Calibration/hold-out: the summary at $2 calibrationEnd (unit $3) and, per customer, the repeat
 * purchases of the hold-out = distinct counting-invoice days in ($2, $4 holdoutEnd].
 */
export const CLV_HOLDOUT = `
  WITH ${clvSummaryCtes('$2::date', '$3::numeric')},
  hold AS (
    SELECT customer_id, count(DISTINCT issue_date)::int AS purchases FROM invoices
     WHERE tenant_id = $1 AND ${COUNTING_INVOICE} AND issue_date > $2::date AND issue_date <= $4::date
     GROUP BY customer_id
  )
  SELECT s.customer_id, s.frequency, s.recency, s.age, COALESCE(h.purchases, 0) AS holdout_purchases
    FROM summary s LEFT JOIN hold h ON h.customer_id = s.customer_id`;

/** $1 tenant → the tenant's data version and settings (what a stored model must match). */
export const TENANT_VERSION = `SELECT data_version, settings FROM tenants WHERE id = $1`;

/** Shared columns of a stored model. */
const MODEL_COLUMNS = `id, as_of, time_unit, model, horizon_months, discount_rate, status, params, log_likelihood,
  converged, iterations, customers, repeat_buyers, distinct_tuples, spend_params, spend_log_likelihood,
  spend_converged, spend_iterations, spend_customers, data_version, settings_hash, fit_ms, created_at`;

/** $1 tenant, $2 asOf, $3 unit, $4 model, $5 horizon, $6 discount, $7 data version, $8 settings hash. */
export const FIND_MODEL = `
  SELECT ${MODEL_COLUMNS} FROM clv_models
   WHERE tenant_id = $1 AND as_of = $2::date AND time_unit = $3 AND model = $4 AND horizon_months = $5
     AND discount_rate = $6::numeric AND data_version = $7 AND settings_hash = $8`;

/**
 * A stored fit of the same data that differs only in horizon or discount rate ($1–$4, $7, $8 as
 * FIND_MODEL): its parameters are reused, so only the predictions are recomputed.
 */
export const FIND_FIT = `
  SELECT ${MODEL_COLUMNS} FROM clv_models
   WHERE tenant_id = $1 AND as_of = $2::date AND time_unit = $3 AND model = $4
     AND data_version = $5 AND settings_hash = $6
   ORDER BY created_at DESC LIMIT 1`;

export const INSERT_MODEL = `
  INSERT INTO clv_models (tenant_id, id, as_of, time_unit, model, horizon_months, discount_rate, status, params,
    log_likelihood, converged, iterations, customers, repeat_buyers, distinct_tuples, spend_params,
    spend_log_likelihood, spend_converged, spend_iterations, spend_customers, data_version, settings_hash, fit_ms)
  VALUES ($1, $2, $3::date, $4, $5, $6, $7::numeric, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $16::jsonb,
    $17, $18, $19, $20, $21, $22, $23)
  ON CONFLICT ON CONSTRAINT uq_clv_models_key DO NOTHING
  RETURNING id`;

/**
 * $1 tenant, $2 model id, $3 a JSON array of one object per customer (keys as in the AS list): all
 * predictions in one statement. margin_clv = predicted_clv × margin_ratio.
 */
export const INSERT_PREDICTIONS = `
  INSERT INTO customer_predictions (tenant_id, model_id, customer_id, first_purchase, frequency, recency, age,
    monetary, p_alive, exp_30, exp_90, exp_365, expected_spend, predicted_clv, margin_ratio, margin_clv,
    historical_clv, historical_margin, next_expected_date)
  SELECT $1, $2::uuid, u.c, u.f, u.x, u.tx, u.t, u.m, u.pa, u.e30, u.e90, u.e365, u.es, u.clv, u.mr,
         round(u.clv * u.mr, 6), u.h, u.hm, u.nd
    FROM json_to_recordset($3::json) AS u(c bigint, f date, x int, tx numeric, t numeric, m numeric, pa float8,
         e30 float8, e90 float8, e365 float8, es numeric, clv numeric, mr numeric, h numeric, hm numeric, nd date)`;

/**
 * Housekeeping after a new model is stored ($1 tenant, $2 current data version, $3 settings hash,
 * $4 models to keep): models of an older data version or other settings can never be served again;
 * of the current ones the newest $4 are kept, and those of the current snapshot's date (other dates
 * refit on request).
 */
export const PRUNE_MODELS = `
  DELETE FROM clv_models m
   WHERE m.tenant_id = $1
     AND (m.data_version <> $2 OR m.settings_hash <> $3
          OR (m.id NOT IN (SELECT id FROM clv_models WHERE tenant_id = $1 AND data_version = $2 AND settings_hash = $3
                            ORDER BY created_at DESC, id LIMIT $4)
              AND NOT EXISTS (SELECT 1 FROM tenants t
                                JOIN analytics_snapshots s ON s.tenant_id = t.id AND s.id = t.current_snapshot_id
                               WHERE t.id = $1 AND s.as_of = m.as_of)))`;

/** $1 tenant, $2 model id → totals over the model's predictions (exact NUMERIC sums). */
export const PREDICTION_TOTALS = `
  SELECT count(*)::int AS customers, count(*) FILTER (WHERE frequency > 0)::int AS repeat_buyers,
         avg(p_alive) AS mean_p_alive, sum(exp_30) AS exp_30, sum(exp_90) AS exp_90, sum(exp_365) AS exp_365,
         avg(expected_spend) AS mean_expected_spend, sum(predicted_clv) AS predicted_clv,
         sum(margin_clv) AS margin_clv, count(margin_clv)::int AS customers_with_margin,
         sum(historical_clv) AS historical_clv, avg(historical_clv) AS mean_historical_clv,
         max(historical_clv) AS max_historical_clv, sum(historical_margin) AS historical_margin
    FROM customer_predictions WHERE tenant_id = $1 AND model_id = $2::uuid`;

/** $1 tenant, $2 asOf → historical CLV totals straight from the documents (no model needed). */
export const HISTORICAL_TOTALS = `
  WITH ${clvSummaryCtes('$2::date', '1::numeric')}
  SELECT count(*)::int AS customers, count(*) FILTER (WHERE frequency > 0)::int AS repeat_buyers,
         COALESCE(sum(historical_clv), 0) AS historical_clv, avg(historical_clv) AS mean_historical_clv,
         max(historical_clv) AS max_historical_clv
    FROM summary`;

/**
 * For the customer list/profile: joins the predictions of model `modelIdParam` (e.g. '$7') to rows
 * whose customer id is `customerIdExpr` (e.g. 'm.customer_id'); tenant is $1. LEFT JOIN: customers
 * without a purchase at asOf have no prediction (NULL columns).
 */
export function clvPredictionsJoin(alias: string, customerIdExpr: string, modelIdParam: string): string {
  return `LEFT JOIN customer_predictions ${alias} ON ${alias}.tenant_id = $1 AND ${alias}.model_id = ${modelIdParam}::uuid AND ${alias}.customer_id = ${customerIdExpr}`;
}

/** The prediction columns to select from that join, with the names clvView() reads. */
export function clvPredictionColumns(alias: string): string {
  return [
    'p_alive',
    'exp_30',
    'exp_90',
    'exp_365',
    'expected_spend',
    'predicted_clv',
    'margin_clv',
    'historical_clv',
    'historical_margin',
    'next_expected_date',
  ]
    .map((c) => `${alias}.${c} AS clv_${c}`)
    .join(', ');
}

/** Sort keys for the customer list over those columns (all descending, NULLs last). */
export const CLV_SORTS = {
  predictedClv: 'clv_predicted_clv',
  marginClv: 'clv_margin_clv',
  historicalClv: 'clv_historical_clv',
  pAlive: 'clv_p_alive',
  expectedPurchases: 'clv_exp_365',
  expectedSpend: 'clv_expected_spend',
} as const;
