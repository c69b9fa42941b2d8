import Decimal from 'decimal.js';
import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import { Money } from '../../shared/money';
import { duplicateKeys, FieldReader } from '../field-reader';
import { groupCsvRows } from './csv-grouping';
import { readCurrency } from './lined-documents';
import { contentHash, countsFrom, ImportContext, ImportCounts, ResourceHandler, resolveIds } from './types';

export interface PaymentDoc {
  index: number;
  externalId: string;
  customerRef: string;
  date: string;
  amount: Decimal;
  method: string | null;
  currency: string;
  exchangeRate: Decimal;
  allocations: { invoiceRef: string; amount: Decimal }[];
  hash: string;
}

const FIELDS = new Set([
  'externalId',
  'customerId',
  'date',
  'amount',
  'method',
  'currency',
  'exchangeRate',
  'allocations',
]);
const ALLOCATION_FIELDS = new Set(['invoiceId', 'amount']);

export const payments: ResourceHandler<PaymentDoc> = {
  fromCsv(rows, lines, errors) {
    return groupCsvRows(rows, lines, 'allocations', new Set(), 'allocation.', errors);
  },

  normalize(records, ctx, errors) {
    const docs: PaymentDoc[] = [];
    const keys: (string | null)[] = [];
    records.forEach((rec, index) => {
      const r = new FieldReader(errors, index, ctx.timeZone);
      const o = r.object(rec, '', FIELDS);
      if (!o) return;
      const externalId = r.text(o, 'externalId', '', true, 200);
      keys[index] = externalId;
      const customerRef = r.text(o, 'customerId', '', true, 200);
      const date = r.date(o, 'date', '', true);
      const amount = r.decimal(o, 'amount', '', 'positive', true);
      const { currency, exchangeRate } = readCurrency(r, o, ctx.currency);
      const allocations: PaymentDoc['allocations'] = [];
      const seen = new Map<string, number>();
      let allocated = new Money(0);
      (r.array(o, 'allocations', '', false) ?? []).forEach((item, k) => {
        const path = `allocations[${k}]`;
        const a = r.object(item, path, ALLOCATION_FIELDS);
        if (!a) return;
        const invoiceRef = r.text(a, 'invoiceId', path, true, 200);
        const amt = r.decimal(a, 'amount', path, 'positive', true);
        if (invoiceRef === null || amt === null) return;
        const first = seen.get(invoiceRef);
        if (first !== undefined) {
          r.fail(`${path}.invoiceId`, `allocates to the same invoice as allocations[${first}]`);
          return;
        }
        seen.set(invoiceRef, k);
        allocated = allocated.plus(amt);
        allocations.push({ invoiceRef, amount: amt });
      });
      if (amount !== null && allocated.gt(amount)) {
        r.fail(
          'allocations',
          `add up to ${allocated.toString()}, more than the payment amount ${amount.toString()}`,
        );
      }
      if (!externalId || !customerRef || !date || amount === null) return;
      const content = {
        customerRef,
        date,
        amount,
        method: r.text(o, 'method', '', false, 100),
        currency,
        exchangeRate,
        allocations,
      };
      docs.push({ index, externalId, ...content, hash: contentHash(content) });
    });
    duplicateKeys(keys, 'externalId', errors);
    return docs;
  },

  async write(
    tx: Queryable,
    ctx: ImportContext,
    docs: PaymentDoc[],
    errors: FieldError[],
  ): Promise<ImportCounts> {
    const customers = await resolveIds(
      tx,
      'customers',
      ctx.tenantId,
      docs.map((d) => d.customerRef),
    );
    const refs = [...new Set(docs.flatMap((d) => d.allocations.map((a) => a.invoiceRef)))];
    const invoices = new Map<string, { id: number; customer_id: number; status: string; currency: string }>();
    if (refs.length) {
      const rows = await tx.query<{
        external_id: string;
        id: number;
        customer_id: number;
        status: string;
        currency: string;
      }>(
        `SELECT external_id, id, customer_id, status, currency FROM invoices
          WHERE tenant_id = $1 AND external_id = ANY($2::text[])`,
        [ctx.tenantId, refs],
      );
      for (const r of rows)
        invoices.set(r.external_id, { ...r, id: Number(r.id), customer_id: Number(r.customer_id) });
    }
    for (const d of docs) {
      const customerId = customers.get(d.customerRef);
      if (customerId === undefined) {
        errors.push({
          index: d.index,
          field: 'customerId',
          message: `customer "${d.customerRef}" does not exist`,
        });
      }
      d.allocations.forEach((a, k) => {
        const inv = invoices.get(a.invoiceRef);
        const field = `allocations[${k}].invoiceId`;
        const fail = (message: string) => errors.push({ index: d.index, field, message });
        if (!inv) fail(`invoice "${a.invoiceRef}" does not exist`);
        else if (customerId !== undefined && inv.customer_id !== customerId) {
          fail(`invoice "${a.invoiceRef}" belongs to another customer`);
        } else if (inv.status === 'draft' || inv.status === 'void') {
          fail(`invoice "${a.invoiceRef}" is ${inv.status} and cannot be paid`);
        } else if (inv.currency !== d.currency) {
          fail(`invoice "${a.invoiceRef}" is in ${inv.currency}, the payment in ${d.currency}`);
        }
      });
    }
    if (errors.length) return countsFrom(docs.length, []);
    const returned = await tx.query<{ id: number; external_id: string; inserted: boolean }>(
      `INSERT INTO payments (tenant_id, external_id, customer_id, payment_date, amount, method, currency,
                             exchange_rate, content_hash)
       SELECT $1, u.* FROM unnest($2::text[], $3::bigint[], $4::date[], $5::numeric[], $6::text[], $7::text[],
                                  $8::numeric[], $9::text[]) AS u
       ON CONFLICT (tenant_id, external_id) DO UPDATE SET
         customer_id = EXCLUDED.customer_id, payment_date = EXCLUDED.payment_date, amount = EXCLUDED.amount,
         method = EXCLUDED.method, currency = EXCLUDED.currency, exchange_rate = EXCLUDED.exchange_rate,
         content_hash = EXCLUDED.content_hash, updated_at = now()
       WHERE payments.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING id, external_id, (xmax = 0) AS inserted`,
      [
        ctx.tenantId,
        docs.map((d) => d.externalId),
        docs.map((d) => customers.get(d.customerRef)),
        docs.map((d) => d.date),
        docs.map((d) => d.amount.toString()),
        docs.map((d) => d.method),
        docs.map((d) => d.currency),
        docs.map((d) => d.exchangeRate.toString()),
        docs.map((d) => d.hash),
      ],
    );
    if (returned.length) {
      const byId = new Map(docs.map((d) => [d.externalId, d]));
      const ids = returned.map((r) => Number(r.id));
      await tx.query(
        `DELETE FROM payment_allocations WHERE tenant_id = $1 AND payment_id = ANY($2::bigint[])`,
        [ctx.tenantId, ids],
      );
      const paymentIds: number[] = [];
      const invoiceIds: number[] = [];
      const amounts: string[] = [];
      for (const r of returned) {
        for (const a of byId.get(r.external_id)!.allocations) {
          paymentIds.push(Number(r.id));
          invoiceIds.push(invoices.get(a.invoiceRef)!.id);
          amounts.push(a.amount.toString());
        }
      }
      if (paymentIds.length) {
        await tx.query(
          `INSERT INTO payment_allocations (tenant_id, payment_id, invoice_id, amount)
           SELECT $1, u.* FROM unnest($2::bigint[], $3::bigint[], $4::numeric[]) AS u`,
          [ctx.tenantId, paymentIds, invoiceIds, amounts],
        );
      }
    }
    return countsFrom(docs.length, returned);
  },
};

/**
 * Removes payments by external id with their allocations (a pull connector's full sync found them
 * deleted in the source, ADR 0018), in the caller's transaction. Invoices' open amounts and every
 * analytic are computed from allocations, so nothing else needs changing; the tenant's data version
 * moves so published snapshots stop matching. Returns how many payments were removed.
 */
export async function removePayments(
  tx: Queryable,
  tenantId: string,
  externalIds: string[],
): Promise<number> {
  if (externalIds.length === 0) return 0;
  const gone = await tx.query<{ id: number }>(
    // allocations go with their payment (ON DELETE CASCADE)
    `DELETE FROM payments WHERE tenant_id = $1 AND external_id = ANY($2::text[]) RETURNING id`,
    [tenantId, externalIds],
  );
  if (gone.length) {
    await tx.query(`UPDATE tenants SET data_version = data_version + 1 WHERE id = $1`, [tenantId]);
  }
  return gone.length;
}
