import {
  COUNTING_CREDIT_NOTE,
  COUNTING_INVOICE,
  countingCreditNotes,
  countingInvoices,
} from '../shared/documents.sql';
import { AGING_BUCKETS, bucketConditionSql } from './receivables.math';

/**
 * Receivables (DOMAIN.md §7). $1 is always the tenant. Amounts are in the tenant's base currency.
 *
 * At an as-of date A, for the counting invoices dated ≤ A (issued/paid):
 *   applications = payment allocations whose payment is dated ≤ A, and issued credit notes linked to
 *     the invoice dated ≤ A (at their total); an application only counts when its document belongs
 *     to the invoice's customer. An allocation is in the invoice's currency (the import enforces it)
 *     and is valued at the invoice's rate; a linked credit note in the invoice's currency too, one in
 *     another currency at its own base value. Applied on max(document date, invoice date).
 *   open = total − Σ applications (base currency).
 *   due date = due_date, else issue_date + payment terms; days overdue = A − due date.
 *   settled = total > 0 and open ≤ 0; settled on = the first date on which the running sum of
 *     applications (window over the invoice's applications by date) reaches the total.
 * Per customer:
 *   credits = payments dated ≤ A (amount × rate) + issued credit notes dated ≤ A (total × rate);
 *   unapplied = credits − Σ their applications to counting invoices + Σ over-credit (−open of
 *     invoices with open < 0): unallocated parts of payments, unlinked credit notes, credits
 *     applied to invoices that do not count at A (draft, void, dated after A) and FX differences
 *     between a credit's rate and the invoice's rate all land here;
 *   net owed = Σ positive open − unapplied = Σ invoice totals − credits, which is the statement's
 *     closing balance at A exactly.
 */

/**
 * Per customer at `asOf` (SQL expression, e.g. `$2::date`) with payment terms `termsDays` (e.g.
 * `$3::int`). The first six columns are the snapshot columns, in this order:
 *   customer_id (internal id), total_open, unapplied, net_owed, overdue, mean_days_to_pay
 * then: external_id, name, name_ar, not_yet_due, d1_30, d31_60, d61_90, over90, oldest_overdue_days,
 *   settled_invoices, settled_total, settled_weighted_days.
 * One row per customer with any counting invoice, payment or credit note dated ≤ asOf (so settled
 * customers keep their days to pay); the aging endpoint shows those with open or unapplied ≠ 0.
 */
export function receivablesByCustomerSql(asOf: string, termsDays: string): string {
  const days = 'p.days_overdue';
  const bucketSums = AGING_BUCKETS.map(
    (b) =>
      `COALESCE(sum(p.open) FILTER (WHERE p.open > 0 AND ${bucketConditionSql(days, b)}), 0) AS ${b.column}`,
  ).join(',\n             ');
  return `
    WITH app AS (
      SELECT pa.invoice_id, p.customer_id, p.payment_date AS applied_on, pa.amount AS doc_amount,
             NULL::numeric AS base_amount
        FROM payment_allocations pa
        JOIN payments p ON p.tenant_id = $1 AND p.id = pa.payment_id
       WHERE pa.tenant_id = $1 AND p.payment_date <= ${asOf}
      UNION ALL
      SELECT n.invoice_id, n.customer_id, n.issue_date, dn.total,
             CASE WHEN dn.currency = di.currency THEN dn.total * di.exchange_rate ELSE n.total END
        FROM (${countingCreditNotes(asOf)}) n
        JOIN credit_notes dn ON dn.tenant_id = $1 AND dn.id = n.id
        JOIN invoices di ON di.tenant_id = $1 AND di.id = n.invoice_id
    ),
    lines AS (
      SELECT i.id, i.customer_id, i.issue_date, COALESCE(i.due_date, i.issue_date + ${termsDays}) AS due_date, i.total,
             CASE WHEN a.applied_on IS NOT NULL THEN GREATEST(a.applied_on, i.issue_date) END AS applied_on,
             COALESCE(a.base_amount, a.doc_amount * i.exchange_rate) AS amount
        FROM (${countingInvoices(asOf)}) i
        LEFT JOIN app a ON a.invoice_id = i.id AND a.customer_id = i.customer_id
    ),
    per_invoice AS (
      SELECT w.customer_id, min(w.issue_date) AS issue_date, min(w.total) AS total,
             COALESCE(sum(w.amount), 0) AS applied, min(w.total) - COALESCE(sum(w.amount), 0) AS open,
             ${asOf} - min(w.due_date) AS days_overdue,
             min(w.applied_on) FILTER (WHERE w.running >= w.total) AS settled_on,
             (min(w.total) > 0 AND min(w.total) - COALESCE(sum(w.amount), 0) <= 0) AS settled
        FROM (SELECT l.*, sum(l.amount) OVER (PARTITION BY l.customer_id, l.id ORDER BY l.applied_on) AS running
                FROM lines l) w
       GROUP BY w.customer_id, w.id
    ),
    by_customer AS (
      SELECT p.customer_id,
             ${bucketSums},
             COALESCE(sum(p.open) FILTER (WHERE p.open > 0), 0) AS total_open,
             COALESCE(sum(p.open) FILTER (WHERE p.open > 0 AND ${days} > 0), 0) AS overdue,
             COALESCE(sum(-p.open) FILTER (WHERE p.open < 0), 0) AS over_credited,
             sum(p.applied) AS applied,
             max(${days}) FILTER (WHERE p.open > 0 AND ${days} > 0) AS oldest_overdue_days,
             count(*) FILTER (WHERE p.settled) AS settled_invoices,
             COALESCE(sum(p.total) FILTER (WHERE p.settled), 0) AS settled_total,
             COALESCE(sum((p.settled_on - p.issue_date) * p.total) FILTER (WHERE p.settled), 0) AS settled_weighted_days
        FROM per_invoice p
       GROUP BY p.customer_id
    ),
    credits AS (
      SELECT c.customer_id, sum(c.amount) AS amount
        FROM (SELECT customer_id, amount * exchange_rate AS amount
                FROM payments WHERE tenant_id = $1 AND payment_date <= ${asOf}
              UNION ALL
              SELECT customer_id, total FROM (${countingCreditNotes(asOf)}) n) c
       GROUP BY c.customer_id
    ),
    r AS (
      SELECT c.id AS customer_id, c.external_id, c.name, c.name_ar,
             COALESCE(b.total_open, 0) AS total_open,
             COALESCE(cr.amount, 0) - COALESCE(b.applied, 0) + COALESCE(b.over_credited, 0) AS unapplied,
             COALESCE(b.overdue, 0) AS overdue,
             ${AGING_BUCKETS.map((b) => `COALESCE(b.${b.column}, 0) AS ${b.column}`).join(', ')},
             b.oldest_overdue_days, COALESCE(b.settled_invoices, 0) AS settled_invoices,
             COALESCE(b.settled_total, 0) AS settled_total,
             COALESCE(b.settled_weighted_days, 0) AS settled_weighted_days
        FROM customers c
        LEFT JOIN by_customer b ON b.customer_id = c.id
        LEFT JOIN credits cr ON cr.customer_id = c.id
       WHERE c.tenant_id = $1 AND (b.customer_id IS NOT NULL OR cr.customer_id IS NOT NULL)
    )
    SELECT customer_id, total_open, unapplied, total_open - unapplied AS net_owed, overdue,
           settled_weighted_days / NULLIF(settled_total, 0) AS mean_days_to_pay,
           external_id, name, name_ar, ${AGING_BUCKETS.map((b) => b.column).join(', ')},
           oldest_overdue_days, settled_invoices, settled_total, settled_weighted_days
      FROM r`;
}

/**
 * For a snapshot job: `INSERT INTO <snapshot> (tenant_id, as_of, customer_id, total_open, unapplied,
 * net_owed, overdue, mean_days_to_pay) SELECT $1, $2::date, s.* FROM (<this>) s`. Same parameters.
 */
export function receivablesSnapshotSql(asOf: string, termsDays: string): string {
  return `SELECT customer_id, total_open, unapplied, net_owed, overdue, mean_days_to_pay
            FROM (${receivablesByCustomerSql(asOf, termsDays)}) s`;
}

const SHOWN = `total_open <> 0 OR unapplied <> 0`;

/**
 * How many invoices of one customer (`customerId`, a SQL expression) are open (open > 0) at `asOf`:
 * the per-invoice open amount of receivablesByCustomerSql (the same applications: allocations of
 * the customer's payments dated ≤ asOf at the invoice's rate, the customer's counting credit notes
 * linked to the invoice at the invoice's rate in its currency, else at their own base value),
 * counted. Keep the two in step.
 */
function openInvoicesSql(asOf: string, customerId: string): string {
  return `
    SELECT count(*)::int AS open_invoices
      FROM (${countingInvoices(asOf)}) i
     WHERE i.customer_id = ${customerId}
       AND i.total > COALESCE((
             SELECT sum(pa.amount) * i.exchange_rate
               FROM payment_allocations pa
               JOIN payments pay ON pay.tenant_id = $1 AND pay.id = pa.payment_id
              WHERE pa.tenant_id = $1 AND pa.invoice_id = i.id AND pay.customer_id = i.customer_id
                AND pay.payment_date <= ${asOf}), 0)
         + COALESCE((
             SELECT sum(CASE WHEN dn.currency = di.currency THEN dn.total * di.exchange_rate ELSE n.total END)
               FROM (${countingCreditNotes(asOf)}) n
               JOIN credit_notes dn ON dn.tenant_id = $1 AND dn.id = n.id
               JOIN invoices di ON di.tenant_id = $1 AND di.id = n.invoice_id
              WHERE n.invoice_id = i.id AND n.customer_id = i.customer_id), 0)`;
}

/**
 * Aging page and tenant totals in one statement. $2 asOf, $3 terms, ($4 net_owed, $5 external_id)
 * keyset cursor or nulls, $6 limit (+1; NULL = every row). Always returns at least one row (the
 * totals); page columns are null when the page is empty. Order: net owed descending, then external
 * id (binary order). Page rows also carry the customer's email, phone and open_invoices (counted
 * for the page's customers only).
 */
export const AGING_PAGE = `
  WITH r AS (${receivablesByCustomerSql('$2::date', '$3::int')}),
       shown AS (SELECT * FROM r WHERE ${SHOWN}),
       t AS (
         SELECT count(*) AS t_customers,
                ${AGING_BUCKETS.map((b) => `COALESCE(sum(${b.column}), 0) AS t_${b.column}`).join(', ')},
                COALESCE(sum(total_open), 0) AS t_total_open, COALESCE(sum(unapplied), 0) AS t_unapplied,
                COALESCE(sum(net_owed), 0) AS t_net_owed
           FROM shown
       )
  SELECT t.*, p.*, c.email, c.phone, oi.open_invoices
    FROM t
    LEFT JOIN LATERAL (
      SELECT * FROM shown
       WHERE $4::numeric IS NULL
          OR net_owed < $4::numeric
          OR (net_owed = $4::numeric AND external_id COLLATE "C" > $5::text COLLATE "C")
       ORDER BY net_owed DESC, external_id COLLATE "C"
       LIMIT $6::int
    ) p ON true
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.id = p.customer_id
    LEFT JOIN LATERAL (${openInvoicesSql('$2::date', 'p.customer_id')}) oi ON true
   ORDER BY p.net_owed DESC, p.external_id COLLATE "C"`;

/**
 * DSO and the tenant's days to pay. $2 asOf, $3 terms, $4 period days (credit sales dated in
 * (asOf − days, asOf]).
 */
export const DSO = `
  WITH r AS (${receivablesByCustomerSql('$2::date', '$3::int')})
  SELECT (SELECT COALESCE(sum(total_open), 0) FROM r) AS receivables,
         (SELECT COALESCE(sum(settled_invoices), 0) FROM r) AS settled_invoices,
         (SELECT sum(settled_weighted_days) / NULLIF(sum(settled_total), 0) FROM r) AS mean_days_to_pay,
         (SELECT COALESCE(sum(i.total), 0) FROM (${countingInvoices('$2::date')}) i
           WHERE i.issue_date > $2::date - $4::int) AS credit_sales`;

/** The customer of a statement and the date of their first counting document. $2 external id. */
export const STATEMENT_CUSTOMER = `
  SELECT c.id, c.external_id, c.name, c.name_ar,
         (SELECT min(d) FROM (
            SELECT min(issue_date) AS d FROM invoices
             WHERE tenant_id = $1 AND customer_id = c.id AND ${COUNTING_INVOICE}
            UNION ALL
            SELECT min(issue_date) FROM credit_notes
             WHERE tenant_id = $1 AND customer_id = c.id AND ${COUNTING_CREDIT_NOTE}
            UNION ALL
            SELECT min(payment_date) FROM payments WHERE tenant_id = $1 AND customer_id = c.id
          ) f) AS first_date
    FROM customers c
   WHERE c.tenant_id = $1 AND c.external_id = $2`;

/**
 * Statement lines: $2 customer (internal id), $3 from, $4 to, $5 payment terms. The first row is the
 * opening balance (everything dated before $3, type 'opening_balance'); then every counting document
 * dated in [$3, $4] by date, then invoices → credit notes → payments, then external id (binary
 * order), with the running balance (opening included) and the period's debit and credit totals.
 */
export const STATEMENT_LINES = `
  WITH docs AS (
    SELECT 1 AS kind, 'invoice' AS type, i.issue_date AS date, d.external_id, COALESCE(d.number, d.external_id) AS reference,
           COALESCE(i.due_date, i.issue_date + $5::int) AS due_date, NULL::text AS invoice_ref,
           NULL::json AS allocations, NULL::numeric AS unallocated, d.currency, d.exchange_rate,
           d.total AS doc_amount, i.total AS debit, 0::numeric AS credit
      FROM (${countingInvoices('$4::date')}) i
      JOIN invoices d ON d.tenant_id = $1 AND d.id = i.id
     WHERE i.customer_id = $2
    UNION ALL
    SELECT 2, 'credit_note', n.issue_date, d.external_id, COALESCE(d.number, d.external_id), NULL,
           COALESCE(li.number, li.external_id), NULL, NULL, d.currency, d.exchange_rate, d.total, 0, n.total
      FROM (${countingCreditNotes('$4::date')}) n
      JOIN credit_notes d ON d.tenant_id = $1 AND d.id = n.id
      LEFT JOIN invoices li ON li.tenant_id = $1 AND li.id = n.invoice_id
     WHERE n.customer_id = $2
    UNION ALL
    SELECT 3, 'payment', p.payment_date, p.external_id, p.external_id, NULL, NULL,
           (SELECT json_agg(json_build_object('invoice', COALESCE(li.number, li.external_id), 'amount', pa.amount::text)
                            ORDER BY COALESCE(li.number, li.external_id) COLLATE "C")
              FROM payment_allocations pa
              JOIN invoices li ON li.tenant_id = $1 AND li.id = pa.invoice_id
             WHERE pa.tenant_id = $1 AND pa.payment_id = p.id),
           p.amount - COALESCE((SELECT sum(pa.amount) FROM payment_allocations pa
                                 WHERE pa.tenant_id = $1 AND pa.payment_id = p.id), 0),
           p.currency, p.exchange_rate, p.amount, 0, p.amount * p.exchange_rate
      FROM payments p
     WHERE p.tenant_id = $1 AND p.customer_id = $2 AND p.payment_date <= $4::date
  ),
  rows AS (
    SELECT 0 AS kind, 'opening_balance' AS type, $3::date AS date, ''::text AS external_id, NULL::text AS reference,
           NULL::date AS due_date, NULL::text AS invoice_ref, NULL::json AS allocations, NULL::numeric AS unallocated,
           NULL::char(3) AS currency, NULL::numeric AS exchange_rate, NULL::numeric AS doc_amount,
           0::numeric AS debit, 0::numeric AS credit, COALESCE(sum(debit - credit), 0) AS movement
      FROM docs WHERE date < $3::date
    UNION ALL
    SELECT docs.*, debit - credit FROM docs WHERE date >= $3::date
  )
  SELECT type, date, reference, due_date, invoice_ref, allocations, unallocated, trim(currency) AS currency,
         exchange_rate, doc_amount, debit, credit, movement,
         sum(movement) OVER (ORDER BY date, kind, external_id COLLATE "C" ROWS UNBOUNDED PRECEDING) AS balance,
         sum(debit) OVER () AS total_debit, sum(credit) OVER () AS total_credit
    FROM rows
   ORDER BY date, kind, external_id COLLATE "C"`;
