import { optionalText } from '../shared/query-params';
import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { notFound } from '../shared/errors';
import { formatDecimal, formatMoney, formatMoneyOrNull } from '../shared/money';
import { decodeCursor, Page, parseLimit, toPage } from '../shared/pagination';
import { parseClientDate } from '../shared/dates';
import { DomainError } from '../shared/errors';
import { Tenant } from '../tenancy/tenants.service';
import { RECORD_QUERIES as Q } from './records.queries';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field below
type Row = Record<string, any>;

/** Read-back of imported records, tenant-scoped, amounts as decimal strings. */
@Injectable()
export class RecordsService {
  constructor(private readonly db: Database) {}

  async customer(tenant: Tenant, externalId: string) {
    const [r] = await this.db.query<Row>(Q.customer, [tenant.id, externalId]);
    if (!r) throw notFound(`customer "${externalId}"`);
    return {
      externalId: r.external_id,
      name: r.name,
      nameAr: r.name_ar,
      email: r.email,
      phone: r.phone,
      taxNumber: r.tax_number,
      city: r.city,
      country: r.country,
      createdAt: r.source_created_at ? new Date(r.source_created_at).toISOString() : null,
      currency: tenant.currency,
    };
  }

  async product(tenant: Tenant, externalId: string) {
    const [r] = await this.db.query<Row>(Q.product, [tenant.id, externalId]);
    if (!r) throw notFound(`product "${externalId}"`);
    const stock = await this.db.query<Row>(Q.productStock, [tenant.id, r.id]);
    return {
      externalId: r.external_id,
      name: r.name,
      nameAr: r.name_ar,
      category: r.category,
      unitCost: formatMoneyOrNull(r.unit_cost, 4),
      leadTimeDays: r.lead_time_days === null ? null : Number(r.lead_time_days),
      packSize: formatDecimal(r.pack_size),
      minOrderQty: formatDecimal(r.min_order_qty),
      isService: r.is_service,
      stock: stock.map((s) => ({
        warehouseId: s.warehouse_id,
        asOf: s.as_of,
        onHand: formatDecimal(s.on_hand),
        onOrder: formatDecimal(s.on_order),
        unitCost: formatMoneyOrNull(s.unit_cost, 4),
      })),
    };
  }

  async invoices(tenant: Tenant, query: Record<string, unknown>): Promise<Page<unknown>> {
    const limit = parseLimit(query.limit);
    const after = decodeCursor(query.cursor, ['date', 'id']);
    const from = optionalDate(query.from, 'from', tenant.timezone);
    const to = optionalDate(query.to, 'to', tenant.timezone);
    const customer = optionalText(query.customerId, 'customerId');
    const rows = await this.db.query<Row>(Q.invoices, [
      tenant.id,
      customer,
      from,
      to,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit + 1,
    ]);
    const ids = rows.slice(0, limit).map((r) => Number(r.id));
    const lines = ids.length ? await this.db.query<Row>(Q.invoiceLines, [tenant.id, ids]) : [];
    const byInvoice = new Map<number, Row[]>();
    for (const l of lines) {
      const k = Number(l.invoice_id);
      byInvoice.set(k, [...(byInvoice.get(k) ?? []), l]);
    }
    return toPage(
      rows,
      limit,
      (r) => [r.issue_date, Number(r.id)],
      (r) => ({
        externalId: r.external_id,
        number: r.number,
        customerId: r.customer_external_id,
        issueDate: r.issue_date,
        dueDate: r.due_date,
        status: r.status,
        currency: r.currency.trim(),
        exchangeRate: formatDecimal(r.exchange_rate),
        pricesIncludeTax: r.prices_include_tax,
        net: formatMoney(r.net),
        tax: formatMoney(r.tax),
        total: formatMoney(r.total),
        allocated: formatMoney(r.allocated),
        open: formatMoney(r.open),
        lines: (byInvoice.get(Number(r.id)) ?? []).map((l) => ({
          lineNo: Number(l.line_no),
          productId: l.product_external_id,
          description: l.description,
          quantity: formatDecimal(l.quantity),
          unitPrice: formatDecimal(l.unit_price),
          discount: formatMoney(l.discount),
          discountPercent: formatDecimal(l.discount_percent),
          taxRate: formatDecimal(l.tax_rate),
          unitCost: formatMoneyOrNull(l.unit_cost, 4),
          net: formatMoney(l.net),
          tax: formatMoney(l.tax),
        })),
      }),
    );
  }
}

function optionalDate(v: unknown, field: string, tz: string): string | null {
  if (v === undefined || v === '') return null;
  const d = parseClientDate(v, tz);
  if (d === null) throw new DomainError('bad_request', `${field} must be a date (YYYY-MM-DD)`, { field });
  return d;
}
