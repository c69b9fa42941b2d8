/**
 * The SQL every engine shares, so "what counts" has one definition (DOMAIN.md §2, §9):
 * an invoice counts at A when it is issued or paid and dated ≤ A; a credit note when it is issued
 * and dated ≤ A; draft and void documents count nowhere. Amounts are converted to the tenant's base
 * currency with the document's exchange rate. Each fragment takes the tenant as $1.
 */
export const COUNTING_INVOICE = `status IN ('issued', 'paid')`;
export const COUNTING_CREDIT_NOTE = `status = 'issued'`;

/** Counting invoices of tenant $1 dated ≤ `asOf` (a SQL expression), base-currency net/total. */
export function countingInvoices(asOf: string): string {
  return `SELECT id, customer_id, issue_date, due_date, net * exchange_rate AS net, total * exchange_rate AS total,
                 exchange_rate
            FROM invoices
           WHERE tenant_id = $1 AND ${COUNTING_INVOICE} AND issue_date <= ${asOf}`;
}

/** Counting credit notes of tenant $1 dated ≤ `asOf`, base-currency net/total. */
export function countingCreditNotes(asOf: string): string {
  return `SELECT id, customer_id, invoice_id, issue_date, restock, net * exchange_rate AS net,
                 total * exchange_rate AS total, exchange_rate
            FROM credit_notes
           WHERE tenant_id = $1 AND ${COUNTING_CREDIT_NOTE} AND issue_date <= ${asOf}`;
}
