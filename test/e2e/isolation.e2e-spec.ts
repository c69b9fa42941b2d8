import * as biz from '../fixtures/small-business';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/** Two tenants with the same externalIds: neither can read, reference or change the other's data. */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    a = await createTenant(t);
    b = await createTenant(t);
    for (const resource of biz.ORDER) await importBatch(t, a, resource, biz.all[resource]).expect(200);
    await importBatch(t, b, 'customers', [{ externalId: 'B-ONLY', name: 'Only in B' }]).expect(200);
  });
  afterAll(() => t.close());

  it("answers 404 for another tenant's customer, product and invoices, both ways", async () => {
    await t.http.get('/v1/customers/C1').set(a.auth).expect(200);
    await t.http.get('/v1/customers/C1').set(b.auth).expect(404);
    await t.http.get('/v1/products/SKU-1').set(b.auth).expect(404);
    await t.http.get('/v1/customers/B-ONLY').set(b.auth).expect(200);
    const res = await t.http.get('/v1/customers/B-ONLY').set(a.auth).expect(404);
    expect(JSON.stringify(res.body)).not.toContain('Only in B');
    const invoices = await t.http.get('/v1/invoices').set(b.auth).expect(200);
    expect(invoices.body.data).toEqual([]);
    const filtered = await t.http.get('/v1/invoices?customerId=C1').set(b.auth).expect(200);
    expect(filtered.body.data).toEqual([]);
    const runs = await t.http.get('/v1/import/runs').set(b.auth).expect(200);
    expect(runs.body.data).toHaveLength(1);
  });

  it("cannot reference another tenant's customers, products or invoices in an import", async () => {
    const inv = await importBatch(t, b, 'invoices', [
      {
        externalId: 'X',
        customerId: 'C1',
        issueDate: '2024-01-01',
        lines: [{ productId: 'SKU-1', quantity: 1, unitPrice: 1 }],
      },
    ]).expect(422);
    expect(inv.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'customerId',
      'lines[0].productId',
    ]);
    const pay = await importBatch(t, b, 'payments', [
      {
        externalId: 'P',
        customerId: 'B-ONLY',
        date: '2024-01-01',
        amount: 1,
        allocations: [{ invoiceId: 'INV-1', amount: 1 }],
      },
    ]).expect(422);
    expect(pay.body.errors[0].field).toBe('allocations[0].invoiceId');
  });

  it("the same externalId in two tenants is two records: B's import leaves A's untouched", async () => {
    await importBatch(t, b, 'customers', [{ externalId: 'C1', name: 'B’s own C1' }]).expect(200);
    const inA = await t.http.get('/v1/customers/C1').set(a.auth).expect(200);
    expect(inA.body.name).toBe('Al Ufuq Trading');
    const inB = await t.http.get('/v1/customers/C1').set(b.auth).expect(200);
    expect(inB.body.name).toBe('B’s own C1');
    expect(inB.body).toMatchObject({ rfm: null, netRevenue: '0.00', lifecycle: { stage: 'prospect' } });
  });
});
