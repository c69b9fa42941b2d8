import * as biz from '../fixtures/small-business';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

describe('read-back of imported records', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    tenant = await createTenant(t);
    for (const resource of biz.ORDER) await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
  });
  afterAll(() => t.close());

  it('returns a customer profile with net revenue and balance as decimal strings', async () => {
    const res = await t.http.get('/v1/customers/C1').set(tenant.auth).expect(200);
    // invoices 545 + 100 net, credit note 55 net → 590.00; totals 626.75 + 115 − 63.25 − paid 500 → 178.50
    expect(res.body).toMatchObject({
      customerId: 'C1',
      externalId: 'C1',
      name: 'Al Ufuq Trading',
      nameAr: 'شركة الأفق للتجارة',
      email: 'ap@alufuq.sa',
      phone: null,
      city: 'Riyadh',
      country: 'SA',
      currency: 'SAR',
      netRevenue: '590.00',
      balance: '178.50',
      cadence: { purchaseDays: 2, firstPurchase: '2024-03-01', lastPurchase: '2024-04-10' },
    });
    expect(res.body.topProducts.map((p: { productId: string }) => p.productId)).toEqual(['SKU-1', 'SKU-2']);
    // COGS: 10 × 38.50 (product cost; the 03-31 snapshot is after the sale) + 1 × 60 − the restocked
    // return 1 × 38.50 = 406.50; gross profit 590 − 406.50 = 183.50. Open: INV-1 63.50 + INV-3 115,
    // both past due; nothing settled yet, so no days to pay.
    expect(res.body.profitability).toEqual({
      grossProfit: '183.50',
      cogs: '406.50',
      costCoverage: '100.00',
      costOfCredit: '0.00',
      contribution: '183.50',
    });
    expect(res.body.receivables).toEqual({ open: '178.50', overdue: '178.50', meanDaysToPay: null });
    // as of a date before its first invoice, the customer is a prospect with nothing owed
    const early = await t.http.get('/v1/customers/C1?asOf=2024-02-01').set(tenant.auth).expect(200);
    expect(early.body).toMatchObject({
      rfm: null,
      lifecycle: { stage: 'prospect' },
      netRevenue: '0.00',
      balance: '0.00',
    });
    await t.http.get('/v1/customers/NOPE').set(tenant.auth).expect(404);
  });

  it('returns a product with its latest stock per warehouse', async () => {
    const res = await t.http.get('/v1/products/SKU-1').set(tenant.auth).expect(200);
    expect(res.body).toMatchObject({
      externalId: 'SKU-1',
      unitCost: '38.5000',
      leadTimeDays: 14,
      packSize: '6',
      minOrderQty: '12',
      isService: false,
    });
    expect(res.body.stock).toEqual([
      { warehouseId: 'jeddah', asOf: '2024-03-31', onHand: '30', onOrder: '0', unitCost: null },
      { warehouseId: 'main', asOf: '2024-03-31', onHand: '120', onOrder: '48', unitCost: '38.5000' },
    ]);
  });

  it('lists invoices with lines, open amounts, filters and cursor pages', async () => {
    const all = await t.http.get('/v1/invoices').set(tenant.auth).expect(200);
    expect(all.body.data.map((i: { externalId: string }) => i.externalId)).toEqual([
      'INV-1',
      'INV-2',
      'INV-3',
    ]);
    const inv1 = all.body.data[0];
    // 626.75 − payment 500 − credit note 63.25 = 63.50 open
    expect(inv1).toMatchObject({
      customerId: 'C1',
      net: '545.00',
      tax: '81.75',
      total: '626.75',
      allocated: '563.25',
      open: '63.50',
    });
    expect(inv1.lines).toEqual([
      {
        lineNo: 1,
        productId: 'SKU-1',
        description: null,
        quantity: '10',
        unitPrice: '55',
        discount: '5.00',
        discountPercent: '0',
        taxRate: '0.15',
        unitCost: null,
        net: '545.00',
        tax: '81.75',
      },
    ]);
    const c1 = await t.http.get('/v1/invoices?customerId=C1&from=2024-04-01').set(tenant.auth).expect(200);
    expect(c1.body.data.map((i: { externalId: string }) => i.externalId)).toEqual(['INV-3']);
    const to = await t.http.get('/v1/invoices?to=2024-03-01').set(tenant.auth).expect(200);
    expect(to.body.data).toHaveLength(1);
    const p1 = await t.http.get('/v1/invoices?limit=2').set(tenant.auth).expect(200);
    expect(p1.body.data).toHaveLength(2);
    const p2 = await t.http
      .get(`/v1/invoices?limit=2&cursor=${p1.body.nextCursor}`)
      .set(tenant.auth)
      .expect(200);
    expect(p2.body.data.map((i: { externalId: string }) => i.externalId)).toEqual(['INV-3']);
    expect(p2.body.nextCursor).toBeNull();
    await t.http.get('/v1/invoices?from=2024-02-30').set(tenant.auth).expect(400);
    await t.http.get('/v1/invoices?limit=0').set(tenant.auth).expect(400);
  });
});

describe('health when the database is gone', () => {
  it('answers 503', async () => {
    const t = await bootApp();
    const { DataSource } = await import('typeorm');
    await t.app.get(DataSource).destroy();
    await t.http.get('/health').expect(503, { status: 'unavailable', database: 'down' });
    await t.app.close();
  });
});
