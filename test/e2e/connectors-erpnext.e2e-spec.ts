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
import { FakeErpnext, fetchClient, seedSmallBooks } from '../support/fake-erpnext';

/**
 * The ERPNext mapping end to end: the adapter reads the fake ERPNext page by page (exact JSON,
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
