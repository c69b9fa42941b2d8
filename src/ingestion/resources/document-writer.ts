import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import { DocumentLine } from './document-lines';
import { resolveIds } from './types';

/** What invoices and credit notes share: a customer, lines with optional products. */
export interface LinedDocument {
  index: number;
  externalId: string;
  customerRef: string;
  lines: DocumentLine[];
}

export interface DocumentRefs {
  customers: Map<string, number>;
  products: Map<string, number>;
}

/** Resolves the customer and product references of a batch, reporting each unknown one. */
export async function resolveDocumentRefs(
  tx: Queryable,
  tenantId: string,
  docs: LinedDocument[],
  errors: FieldError[],
): Promise<DocumentRefs> {
  const customers = await resolveIds(
    tx,
    'customers',
    tenantId,
    docs.map((d) => d.customerRef),
  );
  const products = await resolveIds(
    tx,
    'products',
    tenantId,
    docs.flatMap((d) => d.lines.flatMap((l) => (l.productRef === null ? [] : [l.productRef]))),
  );
  for (const d of docs) {
    if (!customers.has(d.customerRef)) {
      errors.push({
        index: d.index,
        field: 'customerId',
        message: `customer "${d.customerRef}" does not exist`,
      });
    }
    d.lines.forEach((l, k) => {
      if (l.productRef !== null && !products.has(l.productRef)) {
        errors.push({
          index: d.index,
          field: `lines[${k}].productId`,
          message: `product "${l.productRef}" does not exist`,
        });
      }
    });
  }
  return { customers, products };
}

/** Replaces the lines of the given documents (those that were created or changed). */
export async function replaceLines(
  tx: Queryable,
  tenantId: string,
  table: 'invoice_lines' | 'credit_note_lines',
  parentColumn: 'invoice_id' | 'credit_note_id',
  docs: { id: number; lines: DocumentLine[] }[],
  products: Map<string, number>,
): Promise<void> {
  if (docs.length === 0) return;
  await tx.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND ${parentColumn} = ANY($2::bigint[])`, [
    tenantId,
    docs.map((d) => d.id),
  ]);
  const cols: unknown[][] = Array.from({ length: 12 }, () => []);
  for (const d of docs) {
    d.lines.forEach((l, k) => {
      cols[0]!.push(d.id);
      cols[1]!.push(k + 1);
      cols[2]!.push(l.productRef === null ? null : products.get(l.productRef));
      cols[3]!.push(l.description);
      cols[4]!.push(l.quantity.toString());
      cols[5]!.push(l.unitPrice.toString());
      cols[6]!.push(l.discount.toString());
      cols[7]!.push(l.discountPercent.toString());
      cols[8]!.push(l.taxRate.toString());
      cols[9]!.push(l.unitCost === null ? null : l.unitCost.toString());
      cols[10]!.push(l.net.toString());
      cols[11]!.push(l.tax.toString());
    });
  }
  await tx.query(
    `INSERT INTO ${table} (tenant_id, ${parentColumn}, line_no, product_id, description, quantity, unit_price,
                           discount, discount_percent, tax_rate, unit_cost, net, tax)
     SELECT $1, u.* FROM unnest($2::bigint[], $3::int[], $4::bigint[], $5::text[], $6::numeric[], $7::numeric[],
                                $8::numeric[], $9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[],
                                $13::numeric[]) AS u`,
    [tenantId, ...cols],
  );
}
