import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import { groupCsvRows } from './csv-grouping';
import { LINE_FIELDS } from './document-lines';
import { LinedDocumentHead, normalizeLinedDocuments } from './lined-documents';
import { replaceLines, resolveDocumentRefs } from './document-writer';
import { countsFrom, ImportContext, ImportCounts, ResourceHandler } from './types';

export const CREDIT_NOTE_STATUSES = ['draft', 'issued', 'void'] as const;

export interface CreditNoteDoc extends LinedDocumentHead {
  invoiceRef: string | null;
  status: (typeof CREDIT_NOTE_STATUSES)[number];
  restock: boolean;
  reason: string | null;
}

const FIELDS = new Set([
  'externalId',
  'number',
  'customerId',
  'invoiceId',
  'issueDate',
  'status',
  'restock',
  'reason',
  'currency',
  'exchangeRate',
  'pricesIncludeTax',
  'lines',
  'total',
]);

export const creditNotes: ResourceHandler<CreditNoteDoc> = {
  fromCsv(rows, lines, errors) {
    return groupCsvRows(rows, lines, 'lines', LINE_FIELDS, 'line.', errors);
  },

  normalize(records, ctx, errors) {
    return normalizeLinedDocuments(records, ctx, errors, FIELDS, (r, o) => ({
      invoiceRef: r.text(o, 'invoiceId', '', false, 200),
      status: r.oneOf(o, 'status', '', CREDIT_NOTE_STATUSES, 'issued'),
      restock: r.boolean(o, 'restock', '', true),
      reason: r.text(o, 'reason', ''),
    }));
  },

  async write(
    tx: Queryable,
    ctx: ImportContext,
    docs: CreditNoteDoc[],
    errors: FieldError[],
  ): Promise<ImportCounts> {
    const refs = await resolveDocumentRefs(tx, ctx.tenantId, docs, errors);
    const invoiceRefs = docs.flatMap((d) => (d.invoiceRef === null ? [] : [d.invoiceRef]));
    const invoices = new Map<string, { id: number; customer_id: number; issue_date: string }>();
    if (invoiceRefs.length) {
      const rows = await tx.query<{
        external_id: string;
        id: number;
        customer_id: number;
        issue_date: string;
      }>(
        `SELECT external_id, id, customer_id, issue_date FROM invoices
          WHERE tenant_id = $1 AND external_id = ANY($2::text[])`,
        [ctx.tenantId, [...new Set(invoiceRefs)]],
      );
      for (const r of rows)
        invoices.set(r.external_id, { ...r, id: Number(r.id), customer_id: Number(r.customer_id) });
    }
    for (const d of docs) {
      if (d.invoiceRef === null) continue;
      const inv = invoices.get(d.invoiceRef);
      if (!inv) {
        errors.push({
          index: d.index,
          field: 'invoiceId',
          message: `invoice "${d.invoiceRef}" does not exist`,
        });
      } else if (refs.customers.has(d.customerRef) && inv.customer_id !== refs.customers.get(d.customerRef)) {
        errors.push({
          index: d.index,
          field: 'invoiceId',
          message: `invoice "${d.invoiceRef}" belongs to another customer`,
        });
      }
    }
    if (errors.length) return countsFrom(docs.length, []);
    const returned = await tx.query<{ id: number; external_id: string; inserted: boolean }>(
      `INSERT INTO credit_notes (tenant_id, external_id, number, customer_id, invoice_id, issue_date, status,
                                 restock, reason, currency, exchange_rate, prices_include_tax, net, tax, total,
                                 content_hash)
       SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::date[], $7::text[],
                                  $8::boolean[], $9::text[], $10::text[], $11::numeric[], $12::boolean[],
                                  $13::numeric[], $14::numeric[], $15::numeric[], $16::text[]) AS u
       ON CONFLICT (tenant_id, external_id) DO UPDATE SET
         number = EXCLUDED.number, customer_id = EXCLUDED.customer_id, invoice_id = EXCLUDED.invoice_id,
         issue_date = EXCLUDED.issue_date, status = EXCLUDED.status, restock = EXCLUDED.restock,
         reason = EXCLUDED.reason, currency = EXCLUDED.currency, exchange_rate = EXCLUDED.exchange_rate,
         prices_include_tax = EXCLUDED.prices_include_tax, net = EXCLUDED.net, tax = EXCLUDED.tax,
         total = EXCLUDED.total, content_hash = EXCLUDED.content_hash, updated_at = now()
       WHERE credit_notes.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING id, external_id, (xmax = 0) AS inserted`,
      [
        ctx.tenantId,
        docs.map((d) => d.externalId),
        docs.map((d) => d.number),
        docs.map((d) => refs.customers.get(d.customerRef)),
        docs.map((d) => (d.invoiceRef === null ? null : invoices.get(d.invoiceRef)!.id)),
        docs.map((d) => d.issueDate),
        docs.map((d) => d.status),
        docs.map((d) => d.restock),
        docs.map((d) => d.reason),
        docs.map((d) => d.currency),
        docs.map((d) => d.exchangeRate.toString()),
        docs.map((d) => d.pricesIncludeTax),
        docs.map((d) => d.net.toString()),
        docs.map((d) => d.tax.toString()),
        docs.map((d) => d.total.toString()),
        docs.map((d) => d.hash),
      ],
    );
    const byId = new Map(docs.map((d) => [d.externalId, d]));
    await replaceLines(
      tx,
      ctx.tenantId,
      'credit_note_lines',
      'credit_note_id',
      returned.map((r) => ({ id: Number(r.id), lines: byId.get(r.external_id)!.lines })),
      refs.products,
    );
    return countsFrom(docs.length, returned);
  },
};
