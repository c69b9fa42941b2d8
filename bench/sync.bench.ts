import { FakeQoyod } from '../test/support/fake-qoyod';
import { createTenant, freshDatabase, mb, seconds, startService } from './support';

/**
 * Connector sync benchmark (issue 15): a first sync of 2,000 customers, 13,000 invoices (two lines
 * each) and 10,000 receipts from a local fake Qoyod with the client-side rate limit off, in the
 * built service on PostgreSQL. Harakah's own time = the sync's wall time − the time spent waiting for
 * the source (counts.sourceMs); target ≤ 1 s per 1,000 records. Then 50 changes and an incremental
 * sync: target < 1 % of the full sync's rows fetched.
 */
const SCALE = { customers: 2_000, invoices: 13_000, receipts: 10_000, products: 50 };

export async function syncBenchmark(): Promise<void> {
  const fake = new FakeQoyod();
  await fake.start();
  seed(fake);
  const db = await freshDatabase();
  const service = await startService({
    DATABASE_URL: db.url,
    ANALYTICS_WORKER_ENABLED: 'false',
    SECRETS_KEY: 'b'.repeat(64),
    QOYOD_API_URL: fake.url,
    CONNECTOR_RATE_PER_SECOND: '0',
    CONNECTOR_POLL_MS: '200',
  });
  try {
    const tenant = await createTenant(service.url, 'bench-sync');
    const auth = { Authorization: `Bearer ${tenant.apiKey}`, 'Content-Type': 'application/json' };
    const created = await fetch(`${service.url}/v1/connectors`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        kind: 'qoyod',
        name: 'bench',
        credentials: { apiKey: fake.apiKey },
        schedule: null,
      }),
    });
    if (created.status !== 201) throw new Error(`connector: ${created.status} ${await created.text()}`);
    const connector = (await created.json()) as { id: string; lastSync: { id: string } };
    service.rss.reset();
    const full = await waitFor(service.url, auth, connector.id, connector.lastSync.id);
    const fullRss = service.rss.peakBytes;
    report('first sync (full)', full);
    const records = full.counts.fetched;
    const own = wall(full) - full.counts.sourceMs;
    console.log(
      `  Harakah's own time: ${seconds(own)} = ${(own / (records / 1000) / 1000).toFixed(3)} s per 1,000 records ` +
        `(target ≤ 1 s); source time ${seconds(full.counts.sourceMs)}; service peak RSS ${mb(fullRss)}`,
    );

    fake.advance(3_600_000);
    const invoiceIds = [...fake.data.invoices.keys()];
    for (let i = 0; i < 50; i++) {
      const id = invoiceIds[(i * 97) % invoiceIds.length]!;
      fake.update('invoices', id, { status: i % 2 ? 'Voided' : 'Paid' });
    }
    const started = await fetch(`${service.url}/v1/connectors/${connector.id}/sync`, {
      method: 'POST',
      headers: auth,
      body: '{}',
    });
    const inc = await waitFor(service.url, auth, connector.id, ((await started.json()) as { id: string }).id);
    report('incremental after 50 changes', inc);
    console.log(
      `  fetched ${inc.counts.fetched} of ${records} rows = ${((100 * inc.counts.fetched) / records).toFixed(2)} % ` +
        `(target < 1 %), ${inc.counts.requests} requests`,
    );
  } finally {
    await service.stop();
    await db.drop();
    await fake.stop();
  }
}

interface SyncBody {
  status: string;
  startedAt: string;
  finishedAt: string;
  counts: Record<string, number> & { fetched: number; sourceMs: number; requests: number };
  errorCount: number;
  error: string | null;
}

const wall = (s: SyncBody) => Date.parse(s.finishedAt) - Date.parse(s.startedAt);

function report(label: string, s: SyncBody): void {
  console.log(
    `${label}: ${s.status} in ${seconds(wall(s))}, ${s.counts.requests} requests, fetched ${s.counts.fetched}, ` +
      `imported ${s.counts.imported}, unchanged ${s.counts.unchanged}, skipped ${s.counts.skipped}, ` +
      `errors ${s.errorCount}${s.error ? ` (${s.error})` : ''}`,
  );
}

async function waitFor(
  url: string,
  headers: Record<string, string>,
  id: string,
  syncId: string,
): Promise<SyncBody> {
  for (;;) {
    const res = await fetch(`${url}/v1/connectors/${id}/syncs/${syncId}`, { headers });
    const body = (await res.json()) as SyncBody;
    if (body.status === 'succeeded' || body.status === 'failed') return body;
    await new Promise((r) => setTimeout(r, 250));
  }
}

function seed(fake: FakeQoyod): void {
  fake.stepMs = 60_000;
  fake.put('inventories', { id: 1, name: 'Main warehouse' });
  for (let p = 1; p <= SCALE.products; p++) {
    fake.put('products', {
      id: 500 + p,
      name_en: `Item ${p}`,
      name_ar: `صنف ${p}`,
      type: 'Product',
      buying_price: '20.00',
      inventories: [{ id: 1, stock: String(100 + p) }],
    });
  }
  for (let c = 1; c <= SCALE.customers; c++) {
    fake.put('customers', {
      id: 1000 + c,
      name: `Customer ${c}`,
      phone_number: `+9665${String(c).padStart(8, '0')}`,
    });
  }
  for (let i = 1; i <= SCALE.invoices; i++) {
    fake.put('invoices', {
      id: 100000 + i,
      reference: `INV${i}`,
      contact_id: 1000 + ((i - 1) % SCALE.customers) + 1,
      issue_date: `2026-${String(((i - 1) % 12) + 1).padStart(2, '0')}-${String(((i - 1) % 28) + 1).padStart(2, '0')}`,
      status: 'Approved',
      line_items: [
        {
          product_id: 500 + ((i - 1) % SCALE.products) + 1,
          quantity: '1',
          unit_price: '100.00',
          tax_percent: '15',
          is_inclusive: false,
        },
        {
          product_id: 500 + (i % SCALE.products) + 1,
          quantity: '2',
          unit_price: '25.00',
          tax_percent: '15',
          is_inclusive: false,
        },
      ],
    });
  }
  for (let r = 1; r <= SCALE.receipts; r++) {
    fake.put('receipts', {
      id: 300000 + r,
      contact_id: 1000 + ((r - 1) % SCALE.customers) + 1,
      kind: 'received',
      amount: '172.50',
      date: '2026-12-01',
      allocations: [{ allocatee_type: 'Invoice', allocatee_id: 100000 + r, amount: '172.50' }],
    });
  }
  fake.stepMs = 1000;
}
