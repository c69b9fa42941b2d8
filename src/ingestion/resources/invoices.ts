import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import { groupCsvRows } from './csv-grouping';
import { LINE_FIELDS } from './document-lines';
import { LinedDocumentHead, normalizeLinedDocuments } from './lined-documents';
import { replaceLines, resolveDocumentRefs } from './document-writer';
import { countsFrom, ImportContext, ImportCounts, ResourceHandler } from './types';

export const INVOICE_STATUSES = ['draft', 'issued', 'paid', 'void'] as const;

export interface InvoiceDoc extends LinedDocumentHead {
  dueDate: string | null;
  status: (typeof INVOICE_STATUSES)[number];
}

const FIELDS = new Set([
  'externalId',
  'number',
  'customerId',
  'issueDate',
  'dueDate',
  'currency',
  'exchangeRate',
  'status',
  'pricesIncludeTax',
  'lines',
  'total',
]);

export const invoices: ResourceHandler<InvoiceDoc> = {
  fromCsv(rows, lines, errors) {
    return groupCsvRows(rows, lines, 'lines', LINE_FIELDS, 'line.', errors);
  },

  normalize(records, ctx, errors) {
    return normalizeLinedDocuments(records, ctx, errors, FIELDS, (r, o, issueDate) => {
      const dueDate = r.date(o, 'dueDate', '');
      if (issueDate && dueDate && dueDate < issueDate) r.fail('dueDate', 'must not be before issueDate');
      return { dueDate, status: r.oneOf(o, 'status', '', INVOICE_STATUSES, 'issued') };
    });
  },

  async write(
    tx: Queryable,
    ctx: ImportContext,
    docs: InvoiceDoc[],
    errors: FieldError[],
  ): Promise<ImportCounts> {
    const refs = await resolveDocumentRefs(tx, ctx.tenantId, docs, errors);
    if (errors.length) return countsFrom(docs.length, []);
    const returned = await tx.query<{ id: number; external_id: string; inserted: boolean }>(
      `INSERT INTO invoices (tenant_id, external_id, number, customer_id, issue_date, due_date, currency,
                             exchange_rate, status, prices_include_tax, net, tax, total, content_hash)
       SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::bigint[], $5::date[], $6::date[], $7::text[],
                                  $8::numeric[], $9::text[], $10::boolean[], $11::numeric[], $12::numeric[],
                                  $13::numeric[], $14::text[]) AS u
       ON CONFLICT (tenant_id, external_id) DO UPDATE SET
         number = EXCLUDED.number, customer_id = EXCLUDED.customer_id, issue_date = EXCLUDED.issue_date,
         due_date = EXCLUDED.due_date, currency = EXCLUDED.currency, exchange_rate = EXCLUDED.exchange_rate,
         status = EXCLUDED.status, prices_include_tax = EXCLUDED.prices_include_tax, net = EXCLUDED.net,
         tax = EXCLUDED.tax, total = EXCLUDED.total, content_hash = EXCLUDED.content_hash, updated_at = now()
       WHERE invoices.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING id, external_id, (xmax = 0) AS inserted`,
      [
        ctx.tenantId,
        docs.map((d) => d.externalId),
        docs.map((d) => d.number),
        docs.map((d) => refs.customers.get(d.customerRef)),
        docs.map((d) => d.issueDate),
        docs.map((d) => d.dueDate),
        docs.map((d) => d.currency),
        docs.map((d) => d.exchangeRate.toString()),
        docs.map((d) => d.status),
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
      'invoice_lines',
      'invoice_id',
      returned.map((r) => ({ id: Number(r.id), lines: byId.get(r.external_id)!.lines })),
      refs.products,
    );
    return countsFrom(docs.length, returned);
  },
};
