import { NO_KEY } from '../profitability/profitability.math';
import { costed, CREDIT_BY_LINE } from '../profitability/profitability.queries';
import { countingInvoices } from '../shared/documents.sql';
import { FACTS } from './document-facts.queries';

/**
 * Profitability by product and by category over all history ≤ asOf for a snapshot (result-steps.ts):
 * the facts of profitabilityFactsSql(…, 'product') — one row per (product, document, kind) with the
 * product's category — from the staged credit notes and per-invoice cost of credit
 * (open_amount_days × rate / 365, as the staged customer profitability reads them), then grouped by
 * product and by category as groupedProfitabilitySql does. Sold lines with their own cost, or of a
 * product without an inventory-snapshot cost ≤ asOf, cost COALESCE(own, product) directly (no
 * snapshot cost can apply to them); only the others take the snapshot lookup. $1 tenant, $2 asOf,
 * $3 annual credit rate.
 */
export const PRODUCT_FACTS = 'res_product_facts';

export function productFactsSql(): string {
  const asOf = '$2::date';
  const lines = (where: string) => `
      SELECT i.id AS doc_id, i.customer_id, i.issue_date AS d, l.product_id, l.quantity, l.net * i.exchange_rate AS net,
             l.unit_cost * i.exchange_rate AS own_cost, NULL::boolean AS restock, NULL::bigint AS invoice_id, false AS snapshot
        FROM (${countingInvoices(asOf)}) i JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = i.id
       WHERE ${where}`;
  const needsSnapshot = `l.unit_cost IS NULL AND l.product_id IN (
      SELECT product_id FROM inventory_snapshots WHERE tenant_id = $1 AND unit_cost IS NOT NULL AND as_of <= ${asOf})`;
  return `
    WITH cn AS NOT MATERIALIZED (SELECT * FROM ${FACTS.creditNotes}),
    snap_day AS (
      SELECT product_id, as_of AS d, avg(unit_cost) AS unit_cost FROM inventory_snapshots
       WHERE tenant_id = $1 AND unit_cost IS NOT NULL AND as_of <= ${asOf}
       GROUP BY product_id, as_of
    ),
    sold AS (
      SELECT s.doc_id, s.product_id, pr.category, s.quantity, s.net, COALESCE(s.own_cost, pr.unit_cost) AS unit_cost
        FROM (${lines(`NOT COALESCE(${needsSnapshot}, false)`)}) s
        LEFT JOIN products pr ON pr.tenant_id = $1 AND pr.id = s.product_id
      UNION ALL
      SELECT c.doc_id, c.product_id, c.category, c.quantity, c.net, COALESCE(c.own_cost, c.snap_cost, c.product_cost)
        FROM (${costed(lines(`EXISTS (SELECT 1 FROM snap_day) AND ${needsSnapshot}`))}) c
    ),
    returned AS (
      SELECT doc_id AS invoice_id, product_id, sum(quantity * unit_cost) / sum(quantity) AS unit_cost
        FROM (SELECT c.*, COALESCE(c.own_cost, c.snap_cost, c.product_cost) AS unit_cost
                FROM (${costed(lines('l.product_id IS NOT NULL AND i.id IN (SELECT invoice_id FROM cn)'))}) c) r
       WHERE unit_cost IS NOT NULL
       GROUP BY doc_id, product_id
    ),
    cl AS (
      SELECT c.doc_id, c.restock, c.product_id, c.category, c.quantity, c.net,
             COALESCE(c.own_cost, r.unit_cost, c.snap_cost, c.product_cost) AS unit_cost
        FROM (${costed(`
          SELECT n.id, n.customer_id, n.issue_date, l.product_id, l.quantity, l.net * n.exchange_rate,
                 l.unit_cost * n.exchange_rate, n.restock, n.invoice_id, false
            FROM cn n JOIN credit_note_lines l ON l.tenant_id = $1 AND l.credit_note_id = n.id`)}) c
        LEFT JOIN returned r ON r.invoice_id = c.invoice_id AND r.product_id = c.product_id
    ),
    coc AS (
      SELECT id AS invoice_id, customer_id, cost
        FROM (SELECT id, customer_id, open_amount_days * $3::numeric / 365 AS cost FROM ${FACTS.invoices}) c
       WHERE cost <> 0
    ),
    ${CREDIT_BY_LINE}
    SELECT product_id, category, 'sale' AS kind, doc_id, sum(net) AS gross_sales, 0 AS returns,
           sum(CASE WHEN unit_cost IS NULL THEN 0 ELSE net END) AS covered_revenue,
           sum(COALESCE(quantity * unit_cost, 0)) AS cogs, 0 AS cost_of_credit, sum(quantity) AS units, 0 AS returned_units
      FROM sold
     GROUP BY product_id, category, doc_id
    UNION ALL
    SELECT product_id, category, 'return', doc_id, 0, sum(net), sum(CASE WHEN unit_cost IS NULL THEN 0 ELSE -net END),
           sum(CASE WHEN restock AND unit_cost IS NOT NULL THEN -(quantity * unit_cost) ELSE 0 END), 0, 0, sum(quantity)
      FROM cl
     GROUP BY product_id, category, doc_id
    UNION ALL
    SELECT product_id, category, 'credit', invoice_id, 0, 0, 0, 0, cost, 0, 0 FROM credit`;
}

/**
 * The groups of `by` over PRODUCT_FACTS as groupedProfitabilitySql and profitabilityPageSql name
 * them: key, name, name_ar and the figures; invoices and credit notes are the documents with a line
 * in the group.
 */
export function productGroupsSql(by: 'product' | 'category'): string {
  const dim = by === 'product' ? 'product_id' : `COALESCE(NULLIF(btrim(category), ''), '${NO_KEY}')`;
  const docs = (kind: string) =>
    by === 'product'
      ? `count(*) FILTER (WHERE kind = '${kind}')`
      : `count(DISTINCT doc_id) FILTER (WHERE kind = '${kind}')`;
  const g = `
    SELECT ${dim} AS dim, sum(gross_sales) AS gross_sales, sum(returns) AS returns,
           sum(gross_sales) - sum(returns) AS net_revenue, sum(covered_revenue) AS covered_revenue,
           sum(cogs) AS cogs, sum(covered_revenue) - sum(cogs) AS gross_profit,
           sum(cost_of_credit) AS cost_of_credit, sum(covered_revenue) - sum(cogs) - sum(cost_of_credit) AS contribution,
           ${docs('sale')} AS invoices, ${docs('return')} AS credit_notes,
           sum(units) AS units, sum(returned_units) AS returned_units
      FROM ${PRODUCT_FACTS}
     GROUP BY 1`;
  return by === 'product'
    ? `(SELECT COALESCE(p.external_id, '${NO_KEY}') AS key, p.name, p.name_ar, g.*
          FROM (${g}) g LEFT JOIN products p ON p.tenant_id = $1 AND p.id = g.dim) ${by}`
    : `(SELECT g.dim AS key, NULL::text AS name, NULL::text AS name_ar, g.* FROM (${g}) g) ${by}`;
}
