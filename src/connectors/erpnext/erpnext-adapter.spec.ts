import {
  FakeErpnext,
  fetchClient as minimalClient,
  num,
  seedSmallBooks,
} from '../../../test/support/fake-erpnext';
import {
  ConnectorAdapter,
  MapContext,
  SourceAuthError,
  SourceClient,
  SourceFormatError,
  StreamAdapter,
  StreamName,
} from '../adapter';
import { createErpnextAdapter } from './index';
import { ErpnextUrlPolicy } from './url-policy';

/**
 * The adapter against the fake ERPNext through a minimal SourceClient (no retries, no rate limit:
 * those are the engine's client's): authentication, paging until a short page, incremental
 * filters on modified, per-document GETs for child tables, and exact amounts from the raw text.
 */
const ctx: MapContext = {
  timeZone: 'Asia/Riyadh',
  currency: 'SAR',
  syncStartedAt: '2026-03-20T08:00:00.000Z',
};

describe('ERPNext adapter against the fake ERPNext', () => {
  const fake = new FakeErpnext();
  let adapter: ConnectorAdapter;
  let client: SourceClient;

  const adapterWith = (apiKey: string, apiSecret: string, pageSize = 2) =>
    createErpnextAdapter({ url: fake.url, apiKey, apiSecret }, new ErpnextUrlPolicy(['127.0.0.1']), {
      pageSize,
    });
  const stream = (name: StreamName): StreamAdapter => adapter.streams.find((s) => s.name === name)!;

  /** Every page of a stream, as the engine would walk it. */
  async function listAll(
    name: StreamName,
    updatedSince?: string,
  ): Promise<{ pages: number; records: unknown[] }> {
    const records: unknown[] = [];
    let page: string | undefined;
    let pages = 0;
    for (;;) {
      const p = await stream(name).list(client, { updatedSince, page });
      pages++;
      records.push(...p.records);
      if (p.next === null) return { pages, records };
      page = p.next;
    }
  }

  beforeAll(async () => {
    await fake.start();
    seedSmallBooks(fake);
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    adapter = adapterWith(fake.apiKey, fake.apiSecret);
    client = minimalClient(adapter);
    fake.requests.length = 0;
  });

  it('proves the credentials with one call, and refuses a wrong secret as an auth error', async () => {
    await expect(adapter.checkCredentials(client)).resolves.toBeUndefined();
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
      ['/api/method/frappe.auth.get_logged_user', 200],
    ]);
    const wrong = adapterWith(fake.apiKey, 'not-the-secret');
    await expect(wrong.checkCredentials(minimalClient(wrong))).rejects.toBeInstanceOf(SourceAuthError);
    await expect(wrong.streams[0]!.list(minimalClient(wrong), {})).rejects.toBeInstanceOf(SourceAuthError);
    const forbidden: SourceClient = {
      get: () =>
        Promise.resolve({
          status: 403,
          headers: {},
          body: undefined,
          text: '{"exc_type": "PermissionError"}',
        }),
    };
    await expect(stream('inventory').list(forbidden, {})).rejects.toThrow(/may not read Bin/);
  });

  it('pages with limit_start / limit_page_length until a short page, ordered by modified', async () => {
    for (let k = 1; k <= 3; k++) fake.put('Customer', { name: `CUST-P${k}`, customer_name: `Paged ${k}` });
    const { pages, records } = await listAll('customers');
    expect(records).toHaveLength(5);
    expect(pages).toBe(3);
    const asked = fake.requests.map((r) => r.query);
    expect(asked.map((q) => [q.limit_start, q.limit_page_length])).toEqual([
      ['0', '2'],
      ['2', '2'],
      ['4', '2'],
    ]);
    expect(asked[0]!.order_by).toBe('modified asc, name asc');
    expect(JSON.parse(asked[0]!.fields!)).toContain('customer_name');
    const mapped = records.map((r) => stream('customers').map(r, ctx).sourceId);
    expect(mapped).toEqual(['CUST-A', 'CUST-B', 'CUST-P1', 'CUST-P2', 'CUST-P3']);
    for (let k = 1; k <= 3; k++) fake.delete('Customer', `CUST-P${k}`);
  });

  it('asks once more after a full last page, and stops on the empty one', async () => {
    const { pages, records } = await listAll('products');
    expect(records).toHaveLength(2);
    expect(pages).toBe(2);
  });

  it('lists only what changed since the cursor (filters on modified)', async () => {
    const all = await listAll('customers');
    const cursor = stream('customers').map(all.records.at(-1), ctx).updatedAt!;
    fake.requests.length = 0;
    fake.update('Customer', 'CUST-A', { mobile_no: '+966500000009' });
    const changed = await listAll('customers', cursor);
    const ids = changed.records.map((r) => stream('customers').map(r, ctx).sourceId);
    // the record at the cursor itself (>=) and the one changed after it
    expect(ids).toEqual(['CUST-B', 'CUST-A']);
    expect(JSON.parse(fake.requests[0]!.query.filters!)).toEqual([
      ['modified', '>=', cursor.replace('T', ' ').replace('Z', '')],
    ]);
  });

  it('reads invoices with their items and taxes one document at a time, skipping drafts without fetching them', async () => {
    const { records } = await listAll('invoices');
    const mapped = records.map((r) => stream('invoices').map(r, ctx));
    expect(mapped.map((m) => [m.sourceId, m.skipped ?? m.mapped[0]!.resource])).toEqual([
      ['SINV-0001', 'invoices'],
      ['SINV-0002', 'invoices'],
      ['SINV-0003', 'draft'],
    ]);
    const detail = fake.requests
      .filter((r) => r.path.startsWith('/api/resource/Sales Invoice/'))
      .map((r) => r.path);
    expect(detail.sort()).toEqual([
      '/api/resource/Sales Invoice/SINV-0001',
      '/api/resource/Sales Invoice/SINV-0002',
    ]);
    expect(JSON.parse(fake.requests[0]!.query.filters!)).toEqual([['is_return', '=', 0]]);
    const exact = mapped[1]!.mapped[0]!.record;
    expect((exact.lines as Record<string, unknown>[])[0]!.unitPrice).toBe('1234.565');
    expect(exact.total).toBe('1419.75');
  });

  it('lists returns in the credit-notes stream only', async () => {
    const { records } = await listAll('credit-notes');
    const mapped = records.map((r) => stream('credit-notes').map(r, ctx));
    expect(mapped.map((m) => [m.sourceId, m.mapped[0]!.resource, m.mapped[0]!.record.invoiceId])).toEqual([
      ['SINV-RET-0001', 'credit-notes', 'SINV-0001'],
    ]);
  });

  it('a cancelled invoice is listed again as void; a cancelled payment is no longer listed', async () => {
    fake.put('Sales Invoice', {
      ...fake.get('Sales Invoice', 'SINV-0002')!,
      name: 'SINV-0004',
      docstatus: 1,
    });
    fake.cancel('Sales Invoice', 'SINV-0004');
    fake.put('Payment Entry', { ...fake.get('Payment Entry', 'ACC-PAY-0001')!, name: 'ACC-PAY-0009' });
    expect((await listAll('payments')).records.map((r) => stream('payments').map(r, ctx).sourceId)).toEqual([
      'ACC-PAY-0001',
      'ACC-PAY-0009',
    ]);
    fake.cancel('Payment Entry', 'ACC-PAY-0009');
    const invoices = (await listAll('invoices')).records.map((r) => stream('invoices').map(r, ctx));
    expect(invoices.find((m) => m.sourceId === 'SINV-0004')!.mapped[0]!.record.status).toBe('void');
    const payments = (await listAll('payments')).records.map((r) => stream('payments').map(r, ctx));
    expect(payments.map((m) => m.sourceId)).toEqual(['ACC-PAY-0001']);
    expect(payments[0]!.mapped[0]!.record).toMatchObject({
      amount: '100.005',
      allocations: [{ invoiceId: 'SINV-0001', amount: '100.005' }],
    });
    fake.delete('Sales Invoice', 'SINV-0004');
    fake.delete('Payment Entry', 'ACC-PAY-0009');
  });

  it('fetches one record by id for a reference not seen yet; null when ERPNext has none', async () => {
    const one = await stream('customers').fetchOne!(client, 'CUST-B');
    expect(stream('customers').map(one, ctx).mapped[0]!.record.name).toBe('شركة الواحة');
    await expect(stream('invoices').fetchOne!(client, 'SINV-NOPE')).resolves.toBeNull();
    fake.put('Item', {
      name: 'ITEM/with space',
      item_code: 'ITEM/with space',
      item_name: 'Odd',
      valuation_rate: num('1'),
    });
    const odd = await stream('products').fetchOne!(client, 'ITEM/with space');
    expect(stream('products').map(odd, ctx).sourceId).toBe('ITEM/with space');
    fake.delete('Item', 'ITEM/with space');
  });

  it('maps stock per item and warehouse', async () => {
    const { records } = await listAll('inventory');
    expect(records.map((r) => stream('inventory').map(r, ctx).mapped[0]!.record)).toEqual([
      {
        productId: 'ITEM-A',
        warehouseId: 'Stores - HC',
        asOf: '2026-03-20',
        onHand: '12.5',
        onOrder: '40',
        unitCost: '61.123456',
      },
    ]);
  });

  it('reports a server error or an answer that is not JSON as a format error', async () => {
    fake.inject({ kind: '500' });
    await expect(stream('customers').list(client, {})).rejects.toBeInstanceOf(SourceFormatError);
    const notJson: SourceClient = {
      get: () => Promise.resolve({ status: 200, headers: {}, body: undefined, text: '<html>login</html>' }),
    };
    await expect(stream('customers').list(notJson, {})).rejects.toThrow(/not JSON/);
    await expect(adapter.checkCredentials(notJson)).rejects.toThrow(/not JSON/);
  });
});
