import Decimal from 'decimal.js';
import { Money } from '../../shared/money';
import { dateInZone } from '../../shared/dates';
import { MapContext, MappedSourceRecord, SourceFormatError, StreamName } from '../adapter';

/**
 * ERPNext documents → our import records (docs/connectors-erpnext.md has the table). Records come
 * from parseExactJson, so every number is a Decimal made from its text: amounts stay exact.
 *
 * Lines are sent so that their net is ERPNext's own `net_amount` exactly: ERPNext has already applied
 * the item discount (discount_percentage / discount_amount) to `rate`, rounded to the currency's
 * precision, and spread a document discount over the items' `net_amount`. Our line keeps the list
 * price as `unitPrice` and carries the whole difference as the line's `discount` amount
 * (quantity × unitPrice − net_amount), so no percentage is re-applied and re-rounded here.
 * Sales Taxes and Charges become each line's `taxRate`: "On Net Total" rows add their rate (the
 * item's own rate from item_wise_tax_detail when an item tax template changed it), "On Previous Row
 * Amount" / "On Previous Row Total" rows add their rate times the referenced row's rate / running
 * total, "Deduct" rows subtract. "Actual" and "On Item Quantity" rows are fixed amounts, not rates:
 * each becomes a line of its own (quantity 1, the row's amount, no tax). The document total sent is
 * ERPNext's `grand_total` when the lines reproduce it within 0.01 (ERPNext rounds each tax row).
 */
type Raw = Record<string, unknown>;

const HUNDRED = new Money(100);

export function obj(v: unknown, what: string): Raw {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new SourceFormatError(`ERPNext answered a ${what} that is not a JSON object`);
  }
  return v as Raw;
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (Decimal.isDecimal(v)) return v.toFixed();
  return null;
}

function required(o: Raw, key: string, what: string): string {
  const v = text(o[key]);
  if (v === null) throw new SourceFormatError(`ERPNext ${what} has no ${key}`);
  return v;
}

export function dec(v: unknown): Decimal | null {
  if (Decimal.isDecimal(v)) return new Money(v);
  if (typeof v === 'number' && Number.isFinite(v)) return new Money(v);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return new Money(v.trim());
  return null;
}

function int(v: unknown): number {
  const d = dec(v);
  return d === null ? 0 : d.toNumber();
}

function rows(v: unknown): Raw[] {
  return Array.isArray(v) ? v.filter((x): x is Raw => typeof x === 'object' && x !== null) : [];
}

/** Frappe's `modified` ("2026-03-10 09:15:00.123456", the server's wall clock) → ISO 8601, read as UTC. */
export function modifiedToIso(v: unknown): string | null {
  const s = text(v);
  const m = s && /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d{1,6})?/.exec(s);
  return m ? `${m[1]}T${m[2]}${m[3] ?? ''}Z` : null;
}

/** The engine's ISO instant → Frappe's timestamp format, so the cursor round-trips (see modifiedToIso). */
export function isoToModified(iso: string): string {
  const utc = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,6})\d*)?Z$/.exec(iso);
  if (utc) return `${utc[1]} ${utc[2]}.${(utc[3] ?? '').padEnd(6, '0')}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new SourceFormatError(`not an ISO 8601 instant: ${iso}`);
  return d.toISOString().replace('T', ' ').replace('Z', '000');
}

function head(o: Raw, what: string) {
  return { sourceId: required(o, 'name', what), updatedAt: modifiedToIso(o.modified) };
}

export function mapCustomer(raw: unknown): MappedSourceRecord {
  const o = obj(raw, 'Customer');
  const { sourceId, updatedAt } = head(o, 'Customer');
  const record: Raw = { externalId: sourceId, name: text(o.customer_name) ?? sourceId };
  const put = (key: string, v: string | null) => {
    if (v !== null) record[key] = v;
  };
  put('email', text(o.email_id));
  put('phone', text(o.mobile_no));
  put('taxNumber', text(o.tax_id));
  put('createdAt', text(o.creation)?.slice(0, 10) ?? null);
  return { sourceId, updatedAt, mapped: [{ resource: 'customers', record }] };
}

export function mapItem(raw: unknown): MappedSourceRecord {
  const o = obj(raw, 'Item');
  const { sourceId, updatedAt } = head(o, 'Item');
  const code = text(o.item_code) ?? sourceId;
  const record: Raw = {
    externalId: code,
    name: text(o.item_name) ?? code,
    isService: int(o.is_stock_item) === 0,
  };
  const group = text(o.item_group);
  if (group !== null) record.category = group;
  const cost = dec(o.valuation_rate);
  if (cost !== null && cost.gt(0)) record.unitCost = cost.toFixed();
  return { sourceId, updatedAt, mapped: [{ resource: 'products', record }] };
}

/** Each tax row's contribution to one item's tax rate, as a fraction; fixed-amount rows give 0. */
export function itemTaxRate(taxes: Raw[], itemCode: string | null): Decimal {
  const contributions: Decimal[] = [];
  for (const t of taxes) {
    const type = text(t.charge_type);
    let rate = dec(t.rate) ?? new Money(0);
    const detail = itemWiseRate(t.item_wise_tax_detail, itemCode);
    if (detail !== null) rate = detail;
    const fraction = rate.div(HUNDRED);
    const ref = int(t.row_id) - 1;
    let r: Decimal;
    if (type === 'On Net Total') r = fraction;
    else if (type === 'On Previous Row Amount') r = fraction.times(contributions[ref] ?? 0);
    else if (type === 'On Previous Row Total') {
      const running = contributions.slice(0, ref + 1).reduce((a, b) => a.plus(b), new Money(1));
      r = fraction.times(running);
    } else r = new Money(0);
    if (text(t.add_deduct_tax) === 'Deduct') r = r.neg();
    contributions.push(r);
  }
  return contributions.reduce((a, b) => a.plus(b), new Money(0));
}

/** item_wise_tax_detail is a JSON string {"ITEM-A": [15.0, 30.0]}; the item's rate, or null. */
function itemWiseRate(v: unknown, itemCode: string | null): Decimal | null {
  if (typeof v !== 'string' || itemCode === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(v, (_k, x: unknown) => x);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !Object.hasOwn(parsed, itemCode)) return null;
  const entry = (parsed as Record<string, unknown>)[itemCode];
  const first = Array.isArray(entry) ? entry[0] : entry;
  return typeof first === 'number' ? new Money(String(first)) : dec(first);
}

function lineFromItem(item: Raw, taxes: Raw[], inclusive: boolean): Raw {
  const qty = (dec(item.qty) ?? new Money(0)).abs();
  const net = (dec(item.net_amount) ?? dec(item.amount) ?? new Money(0)).abs();
  const rate = (dec(item.rate) ?? new Money(0)).abs();
  const listRate = (dec(item.price_list_rate) ?? new Money(0)).abs();
  let unit = inclusive ? (dec(item.net_rate) ?? rate).abs() : listRate.gt(rate) ? listRate : rate;
  if (qty.gt(0) && qty.times(unit).lt(net)) unit = net.div(qty).toDecimalPlaces(10, Decimal.ROUND_UP);
  const code = text(item.item_code);
  const line: Raw = { quantity: qty.toFixed(), unitPrice: unit.toFixed() };
  if (code !== null) line.productId = code;
  const description = text(item.item_name) ?? text(item.description);
  if (description !== null) line.description = description;
  const discount = qty.times(unit).minus(net);
  if (discount.gt(0)) line.discount = discount.toFixed();
  const taxRate = itemTaxRate(taxes, code);
  if (!taxRate.isZero()) line.taxRate = taxRate.toFixed();
  return line;
}

function chargeLines(taxes: Raw[]): Raw[] {
  return taxes
    .filter((t) => ['Actual', 'On Item Quantity'].includes(text(t.charge_type) ?? ''))
    .map((t) => {
      let amount = (dec(t.tax_amount_after_discount_amount) ?? dec(t.tax_amount) ?? new Money(0)).abs();
      if (text(t.add_deduct_tax) === 'Deduct') amount = amount.neg();
      return {
        description: text(t.description) ?? text(t.account_head) ?? 'charge',
        quantity: '1',
        unitPrice: amount.toFixed(),
      };
    });
}

/** The lines and the total of a Sales Invoice (an invoice or, with is_return, a credit note). */
function documentBody(o: Raw): Raw {
  const taxes = rows(o.taxes);
  const inclusive = taxes.some((t) => int(t.included_in_print_rate) === 1);
  const lines = [...rows(o.items).map((i) => lineFromItem(i, taxes, inclusive)), ...chargeLines(taxes)];
  let computed = new Money(0);
  for (const l of lines) {
    const net = new Money(l.quantity as string)
      .times(l.unitPrice as string)
      .minus((l.discount as string) ?? 0);
    computed = computed.plus(net.times(new Money((l.taxRate as string) ?? 0).plus(1)));
  }
  const body: Raw = { lines };
  const grand = dec(o.grand_total)?.abs();
  if (grand && grand.minus(computed).abs().lte('0.01')) body.total = grand.toFixed();
  return body;
}

function currencyOf(o: Raw, ctx: MapContext, rateKey: string, currencyKey = 'currency'): Raw {
  const currency = text(o[currencyKey]);
  if (currency === null || currency === ctx.currency) return {};
  const rate = dec(o[rateKey]);
  return rate === null ? { currency } : { currency, exchangeRate: rate.toFixed() };
}

function itemRefs(o: Raw): { stream: StreamName; sourceId: string }[] {
  const codes = new Set(rows(o.items).flatMap((i) => text(i.item_code) ?? []));
  return [...codes].map((sourceId) => ({ stream: 'products', sourceId }));
}

/** A Sales Invoice (is_return = 0) from the per-document GET; drafts are skipped. */
export function mapSalesInvoice(raw: unknown, ctx: MapContext): MappedSourceRecord {
  const o = obj(raw, 'Sales Invoice');
  const { sourceId, updatedAt } = head(o, 'Sales Invoice');
  const docstatus = int(o.docstatus);
  if (docstatus === 0) return { sourceId, updatedAt, mapped: [], skipped: 'draft' };
  const isReturn = int(o.is_return) === 1;
  const customer = required(o, 'customer', 'Sales Invoice');
  const record: Raw = {
    externalId: sourceId,
    number: sourceId,
    customerId: customer,
    issueDate: required(o, 'posting_date', 'Sales Invoice'),
    ...currencyOf(o, ctx, 'conversion_rate'),
  };
  const refs: { stream: StreamName; sourceId: string }[] = [{ stream: 'customers', sourceId: customer }];
  if (isReturn) {
    const against = text(o.return_against);
    if (against !== null) {
      record.invoiceId = against;
      refs.push({ stream: 'invoices', sourceId: against });
    }
    record.status = docstatus === 2 ? 'void' : 'issued';
  } else {
    const due = text(o.due_date);
    if (due !== null) record.dueDate = due;
    record.status = docstatus === 2 ? 'void' : 'issued';
  }
  Object.assign(record, documentBody(o));
  refs.push(...itemRefs(o));
  return {
    sourceId,
    updatedAt,
    mapped: [{ resource: isReturn ? 'credit-notes' : 'invoices', record }],
    refs,
  };
}

/** A Payment Entry: only submitted receipts from customers become payments. */
export function mapPaymentEntry(raw: unknown, ctx: MapContext): MappedSourceRecord {
  const o = obj(raw, 'Payment Entry');
  const { sourceId, updatedAt } = head(o, 'Payment Entry');
  const skip = (skipped: string): MappedSourceRecord => ({ sourceId, updatedAt, mapped: [], skipped });
  if (text(o.payment_type) !== 'Receive' || text(o.party_type) !== 'Customer')
    return skip('not a customer receipt');
  const docstatus = int(o.docstatus);
  if (docstatus === 0) return skip('draft');
  if (docstatus === 2) return skip('cancelled');
  const customer = required(o, 'party', 'Payment Entry');
  const allocations = rows(o.references)
    .filter((r) => text(r.reference_doctype) === 'Sales Invoice')
    .flatMap((r) => {
      const invoiceId = text(r.reference_name);
      const amount = dec(r.allocated_amount);
      return invoiceId !== null && amount !== null && amount.gt(0)
        ? [{ invoiceId, amount: amount.toFixed() }]
        : [];
    });
  const record: Raw = {
    externalId: sourceId,
    customerId: customer,
    date: required(o, 'posting_date', 'Payment Entry'),
    amount: (dec(o.paid_amount) ?? new Money(0)).toFixed(),
    ...currencyOf(o, ctx, 'source_exchange_rate', 'paid_from_account_currency'),
    allocations,
  };
  const method = text(o.mode_of_payment);
  if (method !== null) record.method = method;
  const refs: { stream: StreamName; sourceId: string }[] = [
    { stream: 'customers', sourceId: customer },
    ...[...new Set(allocations.map((a) => a.invoiceId))].map((id) => ({
      stream: 'invoices' as const,
      sourceId: id,
    })),
  ];
  return { sourceId, updatedAt, mapped: [{ resource: 'payments', record }], refs };
}

/** A Bin (one item in one warehouse) → an inventory snapshot as of the sync's date in the tenant's zone. */
export function mapBin(raw: unknown, ctx: MapContext): MappedSourceRecord {
  const o = obj(raw, 'Bin');
  const { sourceId, updatedAt } = head(o, 'Bin');
  const item = required(o, 'item_code', 'Bin');
  const onHand = dec(o.actual_qty) ?? new Money(0);
  if (onHand.lt(0)) return { sourceId, updatedAt, mapped: [], skipped: 'negative stock' };
  const record: Raw = {
    productId: item,
    warehouseId: text(o.warehouse) ?? 'main',
    asOf: dateInZone(new Date(ctx.syncStartedAt), ctx.timeZone),
    onHand: onHand.toFixed(),
  };
  const ordered = dec(o.ordered_qty);
  if (ordered !== null && ordered.gt(0)) record.onOrder = ordered.toFixed();
  const cost = dec(o.valuation_rate);
  if (cost !== null && cost.gt(0)) record.unitCost = cost.toFixed();
  return {
    sourceId,
    updatedAt,
    mapped: [{ resource: 'inventory', record }],
    refs: [{ stream: 'products', sourceId: item }],
  };
}
