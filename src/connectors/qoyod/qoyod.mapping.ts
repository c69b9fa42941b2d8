import { Money } from '../../shared/money';
import type { MapContext, MappedRecord, MappedSourceRecord, StreamName } from '../adapter';
import { SourceFormatError } from '../adapter';

/**
 * Qoyod records → our import records, exactly as ../shared/connectors/qoyod.md's mapping table says.
 * Pure: no I/O, no clock (the sync's start instant comes in the context). Numbers arrive as the
 * decimal strings they were written as (exact-json.ts, numbers: 'text'), whether Qoyod sent strings or JSON numbers.
 */
type Raw = Record<string, unknown>;

const HUNDRED = new Money(100);

function obj(raw: unknown, what: string): Raw {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SourceFormatError(`a ${what} that is not an object`);
  }
  return raw as Raw;
}

/** a scalar as text; null/undefined/'' → null */
function s(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function id(raw: Raw, what: string): string {
  const v = s(raw.id);
  if (v === null) throw new SourceFormatError(`a ${what} without an id`);
  return v;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** only the fields that carry a value, so an absent field and an empty one hash alike */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

function ref(stream: StreamName, sourceId: string | null): { stream: StreamName; sourceId: string }[] {
  return sourceId === null ? [] : [{ stream, sourceId }];
}

/** a calendar date of an instant in a time zone: YYYY-MM-DD */
export function localDate(instant: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function mapCustomer(raw: unknown): MappedSourceRecord {
  const c = obj(raw, 'customer');
  const sourceId = id(c, 'customer');
  const record = compact({
    externalId: sourceId,
    name: s(c.name) ?? s(c.organization),
    email: s(c.email),
    phone: s(c.phone_number),
    taxNumber: s(c.tax_number),
  });
  return { sourceId, updatedAt: s(c.updated_at), mapped: [{ resource: 'customers', record }] };
}

export function mapProduct(raw: unknown, ctx: MapContext): MappedSourceRecord {
  const p = obj(raw, 'product');
  const sourceId = id(p, 'product');
  const isService = s(p.type) === 'Service';
  const mapped: MappedRecord[] = [
    {
      resource: 'products',
      record: compact({
        externalId: sourceId,
        name: s(p.name_en) ?? s(p.name_ar),
        nameAr: s(p.name_ar),
        unitCost: s(p.buying_price),
        isService,
      }),
    },
  ];
  const asOf = localDate(ctx.syncStartedAt, ctx.timeZone);
  const inventories = Array.isArray(p.inventories) ? p.inventories : [];
  if (!isService) {
    for (const item of inventories) {
      const inv = obj(item, 'product inventory');
      const stock = s(inv.stock);
      const warehouse = s(inv.id);
      if (stock === null || warehouse === null) continue;
      mapped.push({
        resource: 'inventory',
        record: { productId: sourceId, warehouseId: warehouse, asOf, onHand: stock },
      });
    }
  }
  return { sourceId, updatedAt: s(p.updated_at), mapped };
}

interface LineOptions {
  /** credit notes carry discount_percent; invoices discount + discount_type */
  creditNote: boolean;
}

/**
 * Lines and the document's pricesIncludeTax. `is_inclusive` is per line in Qoyod and per document
 * here: when every line agrees it maps directly; when they differ the document is tax-inclusive and
 * each exclusive line's price is multiplied by (1 + taxRate) — exact, so the import's division gives
 * back the very price (no rounding is introduced).
 */
export function mapLines(
  items: unknown,
  options: LineOptions,
): { lines: Record<string, unknown>[]; pricesIncludeTax: boolean; products: string[] } {
  const list = Array.isArray(items) ? items.map((i) => obj(i, 'line item')) : [];
  const inclusive = list.map((l) => truthy(l.is_inclusive));
  const anyInclusive = inclusive.some(Boolean);
  const products: string[] = [];
  const lines = list.map((l, k) => {
    const taxPercent = s(l.tax_percent);
    const taxRate = taxPercent === null ? null : new Money(taxPercent).div(HUNDRED);
    let unitPrice = s(l.unit_price) ?? s(l.price);
    if (anyInclusive && !inclusive[k] && unitPrice !== null && taxRate !== null) {
      unitPrice = new Money(unitPrice).times(taxRate.plus(1)).toString();
    }
    const productId = s(l.product_id);
    if (productId !== null) products.push(productId);
    let discount: string | null = null;
    let discountPercent: string | null = null;
    if (options.creditNote && l.discount_percent !== undefined) discountPercent = s(l.discount_percent);
    else if (s(l.discount_type) === 'amount') discount = s(l.discount);
    else discountPercent = s(l.discount) ?? s(l.discount_percent);
    const nonZero = (v: string | null) => (v !== null && !new Money(v).isZero() ? v : null);
    return compact({
      productId,
      description: s(l.description),
      quantity: s(l.quantity),
      unitPrice,
      discount: nonZero(discount),
      discountPercent: nonZero(discountPercent),
      taxRate: taxRate === null ? null : taxRate.toString(),
    });
  });
  return { lines, pricesIncludeTax: anyInclusive, products };
}

export function mapInvoice(raw: unknown): MappedSourceRecord {
  const i = obj(raw, 'invoice');
  const sourceId = id(i, 'invoice');
  const updatedAt = s(i.updated_at);
  const status = s(i.status);
  if (status === 'Draft') return { sourceId, updatedAt, mapped: [], skipped: 'draft' };
  const customer = s(i.contact_id);
  const { lines, pricesIncludeTax, products } = mapLines(i.line_items, { creditNote: false });
  const record = compact({
    externalId: sourceId,
    number: s(i.reference),
    customerId: customer,
    issueDate: s(i.issue_date),
    dueDate: s(i.due_date),
    status: status === 'Voided' ? 'void' : 'issued',
    pricesIncludeTax,
    lines,
  });
  return {
    sourceId,
    updatedAt,
    mapped: [{ resource: 'invoices', record }],
    refs: [
      ...ref('customers', customer),
      ...unique(products).map((p) => ({ stream: 'products' as const, sourceId: p })),
    ],
  };
}

export function mapCreditNote(raw: unknown): MappedSourceRecord {
  const n = obj(raw, 'credit note');
  const sourceId = id(n, 'credit note');
  const updatedAt = s(n.updated_at);
  if (s(n.status) === 'Draft') return { sourceId, updatedAt, mapped: [], skipped: 'draft' };
  const customer = s(n.contact_id);
  const invoice = s(n.parent_id) ?? s(n.invoice_id);
  const { lines, pricesIncludeTax, products } = mapLines(n.line_items, { creditNote: true });
  const record = compact({
    externalId: sourceId,
    number: s(n.reference),
    customerId: customer,
    invoiceId: invoice,
    issueDate: s(n.issue_date),
    restock: true,
    pricesIncludeTax,
    lines,
  });
  return {
    sourceId,
    updatedAt,
    mapped: [{ resource: 'credit-notes', record }],
    refs: [
      ...ref('customers', customer),
      ...ref('invoices', invoice),
      ...unique(products).map((p) => ({ stream: 'products' as const, sourceId: p })),
    ],
  };
}

export function mapReceipt(raw: unknown): MappedSourceRecord {
  const r = obj(raw, 'receipt');
  const sourceId = id(r, 'receipt');
  const updatedAt = s(r.updated_at);
  if (s(r.kind) !== 'received') return { sourceId, updatedAt, mapped: [], skipped: 'vendor payment' };
  const customer = s(r.contact_id);
  const allocations = (Array.isArray(r.allocations) ? r.allocations : [])
    .map((a) => obj(a, 'allocation'))
    .filter((a) => s(a.allocatee_type) === 'Invoice')
    .map((a) => ({ invoiceId: s(a.allocatee_id), amount: s(a.amount) }));
  const record = compact({
    externalId: sourceId,
    customerId: customer,
    date: s(r.date),
    amount: s(r.amount),
    allocations: allocations.length ? allocations : null,
  });
  return {
    sourceId,
    updatedAt,
    mapped: [{ resource: 'payments', record }],
    refs: [
      ...ref('customers', customer),
      ...unique(allocations.map((a) => a.invoiceId).filter((v): v is string => v !== null)).map((v) => ({
        stream: 'invoices' as const,
        sourceId: v,
      })),
    ],
  };
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
