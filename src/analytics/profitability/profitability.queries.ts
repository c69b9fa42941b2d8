import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';
import { rfmScoresSql } from '../rfm/rfm.queries';
import { Grouping, NO_KEY, NO_SEGMENT } from './profitability.math';

/**
 * Profitability SQL (DOMAIN.md §2, §6). The tenant is always $1; the other inputs are SQL
 * expressions (placeholders such as `$2::date`), so one builder serves the endpoint and a snapshot
 * job. Everything is in the base currency (× the document's exchange_rate) and exact NUMERIC.
 *
 *   asOf  documents (and payments) dated after it never count
 *   from  first day of the period, NULL = the beginning
 *   end   last day of the period = min(to, asOf)
 *   rate  annual credit rate (0.12 = 12 %)
 */
export interface PeriodSql {
  asOf: string;
  from: string;
  end: string;
  rate: string;
}

/** Parameter layout of the endpoint queries: $1 tenant, $2 asOf, $3 from|null, $4 end, $5 rate. */
export const ENDPOINT_PERIOD: PeriodSql = {
  asOf: '$2::date',
  from: '$3::date',
  end: '$4::date',
  rate: '$5::numeric',
};

/** Parameter layout of the snapshot export: $1 tenant, $2 asOf, $3 rate; all history ≤ asOf. */
export const SNAPSHOT_PERIOD: PeriodSql = {
  asOf: '$2::date',
  from: 'NULL::date',
  end: '$2::date',
  rate: '$3::numeric',
};

/** What facts are keyed by: the customer (also rolled up into segments), the product or its category. */
export type FactKey = 'customer' | 'product' | 'category';

const KEY_EXPR: Record<FactKey, string> = {
  customer: 'customer_id',
  product: 'product_id',
  category: `COALESCE(NULLIF(btrim(category), ''), '${NO_KEY}')`,
};

/**
 * The facts of the period, one row per (key, document) — dim = the customer id, product id (NULL =
 * lines without a product) or category ('(none)' without a product or category):
 *   sale    invoice lines dated in [from, end]: gross_sales = Σ line net; covered_revenue = Σ net of
 *           the lines whose unit cost is known; cogs = Σ quantity × unit cost (known costs only);
 *           invoices = 1 (so a group's invoice count is its number of sale rows)
 *   return  credit-note lines dated in [from, end]: returns = Σ line net; covered_revenue = −Σ net of
 *           lines with a known cost; cogs = −Σ quantity × unit cost only when the credit note restocks
 *   credit  the cost of credit of an invoice over the period (only when ≠ 0); keyed by product or
 *           category it is split over the invoice's lines pro rata to line net, the last line taking
 *           the remainder so the shares add up to the invoice's cost exactly
 * Unit cost of a sold line (base currency): its own unit_cost × exchange_rate; else the mean cost of
 * the product's latest inventory snapshot dated ≤ the sale date that has a cost (all warehouses of that
 * date); else products.unit_cost; else unknown (NULL). A returned line: its own unit_cost ×
 * exchange_rate; else the quantity-weighted cost of the lines of the same product on the linked
 * (counting) invoice; else the same resolution at the credit note's date.
 * Cost of credit of an invoice = rate / 365 × Σ over days d in [from, end] of its open balance on day
 * d, the balance on day d being total − allocations dated before d (payment allocations at the
 * invoice's rate, linked credit notes at their total; allocations before the issue date count on it;
 * never below 0). So an invoice issued on day i and settled on day p is open p − i days.
 */
export function profitabilityFactsSql(p: PeriodSql, key: FactKey): string {
  const inPeriod = (col: string) => inPeriodSql(p, col);
  const dim = KEY_EXPR[key];
  const invoiceLines = (where: string) => `
      SELECT i.id AS doc_id, i.customer_id, i.issue_date AS d, l.product_id, l.quantity, l.net * i.exchange_rate AS net,
             l.unit_cost * i.exchange_rate AS own_cost, NULL::boolean AS restock, NULL::bigint AS invoice_id, false AS snapshot,
             l.line_no
        FROM inv i JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = i.id
       WHERE ${where}`;
  return `
    WITH inv AS (${countingInvoices(p.asOf)}),
    cn AS (${countingCreditNotes(p.asOf)}),
    snap_day AS (
      SELECT product_id, as_of AS d, avg(unit_cost) AS unit_cost FROM inventory_snapshots
       WHERE tenant_id = $1 AND unit_cost IS NOT NULL AND as_of <= ${p.asOf}
       GROUP BY product_id, as_of
    ),
    sold AS (${costed(invoiceLines(inPeriod('i.issue_date')))}),
    returned AS (
      SELECT doc_id AS invoice_id, product_id, sum(quantity * unit_cost) / sum(quantity) AS unit_cost
        FROM (SELECT c.*, COALESCE(c.own_cost, c.snap_cost, c.product_cost) AS unit_cost
                FROM (${costed(invoiceLines(`l.product_id IS NOT NULL AND i.id IN (SELECT invoice_id FROM cn WHERE ${inPeriod('issue_date')})`))}) c) r
       WHERE unit_cost IS NOT NULL
       GROUP BY doc_id, product_id
    ),
    cl AS (
      SELECT c.doc_id, c.customer_id, c.restock, c.product_id, c.category, c.quantity, c.net,
             COALESCE(c.own_cost, r.unit_cost, c.snap_cost, c.product_cost) AS unit_cost
        FROM (${costed(`
          SELECT n.id, n.customer_id, n.issue_date, l.product_id, l.quantity, l.net * n.exchange_rate,
                 l.unit_cost * n.exchange_rate, n.restock, n.invoice_id, false, l.line_no
            FROM cn n JOIN credit_note_lines l ON l.tenant_id = $1 AND l.credit_note_id = n.id
           WHERE ${inPeriod('n.issue_date')}`)}) c
        LEFT JOIN returned r ON r.invoice_id = c.invoice_id AND r.product_id = c.product_id
    ),
    ev AS (
      SELECT i.id AS invoice_id, i.issue_date AS d, i.total AS delta FROM inv i WHERE i.issue_date <= ${p.end}
      UNION ALL
      SELECT i.id, GREATEST(pm.payment_date, i.issue_date), -(a.amount * i.exchange_rate)
        FROM payment_allocations a
        JOIN payments pm ON pm.tenant_id = $1 AND pm.id = a.payment_id
        JOIN inv i ON i.id = a.invoice_id
       WHERE a.tenant_id = $1 AND pm.payment_date <= ${p.end}
      UNION ALL
      SELECT i.id, GREATEST(n.issue_date, i.issue_date),
             -(rn.total * CASE WHEN rn.currency = ri.currency THEN i.exchange_rate ELSE rn.exchange_rate END)
        FROM cn n
        JOIN inv i ON i.id = n.invoice_id
        JOIN credit_notes rn ON rn.tenant_id = $1 AND rn.id = n.id
        JOIN invoices ri ON ri.tenant_id = $1 AND ri.id = i.id
       WHERE n.issue_date <= ${p.end}
    ),
    bal AS (
      SELECT s.invoice_id, s.d, sum(s.delta) OVER w AS balance, lead(s.d) OVER w AS next_d
        FROM (SELECT invoice_id, d, sum(delta) AS delta FROM ev GROUP BY invoice_id, d) s
      WINDOW w AS (PARTITION BY s.invoice_id ORDER BY s.d)
    ),
    coc AS (
      SELECT c.invoice_id, i.customer_id, c.cost
        FROM (SELECT b.invoice_id,
                     sum(GREATEST(b.balance, 0) * GREATEST(0, LEAST(b.next_d, ${p.end}) - GREATEST(b.d, ${p.from} - 1)))
                       * ${p.rate} / 365 AS cost
                FROM bal b GROUP BY b.invoice_id) c
        JOIN inv i ON i.id = c.invoice_id
       WHERE c.cost <> 0
    ),
    ${key !== 'customer' ? CREDIT_BY_LINE : `credit AS (SELECT invoice_id, customer_id, NULL::bigint AS product_id, NULL::text AS category, cost FROM coc)`}
    SELECT ${dim} AS dim, 'sale' AS kind, 1 AS invoices, 0 AS credit_notes, sum(net) AS gross_sales, 0 AS returns,
           sum(CASE WHEN unit_cost IS NULL THEN 0 ELSE net END) AS covered_revenue,
           sum(COALESCE(quantity * unit_cost, 0)) AS cogs, 0 AS cost_of_credit, sum(quantity) AS units, 0 AS returned_units
      FROM (SELECT s.*, COALESCE(s.own_cost, s.snap_cost, s.product_cost) AS unit_cost FROM sold s) il
     GROUP BY 1, doc_id
    UNION ALL
    SELECT ${dim}, 'return', 0, 1, 0, sum(net), sum(CASE WHEN unit_cost IS NULL THEN 0 ELSE -net END),
           sum(CASE WHEN restock AND unit_cost IS NOT NULL THEN -(quantity * unit_cost) ELSE 0 END), 0, 0, sum(quantity)
      FROM cl
     GROUP BY 1, doc_id
    UNION ALL
    SELECT ${dim}, 'credit', 0, 0, 0, 0, 0, 0, cost, 0, 0 FROM credit`;
}

/** `col` is in [from, end] (from NULL = no lower bound). */
function inPeriodSql(p: PeriodSql, col: string): string {
  return `(${p.from} IS NULL OR ${col} >= ${p.from}) AND ${col} <= ${p.end}`;
}

/**
 * Document lines `rows` (doc_id, customer_id, d = document date, product_id, quantity, net, own_cost,
 * restock, invoice_id, snapshot = false) with the costs they may use: own_cost (the line's, base
 * currency), snap_cost (the mean cost of the product's last inventory-snapshot day with a cost on or
 * before d) and product_cost (products.unit_cost), plus the product's category. The snapshot days are
 * sorted in with the lines (a snapshot before a line of the same day), so each line finds its
 * snapshot day with one window over the product: no per-line search of the snapshots.
 */
function costed(rows: string): string {
  return `
      SELECT w.doc_id, w.customer_id, w.d, w.product_id, w.quantity, w.net, w.own_cost, w.restock, w.invoice_id,
             w.line_no, sd.unit_cost AS snap_cost, pr.unit_cost AS product_cost, pr.category
        FROM (SELECT x.*, max(x.d) FILTER (WHERE x.snapshot) OVER (PARTITION BY x.product_id ORDER BY x.d, x.snapshot DESC) AS snap_d
                FROM (SELECT NULL::bigint AS doc_id, NULL::bigint AS customer_id, d, product_id, NULL::numeric AS quantity,
                             NULL::numeric AS net, NULL::numeric AS own_cost, NULL::boolean AS restock,
                             NULL::bigint AS invoice_id, true AS snapshot, NULL::int AS line_no
                        FROM snap_day
                      UNION ALL ${rows}) x) w
        LEFT JOIN snap_day sd ON sd.product_id = w.product_id AND sd.d = w.snap_d
        LEFT JOIN products pr ON pr.tenant_id = $1 AND pr.id = w.product_id
       WHERE NOT w.snapshot`;
}

/** An invoice's cost of credit split over its lines pro rata to line net; the last line takes the remainder. */
const CREDIT_BY_LINE = `credit_share AS (
      SELECT c.invoice_id, c.customer_id, l.product_id, pr.category, c.cost,
             COALESCE(c.cost * l.net / NULLIF(sum(l.net) OVER (PARTITION BY c.invoice_id), 0), 0) AS share,
             row_number() OVER (PARTITION BY c.invoice_id ORDER BY l.line_no DESC) AS from_last
        FROM coc c
        LEFT JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = c.invoice_id
        LEFT JOIN products pr ON pr.tenant_id = $1 AND pr.id = l.product_id
    ),
    credit AS (
      SELECT invoice_id, customer_id, product_id, category,
             CASE WHEN from_last = 1 THEN cost - (sum(share) OVER (PARTITION BY invoice_id) - share) ELSE share END AS cost
        FROM credit_share
    )`;

const SUMS = `sum(gross_sales) AS gross_sales, sum(returns) AS returns, sum(net_revenue) AS net_revenue,
             sum(covered_revenue) AS covered_revenue, sum(cogs) AS cogs, sum(gross_profit) AS gross_profit,
             sum(cost_of_credit) AS cost_of_credit, sum(contribution) AS contribution, sum(invoices) AS invoices,
             sum(credit_notes) AS credit_notes, sum(units) AS units, sum(returned_units) AS returned_units`;

/**
 * Exact figures per group: dim (customer id / product id (NULL = no product) / category / segment),
 * gross_sales, returns, net_revenue, covered_revenue, cogs, gross_profit = covered_revenue − cogs,
 * cost_of_credit, contribution = gross_profit − cost_of_credit, and counts (invoices and credit notes
 * with a line in the group, units sold and returned). `rfmWindow` (by=segment only) is the RFM
 * window expression: the segment is the customer's RFM segment at asOf (rfmScoresSql).
 */
export function groupedProfitabilitySql(by: Grouping, p: PeriodSql, rfmWindow = 'NULL::int'): string {
  return `WITH ${groupedCtes(by, p, rfmWindow)} SELECT * FROM g`;
}

/** The CTEs of groupedProfitabilitySql, ending with `g`; segments are rolled up from the customers' rows. */
function groupedCtes(by: Grouping, p: PeriodSql, rfmWindow: string): string {
  const base = by === 'segment' ? 'gc' : 'g';
  const segment =
    by !== 'segment'
      ? ''
      : `, rfm AS (${rfmScoresSql(p.asOf, rfmWindow)}),
    g AS (
      SELECT COALESCE(s.segment, '${NO_SEGMENT}') AS dim, ${SUMS}
        FROM gc LEFT JOIN rfm s ON s.customer_id = gc.dim
       GROUP BY 1
    )`;
  return `
    ${base} AS (
      SELECT dim, sum(gross_sales) AS gross_sales, sum(returns) AS returns,
             sum(gross_sales) - sum(returns) AS net_revenue, sum(covered_revenue) AS covered_revenue,
             sum(cogs) AS cogs, sum(covered_revenue) - sum(cogs) AS gross_profit,
             sum(cost_of_credit) AS cost_of_credit, sum(covered_revenue) - sum(cogs) - sum(cost_of_credit) AS contribution,
             sum(invoices) AS invoices, sum(credit_notes) AS credit_notes,
             sum(units) AS units, sum(returned_units) AS returned_units
        FROM (${profitabilityFactsSql(p, by === 'segment' ? 'customer' : by)}) f
       GROUP BY dim
    )${segment}`;
}

/**
 * Per customer at asOf over all history — the by=customer query of the endpoint, projected onto the
 * columns a snapshot job stores: customer_id, gross_sales, returns, net_revenue, cogs, gross_profit,
 * cost_of_credit, contribution, covered_revenue (exact NUMERIC), invoices and credit_notes (those
 * with a line), units and returned_units; customers with no sale, return or cost of credit have no row. Default parameters: $1 tenant, $2 asOf, $3 annual credit rate, e.g.
 *   INSERT INTO profitability_snapshots (tenant_id, as_of, customer_id, gross_sales, …)
 *   SELECT $1, $2, s.* FROM (<this SQL>) s
 */
export function customerProfitabilitySql(p: PeriodSql = SNAPSHOT_PERIOD, staged?: StagedDocuments): string {
  if (staged) return stagedCustomerProfitabilitySql(p.asOf, p.rate, staged);
  return `
    SELECT g.dim AS customer_id, g.gross_sales, g.returns, g.net_revenue, g.cogs, g.gross_profit,
           g.cost_of_credit, g.contribution, g.covered_revenue, g.invoices, g.credit_notes, g.units, g.returned_units
      FROM (${groupedProfitabilitySql('customer', p)}) g`;
}

/**
 * The document facts of a recompute (src/analytics/snapshots/document-facts.queries.ts, staged tables
 * or CTEs) dated ≤ asOf: counting invoices (customer_id, open_amount_days) and credit notes (id,
 * customer_id, invoice_id, issue_date, restock, net, exchange_rate).
 */
export interface StagedDocuments {
  invoices: string;
  creditNotes: string;
}

/**
 * The goods of every customer over all history ≤ asOf, as CTEs ending with `goods`: rows of
 * (customer_id, gross_sales, returns, covered_revenue, cogs, cost_of_credit = 0, invoices,
 * credit_notes, units, returned_units, known_costs) — per customer for the sold lines, per line for the
 * returned ones — with profitabilityFactsSql's cost rules; `creditNotes` is a SELECT of the counting
 * credit notes dated ≤ asOf (countingCreditNotes' columns, or a staged copy of them). Sales are summed
 * per customer straight from the invoice lines (a join PostgreSQL can run in parallel); lines with
 * their own cost, or of a product without an inventory-snapshot cost ≤ asOf, cost COALESCE(own,
 * product) directly, and only the others take the snapshot lookup (costed), which sorts its lines by
 * product (and is skipped when there are no snapshots). A document with a line is counted by its line
 * 1 (the document writer numbers a document's lines 1…n), so the counts come from the same pass over
 * the lines as the money; known_costs counts the lines whose unit cost is known.
 */
function goodsCtes(asOf: string, creditNotes: string): string {
  const lines = (where: string) => `
      SELECT i.id AS doc_id, i.customer_id, i.issue_date AS d, l.product_id, l.quantity, l.net * i.exchange_rate AS net,
             l.unit_cost * i.exchange_rate AS own_cost, NULL::boolean AS restock, NULL::bigint AS invoice_id, false AS snapshot,
             l.line_no
        FROM (${countingInvoices(asOf)}) i JOIN invoice_lines l ON l.tenant_id = $1 AND l.invoice_id = i.id
       WHERE ${where}`;
  // from the table, not the snap_day CTE, so that the lines of the first branch can be read in parallel;
  // DISTINCT: planned at one row per product (thousands, not every snapshot row), the set is hashed —
  // otherwise, beyond work_mem, PostgreSQL searched the snapshots linearly for every line (minutes)
  const needsSnapshot = `l.unit_cost IS NULL AND l.product_id IN (
      SELECT DISTINCT product_id FROM inventory_snapshots WHERE tenant_id = $1 AND unit_cost IS NOT NULL AND as_of <= ${asOf})`;
  return `
    cn AS NOT MATERIALIZED (${creditNotes}),
    snap_day AS (
      SELECT product_id, as_of AS d, avg(unit_cost) AS unit_cost FROM inventory_snapshots
       WHERE tenant_id = $1 AND unit_cost IS NOT NULL AND as_of <= ${asOf}
       GROUP BY product_id, as_of
    ),
    sales AS (
      SELECT customer_id, sum(net) AS gross_sales, sum(CASE WHEN unit_cost IS NULL THEN 0 ELSE net END) AS covered_revenue,
             sum(COALESCE(quantity * unit_cost, 0)) AS cogs, count(*) FILTER (WHERE line_no = 1) AS invoices,
             sum(quantity) AS units, count(unit_cost) AS known_costs
        FROM (SELECT s.customer_id, s.quantity, s.net, s.line_no, COALESCE(s.own_cost, pr.unit_cost) AS unit_cost
                FROM (${lines(`NOT COALESCE(${needsSnapshot}, false)`)}) s
                LEFT JOIN products pr ON pr.tenant_id = $1 AND pr.id = s.product_id) x
       GROUP BY customer_id
      UNION ALL
      SELECT customer_id, sum(net), sum(CASE WHEN unit_cost IS NULL THEN 0 ELSE net END),
             sum(COALESCE(quantity * unit_cost, 0)), count(*) FILTER (WHERE line_no = 1), sum(quantity), count(unit_cost)
        FROM (SELECT c.customer_id, c.quantity, c.net, c.line_no,
                     COALESCE(c.own_cost, c.snap_cost, c.product_cost) AS unit_cost
                FROM (${costed(lines(`EXISTS (SELECT 1 FROM snap_day) AND ${needsSnapshot}`))}) c) x
       GROUP BY customer_id
    ),
    returned AS (
      SELECT doc_id AS invoice_id, product_id, sum(quantity * unit_cost) / sum(quantity) AS unit_cost
        FROM (SELECT c.*, COALESCE(c.own_cost, c.snap_cost, c.product_cost) AS unit_cost
                FROM (${costed(lines('l.product_id IS NOT NULL AND i.id IN (SELECT invoice_id FROM cn)'))}) c) r
       WHERE unit_cost IS NOT NULL
       GROUP BY doc_id, product_id
    ),
    cl AS (
      SELECT c.customer_id, c.restock, c.quantity, c.net, c.line_no,
             COALESCE(c.own_cost, r.unit_cost, c.snap_cost, c.product_cost) AS unit_cost
        FROM (${costed(`
          SELECT n.id, n.customer_id, n.issue_date, l.product_id, l.quantity, l.net * n.exchange_rate,
                 l.unit_cost * n.exchange_rate, n.restock, n.invoice_id, false, l.line_no
            FROM cn n JOIN credit_note_lines l ON l.tenant_id = $1 AND l.credit_note_id = n.id`)}) c
        LEFT JOIN returned r ON r.invoice_id = c.invoice_id AND r.product_id = c.product_id
    ),
    goods AS (
      SELECT customer_id, gross_sales, 0 AS returns, covered_revenue, cogs, 0 AS cost_of_credit, invoices,
             0 AS credit_notes, units, 0 AS returned_units, known_costs
        FROM sales
      UNION ALL
      SELECT customer_id, 0, net, CASE WHEN unit_cost IS NULL THEN 0 ELSE -net END,
             CASE WHEN restock AND unit_cost IS NOT NULL THEN -(quantity * unit_cost) ELSE 0 END, 0,
             0, CASE WHEN line_no = 1 THEN 1 ELSE 0 END, 0, quantity, CASE WHEN unit_cost IS NULL THEN 0 ELSE 1 END
        FROM cl
    )`;
}

/**
 * customerProfitabilitySql over all history ≤ asOf with the staged credit notes and per-invoice cost
 * of credit (open_amount_days × rate / 365, the balance-days of profitabilityFactsSql): the same rows,
 * plus known_costs (customerMarginsFrom reads it). The goods are goodsCtes'.
 */
function stagedCustomerProfitabilitySql(asOf: string, rate: string, staged: StagedDocuments): string {
  return `
    WITH ${goodsCtes(asOf, `SELECT * FROM ${staged.creditNotes}`)},
    f AS (
      SELECT * FROM goods
      UNION ALL
      SELECT customer_id, 0, 0, 0, 0, cost, 0, 0, 0, 0, 0
        FROM (SELECT customer_id, open_amount_days * ${rate} / 365 AS cost FROM ${staged.invoices}) c
       WHERE cost <> 0
    )
    SELECT customer_id, sum(gross_sales) AS gross_sales, sum(returns) AS returns,
           sum(gross_sales) - sum(returns) AS net_revenue, sum(cogs) AS cogs,
           sum(covered_revenue) - sum(cogs) AS gross_profit, sum(cost_of_credit) AS cost_of_credit,
           sum(covered_revenue) - sum(cogs) - sum(cost_of_credit) AS contribution,
           sum(covered_revenue) AS covered_revenue, sum(invoices) AS invoices, sum(credit_notes) AS credit_notes,
           sum(units) AS units, sum(returned_units) AS returned_units, sum(known_costs) AS known_costs
      FROM f GROUP BY customer_id`;
}

/**
 * Gross margin per customer (the margin of margin CLV, DOMAIN.md §5) from `perCustomer`, a relation
 * with customer_id, covered_revenue, cogs and known_costs (the staged customer profitability, or
 * customerMarginsSql's goods): historical_margin = gross profit = covered_revenue − cogs, NULL when no
 * line has a known cost; margin_ratio = gross profit / covered_revenue when covered_revenue > 0.
 */
export function customerMarginsFrom(perCustomer: string): string {
  return `
    SELECT customer_id, CASE WHEN known_costs > 0 THEN covered_revenue - cogs END AS historical_margin,
           CASE WHEN known_costs > 0 AND covered_revenue > 0 THEN (covered_revenue - cogs) / covered_revenue END
             AS margin_ratio
      FROM ${perCustomer} m`;
}

/** customerMarginsFrom over all history ≤ $2 asOf, computed on demand ($1 tenant): profitability's gross profit. */
export const CUSTOMER_MARGINS = `
  WITH ${goodsCtes('$2::date', countingCreditNotes('$2::date'))}
  ${customerMarginsFrom(`(SELECT customer_id, sum(covered_revenue) AS covered_revenue, sum(cogs) AS cogs,
                                 sum(known_costs) AS known_costs
                            FROM goods GROUP BY customer_id)`)}`;

/** key, name, name_ar of each `by` over grouped rows `g`. */
function naming(by: Grouping): { cols: string; joins: string } {
  switch (by) {
    case 'customer':
      return {
        cols: 'c.external_id AS key, c.name, c.name_ar',
        joins: 'JOIN customers c ON c.tenant_id = $1 AND c.id = g.dim',
      };
    case 'product':
      return {
        cols: `COALESCE(p.external_id, '${NO_KEY}') AS key, p.name, p.name_ar`,
        joins: 'LEFT JOIN products p ON p.tenant_id = $1 AND p.id = g.dim',
      };
    default:
      return { cols: 'g.dim AS key, NULL::text AS name, NULL::text AS name_ar', joins: '' };
  }
}

const FIGURES = `gross_sales, returns, net_revenue, covered_revenue, cogs, gross_profit, cost_of_credit, contribution,
                 invoices, credit_notes, units, returned_units`;

/**
 * One page of groups plus the totals over all groups. Parameters: ENDPOINT_PERIOD ($1–$5), $6 page
 * size (+1 to see whether another page follows), ($7 contribution, $8 key) keyset cursor or NULLs,
 * $9 RFM window (by=segment only). Rows: part 0 = totals (money = Σ of the exact group values;
 * counts of distinct documents over the whole period), part 1 = the page, ordered by contribution
 * desc, then key (bytewise, the same on every database).
 */
export function profitabilityPageSql(by: Grouping): string {
  const n = naming(by);
  return `
    WITH ${groupedCtes(by, ENDPOINT_PERIOD, '$9::int')},
    named AS (SELECT ${n.cols}, g.* FROM g ${n.joins}),
    page AS (
      SELECT named.*, row_number() OVER (ORDER BY contribution DESC, key COLLATE "C") AS ord
        FROM named
       WHERE $7::numeric IS NULL OR contribution < $7::numeric
          OR (contribution = $7::numeric AND key COLLATE "C" > $8::text COLLATE "C")
       ORDER BY contribution DESC, key COLLATE "C"
       LIMIT $6
    ),
    docs AS (
      SELECT (SELECT count(*) FROM (${countingInvoices(ENDPOINT_PERIOD.asOf)}) i
                WHERE ${inPeriodSql(ENDPOINT_PERIOD, 'i.issue_date')}
                  AND EXISTS (SELECT 1 FROM invoice_lines l WHERE l.tenant_id = $1 AND l.invoice_id = i.id)) AS invoices,
             (SELECT count(*) FROM (${countingCreditNotes(ENDPOINT_PERIOD.asOf)}) n
                WHERE ${inPeriodSql(ENDPOINT_PERIOD, 'n.issue_date')}
                  AND EXISTS (SELECT 1 FROM credit_note_lines l WHERE l.tenant_id = $1 AND l.credit_note_id = n.id)) AS credit_notes
    )
    SELECT 0 AS part, 0 AS ord, NULL::text AS key, NULL::text AS name, NULL::text AS name_ar,
           COALESCE(sum(gross_sales), 0) AS gross_sales, COALESCE(sum(returns), 0) AS returns,
           COALESCE(sum(net_revenue), 0) AS net_revenue, COALESCE(sum(covered_revenue), 0) AS covered_revenue,
           COALESCE(sum(cogs), 0) AS cogs, COALESCE(sum(gross_profit), 0) AS gross_profit,
           COALESCE(sum(cost_of_credit), 0) AS cost_of_credit, COALESCE(sum(contribution), 0) AS contribution,
           (SELECT invoices FROM docs) AS invoices, (SELECT credit_notes FROM docs) AS credit_notes,
           COALESCE(sum(units), 0) AS units, COALESCE(sum(returned_units), 0) AS returned_units,
           count(*) AS groups
      FROM g
    UNION ALL
    SELECT 1, ord, key, name, name_ar, ${FIGURES}, NULL FROM page
    ORDER BY 1, 2`;
}

/**
 * Whale curve: customers by contribution desc (ties by key), with the exact cumulative contribution.
 * ENDPOINT_PERIOD ($1–$5) and $6 = the most points wanted. Keeps every k-th customer
 * (k = max(1, ⌈n / $6⌉)), the peak (the first customer where the cumulative contribution is highest)
 * and the last; each row also carries n, k, the total and the peak's rank.
 */
export function whaleCurveSql(): string {
  return `
    WITH ${groupedCtes('customer', ENDPOINT_PERIOD, 'NULL::int')},
    r AS (
      SELECT c.external_id AS key, c.name, g.contribution,
             row_number() OVER o AS rank,
             sum(g.contribution) OVER (o ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative,
             count(*) OVER () AS n, sum(g.contribution) OVER () AS total
        FROM g JOIN customers c ON c.tenant_id = $1 AND c.id = g.dim
      WINDOW o AS (ORDER BY g.contribution DESC, c.external_id COLLATE "C")
    ),
    peak AS (SELECT rank FROM r ORDER BY cumulative DESC, rank LIMIT 1),
    k AS (SELECT GREATEST(1, ceil(count(*)::numeric / $6::int))::int AS step FROM r)
    SELECT r.key, r.name, r.contribution, r.rank, r.cumulative, r.n, r.total, k.step, peak.rank AS peak_rank
      FROM r CROSS JOIN k CROSS JOIN peak
     WHERE r.rank % k.step = 0 OR r.rank = r.n OR r.rank = peak.rank
     ORDER BY r.rank`;
}
