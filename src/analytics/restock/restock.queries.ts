import { lifecycleSql } from '../lifecycle/lifecycle.queries';
import { rfmScoresSql } from '../rfm/rfm.queries';
import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';

/**
 * SQL of the restock engine (DOMAIN.md §8). Parameters:
 *   $1 tenant, $2 asOf (date), $3 windowDays (int): the window is (asOf − windowDays, asOf].
 *
 * Stock at A: the latest inventory snapshot dated ≤ A of each (product, warehouse); unit cost = that
 * snapshot's unit_cost, else the product's unit_cost, else unknown (NULL).
 */
const STOCK = `
  SELECT DISTINCT ON (s.product_id, s.warehouse_id)
         s.product_id, s.warehouse_id, s.as_of, s.on_hand, s.on_order, s.unit_cost
    FROM inventory_snapshots s
   WHERE s.tenant_id = $1 AND s.as_of <= $2::date
   ORDER BY s.product_id, s.warehouse_id, s.as_of DESC`;

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
 * (stock unknown). Extra parameter: $4 warehouseId (text, NULL = all).
 *
 * Columns: product_id, external_id, name, name_ar, lead_time_days, pack_size, min_order_qty,
 * warehouse_id, stock_as_of, on_hand, on_order, unit_cost (snapshot, else product), unit_cost_2 (the
 * same, half-up to 2 places, text), warehouses (how many warehouses hold the product at A, before
 * the warehouse filter), series (sparse daily net demand "offset:qty,…", offset 0 = the window's
 * first day), avg_price (net revenue / units of the product's invoice lines in the window, base
 * currency; NULL without any).
 */
export const RESTOCK_ROWS_SQL = `
  WITH stock AS (
    SELECT st.*, count(*) OVER (PARTITION BY st.product_id)::int AS warehouses FROM (${STOCK}) st
  ),
  sold AS (${SOLD}),
  daily AS (
    SELECT product_id, day, sum(qty) AS qty
      FROM (SELECT product_id, day, qty FROM sold
            UNION ALL SELECT product_id, day, -qty FROM (${RETURNED}) r) x
     GROUP BY product_id, day
  ),
  series AS (
    SELECT product_id,
           string_agg((day - ($2::date - $3::int) - 1)::text || ':' || qty::text, ',' ORDER BY day) AS series
      FROM daily WHERE qty <> 0 GROUP BY product_id
  ),
  sales AS (SELECT product_id, sum(qty) AS units, sum(net) AS net FROM sold GROUP BY product_id)
  SELECT p.id AS product_id, p.external_id, p.name, p.name_ar, p.lead_time_days, p.pack_size, p.min_order_qty,
         st.warehouse_id, st.as_of::text AS stock_as_of, st.on_hand, st.on_order,
         COALESCE(st.unit_cost, p.unit_cost) AS unit_cost, COALESCE(st.warehouses, 0) AS warehouses,
         round(COALESCE(st.unit_cost, p.unit_cost), 2)::text AS unit_cost_2,
         se.series, CASE WHEN sa.units > 0 THEN sa.net / sa.units END AS avg_price
    FROM products p
    LEFT JOIN stock st ON st.product_id = p.id
    LEFT JOIN series se ON se.product_id = p.id
    LEFT JOIN sales sa ON sa.product_id = p.id
   WHERE p.tenant_id = $1 AND NOT p.is_service
     AND (st.product_id IS NOT NULL OR se.product_id IS NOT NULL OR sa.product_id IS NOT NULL)
     AND ($4::text IS NULL OR st.warehouse_id = $4::text)`;

/**
 * Who buys each product: per product with invoice lines in the window, the shares of those invoice
 * units bought by customers in the RFM segments champions, loyal, at_risk at A (rfmScoresSql; and
 * their sum, priority) and by customers whose lifecycle stage at A is lapsed (lifecycleSql), as
 * percentages half-up to 2 places (text). Extra parameters: $4 rfmWindowDays (int, NULL = all
 * history) and, with withLapsed only, $5 newDays, $6 lapseDays, $7 paymentTermsDays.
 *
 * withLapsed = false leaves out the lifecycle query and returns lapsed 0.00: callers pass false when
 * windowDays ≤ lapseDays, where it is exactly 0 anyway (a customer with an invoice in the window has
 * days since last < windowDays ≤ lapseDays ≤ the customer's lapse threshold, so is never lapsed).
 * Columns: product_id, champions_pct, loyal_pct, at_risk_pct, priority_pct, lapsed_pct.
 */
export function restockSharesSql(withLapsed: boolean): string {
  const pct = (units: string) => `round(100 * ${units} / sum(s.qty), 2)::text`;
  const of = (segment: string) => `COALESCE(sum(s.qty) FILTER (WHERE r.segment = '${segment}'), 0)`;
  return `
  WITH sold AS (${SOLD}),
  rfm AS (${rfmScoresSql('$2::date', '$4::int')})
  ${withLapsed ? `, life AS (${lifecycleSql('$2::date', '$5::int', '$6::int', '$7::int')})` : ''}
  SELECT s.product_id, ${pct(of('champions'))} AS champions_pct, ${pct(of('loyal'))} AS loyal_pct,
         ${pct(of('at_risk'))} AS at_risk_pct,
         ${pct(`(${of('champions')} + ${of('loyal')} + ${of('at_risk')})`)} AS priority_pct,
         ${withLapsed ? pct(`COALESCE(sum(s.qty) FILTER (WHERE lc.stage = 'lapsed'), 0)`) : `'0.00'`} AS lapsed_pct
    FROM sold s
    LEFT JOIN rfm r ON r.customer_id = s.customer_id
    ${withLapsed ? 'LEFT JOIN life lc ON lc.customer_id = s.customer_id' : ''}
   GROUP BY s.product_id
  HAVING sum(s.qty) > 0`;
}

/**
 * Dead stock at A: (product, warehouse) rows of non-service products with on hand > 0 in the latest
 * snapshot ≤ A and no counting invoice line in (A − windowDays, A]. value = on hand × unit cost
 * (snapshot, else product; NULL when unknown); last_sale = the last counting invoice ≤ A with the
 * product (NULL = never sold). Sorted by value descending (unknown last), then product, warehouse.
 */
export const DEAD_STOCK_SQL = `
  WITH stock AS (${STOCK}),
  sold_in_window AS (SELECT DISTINCT product_id FROM (${SOLD}) s),
  last_sale AS (
    SELECT l.product_id, max(i.issue_date) AS last_sale
      FROM (${countingInvoices('$2::date')}) i
      JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = i.id
     WHERE l.product_id IS NOT NULL
     GROUP BY l.product_id
  )
  SELECT p.external_id, p.name, p.name_ar, st.warehouse_id, st.as_of::text AS stock_as_of, st.on_hand,
         COALESCE(st.unit_cost, p.unit_cost) AS unit_cost,
         st.on_hand * COALESCE(st.unit_cost, p.unit_cost) AS value,
         ls.last_sale::text AS last_sale, ($2::date - ls.last_sale)::int AS days_since_last_sale
    FROM stock st
    JOIN products p ON p.tenant_id = $1 AND p.id = st.product_id
    LEFT JOIN last_sale ls ON ls.product_id = st.product_id
   WHERE NOT p.is_service AND st.on_hand > 0
     AND NOT EXISTS (SELECT 1 FROM sold_in_window w WHERE w.product_id = st.product_id)
   ORDER BY value DESC NULLS LAST, p.external_id, st.warehouse_id`;
