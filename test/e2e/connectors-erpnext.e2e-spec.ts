import Decimal from 'decimal.js';
import { makeErpnextFactory } from '../../src/connectors/erpnext';
import {
  ConnectorAdapter,
  MapContext,
  SourceClient,
  StreamName,
  STREAMS,
} from '../../src/connectors/adapter';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';
import { FakeErpnext, fetchClient, num, seedSmallBooks } from '../support/fake-erpnext';
import { tenantContents, tenantCounts } from '../support/tables';
import { ConnectorsLoop } from '../../src/connectors/connectors-loop';

/**
 * Part one — the ERPNext mapping end to end: the adapter reads the fake ERPNext page by page (exact JSON,
 * per-document GETs), and what it maps goes through the push API (/v1/import/<resource>), the same
 * validation and write path the sync engine uses. Proves that every mapped record is accepted and
 * lands with exact amounts, that an incremental read picks up a cancellation, and that another
 * tenant sees nothing.
 */
describe('ERPNext mapping through the import API', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let adapter: ConnectorAdapter;
  let client: SourceClient;
  const fake = new FakeErpnext();
  const ctx: MapContext = {
    timeZone: 'Asia/Riyadh',
    currency: 'SAR',
    syncStartedAt: '2026-03-20T08:00:00.000Z',
  };
  const cursors = new Map<StreamName, string>();

  /** Reads every stream (from its cursor when `incremental`), imports what it maps, returns the counts. */
  async function pull(incremental: boolean) {
    const skipped: Record<string, number> = {};
    const imported: Record<string, number> = {};
    for (const name of STREAMS) {
      const stream = adapter.streams.find((s) => s.name === name)!;
      const records: Record<string, unknown>[] = [];
      let resource = '';
      let page: string | undefined;
      do {
        const p = await stream.list(client, {
          page,
          updatedSince: incremental ? cursors.get(name) : undefined,
        });
        for (const raw of p.records) {
          const m = stream.map(raw, ctx);
          if (m.updatedAt && m.updatedAt > (cursors.get(name) ?? '')) cursors.set(name, m.updatedAt);
          if (m.skipped) skipped[m.skipped] = (skipped[m.skipped] ?? 0) + 1;
          for (const r of m.mapped) {
            resource = r.resource;
            records.push(r.record);
          }
        }
        page = p.next ?? undefined;
      } while (page !== undefined);
      if (records.length) {
        const res = await importBatch(t, tenant, resource, records);
        expect({ resource, status: res.status, body: res.body as unknown }).toMatchObject({ status: 200 });
        imported[name] = records.length;
      }
    }
    return { imported, skipped };
  }

  beforeAll(async () => {
    await fake.start();
    seedSmallBooks(fake);
    t = await bootApp();
    tenant = await createTenant(t, { currency: 'SAR', timezone: 'Asia/Riyadh' });
    other = await createTenant(t, { currency: 'SAR', timezone: 'Asia/Riyadh' });
    adapter = await makeErpnextFactory({ pageSize: 2 }).create(
      { url: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret },
      { qoyodApiUrl: 'https://api.qoyod.com/2.0', erpnextAllowedHosts: ['127.0.0.1'] },
    );
    client = fetchClient(adapter);
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  it('imports customers, items, invoices, returns, receipts and stock with exact amounts', async () => {
    const { imported, skipped } = await pull(false);
    expect(imported).toEqual({
      customers: 2,
      products: 2,
      invoices: 2,
      'credit-notes': 1,
      payments: 1,
      inventory: 1,
    });
    expect(skipped).toEqual({ draft: 1 });

    const invoices = await t.sql<{
      external_id: string;
      net: string;
      tax: string;
      total: string;
      status: string;
    }>(
      `SELECT external_id, net::text, tax::text, total::text, status FROM invoices WHERE tenant_id = $1 ORDER BY external_id`,
      [tenant.id],
    );
    const exact = (v: string) => new Decimal(v).toFixed();
    expect(
      invoices.map((r) => [r.external_id, exact(r.net), exact(r.tax), exact(r.total), r.status]),
    ).toEqual([
      ['SINV-0001', '180', '27', '207', 'issued'],
      // 1234.565 stays exact; VAT is ERPNext's grand total minus the net (185.18 rounded in ERPNext)
      ['SINV-0002', '1234.565', '185.185', '1419.75', 'issued'],
    ]);

    const [line] = await t.sql<{ unit_price: string; discount: string; tax_rate: string }>(
      `SELECT l.unit_price::text, l.discount::text, l.tax_rate::text FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
        WHERE i.tenant_id = $1 AND i.external_id = 'SINV-0001'`,
      [tenant.id],
    );
    expect(Number(line!.unit_price)).toBe(100);
    expect(Number(line!.discount)).toBe(20);
    expect(Number(line!.tax_rate)).toBe(0.15);

    const [credit] = await t.sql<{ total: string; invoice: string }>(
      `SELECT c.total::text, i.external_id AS invoice FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id WHERE c.tenant_id = $1`,
      [tenant.id],
    );
    expect({ total: Number(credit!.total), invoice: credit!.invoice }).toEqual({
      total: 103.5,
      invoice: 'SINV-0001',
    });

    const [payment] = await t.sql<{ amount: string; allocated: string }>(
      `SELECT p.amount::text, a.amount::text AS allocated FROM payments p JOIN payment_allocations a ON a.payment_id = p.id WHERE p.tenant_id = $1`,
      [tenant.id],
    );
    expect(payment!.amount).toMatch(/^100\.0050*$/);
    expect(payment!.allocated).toMatch(/^100\.0050*$/);

    const product = await t.http.get('/v1/products/ITEM-A').set(tenant.auth).expect(200);
    expect(product.body).toMatchObject({
      name: 'Dates 1kg',
      isService: false,
      stock: [{ warehouseId: 'Stores - HC', asOf: '2026-03-20', onHand: '12.5', onOrder: '40' }],
    });
    const customer = await t.http.get('/v1/customers/CUST-B').set(tenant.auth).expect(200);
    expect(customer.body).toMatchObject({ name: 'شركة الواحة' });
  });

  it('reads again only what changed since the cursors: a cancelled invoice becomes void', async () => {
    fake.requests.length = 0;
    fake.cancel('Sales Invoice', 'SINV-0002');
    const { imported } = await pull(true);
    expect(imported.invoices).toBe(1);
    expect(
      fake.requests.filter((r) => r.path.startsWith('/api/resource/Sales Invoice/')).map((r) => r.path),
    ).toContain('/api/resource/Sales Invoice/SINV-0002');
    for (const r of fake.requests.filter((x) => x.query.filters !== undefined)) {
      expect(r.query.filters).toContain('"modified",">="');
    }
    const [row] = await t.sql<{ status: string }>(
      `SELECT status FROM invoices WHERE tenant_id = $1 AND external_id = 'SINV-0002'`,
      [tenant.id],
    );
    expect(row!.status).toBe('void');
  });

  it('another tenant sees none of it', async () => {
    await t.http.get('/v1/customers/CUST-A').set(other.auth).expect(404);
    await t.http.get('/v1/products/ITEM-A').set(other.auth).expect(404);
    const list = await t.http.get('/v1/invoices').set(other.auth).expect(200);
    expect(list.body.data).toEqual([]);
  });
});

/**
 * Through the real connectors API and sync engine (src/connectors/**): the fake ERPNext on
 * 127.0.0.1, allowed by ERPNEXT_ALLOWED_HOSTS.
 */
const SECRETS_KEY = 'e'.repeat(64);
const apiEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  SECRETS_KEY,
  CONNECTORS_ENABLED: 'false',
  CONNECTOR_RATE_PER_SECOND: '0',
  CONNECTOR_BACKOFF_MS: '20',
  CONNECTOR_TIMEOUT_MS: '800',
  CONNECTOR_MAX_ATTEMPTS: '5',
  CONNECTOR_LEASE_MS: '600',
  ...extra,
});

// its own app, booted and closed before the next one (an embedded PGlite is one database per process)
describe('ERPNext connector without ERPNEXT_ALLOWED_HOSTS', () => {
  const fake = new FakeErpnext();
  let t: TestApp;
  beforeAll(async () => {
    await fake.start();
    t = await bootApp(apiEnv());
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  it('refuses the fake on 127.0.0.1: 422 naming credentials.url, and no request reaches it', async () => {
    const someone = await createTenant(t);
    const res = await t.http
      .post('/v1/connectors')
      .set(someone.auth)
      .send({
        kind: 'erpnext',
        name: 'Local',
        credentials: { url: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret },
      })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'credentials.url', message: expect.stringContaining('ERPNEXT_ALLOWED_HOSTS') },
    ]);
    expect(fake.requests).toEqual([]);
  });
});

describe('ERPNext connector through the API', () => {
  const fake = new FakeErpnext();
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let connectorId: string;
  const credentials = () => ({ url: fake.url, apiKey: fake.apiKey, apiSecret: fake.apiSecret });

  const runSyncs = () => t.app.get(ConnectorsLoop).tick();
  async function syncNow(mode?: 'full' | 'incremental') {
    const started = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send(mode ? { mode } : {})
      .expect(202);
    await runSyncs();
    const res = await t.http
      .get(`/v1/connectors/${connectorId}/syncs/${started.body.id}`)
      .set(tenant.auth)
      .expect(200);
    return res.body;
  }
  const statusOf = async (table: 'invoices' | 'credit_notes', id: string) =>
    (
      await t.sql<{ status: string }>(
        `SELECT status FROM ${table} WHERE tenant_id = $1 AND external_id = $2`,
        [tenant.id, id],
      )
    )[0]?.status;

  beforeAll(async () => {
    await fake.start();
    seedSmallBooks(fake);
    // 120 more customers: the customers stream takes two pages of 100
    for (let k = 1; k <= 120; k++)
      fake.put('Customer', { name: `CUST-${1000 + k}`, customer_name: `Customer ${k}` });
    t = await bootApp(apiEnv({ ERPNEXT_ALLOWED_HOSTS: '127.0.0.1' }));
    tenant = await createTenant(t, { currency: 'SAR', timezone: 'Asia/Riyadh' });
    other = await createTenant(t, { currency: 'SAR', timezone: 'Asia/Riyadh' });
  });
  afterAll(async () => {
    await t?.close();
    await fake.stop();
  });

  it('refuses a link-local (cloud metadata) URL with 422 naming credentials.url', async () => {
    const metadata = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({
        kind: 'erpnext',
        name: 'Metadata',
        credentials: { ...credentials(), url: 'http://169.254.169.254' },
      })
      .expect(422);
    expect(metadata.body.errors).toEqual([
      { field: 'credentials.url', message: expect.stringContaining('169.254.169.254') },
    ]);
  });

  it('refuses bad credentials with 422 and field paths, and saves nothing', async () => {
    const wrong = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({
        kind: 'erpnext',
        name: 'Wrong',
        credentials: { ...credentials(), apiSecret: 'not-the-secret' },
      })
      .expect(422);
    expect(JSON.stringify(wrong.body)).toContain('ERPNext refused');
    const shape = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({ kind: 'erpnext', name: 'Shape', credentials: { url: 'ftp://x', apiKey: '' } })
      .expect(422);
    expect((shape.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'credentials.apiKey',
      'credentials.apiSecret',
      'credentials.url',
    ]);
    expect(await t.sql(`SELECT 1 FROM connectors WHERE tenant_id = $1`, [tenant.id])).toHaveLength(0);
  });

  it('creates with good credentials: 201, the key and secret in no answer and not in the database', async () => {
    const res = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({ kind: 'erpnext', name: 'ERPNext main', credentials: credentials() })
      .expect(201);
    connectorId = res.body.id;
    expect(res.body).toMatchObject({ kind: 'erpnext', name: 'ERPNext main' });
    const one = await t.http.get(`/v1/connectors/${connectorId}`).set(tenant.auth).expect(200);
    const dump = await t.sql<{ row: string }>(
      `SELECT to_jsonb(c)::text AS row FROM connectors c WHERE tenant_id = $1`,
      [tenant.id],
    );
    for (const text of [JSON.stringify(res.body), JSON.stringify(one.body), dump[0]!.row]) {
      expect(text).not.toContain(fake.apiKey);
      expect(text).not.toContain(fake.apiSecret);
    }
  });

  it('the first sync imports customers, items, invoices, returns, receipts and stock with exact amounts', async () => {
    fake.requests.length = 0;
    await runSyncs();
    const [c] = (await t.http.get('/v1/connectors').set(tenant.auth).expect(200)).body.data;
    const s = (
      await t.http.get(`/v1/connectors/${connectorId}/syncs/${c.lastSync.id}`).set(tenant.auth).expect(200)
    ).body;
    expect(s).toMatchObject({ mode: 'full', status: 'succeeded', errors: [] });
    expect(s.progress.customers).toMatchObject({ pages: 2, fetched: 122, imported: 122 });
    expect(s.progress.invoices).toMatchObject({ fetched: 3, imported: 2, skipped: 1 });
    expect(s.progress['credit-notes']).toMatchObject({ fetched: 1, imported: 1 });
    expect(s.progress.payments).toMatchObject({ fetched: 1, imported: 1 });
    expect(await tenantCounts(t, tenant.id)).toMatchObject({
      customers: 122,
      products: 2,
      invoices: 2,
      invoice_lines: 2,
      credit_notes: 1,
      payments: 1,
      payment_allocations: 1,
      inventory_snapshots: 1,
    });
    const invoices = (await t.http.get('/v1/invoices').set(tenant.auth).expect(200)).body.data as Record<
      string,
      unknown
    >[];
    expect(invoices.map((i) => [i.externalId, i.total, i.status])).toEqual([
      ['SINV-0001', '207.00', 'issued'],
      ['SINV-0002', '1419.75', 'issued'],
    ]);
    const [exact] = await t.sql<{ net: string; amount: string }>(
      `SELECT i.net::text, (SELECT p.amount::text FROM payments p WHERE p.tenant_id = $1) AS amount
         FROM invoices i WHERE i.tenant_id = $1 AND i.external_id = 'SINV-0002'`,
      [tenant.id],
    );
    expect(new Decimal(exact!.net).toFixed()).toBe('1234.565');
    expect(new Decimal(exact!.amount).toFixed()).toBe('100.005');
    // drafts are never fetched one by one
    expect(fake.requests.some((r) => r.path === '/api/resource/Sales Invoice/SINV-0003')).toBe(false);
  });

  it('a full sync of unchanged books changes nothing', async () => {
    const before = await tenantContents(t, tenant.id);
    const s = await syncNow('full');
    expect(s).toMatchObject({ status: 'succeeded', counts: { imported: 0, voided: 0, removed: 0 } });
    expect(await tenantContents(t, tenant.id)).toEqual(before);
  });

  it('an incremental sync asks only for what changed since the cursor: a cancelled invoice becomes void', async () => {
    fake.requests.length = 0;
    fake.cancel('Sales Invoice', 'SINV-0002');
    fake.put('Customer', { name: 'CUST-NEW', customer_name: 'Joined later' });
    const s = await syncNow();
    expect(s).toMatchObject({ mode: 'incremental', status: 'succeeded', errors: [] });
    // a full sync fetches 130 records; this one the changes and the few inside the engine's overlap
    expect(s.counts.fetched).toBeLessThan(20);
    expect(s.progress.customers).toMatchObject({ imported: 1 });
    const lists = fake.requests.filter((r) => r.query.filters !== undefined);
    expect(lists.length).toBeGreaterThan(0);
    for (const r of lists) expect(r.query.filters).toContain('["modified",">=","2026-03-');
    expect(await statusOf('invoices', 'SINV-0002')).toBe('void');
    await t.http.get('/v1/customers/CUST-NEW').set(tenant.auth).expect(200);
  });

  it('a full sync voids a deleted invoice and removes a cancelled receipt', async () => {
    fake.put('Sales Invoice', { ...fake.get('Sales Invoice', 'SINV-0001')!, name: 'SINV-0005' });
    fake.put('Payment Entry', {
      ...fake.get('Payment Entry', 'ACC-PAY-0001')!,
      name: 'ACC-PAY-0005',
      references: [
        { reference_doctype: 'Sales Invoice', reference_name: 'SINV-0005', allocated_amount: num('50') },
      ],
      paid_amount: num('50'),
    });
    expect((await syncNow()).status).toBe('succeeded');
    expect(await statusOf('invoices', 'SINV-0005')).toBe('issued');
    fake.cancel('Payment Entry', 'ACC-PAY-0005');
    fake.cancel('Sales Invoice', 'SINV-0005');
    fake.delete('Sales Invoice', 'SINV-0005');
    const s = await syncNow('full');
    expect(s).toMatchObject({ status: 'succeeded', counts: { voided: 1, removed: 1 } });
    expect(await statusOf('invoices', 'SINV-0005')).toBe('void');
    expect(
      await t.sql(`SELECT 1 FROM payments WHERE tenant_id = $1 AND external_id = 'ACC-PAY-0005'`, [
        tenant.id,
      ]),
    ).toHaveLength(0);
    expect(
      await t.sql(`SELECT 1 FROM payments WHERE tenant_id = $1 AND external_id = 'ACC-PAY-0001'`, [
        tenant.id,
      ]),
    ).toHaveLength(1);
  });

  it('retries 429 with Retry-After, a 500 and a hung request, and the sync still succeeds', async () => {
    fake.put('Customer', { name: 'CUST-AFTER', customer_name: 'After faults' });
    fake.requests.length = 0;
    fake.inject({ kind: '429', retryAfter: 0 }, { kind: '500' }, { kind: 'hang' });
    const s = await syncNow();
    expect(s).toMatchObject({ status: 'succeeded', progress: { customers: { imported: 1 } } });
    // the hung request (logged as 0) is given up after CONNECTOR_TIMEOUT_MS and retried
    expect(fake.requests.slice(0, 4).map((r) => r.status)).toEqual([429, 500, 0, 200]);
  });

  it('another tenant gets 404 for the connector and sees none of its data', async () => {
    await t.http.get(`/v1/connectors/${connectorId}`).set(other.auth).expect(404);
    await t.http.post(`/v1/connectors/${connectorId}/sync`).set(other.auth).send({}).expect(404);
    await t.http.get('/v1/customers/CUST-A').set(other.auth).expect(404);
    expect((await t.http.get('/v1/connectors').set(other.auth).expect(200)).body.data).toEqual([]);
  });
});
