import { lapseThresholdSql } from '../lifecycle/lifecycle.queries';
import { rfmScoresSql } from '../rfm/rfm.queries';
import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';

/**
 * SQL of the restock engine (DOMAIN.md §8). Parameters:
 *   $1 tenant, $2 asOf (date), $3 windowDays (int): the window is (asOf − windowDays, asOf].
 *
 * Stock at A: the latest inventory snapshot dated ≤ A of each (product, warehouse); unit cost = that
 * snapshot's unit_cost, else the product's unit_cost, else unknown (NULL). DISTINCT ON in the primary
 * key's order read backwards (product, warehouse, as_of all descending): an index scan instead of
 * sorting every snapshot of the tenant.
 */
const STOCK = `
  SELECT DISTINCT ON (s.product_id, s.warehouse_id)
         s.product_id, s.warehouse_id, s.as_of, s.on_hand, s.on_order, s.unit_cost
    FROM inventory_snapshots s
   WHERE s.tenant_id = $1 AND s.as_of <= $2::date
   ORDER BY s.product_id DESC, s.warehouse_id DESC, s.as_of DESC`;

/** Invoice lines of counting invoices in the window, base currency. */
const SOLD = `
  SELECT l.product_id, i.customer_id, i.issue_date AS day, l.quantity AS qty, l.net * i.exchange_rate AS net
    FROM (${countingInvoices('$2::date')}) i
    JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = i.id
   WHERE i.issue_date > $2::date - $3::int AND l.product_id IS NOT NULL`;

/** Restocked credit-note lines in the window: they come back into stock and out of demand. */
const RETURNED = `
  SELECT l.product_id, n.issue_date AS day, l.quantity AS qty
    FROM (${countingCreditNotes('$2::date')}) n
    JOIN credit_note_lines l ON l.tenant_id = $1 AND l.credit_note_id = n.id
   WHERE n.restock AND n.issue_date > $2::date - $3::int AND l.product_id IS NOT NULL`;

/**
 * One row per (product, warehouse) of the non-service products that have a snapshot ≤ A, plus one
 * row with warehouse_id NULL for a product sold or returned in the window without any snapshot
 * (stock unknown). Extra parameters: $4 warehouseId (text, NULL = all), $5 lookback days of the
 * lapsed share (≥ windowDays; restock.math lapsedLookbackDays).
 *
 * The invoice lines of the lookback are read once and summed per product and day of the window,
 * the days before the window in one group per product (`sold`, day NULL): the window's days give the
 * demand series and the average price, all of it the lookback units.
 * Columns: product_id, external_id, name, name_ar, lead_time_days, pack_size, min_order_qty,
 * warehouse_id, stock_as_of, on_hand, on_order, unit_cost (snapshot, else product), unit_cost_2 (the
 * same, half-up to 2 places, text), warehouses (how many warehouses hold the product at A, before
 * the warehouse filter), series (sparse daily net demand "offset:qty,…", offset 0 = the window's
 * first day), avg_price (net revenue / units of the product's invoice lines in the window, base
 * currency; NULL without any), lookback_units (invoice units in the lookback; NULL without any).
 */
export const RESTOCK_ROWS_SQL = `
  WITH stock AS (
    SELECT st.*, count(*) OVER (PARTITION BY st.product_id)::int AS warehouses FROM (${STOCK}) st
  ),
  sold AS MATERIALIZED (
    SELECT l.product_id, CASE WHEN i.issue_date > $2::date - $3::int THEN i.issue_date END AS day,
           sum(l.quantity) AS qty, sum(l.net * i.exchange_rate) FILTER (WHERE i.issue_date > $2::date - $3::int) AS net
      FROM (${countingInvoices('$2::date')}) i
      JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = i.id
     WHERE i.issue_date > $2::date - $5::int AND l.product_id IS NOT NULL
     GROUP BY 1, 2
  ),
  daily AS (
    SELECT product_id, day, sum(qty) AS qty
      FROM (SELECT product_id, day, qty FROM sold WHERE day IS NOT NULL
            UNION ALL SELECT product_id, day, -qty FROM (${RETURNED}) r) x
     GROUP BY product_id, day
  ),
  series AS (
    SELECT product_id,
           string_agg((day - ($2::date - $3::int) - 1)::text || ':' || qty::text, ',' ORDER BY day) AS series
      FROM daily WHERE qty <> 0 GROUP BY product_id
  ),
  sales AS (
    SELECT product_id, sum(qty) FILTER (WHERE day IS NOT NULL) AS units, sum(net) AS net,
           sum(qty) AS lookback_units
      FROM sold GROUP BY product_id
  )
  SELECT p.id AS product_id, p.external_id, p.name, p.name_ar, p.lead_time_days, p.pack_size, p.min_order_qty,
         st.warehouse_id, st.as_of::text AS stock_as_of, st.on_hand, st.on_order,
         COALESCE(st.unit_cost, p.unit_cost) AS unit_cost, COALESCE(st.warehouses, 0) AS warehouses,
         round(COALESCE(st.unit_cost, p.unit_cost), 2)::text AS unit_cost_2,
         se.series, CASE WHEN sa.units > 0 THEN sa.net / sa.units END AS avg_price, sa.lookback_units
    FROM products p
    LEFT JOIN stock st ON st.product_id = p.id
    LEFT JOIN series se ON se.product_id = p.id
    LEFT JOIN sales sa ON sa.product_id = p.id
   WHERE p.tenant_id = $1 AND NOT p.is_service
     AND (st.product_id IS NOT NULL OR se.product_id IS NOT NULL OR sa.units IS NOT NULL)
     AND ($4::text IS NULL OR st.warehouse_id = $4::text)`;

/**
 * Customers lapsed at A (DOMAIN §4, the lifecycle engine's rule) among those who bought in the
 * lookback (A − $6, A]: days since the last counting invoice > threshold = max($5 lapseDays, 3 × the
 * median gap between their distinct purchase days; lapseDays without a gap). `lapsed` comes right
 * after `prospect` in the stage precedence, so it depends on the purchase days alone: this is
 * lifecycleSql's rule (stats, thresholds, stage) evaluated only where it can hold, instead of every
 * stage and risk flag of every customer (the e2e scenario checks it against the lifecycle engine):
 *   - candidates: last purchase inside the lookback (the others bought nothing there) and more than
 *     lapseDays before A (the threshold is never below lapseDays);
 *   - a candidate with A − last > 3 × (last − first) is lapsed without its median: every gap, so the
 *     median too, is at most last − first (a single purchase day has no gap: threshold lapseDays);
 *   - the others need their median gap, from their purchase days (percentile_cont, as lifecycleSql).
 * `rfm` (rfmScoresSql) gives every buyer's first and last purchase (the min and max counting invoice
 * dates ≤ A).
 */
const LAPSED = `
  candidates AS (
    SELECT customer_id, first_date, last_date FROM rfm
     WHERE last_date > $2::date - $6::int AND $2::date - last_date > $5::int
  ),
  gaps AS (
    SELECT customer_id, d - lag(d) OVER (PARTITION BY customer_id ORDER BY d) AS gap
      FROM (SELECT DISTINCT i.customer_id, i.issue_date AS d
              FROM (${countingInvoices('$2::date')}) i
             WHERE i.customer_id IN (SELECT customer_id FROM candidates
                                      WHERE $2::date - last_date <= 3 * (last_date - first_date))) days
  ),
  medians AS (
    SELECT customer_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS median_gap
      FROM gaps GROUP BY customer_id
  ),
  lapsed AS (
    SELECT c.customer_id
      FROM candidates c LEFT JOIN medians m ON m.customer_id = c.customer_id
     WHERE $2::date - c.last_date > 3 * (c.last_date - c.first_date)
        OR $2::date - c.last_date > ${lapseThresholdSql('$5::int', 'm.median_gap')}
  )`;

/**
 * Who buys each product, one row per product with invoice units in the window or bought by a
 * lapsed customer in the lookback:
 *   - champions_pct, loyal_pct, at_risk_pct and their sum priority_pct: shares (percent, half-up to
 *     2 places, text) of the product's invoice units in the window bought by customers in those RFM
 *     segments at A (rfmScoresSql over $4 rfmWindowDays, NULL = all history); NULL without units in
 *     the window;
 *   - lapsed_units: the product's invoice units in the lookback (A − $6, A] bought by customers whose
 *     lifecycle stage at A is lapsed (LAPSED, $5 lapseDays); the service divides them by the
 *     lookback units of RESTOCK_ROWS_SQL.
 * Columns: product_id, champions_pct, loyal_pct, at_risk_pct, priority_pct, lapsed_units.
 */
export const RESTOCK_SHARES_SQL = `
  WITH rfm AS MATERIALIZED (${rfmScoresSql('$2::date', '$4::int')}),
  ${LAPSED},
  by_segment AS (
    SELECT s.product_id, sum(s.qty) AS units,
           COALESCE(sum(s.qty) FILTER (WHERE r.segment = 'champions'), 0) AS champions,
           COALESCE(sum(s.qty) FILTER (WHERE r.segment = 'loyal'), 0) AS loyal,
           COALESCE(sum(s.qty) FILTER (WHERE r.segment = 'at_risk'), 0) AS at_risk
      FROM (${SOLD}) s
      LEFT JOIN rfm r ON r.customer_id = s.customer_id
     GROUP BY s.product_id
  ),
  by_lapsed AS (
    SELECT l.product_id, sum(l.quantity) AS units
      FROM lapsed lp
      JOIN (${countingInvoices('$2::date')}) i ON i.customer_id = lp.customer_id
      JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = i.id
     WHERE i.issue_date > $2::date - $6::int AND l.product_id IS NOT NULL
     GROUP BY l.product_id
  )
  SELECT COALESCE(s.product_id, b.product_id) AS product_id,
         round(100 * s.champions / s.units, 2)::text AS champions_pct,
         round(100 * s.loyal / s.units, 2)::text AS loyal_pct,
         round(100 * s.at_risk / s.units, 2)::text AS at_risk_pct,
         round(100 * (s.champions + s.loyal + s.at_risk) / s.units, 2)::text AS priority_pct,
         b.units AS lapsed_units
    FROM by_segment s
    FULL JOIN by_lapsed b ON b.product_id = s.product_id`;

/**
 * Dead stock at A: (product, warehouse) rows of non-service products with on hand > 0 in the latest
 * snapshot ≤ A and no counting invoice line in (A − windowDays, A]. value = on hand × unit cost
 * (snapshot, else product; NULL when unknown); last_sale = the last counting invoice ≤ A with the
 * product (NULL = never sold), looked up for the dead products only. Sorted by value descending
 * (unknown last), then product, warehouse.
 */
export const DEAD_STOCK_SQL = `
  WITH stock AS (${STOCK}),
  sold_in_window AS (SELECT DISTINCT product_id FROM (${SOLD}) s),
  dead AS (
    SELECT st.*, p.external_id, p.name, p.name_ar, COALESCE(st.unit_cost, p.unit_cost) AS cost
      FROM stock st
      JOIN products p ON p.tenant_id = $1 AND p.id = st.product_id
     WHERE NOT p.is_service AND st.on_hand > 0
       AND NOT EXISTS (SELECT 1 FROM sold_in_window w WHERE w.product_id = st.product_id)
  ),
  last_sale AS MATERIALIZED (
    SELECT d.product_id,
           (SELECT max(i.issue_date)
              FROM invoice_lines l
              JOIN (${countingInvoices('$2::date')}) i ON i.id = l.invoice_id
             WHERE l.tenant_id = $1 AND l.product_id = d.product_id) AS last_sale
      FROM (SELECT DISTINCT product_id FROM dead) d
  )
  SELECT d.external_id, d.name, d.name_ar, d.warehouse_id, d.as_of::text AS stock_as_of, d.on_hand,
         d.cost AS unit_cost, d.on_hand * d.cost AS value,
         ls.last_sale::text AS last_sale, ($2::date - ls.last_sale)::int AS days_since_last_sale
    FROM dead d
    LEFT JOIN last_sale ls ON ls.product_id = d.product_id
   ORDER BY value DESC NULLS LAST, d.external_id, d.warehouse_id`;
