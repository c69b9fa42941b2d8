import { FakeQoyod, num } from './fake-qoyod';

/**
 * A small Qoyod company for the connector tests, in the document's shapes and quirks: 230 customers
 * (three pages), three products (one service), invoices of every status with inclusive, exclusive
 * and mixed lines, amount and percentage discounts, 200 filler invoices for paging, credit notes with
 * parent_id and with invoice_id/price, receipts received and paid, allocated and on account.
 */
export const BOOKS = {
  customers: 230,
  products: 3,
  invoices: 207,
  draftInvoices: 1,
  creditNotes: 3,
  draftCreditNotes: 1,
  receipts: 4,
  vendorReceipts: 1,
};

export function seedBooks(fake: FakeQoyod): void {
  // the books were written over weeks: ten minutes between records
  const step = fake.stepMs;
  fake.stepMs = 600_000;
  for (let i = 1; i <= BOOKS.customers; i++) {
    const id = 1000 + i;
    fake.put('customers', {
      id: i % 2 ? id : num(String(id)),
      name: i === 1 ? 'Al-Noor Trading' : `Customer ${id}`,
      organization: i === 1 ? 'النور للتجارة' : null,
      email: i % 3 === 0 ? `c${id}@example.sa` : null,
      phone_number: `+966500${String(id).padStart(6, '0')}`,
      tax_number: i === 1 ? '300000000000042' : null,
      status: 'Active',
    });
  }
  fake.put('inventories', { id: 1, name: 'Main warehouse', ar_name: 'المستودع الرئيسي' });
  fake.put('products', {
    id: 501,
    sku: 'SKU-0001',
    name_en: 'Item 1',
    name_ar: 'صنف 1',
    type: 'Product',
    track_quantity: true,
    buying_price: num('10.50'),
    selling_price: '15.00',
    inventories: [{ id: 1, name: 'Main warehouse', stock: num('7') }],
  });
  fake.put('products', {
    id: 502,
    sku: 'SRV-1',
    name_en: null,
    name_ar: 'خدمة تركيب',
    type: 'Service',
    track_quantity: false,
    buying_price: '0.00',
    selling_price: '100.00',
    inventories: [],
  });
  fake.put('products', {
    id: 503,
    sku: 'SKU-0003',
    name_en: 'Item 3',
    name_ar: 'صنف 3',
    type: 'Product',
    track_quantity: true,
    buying_price: '41.20',
    selling_price: '61.80',
    inventories: [{ id: 1, name: 'Main warehouse', stock: '120.0' }],
  });
  const line = (o: Record<string, unknown>) => ({
    product_id: 503,
    description: 'Item 3',
    discount: '0.0',
    discount_type: 'percentage',
    tax_percent: '15.0',
    is_inclusive: false,
    ...o,
  });
  const invoice = (
    id: number,
    contact: number,
    status: string,
    lines: Record<string, unknown>[],
    extra = {},
  ) =>
    fake.put('invoices', {
      id,
      reference: `INV${id}`,
      contact_id: contact,
      issue_date: '2026-03-01',
      due_date: '2026-03-31',
      status,
      inventory_id: 1,
      line_items: lines,
      ...extra,
    });
  // the document's own example: 10 × 125.00 + 15 % = 1437.50
  invoice(
    100231,
    1001,
    'Approved',
    [line({ quantity: '10.0', unit_price: '125.00', line_total: '1437.50' })],
    {
      total: '1437.50',
    },
  );
  // mixed lines: 115.00 tax-inclusive (net 100) + 200 exclusive (net 200) → 345.00
  invoice(100232, 1002, 'Partially Paid', [
    line({ quantity: '1.0', unit_price: '115.00', is_inclusive: true }),
    line({
      product_id: 501,
      quantity: num('1'),
      unit_price: num('200.00'),
      tax_percent: num('15'),
      is_inclusive: false,
    }),
  ]);
  // an amount discount: 2 × 50 − 10 = 90 net → 103.50
  invoice(100233, 1003, 'Approved', [
    line({ quantity: '2', unit_price: '50', discount: '10', discount_type: 'amount' }),
  ]);
  // a percentage discount: 4 × 30 × 90 % = 108 net → 124.20
  invoice(100234, 1004, 'Approved', [line({ quantity: '4', unit_price: '30.00', discount: num('10.0') })]);
  invoice(100235, 1005, 'Draft', [line({ quantity: '1', unit_price: '99' })]);
  invoice(100236, 1006, 'Voided', [line({ quantity: '1', unit_price: '80' })]);
  invoice(100237, 1007, 'Paid', [
    line({ product_id: 502, quantity: '1', unit_price: '100', tax_percent: '15' }),
  ]);
  for (let k = 0; k < 200; k++) {
    invoice(110000 + k, 1001 + (k % BOOKS.customers), 'Approved', [
      line({ quantity: '1', unit_price: `${10 + k}.00` }),
    ]);
  }
  fake.put('credit_notes', {
    id: 700012,
    reference: 'CN700012',
    contact_id: 1001,
    parent_id: 100231,
    issue_date: '2026-03-10',
    status: 'Approved',
    line_items: [
      {
        product_id: 503,
        quantity: '1.0',
        unit_price: '125.00',
        discount_percent: '0.0',
        tax_percent: '15.0',
        is_inclusive: false,
      },
    ],
  });
  // the variant some material names: invoice_id and price
  fake.put('credit_notes', {
    id: 700013,
    reference: 'CN700013',
    contact_id: 1003,
    invoice_id: 100233,
    issue_date: '2026-03-12',
    status: 'Approved',
    line_items: [
      {
        product_id: 503,
        quantity: num('1'),
        price: '50.00',
        discount_percent: '0',
        tax_percent: '15',
        is_inclusive: false,
      },
    ],
  });
  fake.put('credit_notes', {
    id: 700014,
    reference: 'CN700014',
    contact_id: 1004,
    parent_id: 100234,
    issue_date: '2026-03-12',
    status: 'Draft',
    line_items: [
      { product_id: 503, quantity: '1', unit_price: '30', tax_percent: '15', is_inclusive: false },
    ],
  });
  fake.put('receipts', {
    id: 300871,
    reference: 'RCT300871',
    contact_id: 1001,
    kind: 'received',
    amount: '1437.50',
    date: '2026-03-20',
    account_id: 5,
    allocations: [{ allocatee_type: 'Invoice', allocatee_id: 100231, amount: '1437.50' }],
  });
  fake.put('receipts', {
    id: 300872,
    reference: 'RCT300872',
    contact_id: 1001,
    kind: 'paid',
    amount: '500.00',
    date: '2026-03-21',
    allocations: [],
  });
  // 345.00 to the mixed invoice, 55.00 on account
  fake.put('receipts', {
    id: 300873,
    reference: 'RCT300873',
    contact_id: 1002,
    kind: 'received',
    amount: num('400.00'),
    date: '2026-03-22',
    allocations: [
      { allocatee_type: 'Invoice', allocatee_id: num('100232'), amount: num('345.00') },
      { allocatee_type: 'Bill', allocatee_id: 9, amount: '5.00' },
    ],
  });
  fake.put('receipts', {
    id: 300874,
    reference: 'RCT300874',
    contact_id: 1005,
    kind: 'received',
    amount: '50.00',
    date: '2026-03-23',
    allocations: [],
  });
  fake.stepMs = step;
}
