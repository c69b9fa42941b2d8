import { parseExactJson } from '../exact-json';
import { mapCreditNote, mapCustomer, mapInvoice, mapLines, mapProduct, mapReceipt } from './qoyod.mapping';
import { listPage } from './index';
import type { SourceClient, SourceResponse } from '../adapter';
import { SourceAuthError } from '../adapter';

const CTX = { timeZone: 'Asia/Riyadh', currency: 'SAR', syncStartedAt: '2026-12-06T22:30:00.000Z' };
const parse = (json: string) => parseExactJson(json, 'text');

describe('Qoyod mapping (the document’s examples)', () => {
  it('maps a customer', () => {
    const raw = parse(`{"id": 1042, "name": "Al-Noor Trading", "organization": "النور للتجارة",
      "email": "a@noor.sa", "phone_number": "+966500000042", "tax_number": "300000000000042",
      "status": "Active", "updated_at": "2026-11-30T09:15:00.000+03:00"}`);
    expect(mapCustomer(raw)).toEqual({
      sourceId: '1042',
      updatedAt: '2026-11-30T09:15:00.000+03:00',
      mapped: [
        {
          resource: 'customers',
          record: {
            externalId: '1042',
            name: 'Al-Noor Trading',
            email: 'a@noor.sa',
            phone: '+966500000042',
            taxNumber: '300000000000042',
          },
        },
      ],
    });
  });

  it('maps a product and its stock as of the sync’s date in the tenant’s zone', () => {
    const raw = parse(`{"id": 503, "sku": "SKU-0003", "name_en": "Item 3", "name_ar": "صنف 3",
      "type": "Product", "track_quantity": true, "buying_price": 41.20, "selling_price": "61.80",
      "inventories": [{"id": 1, "name": "Main warehouse", "stock": "120.0"}], "updated_at": null}`);
    expect(mapProduct(raw, CTX).mapped).toEqual([
      {
        resource: 'products',
        record: { externalId: '503', name: 'Item 3', nameAr: 'صنف 3', unitCost: '41.20', isService: false },
      },
      // 22:30 UTC is already the 7th in Riyadh
      {
        resource: 'inventory',
        record: { productId: '503', warehouseId: '1', asOf: '2026-12-07', onHand: '120.0' },
      },
    ]);
    const service = mapProduct({ id: 9, name_ar: 'خدمة', type: 'Service', inventories: [] }, CTX);
    expect(service.mapped[0]!.record).toMatchObject({ name: 'خدمة', isService: true });
  });

  it('maps an invoice: status, tax rate, lines, refs', () => {
    const raw = parse(`{"id": 100231, "reference": "INV100231", "contact_id": 1042,
      "issue_date": "2026-03-01", "due_date": "2026-03-31", "status": "Approved", "total": "1437.50",
      "inventory_id": 1, "line_items": [{"product_id": 503, "description": "Item 3", "quantity": "10.0",
      "unit_price": "125.00", "discount": "0.0", "discount_type": "percentage", "tax_percent": "15.0",
      "is_inclusive": false, "line_total": "1437.50"}], "updated_at": "2026-03-01T10:00:00+03:00"}`);
    const m = mapInvoice(raw);
    expect(m.mapped[0]!.record).toEqual({
      externalId: '100231',
      number: 'INV100231',
      customerId: '1042',
      issueDate: '2026-03-01',
      dueDate: '2026-03-31',
      status: 'issued',
      pricesIncludeTax: false,
      lines: [
        { productId: '503', description: 'Item 3', quantity: '10.0', unitPrice: '125.00', taxRate: '0.15' },
      ],
    });
    expect(m.refs).toEqual([
      { stream: 'customers', sourceId: '1042' },
      { stream: 'products', sourceId: '503' },
    ]);
    expect(mapInvoice({ ...(raw as object), status: 'Voided' }).mapped[0]!.record.status).toBe('void');
    expect(mapInvoice({ ...(raw as object), status: 'Paid' }).mapped[0]!.record.status).toBe('issued');
    expect(mapInvoice({ ...(raw as object), status: 'Draft' })).toMatchObject({
      mapped: [],
      skipped: 'draft',
    });
  });

  it('converts exclusive lines exactly when lines differ in is_inclusive', () => {
    const { lines, pricesIncludeTax } = mapLines(
      [
        { quantity: '1', unit_price: '115.00', tax_percent: '15', is_inclusive: true },
        { quantity: '3', unit_price: '200.10', tax_percent: '15', is_inclusive: false },
      ],
      { creditNote: false },
    );
    expect(pricesIncludeTax).toBe(true);
    expect(lines.map((l) => l.unitPrice)).toEqual(['115.00', '230.115']);
  });

  it('reads discount_type amount and percentage', () => {
    const amount = mapLines([{ quantity: '2', unit_price: '50', discount: '10', discount_type: 'amount' }], {
      creditNote: false,
    });
    expect(amount.lines[0]).toMatchObject({ discount: '10' });
    expect(amount.lines[0]!.discountPercent).toBeUndefined();
    const pct = mapLines([{ quantity: '2', unit_price: '50', discount: '12.5' }], { creditNote: false });
    expect(pct.lines[0]).toMatchObject({ discountPercent: '12.5' });
  });

  it('maps a credit note with parent_id or invoice_id, unit_price or price', () => {
    const a = mapCreditNote(
      parse(`{"id": 700012, "reference": "CN700012", "contact_id": 1042, "parent_id": 100231,
      "issue_date": "2026-03-10", "status": "Approved", "line_items": [{"product_id": 503,
      "quantity": "1.0", "unit_price": "125.00", "discount_percent": "0.0", "tax_percent": "15.0", "is_inclusive": false}]}`),
    );
    expect(a.mapped[0]!.record).toEqual({
      externalId: '700012',
      number: 'CN700012',
      customerId: '1042',
      invoiceId: '100231',
      issueDate: '2026-03-10',
      restock: true,
      pricesIncludeTax: false,
      lines: [{ productId: '503', quantity: '1.0', unitPrice: '125.00', taxRate: '0.15' }],
    });
    const b = mapCreditNote({
      id: 7,
      contact_id: 1,
      invoice_id: 9,
      issue_date: '2026-03-10',
      status: 'Approved',
      line_items: [{ quantity: '1', price: '50.00', discount_percent: '5', tax_percent: '15' }],
    });
    expect(b.mapped[0]!.record).toMatchObject({
      invoiceId: '9',
      lines: [{ unitPrice: '50.00', discountPercent: '5' }],
    });
  });

  it('maps a received receipt with its invoice allocations; a paid one is skipped', () => {
    const r = mapReceipt(
      parse(`{"id": 300871, "reference": "RCT300871", "contact_id": 1042, "kind": "received",
      "amount": 1437.50, "date": "2026-03-20", "account_id": 5,
      "allocations": [{"allocatee_type": "Invoice", "allocatee_id": 100231, "amount": "1437.50"},
                      {"allocatee_type": "Bill", "allocatee_id": 4, "amount": "1.00"}]}`),
    );
    expect(r.mapped[0]!.record).toEqual({
      externalId: '300871',
      customerId: '1042',
      date: '2026-03-20',
      amount: '1437.50',
      allocations: [{ invoiceId: '100231', amount: '1437.50' }],
    });
    expect(mapReceipt({ id: 1, kind: 'paid', amount: '5' })).toMatchObject({
      mapped: [],
      skipped: 'vendor payment',
    });
  });
});

describe('Qoyod listing', () => {
  const answer = (status: number, body: unknown): SourceResponse => ({
    status,
    headers: {},
    body,
    text: JSON.stringify(body),
  });
  const client = (responses: SourceResponse[], seen: Record<string, unknown>[] = []): SourceClient => ({
    get: (_path, query) => {
      seen.push(query ?? {});
      return Promise.resolve(responses.shift()!);
    },
  });
  const rows = (n: number, from = 1) => Array.from({ length: n }, (_, i) => ({ id: from + i }));
  const res = { path: 'invoices', plural: 'invoices' };

  it('asks 100 a page with the change filter, and a full page asks for the next', async () => {
    const seen: Record<string, unknown>[] = [];
    const page = await listPage(client([answer(200, { invoices: rows(100) })], seen), res, {
      updatedSince: '2026-11-01T00:00:00.000Z',
    });
    expect(seen[0]).toMatchObject({
      page: 1,
      per_page: 100,
      'q[updated_at_gteq]': '2026-11-01T00:00:00.000Z',
    });
    expect(page.records).toHaveLength(100);
    expect(page.next).toBe('2:1');
  });

  it('takes a 404 as an empty page, `data` as an envelope, and stops when page 2 repeats page 1', async () => {
    expect(await listPage(client([answer(404, { message: 'invoices found nothing' })]), res, {})).toEqual({
      records: [],
      next: null,
    });
    expect((await listPage(client([answer(200, { data: rows(3) })]), res, {})).records).toHaveLength(3);
    expect(await listPage(client([answer(200, { invoices: rows(100) })]), res, { page: '2:1' })).toEqual({
      records: [],
      next: null,
    });
  });

  it('a 401 is an auth error', async () => {
    await expect(listPage(client([answer(401, {})]), res, {})).rejects.toBeInstanceOf(SourceAuthError);
  });
});
