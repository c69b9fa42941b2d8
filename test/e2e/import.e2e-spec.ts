import * as biz from '../fixtures/small-business';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';
import { tenantContents, tenantCounts } from '../support/tables';

async function loadAll(t: TestApp, tenant: TestTenant) {
  for (const resource of biz.ORDER) await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
}

describe('import API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  it('imports every resource and reports what it created', async () => {
    const tenant = await createTenant(t);
    for (const resource of biz.ORDER) {
      const res = await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
      const n = biz.all[resource].length;
      expect(res.body).toEqual({ received: n, created: n, updated: 0, unchanged: 0 });
    }
    const [inv1] = await t.sql<Record<string, string>>(
      `SELECT net, tax, total FROM invoices WHERE tenant_id = $1 AND external_id = 'INV-1'`,
      [tenant.id],
    );
    expect(inv1).toEqual({ net: '545', tax: '81.75', total: '626.75' });
    const [inv3] = await t.sql<Record<string, string>>(
      `SELECT net::text, tax::text FROM invoices WHERE tenant_id = $1 AND external_id = 'INV-3'`,
      [tenant.id],
    );
    expect(Number(inv3!.net)).toBe(100);
    expect(await tenantCounts(t, tenant.id)).toEqual({
      customers: 2,
      products: 3,
      invoices: 3,
      invoice_lines: 4,
      payments: 2,
      payment_allocations: 2,
      credit_notes: 1,
      credit_note_lines: 1,
      inventory_snapshots: 3,
    });
  });

  it('re-importing the same files changes nothing: everything unchanged, tables identical', async () => {
    const tenant = await createTenant(t);
    await loadAll(t, tenant);
    const before = await tenantContents(t, tenant.id);
    for (const resource of biz.ORDER) {
      const res = await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
      const n = biz.all[resource].length;
      expect(res.body).toEqual({ received: n, created: 0, updated: 0, unchanged: n });
    }
    expect(await tenantContents(t, tenant.id)).toEqual(before);
  });

  it('treats 12.5 and "12.50" as the same value', async () => {
    const tenant = await createTenant(t);
    await importBatch(t, tenant, 'products', [{ externalId: 'P', name: 'x', unitCost: '12.50' }]).expect(200);
    const res = await importBatch(t, tenant, 'products', [
      { externalId: 'P', name: 'x', unitCost: 12.5 },
    ]).expect(200);
    expect(res.body.unchanged).toBe(1);
  });

  it("updates only what changed and replaces a document's lines", async () => {
    const tenant = await createTenant(t);
    await loadAll(t, tenant);
    const changed = biz.invoices.map((inv) =>
      inv.externalId === 'INV-1'
        ? { ...inv, lines: [{ productId: 'SKU-2', quantity: '1', unitPrice: '10.00' }], total: '10.00' }
        : inv,
    );
    const res = await importBatch(t, tenant, 'invoices', changed).expect(200);
    expect(res.body).toEqual({ received: 3, created: 0, updated: 1, unchanged: 2 });
    const lines = await t.sql<{ product: string; quantity: string; net: string }>(
      `SELECT p.external_id AS product, l.quantity::text, l.net::text FROM invoice_lines l
         JOIN invoices i ON i.tenant_id = l.tenant_id AND i.id = l.invoice_id
         JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
        WHERE l.tenant_id = $1 AND i.external_id = 'INV-1'`,
      [tenant.id],
    );
    expect(lines).toEqual([{ product: 'SKU-2', quantity: '1', net: '10' }]);
    const customer = await importBatch(t, tenant, 'customers', [
      { ...biz.customers[0], city: 'Jeddah' },
      biz.customers[1],
    ]).expect(200);
    expect(customer.body).toEqual({ received: 2, created: 0, updated: 1, unchanged: 1 });
  });

  it('reads NDJSON', async () => {
    const tenant = await createTenant(t);
    const ndjson = biz.customers.map((c) => JSON.stringify(c)).join('\n') + '\n';
    const res = await importBatch(t, tenant, 'customers', ndjson, 'application/x-ndjson').expect(200);
    expect(res.body.created).toBe(2);
  });

  it('reads CSV with one row per invoice line and the document fields repeated', async () => {
    const tenant = await createTenant(t);
    await importBatch(t, tenant, 'customers', biz.customers).expect(200);
    await importBatch(t, tenant, 'products', biz.products).expect(200);
    const csv = [
      'externalId,customerId,issueDate,status,productId,line.description,quantity,unitPrice,discountPercent,taxRate,total',
      'INV-2,C2,2024-03-05,issued,SKU-2,,2,100.00,10,0.15,230.00',
      'INV-2,C2,2024-03-05,issued,SVC-1,delivery,1,20.00,,0.15,230.00',
      '"INV-9",C1,2024-05-01,issued,SKU-1,,3,"55.00",,0.15,189.75',
    ].join('\r\n');
    const res = await importBatch(t, tenant, 'invoices', csv, 'text/csv').expect(200);
    expect(res.body).toEqual({ received: 2, created: 2, updated: 0, unchanged: 0 });
    const [n] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM invoice_lines WHERE tenant_id = $1`,
      [tenant.id],
    );
    expect(n!.n).toBe(3);
    // the same invoices as JSON are unchanged: CSV and JSON mean the same thing
    const json = await importBatch(t, tenant, 'invoices', [biz.invoices[1]]).expect(200);
    expect(json.body.unchanged).toBe(1);
  });

  it('reads payments CSV with one row per allocation', async () => {
    const tenant = await createTenant(t);
    await loadAll(t, tenant);
    const csv = [
      'externalId,customerId,date,amount,allocation.invoiceId,allocation.amount',
      'PAY-9,C1,2024-05-01,200.00,INV-1,63.50',
      'PAY-9,C1,2024-05-01,200.00,INV-3,115.00',
      'PAY-10,C2,2024-05-02,50.00,,',
    ].join('\n');
    const res = await importBatch(t, tenant, 'payments', csv, 'text/csv').expect(200);
    expect(res.body.created).toBe(2);
    const alloc = await t.sql(
      `SELECT count(*)::int AS n FROM payment_allocations a JOIN payments p ON p.tenant_id = a.tenant_id AND p.id = a.payment_id
        WHERE a.tenant_id = $1 AND p.external_id IN ('PAY-9', 'PAY-10')`,
      [tenant.id],
    );
    expect(alloc).toEqual([{ n: 2 }]);
  });

  it('lists import runs with counts, duration and the key that sent them, newest first, paged', async () => {
    const tenant = await createTenant(t);
    await loadAll(t, tenant);
    await importBatch(t, tenant, 'customers', [{ externalId: '' }]).expect(422);
    const first = await t.http.get('/v1/import/runs?limit=4').set(tenant.auth).expect(200);
    expect(first.body.data).toHaveLength(4);
    expect(first.body.data[0]).toMatchObject({ resource: 'customers', status: 'rejected', errorCount: 2 });
    expect(first.body.data[1]).toMatchObject({
      resource: 'inventory',
      status: 'succeeded',
      received: 3,
      created: 3,
    });
    expect(first.body.data[1].durationMs).toEqual(expect.any(Number));
    expect(first.body.data[1].apiKeyId).toEqual(expect.any(String));
    const second = await t.http
      .get(`/v1/import/runs?limit=4&cursor=${first.body.nextCursor}`)
      .set(tenant.auth)
      .expect(200);
    expect(second.body.data.map((r: { resource: string }) => r.resource)).toEqual([
      'invoices',
      'products',
      'customers',
    ]);
    expect(second.body.nextCursor).toBeNull();
    await t.http.get('/v1/import/runs?cursor=garbage').set(tenant.auth).expect(400);
    await t.http.get('/v1/import/runs?limit=501').set(tenant.auth).expect(400);
  });

  it('answers 404 for an unknown resource and 415 for an unknown content type', async () => {
    const tenant = await createTenant(t);
    await importBatch(t, tenant, 'widgets', []).expect(404);
    const res = await importBatch(t, tenant, 'customers', '<xml/>', 'application/xml').expect(415);
    expect(res.body.error).toBe('unsupported_media_type');
  });

  it('accepts an empty batch as a no-op', async () => {
    const tenant = await createTenant(t);
    const res = await importBatch(t, tenant, 'customers', []).expect(200);
    expect(res.body).toEqual({ received: 0, created: 0, updated: 0, unchanged: 0 });
  });
});

describe('import body limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ IMPORT_BODY_LIMIT: '2kb' });
  });
  afterAll(() => t.close());

  it('answers 413 to a body over IMPORT_BODY_LIMIT and writes nothing', async () => {
    const tenant = await createTenant(t);
    const big = Array.from({ length: 100 }, (_v, i) => ({
      externalId: `C${i}`,
      name: 'A customer with a long name',
    }));
    const res = await importBatch(t, tenant, 'customers', big).expect(413);
    expect(res.body.error).toBe('payload_too_large');
    expect((await tenantCounts(t, tenant.id)).customers).toBe(0);
  });
});
