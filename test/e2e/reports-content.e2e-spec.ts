import * as biz from '../fixtures/small-business';
import { createTenant, importBatch, TestTenant } from '../support/app';
import { bootReportsApp, drain, reportsDatabase, ReportsApp } from '../support/reports-app';

/** The receivables-aging and restock report types, worked by hand on small scenarios. */
describe('receivables-aging and restock reports', () => {
  let t: ReportsApp;
  let db: Awaited<ReturnType<typeof reportsDatabase>>;

  beforeAll(async () => {
    db = await reportsDatabase();
    t = await bootReportsApp(db.env);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  async function runReport(tenant: TestTenant, body: Record<string, unknown>, now: string) {
    t.clock.set(new Date(now));
    const s = await t.http
      .post('/v1/reports/schedules')
      .set(tenant.auth)
      .send({ cron: '0 0 1 1 *', ...body })
      .expect(201);
    const run = await t.http.post(`/v1/reports/schedules/${s.body.id}/run`).set(tenant.auth).expect(202);
    await drain(t);
    const view = (await t.http.get(`/v1/reports/runs/${run.body.id}`).set(tenant.auth).expect(200)).body;
    expect(view.status).toBe('succeeded');
    const dl = await t.http
      .get(`/v1/reports/runs/${run.body.id}/download?format=json`)
      .set(tenant.auth)
      .expect(200);
    return { view, report: JSON.parse(dl.text) };
  }

  it('ages open invoices by due date per customer (DOMAIN §7)', async () => {
    const tenant = await createTenant(t);
    for (const resource of biz.ORDER) await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
    // as of 2024-06-30 (Riyadh):
    //  INV-1 626.75 due 2024-03-31 − PAY-1 500 − CN-1 63.25 = 63.50 open, 91 days overdue → over 90
    //  INV-2 230.00 due 2024-03-05 + 30 = 2024-04-04, fully allocated (PAY-2 230) → not listed
    //  INV-3 115.00 due 2024-04-10 + 30 = 2024-05-10 → 51 days overdue → 31–60
    //  C2's unallocated 70 of PAY-2 ages nowhere.
    const { view, report } = await runReport(tenant, { type: 'receivables-aging' }, '2024-06-30T10:00:00Z');
    expect(view.rowCount).toBe(1);
    expect(report.rows).toEqual([
      {
        customerId: 'C1',
        name: 'Al Ufuq Trading',
        nameAr: 'شركة الأفق للتجارة',
        notDue: '0.00',
        days1to30: '0.00',
        days31to60: '115.00',
        days61to90: '0.00',
        over90: '63.50',
        total: '178.50',
        maxDaysOverdue: 91,
        openInvoices: 2,
        email: 'ap@alufuq.sa',
        phone: null,
      },
    ]);
    expect(report.summary).toEqual({
      customers: 1,
      notDue: '0.00',
      days1to30: '0.00',
      days31to60: '115.00',
      days61to90: '0.00',
      over90: '63.50',
      total: '178.50',
    });
    // as of 2024-04-15: INV-1 open 63.50 is 15 days overdue; INV-3 is not yet due; INV-2 was paid 2024-04-01
    const early = await runReport(tenant, { type: 'receivables-aging' }, '2024-04-15T10:00:00Z');
    expect(
      early.report.rows.map((r: Record<string, string>) => [r.customerId, r.notDue, r.days1to30, r.total]),
    ).toEqual([['C1', '115.00', '63.50', '178.50']]);
    const filtered = await runReport(
      tenant,
      { type: 'receivables-aging', filters: { minDaysOverdue: 30 } },
      '2024-04-15T10:00:00Z',
    );
    expect(filtered.report.rows).toEqual([]);
  });

  it('lists products whose stock is at or below the reorder point of mean demand', async () => {
    const tenant = await createTenant(t);
    await importBatch(t, tenant, 'customers', [{ externalId: 'K', name: 'Kiosk' }]).expect(200);
    await importBatch(t, tenant, 'products', [
      { externalId: 'P-LOW', name: 'Cardamom', category: 'Spices', packSize: '6', minOrderQty: '12' },
      { externalId: 'P-OK', name: 'Saffron', category: 'Spices', leadTimeDays: 7 },
      { externalId: 'P-SVC', name: 'Delivery', isService: true },
    ]).expect(200);
    // 2024-03-01 … 2024-03-30: 3 units of P-LOW a day (90 units), 1 of P-OK a day (30); one return of 9 P-LOW restocked
    const invoices = Array.from({ length: 30 }, (_, i) => ({
      externalId: `I-${i + 1}`,
      customerId: 'K',
      issueDate: `2024-03-${String(i + 1).padStart(2, '0')}`,
      status: 'issued',
      lines: [
        { productId: 'P-LOW', quantity: 3, unitPrice: '10' },
        { productId: 'P-OK', quantity: 1, unitPrice: '50' },
      ],
    }));
    await importBatch(t, tenant, 'invoices', invoices).expect(200);
    await importBatch(t, tenant, 'credit-notes', [
      {
        externalId: 'R-1',
        customerId: 'K',
        issueDate: '2024-03-20',
        lines: [{ productId: 'P-LOW', quantity: 9, unitPrice: '10' }],
      },
    ]).expect(200);
    await importBatch(t, tenant, 'inventory', [
      { productId: 'P-LOW', warehouseId: 'main', asOf: '2024-03-25', onHand: '50' },
      { productId: 'P-LOW', warehouseId: 'main', asOf: '2024-03-30', onHand: '8', onOrder: '2' },
      { productId: 'P-LOW', warehouseId: 'jeddah', asOf: '2024-03-30', onHand: '1' },
      { productId: 'P-OK', asOf: '2024-03-30', onHand: '40' },
    ]).expect(200);
    // as of 2024-03-31, window 90 days (defaults: lead time 14, cover 30):
    //  P-LOW rate (90 − 9) / 90 = 0.9/day; L 14 → reorder point 12.6; stock 8 + 1 on hand, 2 on order = 11 ≤ 12.6 → listed
    //        target 0.9 × 44 = 39.6; shortfall 39.6 − 9 − 2 = 28.6 → 5 packs of 6 = 30 (≥ min order 12)
    //  P-OK  rate 30 / 90 = 0.333…; L 7 → reorder point 2.33; 40 on hand → not listed
    const { report } = await runReport(tenant, { type: 'restock', format: 'csv' }, '2024-03-31T10:00:00Z');
    expect(report.rows).toEqual([
      {
        productId: 'P-LOW',
        name: 'Cardamom',
        nameAr: null,
        category: 'Spices',
        onHand: '9',
        onOrder: '2',
        dailyDemand: '0.90',
        leadTimeDays: 14,
        reorderPoint: '12.60',
        suggestedQuantity: '30',
        stockAsOf: '2024-03-30',
      },
    ]);
    expect(report.summary).toEqual({ products: 1, windowDays: 90, coverDays: 30 });
    const other = await runReport(
      tenant,
      { type: 'restock', filters: { category: 'Coffee' } },
      '2024-03-31T10:00:00Z',
    );
    expect(other.report.rows).toEqual([]);
    await t.http
      .post('/v1/reports/schedules')
      .set(tenant.auth)
      .send({ type: 'restock', cron: '0 0 1 1 *', filters: { minScore: 10 } })
      .expect(422);
  });
});
