import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';

/**
 * Document facts at an as-of date: the per-document relations the per-customer engines (lifecycle,
 * receivables, profitability, the customer metrics) derive from, so that a recompute reads the
 * documents a fixed few times whatever the number of engines and dates (ADR 0010). Each fact is one
 * SELECT over base tables and earlier facts, referenced by the names in FACTS: a recompute
 * materialises them as tables of its workspace (recompute.steps.ts), an on-demand query inlines them
 * as CTEs (factCtes) — the same SQL either way. $1 is the tenant;
 * `asOf` and `terms` (payment terms days) are SQL expressions such as `$2::date`, `$6::int`.
 *
 * Applications of an invoice at A (DOMAIN §7, docs/analytics-definitions.md): payment allocations
 * whose payment is dated ≤ A (valued at the invoice's rate) and counting credit notes linked to it
 * (`applied_value`: in the invoice's currency at the invoice's rate, otherwise at their own base
 * value), each applied on max(its date, the invoice's issue date). Three engines weigh them slightly
 * differently, and each keeps its own rule:
 *   receivables (settled, days to pay, open, applied): only documents of the invoice's customer;
 *   profitability (cost of credit): every application, credit notes at `applied_value`;
 *   lifecycle (an open invoice for "paying slower"): every application, credit notes at their own
 *     base total.
 * Applications are never negative (allocations are > 0 by constraint, credit-note totals ≥ 0), so an
 * invoice's balance only falls: it is open at D ≤ A exactly when its balance first reached 0 after D.
 * That is what lets one set of facts at A answer for the earlier dates of the lifecycle flows.
 */
export const FACTS = {
  creditNotes: 'fact_credit_notes',
  invoices: 'fact_invoices',
  purchaseDays: 'fact_purchase_days',
} as const;

export interface Fact {
  name: string;
  sql: string;
}

/**
 * Counting credit notes dated ≤ asOf (countingCreditNotes) with `applied_value`, the base value at
 * which a linked credit note applies to its invoice, and the linked invoice's issue date, base total
 * and customer when that invoice counts at asOf (inv_* null otherwise).
 */
function creditNotesSql(asOf: string): string {
  return `
    SELECT n.id, n.customer_id, n.invoice_id, n.issue_date, n.restock, n.net, n.total, n.exchange_rate,
           CASE WHEN dn.currency = di.currency THEN dn.total * di.exchange_rate ELSE n.total END AS applied_value,
           ci.issue_date AS inv_issue_date, ci.total AS inv_total, ci.customer_id AS inv_customer_id
      FROM (${countingCreditNotes(asOf)}) n
      JOIN credit_notes dn ON dn.tenant_id = $1 AND dn.id = n.id
      LEFT JOIN invoices di ON di.tenant_id = $1 AND di.id = n.invoice_id
      LEFT JOIN LATERAL (SELECT * FROM (${countingInvoices(asOf)}) i WHERE i.id = di.id) ci ON true`;
}

/**
 * Counting invoices dated ≤ asOf (countingInvoices: base-currency net and total) with their due
 * date (`due_on`: due_date, else issue date + terms) and what their applications did by asOf:
 *   applied        Σ receivables applications (the invoice customer's documents)
 *   open           total − applied (receivables' open amount)
 *   settled_on     receivables: the first day the running applications reach the total, when
 *                  total > 0 and they do by asOf (else null); days to pay = settled_on − issue_date
 *   closed_on      lifecycle: the first day total − every application ≤ 0 (the issue date when the
 *                  total is ≤ 0; null while open at asOf)
 *   open_amount_days  profitability: Σ over the days from issue to asOf of the balance open that day
 *                  (total − every application, credit notes at applied_value, never below 0) — the
 *                  cost of credit is open_amount_days × rate / 365
 * One window over the applications of each invoice in date order (every application is on or after
 * the issue day); the stretch from the issue day to the first application is added per invoice. Only
 * base tables are read (the credit notes' fact as a subquery, not the staged table) so that PostgreSQL
 * may scan and join them in parallel.
 */
function invoicesSql(asOf: string, terms: string): string {
  return `
    WITH app AS (
      SELECT a.invoice_id, GREATEST(p.payment_date, i.issue_date) AS day, i.total,
             a.amount * i.exchange_rate AS lc, a.amount * i.exchange_rate AS pf, p.customer_id = i.customer_id AS own
        FROM payment_allocations a
        JOIN payments p ON p.tenant_id = $1 AND p.id = a.payment_id
        JOIN (${countingInvoices(asOf)}) i ON i.id = a.invoice_id
       WHERE a.tenant_id = $1 AND p.payment_date <= ${asOf}
      UNION ALL
      SELECT invoice_id, GREATEST(issue_date, inv_issue_date), inv_total, total, applied_value,
             customer_id = inv_customer_id
        FROM (${creditNotesSql(asOf)}) n WHERE inv_issue_date IS NOT NULL
    ),
    running AS (
      SELECT invoice_id, day, CASE WHEN own THEN pf END AS rc,
             total - sum(lc) OVER w AS bal_lc, total - sum(pf) OVER w AS bal_pf,
             total - COALESCE(sum(pf) FILTER (WHERE own) OVER w, 0) AS bal_rc, lead(day) OVER w AS next_day
        FROM app
      WINDOW w AS (PARTITION BY invoice_id ORDER BY day)
    ),
    paid AS (
      SELECT invoice_id, sum(rc) AS applied, min(day) AS first_day,
             min(day) FILTER (WHERE bal_rc <= 0) AS reached_on,
             min(day) FILTER (WHERE bal_lc <= 0) AS closed_on,
             sum(GREATEST(bal_pf, 0) * GREATEST(0, LEAST(next_day, ${asOf}) - day)) AS open_amount_days
        FROM running GROUP BY invoice_id
    )
    SELECT i.id, i.customer_id, i.issue_date, COALESCE(i.due_date, i.issue_date + ${terms}) AS due_on,
           i.net, i.total, i.exchange_rate, COALESCE(p.applied, 0) AS applied,
           i.total - COALESCE(p.applied, 0) AS open,
           CASE WHEN i.total > 0 AND i.total - COALESCE(p.applied, 0) <= 0 THEN p.reached_on END AS settled_on,
           CASE WHEN i.total <= 0 THEN i.issue_date ELSE p.closed_on END AS closed_on,
           GREATEST(i.total, 0) * (LEAST(p.first_day, ${asOf}) - i.issue_date) + COALESCE(p.open_amount_days, 0)
             AS open_amount_days
      FROM (${countingInvoices(asOf)}) i LEFT JOIN paid p ON p.invoice_id = i.id`;
}

/** Purchase days (distinct invoice dates per customer) with the gap since the previous one. */
function purchaseDaysSql(): string {
  // one window over the invoices in date order: a row whose date repeats the previous one (gap 0) is
  // not a new purchase day
  return `
    SELECT customer_id, d, gap
      FROM (SELECT customer_id, issue_date AS d,
                   issue_date - lag(issue_date) OVER (PARTITION BY customer_id ORDER BY issue_date) AS gap
              FROM ${FACTS.invoices}) x
     WHERE gap IS NULL OR gap > 0`;
}

/** The facts in dependency order. */
export function documentFacts(asOf: string, terms: string): Fact[] {
  return [
    { name: FACTS.creditNotes, sql: creditNotesSql(asOf) },
    { name: FACTS.invoices, sql: invoicesSql(asOf, terms) },
    { name: FACTS.purchaseDays, sql: purchaseDaysSql() },
  ];
}

/** The facts as the CTE list of a WITH clause (without the WITH), for on-demand queries. */
export function factCtes(asOf: string, terms: string): string {
  return documentFacts(asOf, terms)
    .map((f) => `${f.name} AS (${f.sql})`)
    .join(',\n  ');
}
