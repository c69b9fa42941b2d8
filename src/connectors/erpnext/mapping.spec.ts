import { FieldError } from '../../shared/errors';
import { creditNotes } from '../../ingestion/resources/credit-notes';
import { customers } from '../../ingestion/resources/customers';
import { inventory } from '../../ingestion/resources/inventory';
import { invoices } from '../../ingestion/resources/invoices';
import { payments } from '../../ingestion/resources/payments';
import { products } from '../../ingestion/resources/products';
import { ResourceHandler } from '../../ingestion/resources/types';
import { parseExactJson } from '../exact-json';
import {
  isoToModified,
  itemTaxRate,
  mapBin,
  mapCustomer,
  mapItem,
  mapPaymentEntry,
  mapSalesInvoice,
  modifiedToIso,
} from './mapping';

const ctx = { timeZone: 'Asia/Riyadh', currency: 'SAR', syncStartedAt: '2026-03-31T22:30:00.000Z' };
const importCtx = { tenantId: 't', currency: 'SAR', timeZone: 'Asia/Riyadh' };

/** Parses like the adapter does (exact numbers), so fixtures are written as ERPNext's JSON text. */
const doc = (json: string) => parseExactJson(json);

/** The mapped record must pass the push API's own validation; returns what it normalised to. */
function accepted<T>(handler: ResourceHandler<T>, record: Record<string, unknown>): T {
  const errors: FieldError[] = [];
  const [row] = handler.normalize([record], importCtx, errors);
  expect(errors).toEqual([]);
  return row!;
}

const invoiceJson = `{
  "name": "ACC-SINV-2026-00001", "doctype": "Sales Invoice", "docstatus": 1, "is_return": 0,
  "customer": "CUST-A", "posting_date": "2026-03-10", "due_date": "2026-04-09", "currency": "SAR",
  "conversion_rate": 1.0, "modified": "2026-03-10 09:15:00.123456",
  "items": [
    {"item_code": "ITEM-A", "item_name": "Dates 1kg", "qty": 2.0, "price_list_rate": 100.0,
     "discount_percentage": 10.0, "discount_amount": 10.0, "rate": 90.0, "amount": 180.0,
     "net_rate": 90.0, "net_amount": 180.0},
    {"item_code": "ITEM-B", "item_name": "Service", "qty": 3.0, "price_list_rate": 0.0,
     "discount_percentage": 0.0, "discount_amount": 0.0, "rate": 33.33, "amount": 99.99,
     "net_rate": 33.33, "net_amount": 99.99}
  ],
  "taxes": [
    {"idx": 1, "charge_type": "On Net Total", "account_head": "VAT 15% - C", "rate": 15.0,
     "tax_amount": 42.0, "tax_amount_after_discount_amount": 42.0, "included_in_print_rate": 0,
     "add_deduct_tax": "Add", "item_wise_tax_detail": "{\\"ITEM-A\\": [15.0, 27.0], \\"ITEM-B\\": [15.0, 14.9985]}"}
  ],
  "net_total": 279.99, "total_taxes_and_charges": 42.0, "grand_total": 321.99, "rounded_total": 322.0
}`;

describe('ERPNext mapping', () => {
  it('maps a Customer onto a customer, keeping the ERPNext name as the external id', () => {
    const m = mapCustomer(
      doc(`{"name": "CUST-A", "customer_name": "شركة النخيل", "email_id": "a@nakheel.sa", "mobile_no": "+966500000001",
            "tax_id": "300000000000003", "disabled": 0, "creation": "2025-12-01 08:00:00.000000", "modified": "2026-03-01 10:00:00.5"}`),
    );
    expect(m).toEqual({
      sourceId: 'CUST-A',
      updatedAt: '2026-03-01T10:00:00.5Z',
      mapped: [
        {
          resource: 'customers',
          record: {
            externalId: 'CUST-A',
            name: 'شركة النخيل',
            email: 'a@nakheel.sa',
            phone: '+966500000001',
            taxNumber: '300000000000003',
            createdAt: '2025-12-01',
          },
        },
      ],
    });
    accepted(customers, m.mapped[0]!.record);
  });

  it('maps an Item: valuation_rate is the unit cost, a non-stock item is a service', () => {
    const stock = mapItem(
      doc(`{"name": "ITEM-A", "item_code": "ITEM-A", "item_name": "Dates 1kg", "item_group": "Food",
            "valuation_rate": 12.3456789, "is_stock_item": 1, "modified": "2026-03-01 10:00:00"}`),
    );
    expect(stock.mapped[0]!.record).toEqual({
      externalId: 'ITEM-A',
      name: 'Dates 1kg',
      category: 'Food',
      unitCost: '12.3456789',
      isService: false,
    });
    const service = mapItem(
      doc(`{"name": "SRV", "item_code": "SRV", "valuation_rate": 0, "is_stock_item": 0}`),
    );
    expect(service.mapped[0]!.record).toEqual({ externalId: 'SRV', name: 'SRV', isService: true });
    expect(service.updatedAt).toBeNull();
    accepted(products, stock.mapped[0]!.record);
  });

  it('maps a submitted Sales Invoice: list price, the discount as an amount, VAT as the line rate, ERPNext’s grand total', () => {
    const m = mapSalesInvoice(doc(invoiceJson), ctx);
    expect(m.sourceId).toBe('ACC-SINV-2026-00001');
    expect(m.updatedAt).toBe('2026-03-10T09:15:00.123456Z');
    expect(m.refs).toEqual([
      { stream: 'customers', sourceId: 'CUST-A' },
      { stream: 'products', sourceId: 'ITEM-A' },
      { stream: 'products', sourceId: 'ITEM-B' },
    ]);
    expect(m.mapped).toHaveLength(1);
    expect(m.mapped[0]!.resource).toBe('invoices');
    expect(m.mapped[0]!.record).toEqual({
      externalId: 'ACC-SINV-2026-00001',
      number: 'ACC-SINV-2026-00001',
      customerId: 'CUST-A',
      issueDate: '2026-03-10',
      dueDate: '2026-04-09',
      status: 'issued',
      lines: [
        {
          productId: 'ITEM-A',
          description: 'Dates 1kg',
          quantity: '2',
          unitPrice: '100',
          discount: '20',
          taxRate: '0.15',
        },
        { productId: 'ITEM-B', description: 'Service', quantity: '3', unitPrice: '33.33', taxRate: '0.15' },
      ],
      total: '321.99',
    });
    const row = accepted(invoices, m.mapped[0]!.record);
    expect(row.net.toFixed()).toBe('279.99');
    expect(row.total.toFixed()).toBe('321.99');
    expect(row.tax.toFixed()).toBe('42');
  });

  it('keeps amounts exact from the JSON text (never through a float)', () => {
    // as floats: 98765432109876.54321 → 98765432109876.55, 0.30000000000000001 → 0.3
    const m = mapSalesInvoice(
      doc(`{"name": "SINV-X", "docstatus": 1, "is_return": 0, "customer": "C", "posting_date": "2026-03-10",
            "items": [{"item_code": "I", "qty": 1, "rate": 98765432109876.54321, "price_list_rate": 98765432109876.54321,
                       "amount": 98765432109876.54321, "net_amount": 98765432109876.54321},
                      {"item_code": "J", "qty": 0.30000000000000001, "rate": 1234.565, "amount": 370.3695, "net_amount": 370.3695}],
            "taxes": [], "grand_total": 98765432110246.91271}`),
      ctx,
    );
    const lines = m.mapped[0]!.record.lines as Record<string, unknown>[];
    expect(lines[0]!.unitPrice).toBe('98765432109876.54321');
    expect(lines[1]).toMatchObject({ quantity: '0.30000000000000001', unitPrice: '1234.565' });
    expect(m.mapped[0]!.record.total).toBe('98765432110246.91271');
  });

  it('carries a document discount (spread over net_amount by ERPNext) so each line nets to net_amount', () => {
    const m = mapSalesInvoice(
      doc(`{"name": "SINV-D", "docstatus": 1, "customer": "C", "posting_date": "2026-03-10",
            "apply_discount_on": "Net Total", "discount_amount": 10.0,
            "items": [{"item_code": "I", "qty": 4, "price_list_rate": 25, "rate": 25, "amount": 100, "net_rate": 22.5, "net_amount": 90}],
            "taxes": [{"charge_type": "On Net Total", "rate": 15, "tax_amount": 13.5}], "grand_total": 103.5}`),
      ctx,
    );
    const row = accepted(invoices, m.mapped[0]!.record);
    expect(row.lines[0]!.discount.toFixed()).toBe('10');
    expect(row.net.toFixed()).toBe('90');
    expect(row.total.toFixed()).toBe('103.5');
  });

  it('reads tax included in the print rate: the line is sent net of tax, the total unchanged', () => {
    const m = mapSalesInvoice(
      doc(`{"name": "SINV-I", "docstatus": 1, "customer": "C", "posting_date": "2026-03-10",
            "items": [{"item_code": "I", "qty": 1, "price_list_rate": 115, "rate": 115, "amount": 115, "net_rate": 100, "net_amount": 100}],
            "taxes": [{"charge_type": "On Net Total", "rate": 15, "included_in_print_rate": 1, "tax_amount": 15}], "grand_total": 115}`),
      ctx,
    );
    const row = accepted(invoices, m.mapped[0]!.record);
    expect(row.pricesIncludeTax).toBe(false);
    expect(row.net.toFixed()).toBe('100');
    expect(row.total.toFixed()).toBe('115');
  });

  it('turns compound taxes into one effective rate per item, and an Actual charge into a line of its own', () => {
    const taxes = [
      { charge_type: 'On Net Total', rate: 10 },
      { charge_type: 'On Previous Row Amount', rate: 50, row_id: 1 },
      { charge_type: 'On Previous Row Total', rate: 10, row_id: 2 },
      { charge_type: 'Actual', rate: 0, tax_amount: 7 },
    ];
    // 0.10 + 0.5 × 0.10 + 0.10 × (1 + 0.10 + 0.05) = 0.265
    expect(itemTaxRate(taxes, 'I').toFixed()).toBe('0.265');
    expect(
      itemTaxRate([{ charge_type: 'On Net Total', rate: 15, add_deduct_tax: 'Deduct' }], 'I').toFixed(),
    ).toBe('-0.15');
    const m = mapSalesInvoice(
      doc(`{"name": "SINV-S", "docstatus": 1, "customer": "C", "posting_date": "2026-03-10",
            "items": [{"item_code": "I", "qty": 1, "rate": 100, "amount": 100, "net_amount": 100}],
            "taxes": [{"charge_type": "On Net Total", "rate": 15, "tax_amount": 15},
                      {"charge_type": "Actual", "description": "Shipping", "tax_amount": 20, "tax_amount_after_discount_amount": 20}],
            "grand_total": 135}`),
      ctx,
    );
    const row = accepted(invoices, m.mapped[0]!.record);
    expect(row.lines.map((l) => [l.description, l.net.toFixed(), l.taxRate.toFixed()])).toEqual([
      [null, '100', '0.15'],
      ['Shipping', '20', '0'],
    ]);
    expect(row.total.toFixed()).toBe('135');
  });

  it('uses an item tax template’s rate from item_wise_tax_detail', () => {
    const taxes = [
      {
        charge_type: 'On Net Total',
        rate: 15,
        item_wise_tax_detail: '{"ZERO": [0.0, 0.0], "STD": [15.0, 1.5]}',
      },
    ];
    expect(itemTaxRate(taxes, 'ZERO').toFixed()).toBe('0');
    expect(itemTaxRate(taxes, 'STD').toFixed()).toBe('0.15');
    expect(itemTaxRate(taxes, 'OTHER').toFixed()).toBe('0.15');
  });

  it('skips a draft, and a cancelled invoice becomes void', () => {
    const draft = mapSalesInvoice(
      doc(`{"name": "SINV-9", "docstatus": 0, "modified": "2026-03-10 10:00:00"}`),
      ctx,
    );
    expect(draft).toEqual({
      sourceId: 'SINV-9',
      updatedAt: '2026-03-10T10:00:00Z',
      mapped: [],
      skipped: 'draft',
    });
    const cancelled = mapSalesInvoice(doc(invoiceJson.replace('"docstatus": 1', '"docstatus": 2')), ctx);
    expect(cancelled.mapped[0]!.record.status).toBe('void');
    accepted(invoices, cancelled.mapped[0]!.record);
  });

  it('maps a return (is_return = 1) onto a credit note against return_against, with positive quantities', () => {
    const m = mapSalesInvoice(
      doc(`{"name": "SINV-RET-1", "docstatus": 1, "is_return": 1, "return_against": "ACC-SINV-2026-00001",
            "customer": "CUST-A", "posting_date": "2026-03-12", "due_date": "2026-03-12",
            "items": [{"item_code": "ITEM-A", "qty": -1.0, "price_list_rate": 100.0, "rate": 90.0, "amount": -90.0, "net_amount": -90.0}],
            "taxes": [{"charge_type": "On Net Total", "rate": 15.0, "tax_amount": -13.5}],
            "grand_total": -103.5}`),
      ctx,
    );
    expect(m.mapped[0]!.resource).toBe('credit-notes');
    expect(m.refs).toContainEqual({ stream: 'invoices', sourceId: 'ACC-SINV-2026-00001' });
    expect(m.mapped[0]!.record).toEqual({
      externalId: 'SINV-RET-1',
      number: 'SINV-RET-1',
      customerId: 'CUST-A',
      invoiceId: 'ACC-SINV-2026-00001',
      issueDate: '2026-03-12',
      status: 'issued',
      lines: [{ productId: 'ITEM-A', quantity: '1', unitPrice: '100', discount: '10', taxRate: '0.15' }],
      total: '103.5',
    });
    const row = accepted(creditNotes, m.mapped[0]!.record);
    expect(row.total.toFixed()).toBe('103.5');
  });

  it('sends the exchange rate of an invoice in a foreign currency', () => {
    const m = mapSalesInvoice(
      doc(invoiceJson.replace('"currency": "SAR"', '"currency": "USD"').replace('1.0,', '3.75,')),
      ctx,
    );
    expect(m.mapped[0]!.record).toMatchObject({ currency: 'USD', exchangeRate: '3.75' });
    accepted(invoices, m.mapped[0]!.record);
  });

  it('maps a customer receipt onto a payment with allocations to Sales Invoices only', () => {
    const m = mapPaymentEntry(
      doc(`{"name": "ACC-PAY-2026-00001", "docstatus": 1, "payment_type": "Receive", "party_type": "Customer",
            "party": "CUST-A", "posting_date": "2026-03-15", "paid_amount": 321.99, "received_amount": 321.99,
            "paid_from_account_currency": "SAR", "mode_of_payment": "Bank Draft", "modified": "2026-03-15 12:00:00",
            "references": [
              {"reference_doctype": "Sales Invoice", "reference_name": "ACC-SINV-2026-00001", "allocated_amount": 300.005},
              {"reference_doctype": "Sales Order", "reference_name": "SO-1", "allocated_amount": 21.985}
            ]}`),
      ctx,
    );
    expect(m.mapped[0]).toEqual({
      resource: 'payments',
      record: {
        externalId: 'ACC-PAY-2026-00001',
        customerId: 'CUST-A',
        date: '2026-03-15',
        amount: '321.99',
        method: 'Bank Draft',
        allocations: [{ invoiceId: 'ACC-SINV-2026-00001', amount: '300.005' }],
      },
    });
    expect(m.refs).toEqual([
      { stream: 'customers', sourceId: 'CUST-A' },
      { stream: 'invoices', sourceId: 'ACC-SINV-2026-00001' },
    ]);
    accepted(payments, m.mapped[0]!.record);
  });

  it('skips money paid to suppliers, internal transfers, drafts and cancelled entries', () => {
    const base = { name: 'PE', docstatus: 1, payment_type: 'Receive', party_type: 'Customer', party: 'C' };
    expect(mapPaymentEntry({ ...base, payment_type: 'Pay', party_type: 'Supplier' }, ctx).skipped).toBe(
      'not a customer receipt',
    );
    expect(mapPaymentEntry({ ...base, payment_type: 'Internal Transfer' }, ctx).skipped).toBe(
      'not a customer receipt',
    );
    expect(mapPaymentEntry({ ...base, party_type: 'Employee' }, ctx).skipped).toBe('not a customer receipt');
    expect(mapPaymentEntry({ ...base, docstatus: 0 }, ctx).skipped).toBe('draft');
    expect(mapPaymentEntry({ ...base, docstatus: 2 }, ctx)).toMatchObject({
      mapped: [],
      skipped: 'cancelled',
    });
  });

  it('maps a Bin onto an inventory snapshot dated the sync day in the tenant’s zone', () => {
    const m = mapBin(
      doc(`{"name": "b1x9", "item_code": "ITEM-A", "warehouse": "Stores - C", "actual_qty": 12.5, "ordered_qty": 40,
            "valuation_rate": 9.875, "modified": "2026-03-31 08:00:00"}`),
      ctx,
    );
    // 22:30 UTC on 31 March is 1 April in Riyadh
    expect(m.mapped[0]!.record).toEqual({
      productId: 'ITEM-A',
      warehouseId: 'Stores - C',
      asOf: '2026-04-01',
      onHand: '12.5',
      onOrder: '40',
      unitCost: '9.875',
    });
    expect(m.refs).toEqual([{ stream: 'products', sourceId: 'ITEM-A' }]);
    accepted(inventory, m.mapped[0]!.record);
    expect(mapBin({ name: 'b2', item_code: 'I', actual_qty: -3 }, ctx).skipped).toBe('negative stock');
  });

  it('round-trips the modified cursor between Frappe’s format and ISO 8601', () => {
    expect(modifiedToIso('2026-03-10 09:15:00.123456')).toBe('2026-03-10T09:15:00.123456Z');
    expect(isoToModified('2026-03-10T09:10:00.123Z')).toBe('2026-03-10 09:10:00.123000');
    expect(isoToModified('2026-03-10T09:15:00.123456Z')).toBe('2026-03-10 09:15:00.123456');
    expect(isoToModified('2026-03-10T12:10:00+03:00')).toBe('2026-03-10 09:10:00.000000');
    expect(modifiedToIso('yesterday')).toBeNull();
  });
});
