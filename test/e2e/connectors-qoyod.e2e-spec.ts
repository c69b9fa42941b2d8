import { syncConnector } from '../../src/cli/sync-connector';
import { ConnectorsLoop } from '../../src/connectors/connectors-loop';
import { resealAll } from '../../src/connectors/reseal';
import { Sealed, SecretBox } from '../../src/connectors/secrets';
import { Database } from '../../src/database/database';
import { SyncWorker } from '../../src/connectors/sync/sync-worker';
import { bootApp, createTenant, TestApp, TestTenant } from '../support/app';
import { FakeQoyod } from '../support/fake-qoyod';
import { BOOKS, seedBooks } from '../support/qoyod-books';
import { tenantContents, tenantCounts } from '../support/tables';

/**
 * Qoyod connector end to end: the real app syncing from a fake Qoyod written from
 * ../shared/connectors/qoyod.md, on PostgreSQL and on PGlite.
 */
const SECRETS_KEY = 'f'.repeat(64);

function env(fake: FakeQoyod, extra: Record<string, string> = {}): Record<string, string> {
  return {
    SECRETS_KEY,
    QOYOD_API_URL: fake.url,
    CONNECTORS_ENABLED: 'false',
    CONNECTOR_RATE_PER_SECOND: '0',
    CONNECTOR_BACKOFF_MS: '20',
    CONNECTOR_TIMEOUT_MS: '800',
    CONNECTOR_MAX_ATTEMPTS: '5',
    CONNECTOR_LEASE_MS: '600',
    ...extra,
  };
}

async function connect(t: TestApp, tenant: TestTenant, fake: FakeQoyod, body: Record<string, unknown> = {}) {
  const res = await t.http
    .post('/v1/connectors')
    .set(tenant.auth)
    .send({ kind: 'qoyod', name: 'Qoyod main', credentials: { apiKey: fake.apiKey }, ...body })
    .expect(201);
  return res.body as { id: string; status: string; lastSync: { id: string } };
}

/** Runs the tenant's queued syncs (only its own: on PostgreSQL the e2e files share one database). */
async function runSyncs(t: TestApp, tenant: TestTenant): Promise<void> {
  await t.app.get(ConnectorsLoop).tick(tenant.id);
}

async function sync(t: TestApp, tenant: TestTenant, connectorId: string, syncId: string) {
  const res = await t.http.get(`/v1/connectors/${connectorId}/syncs/${syncId}`).set(tenant.auth).expect(200);
  return res.body;
}

describe('Qoyod connector', () => {
  const fake = new FakeQoyod();
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;
  let connectorId: string;

  beforeAll(async () => {
    await fake.start();
    seedBooks(fake);
    t = await bootApp(env(fake, { CONNECTOR_RATE_PER_SECOND: '25' }));
    tenant = await createTenant(t, { name: 'Books in Qoyod' });
    other = await createTenant(t, { name: 'Someone else' });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('refuses a wrong key with 422 naming the field, and saves nothing', async () => {
    const res = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({ kind: 'qoyod', name: 'Wrong', credentials: { apiKey: 'not-the-key' } })
      .expect(422);
    expect(res.body.errors).toEqual([
      { field: 'credentials.apiKey', message: expect.stringContaining('Qoyod refused') },
    ]);
    const rows = await t.sql(`SELECT 1 FROM connectors WHERE tenant_id = $1`, [tenant.id]);
    expect(rows).toHaveLength(0);
  });

  it('refuses unknown kinds, missing fields and a kind not built in, with field paths', async () => {
    const bad = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({ kind: 'sap', name: '' })
      .expect(422);
    const fields = (bad.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['kind', 'name', 'credentials']));
    const noKey = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({ kind: 'qoyod', name: 'x', credentials: {} })
      .expect(422);
    expect(noKey.body.errors[0].field).toBe('credentials.apiKey');
  });

  it('creates with a good key: 201, a first full sync queued, the key in no answer and not in the database', async () => {
    const created = await connect(t, tenant, fake);
    connectorId = created.id;
    expect(created).toMatchObject({
      kind: 'qoyod',
      name: 'Qoyod main',
      status: 'syncing',
      schedule: { everyMinutes: 60 },
    });
    const list = await t.http.get('/v1/connectors').set(tenant.auth).expect(200);
    const one = await t.http.get(`/v1/connectors/${connectorId}`).set(tenant.auth).expect(200);
    for (const body of [created, list.body, one.body])
      expect(JSON.stringify(body)).not.toContain(fake.apiKey);
    const dump = await t.sql<{ row: string }>(
      `SELECT to_jsonb(c)::text AS row FROM connectors c WHERE tenant_id = $1`,
      [tenant.id],
    );
    expect(dump[0]!.row).not.toContain(fake.apiKey);
  });

  it('the first sync imports everything, with exact amounts, drafts and vendor payments skipped', async () => {
    fake.clearLog();
    await runSyncs(t, tenant);
    const [c] = (await t.http.get('/v1/connectors').set(tenant.auth).expect(200)).body.data;
    expect(c.status).toBe('idle');
    const s = await sync(t, tenant, connectorId, c.lastSync.id);
    expect(s).toMatchObject({ mode: 'full', status: 'succeeded', errorCount: 0, errors: [] });
    expect(s.progress.customers).toMatchObject({ pages: 3, fetched: 230, imported: 230 });
    expect(s.progress.invoices).toMatchObject({ fetched: BOOKS.invoices, imported: 206, skipped: 1 });
    expect(s.progress['credit-notes']).toMatchObject({ fetched: 3, imported: 2, skipped: 1 });
    expect(s.progress.payments).toMatchObject({ fetched: 4, imported: 3, skipped: 1 });
    expect(await tenantCounts(t, tenant.id)).toMatchObject({
      customers: 230,
      products: 3,
      invoices: 206,
      credit_notes: 2,
      payments: 3,
      payment_allocations: 2,
      inventory_snapshots: 2,
    });
    const inv = async (customer: string) =>
      (await t.http.get(`/v1/invoices?customerId=${customer}`).set(tenant.auth).expect(200)).body.data as {
        externalId: string;
        total: string;
        open: string;
        status: string;
        pricesIncludeTax: boolean;
      }[];
    expect((await inv('1001')).find((i) => i.externalId === '100231')).toMatchObject({
      total: '1437.50',
      open: '-143.75', // paid in full, then credited 143.75
      status: 'issued',
    });
    expect((await inv('1002')).find((i) => i.externalId === '100232')).toMatchObject({
      total: '345.00',
      open: '0.00',
    });
    expect((await inv('1003')).find((i) => i.externalId === '100233')).toMatchObject({ total: '103.50' });
    expect((await inv('1004')).find((i) => i.externalId === '100234')).toMatchObject({ total: '124.20' });
    expect((await inv('1006')).find((i) => i.externalId === '100236')).toMatchObject({ status: 'void' });
    expect((await inv('1005')).find((i) => i.externalId === '100235')).toBeUndefined();
    const customer = (await t.http.get('/v1/customers/1001').set(tenant.auth).expect(200)).body;
    expect(JSON.stringify(customer)).toContain('Al-Noor Trading');
    const product = (await t.http.get('/v1/products/503').set(tenant.auth).expect(200)).body;
    expect(product).toMatchObject({ name: 'Item 3', nameAr: 'صنف 3', unitCost: '41.2000' });
    expect(product.stock).toEqual([expect.objectContaining({ warehouseId: '1', onHand: '120' })]);
    const pays = await t.sql<{ external_id: string; amount: string }>(
      `SELECT external_id, amount::numeric(18, 2)::text AS amount FROM payments WHERE tenant_id = $1 ORDER BY 1`,
      [tenant.id],
    );
    expect(pays.map((p) => [p.external_id, p.amount])).toEqual([
      ['300871', '1437.50'],
      ['300873', '400.00'],
      ['300874', '50.00'],
    ]);
    // every request carried the key and asked 100 a page; the client stayed under 25 requests a second
    const lists = fake.log.filter((r) => r.path !== '/2.0/inventories');
    expect(lists.every((r) => r.query.per_page === '100')).toBe(true);
    for (let i = 1; i < fake.log.length; i++)
      expect(fake.log[i]!.at - fake.log[i - 1]!.at).toBeGreaterThanOrEqual(35);
  });

  it('re-fetching unchanged records changes nothing', async () => {
    const before = await tenantContents(t, tenant.id);
    const [r0] = await t.sql<{ data_version: string }>(
      `SELECT data_version::text FROM tenants WHERE id = $1`,
      [tenant.id],
    );
    const started = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send({ mode: 'full' })
      .expect(202);
    await runSyncs(t, tenant);
    const s = await sync(t, tenant, connectorId, started.body.id);
    expect(s).toMatchObject({ status: 'succeeded', counts: { imported: 0, voided: 0, removed: 0 } });
    expect(s.counts.unchanged).toBe(230 + 3 + 206 + 2 + 3);
    expect(await tenantContents(t, tenant.id)).toEqual(before);
    const [r1] = await t.sql<{ data_version: string }>(
      `SELECT data_version::text FROM tenants WHERE id = $1`,
      [tenant.id],
    );
    expect(r1!.data_version).toBe(r0!.data_version);
  });

  it('an incremental sync asks only for changes and resolves a reference to a customer it did not list', async () => {
    fake.advance(3_600_000); // an hour later
    fake.update('invoices', 110005, { status: 'Voided' });
    fake.put('customers', { id: 1231, name: 'New customer', status: 'Active' });
    fake.put('invoices', {
      id: 110300,
      reference: 'INV110300',
      contact_id: 1231,
      issue_date: '2026-04-01',
      status: 'Approved',
      line_items: [
        { product_id: 503, quantity: '3', unit_price: '10', tax_percent: '15', is_inclusive: false },
      ],
    });
    // a customer changed long ago (outside the window) that no sync has listed yet
    fake.put('customers', {
      id: 1300,
      name: 'Old but unseen',
      status: 'Active',
      updated_at: '2020-01-01T00:00:00.000+03:00',
    });
    fake.put('invoices', {
      id: 110301,
      reference: 'INV110301',
      contact_id: 1300,
      issue_date: '2026-04-02',
      status: 'Approved',
      line_items: [{ quantity: '1', unit_price: '20', tax_percent: '0', is_inclusive: false }],
    });
    fake.clearLog();
    const started = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send({})
      .expect(202);
    await runSyncs(t, tenant);
    const s = await sync(t, tenant, connectorId, started.body.id);
    expect(s).toMatchObject({ mode: 'incremental', status: 'succeeded', errorCount: 0 });
    // the window reaches 5 minutes behind the cursor: the last record of each list comes again, unchanged
    expect(s.progress.customers).toMatchObject({ fetched: 2, imported: 1, unchanged: 1 });
    expect(s.progress.invoices).toMatchObject({ fetched: 4, imported: 3, unchanged: 1 });
    expect(s.counts.resolved).toBe(1);
    const lists = fake.log.filter((r) => !/\/\d+$/.test(r.path));
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((r) => r.query['q[updated_at_gteq]'] !== undefined)).toBe(true);
    expect(fake.log.map((r) => r.path)).toContain('/2.0/customers/1300');
    const [row] = await t.sql<{ status: string }>(
      `SELECT status FROM invoices WHERE tenant_id = $1 AND external_id = '110005'`,
      [tenant.id],
    );
    expect(row!.status).toBe('void');
    expect(await tenantCounts(t, tenant.id)).toMatchObject({ customers: 232, invoices: 208 });
    // far fewer rows than a full listing
    expect(s.counts.fetched).toBeLessThan(15);
  });

  it('a full sync voids deleted invoices and credit notes and removes deleted receipts', async () => {
    fake.remove('invoices', 110010);
    fake.remove('credit_notes', 700013);
    fake.remove('receipts', 300874);
    const started = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send({ mode: 'full' })
      .expect(202);
    await runSyncs(t, tenant);
    const s = await sync(t, tenant, connectorId, started.body.id);
    expect(s).toMatchObject({ status: 'succeeded', counts: { voided: 2, removed: 1 } });
    const inv = await t.sql<{ status: string }>(
      `SELECT status FROM invoices WHERE tenant_id = $1 AND external_id = '110010'`,
      [tenant.id],
    );
    expect(inv[0]!.status).toBe('void');
    const cn = await t.sql<{ status: string }>(
      `SELECT status FROM credit_notes WHERE tenant_id = $1 AND external_id = '700013'`,
      [tenant.id],
    );
    expect(cn[0]!.status).toBe('void');
    const pay = await t.sql(`SELECT 1 FROM payments WHERE tenant_id = $1 AND external_id = '300874'`, [
      tenant.id,
    ]);
    expect(pay).toHaveLength(0);
    // the deleted customer-facing record stays listed as data: only these three changed
    expect(await tenantCounts(t, tenant.id)).toMatchObject({ invoices: 208, credit_notes: 2, payments: 2 });
  });

  it('retries 429 (Retry-After), 5xx and a hung request, and the sync still succeeds', async () => {
    fake.put('customers', { id: 1232, name: 'After faults', status: 'Active' });
    fake.inject({ kind: '429', retryAfter: '1' }, 1);
    fake.inject({ kind: '500' }, 2);
    fake.inject({ kind: 'hang' }, 1);
    fake.clearLog();
    const started = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send({})
      .expect(202);
    await runSyncs(t, tenant);
    const s = await sync(t, tenant, connectorId, started.body.id);
    expect(s).toMatchObject({ status: 'succeeded', progress: { customers: { imported: 1 } } });
    expect(fake.log.slice(0, 5).map((r) => r.status)).toEqual([429, 500, 500, -1, 200]);
    expect(fake.log[1]!.at - fake.log[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('a refused record is reported by its Qoyod id, the rest goes in, and the analytics refresh', async () => {
    await t.sql(`DELETE FROM analytics_jobs WHERE tenant_id = $1`, [tenant.id]);
    const bad = { issue_date: '2026-04-03', status: 'Approved', contact_id: 1001 };
    fake.put('invoices', {
      id: 110400,
      ...bad,
      line_items: [{ quantity: '-1', unit_price: '5', tax_percent: '15' }],
    });
    fake.put('invoices', {
      id: 110401,
      ...bad,
      line_items: [{ quantity: '1', unit_price: '5', tax_percent: '15' }],
    });
    const started = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send({})
      .expect(202);
    await runSyncs(t, tenant);
    const s = await sync(t, tenant, connectorId, started.body.id);
    expect(s).toMatchObject({ status: 'succeeded', errorCount: 1 });
    expect(s.errors).toEqual([
      { stream: 'invoices', sourceId: '110400', field: 'lines[0].quantity', message: expect.any(String) },
    ]);
    const rows = await t.sql<{ external_id: string }>(
      `SELECT external_id FROM invoices WHERE tenant_id = $1 AND external_id IN ('110400', '110401')`,
      [tenant.id],
    );
    expect(rows.map((r) => r.external_id)).toEqual(['110401']);
    const jobs = await t.sql(`SELECT 1 FROM analytics_jobs WHERE tenant_id = $1 AND status = 'queued'`, [
      tenant.id,
    ]);
    expect(jobs.length).toBeGreaterThan(0);
    fake.remove('invoices', 110400);
  });

  it('a key Qoyod stops accepting fails the sync clearly; PATCH with the new key mends it', async () => {
    const oldKey = fake.apiKey;
    fake.apiKey = 'qoyod-rotated-key-0002';
    const started = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send({})
      .expect(202);
    await runSyncs(t, tenant);
    const s = await sync(t, tenant, connectorId, started.body.id);
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/refused the credentials/);
    const failing = await t.http.get(`/v1/connectors/${connectorId}`).set(tenant.auth).expect(200);
    expect(failing.body).toMatchObject({ status: 'failing', lastError: expect.stringMatching(/refused/) });
    const mended = await t.http
      .patch(`/v1/connectors/${connectorId}`)
      .set(tenant.auth)
      .send({ credentials: { apiKey: fake.apiKey } })
      .expect(200);
    expect(mended.body.lastError).toBeNull();
    expect(JSON.stringify(mended.body)).not.toContain(fake.apiKey);
    const dump = await t.sql<{ row: string }>(
      `SELECT to_jsonb(c)::text AS row FROM connectors c WHERE id = $1`,
      [connectorId],
    );
    expect(dump[0]!.row).not.toContain(fake.apiKey);
    expect(dump[0]!.row).not.toContain(oldKey);
    const again = await t.http
      .post(`/v1/connectors/${connectorId}/sync`)
      .set(tenant.auth)
      .send({})
      .expect(202);
    await runSyncs(t, tenant);
    expect((await sync(t, tenant, connectorId, again.body.id)).status).toBe('succeeded');
  });

  it('schedules queue an incremental sync when due and a full one nightly', async () => {
    await t.sql(`UPDATE connectors SET next_run_at = now() - interval '1 minute' WHERE id = $1`, [
      connectorId,
    ]);
    expect(await t.app.get(ConnectorsLoop).enqueueDue(tenant.id)).toBe(1);
    expect(await t.app.get(ConnectorsLoop).enqueueDue(tenant.id)).toBe(0);
    const [queued] = (
      await t.http.get(`/v1/connectors/${connectorId}/syncs?limit=1`).set(tenant.auth).expect(200)
    ).body.data;
    expect(queued).toMatchObject({ mode: 'incremental', trigger: 'schedule', status: 'queued' });
    await runSyncs(t, tenant);
    await t.sql(`UPDATE connectors SET next_full_at = now() - interval '1 minute' WHERE id = $1`, [
      connectorId,
    ]);
    expect(await t.app.get(ConnectorsLoop).enqueueDue(tenant.id)).toBe(1);
    const [full] = (
      await t.http.get(`/v1/connectors/${connectorId}/syncs?limit=1`).set(tenant.auth).expect(200)
    ).body.data;
    expect(full).toMatchObject({ mode: 'full', trigger: 'schedule' });
    const [c] = await t.sql<{ later: boolean }>(
      // advanced to the next night's full-sync hour: minutes away when the test runs just before it
      `SELECT next_full_at > now() AS later FROM connectors WHERE id = $1`,
      [connectorId],
    );
    expect(c!.later).toBe(true);
    await runSyncs(t, tenant);
  });

  it('the CLI starts a sync and follows it to the end', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    fake.put('customers', { id: 1233, name: 'From the CLI', status: 'Active' });
    const lines: string[] = [];
    const out = { isTTY: false, write: (l: string) => lines.push(l) } as unknown as NodeJS.WriteStream;
    let done = false;
    const cli = syncConnector({
      url: `http://127.0.0.1:${port}`,
      apiKey: tenant.apiKey,
      connectorId,
      pollMs: 20,
      out,
    }).finally(() => {
      done = true;
    });
    while (!done) {
      await runSyncs(t, tenant);
      await new Promise((r) => setTimeout(r, 20));
    }
    const { sync: s, ok } = await cli;
    expect(ok).toBe(true);
    expect(s.progress.customers).toMatchObject({ imported: 1 });
    expect(lines[lines.length - 1]).toMatch(/^\[#{30}\] succeeded/);
  });

  it('one sync at a time: of two concurrent requests one is queued, the other is a 409 naming it', async () => {
    const [a, b] = await Promise.all([
      t.http.post(`/v1/connectors/${connectorId}/sync`).set(tenant.auth).send({}),
      t.http.post(`/v1/connectors/${connectorId}/sync`).set(tenant.auth).send({}),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([202, 409]);
    const queued = a.status === 202 ? a : b;
    const refused = a.status === 202 ? b : a;
    expect(refused.body).toMatchObject({ error: 'sync_in_progress', details: { syncId: queued.body.id } });
    await runSyncs(t, tenant);
  });

  it('another tenant gets 404 for every connector route', async () => {
    const base = `/v1/connectors/${connectorId}`;
    await t.http.get(base).set(other.auth).expect(404);
    await t.http.patch(base).set(other.auth).send({ name: 'mine' }).expect(404);
    await t.http.post(`${base}/sync`).set(other.auth).send({}).expect(404);
    await t.http.get(`${base}/syncs`).set(other.auth).expect(404);
    const [c] = (await t.http.get('/v1/connectors').set(tenant.auth).expect(200)).body.data;
    await t.http.get(`${base}/syncs/${c.lastSync.id}`).set(other.auth).expect(404);
    await t.http.delete(base).set(other.auth).expect(404);
    expect((await t.http.get('/v1/connectors').set(other.auth).expect(200)).body.data).toEqual([]);
    await t.http.get(base).set(tenant.auth).expect(200);
  });

  it('PATCH renames, pauses and re-checks new credentials; DELETE stops syncing and keeps the data', async () => {
    const bad = await t.http
      .patch(`/v1/connectors/${connectorId}`)
      .set(tenant.auth)
      .send({ credentials: { apiKey: 'wrong' } })
      .expect(422);
    expect(bad.body.errors[0].field).toBe('credentials.apiKey');
    const renamed = await t.http
      .patch(`/v1/connectors/${connectorId}`)
      .set(tenant.auth)
      .send({ name: 'Qoyod renamed', paused: true, schedule: { everyMinutes: 30 } })
      .expect(200);
    expect(renamed.body).toMatchObject({
      name: 'Qoyod renamed',
      status: 'paused',
      schedule: { everyMinutes: 30 },
    });
    const syncs = await t.http
      .get(`/v1/connectors/${connectorId}/syncs?limit=2`)
      .set(tenant.auth)
      .expect(200);
    expect(syncs.body.data).toHaveLength(2);
    expect(syncs.body.nextCursor).toEqual(expect.any(String));
    const counts = await tenantCounts(t, tenant.id);
    await t.http.delete(`/v1/connectors/${connectorId}`).set(tenant.auth).expect(204);
    await t.http.get(`/v1/connectors/${connectorId}`).set(tenant.auth).expect(404);
    expect(await tenantCounts(t, tenant.id)).toEqual(counts);
  });
});

describe('Qoyod connector: a crash in the middle of a sync', () => {
  const fake = new FakeQoyod();
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    await fake.start();
    seedBooks(fake);
    t = await bootApp(env(fake, { CONNECTOR_LEASE_MS: '3000' }));
    tenant = await createTenant(t, { name: 'Crashes' });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('resumes from the committed page after the lease lapses, importing everything exactly once', async () => {
    const created = await connect(t, tenant, fake);
    const worker = t.app.get(SyncWorker);
    // the instance "dies" right after committing the second page of invoices
    const off = worker.onPage((_id, stream, progress) => {
      if (stream === 'invoices' && progress.pages === 2) worker.abandon();
    });
    await worker.processNext('instance-a', tenant.id);
    off();
    const mid = await sync(t, tenant, created.id, created.lastSync.id);
    expect(mid.status).toBe('running');
    expect(mid.progress.invoices).toMatchObject({ pages: 2, fetched: 200, done: false });
    // while its lease holds, nobody else takes it
    expect(await worker.processNext('instance-b', tenant.id)).toBe(false);
    await new Promise((r) => setTimeout(r, 3200));
    fake.clearLog();
    expect(await worker.processNext('instance-b', tenant.id)).toBe(true);
    const done = await sync(t, tenant, created.id, created.lastSync.id);
    expect(done).toMatchObject({ status: 'succeeded', errorCount: 0 });
    expect(done.progress.invoices).toMatchObject({
      pages: 3,
      fetched: BOOKS.invoices,
      imported: 206,
      skipped: 1,
    });
    // the resumed run went on from page 3 of the invoices; it did not list customers again
    const invoicePages = fake.log.filter((r) => r.path === '/2.0/invoices').map((r) => r.query.page);
    expect(invoicePages[0]).toBe('3');
    expect(fake.log.some((r) => r.path === '/2.0/customers')).toBe(false);
    expect(await tenantCounts(t, tenant.id)).toMatchObject({
      customers: 230,
      invoices: 206,
      credit_notes: 2,
      payments: 3,
    });
  });
});

describe('Qoyod connector: credentials need a key to be stored', () => {
  const fake = new FakeQoyod();
  let t: TestApp;

  beforeAll(async () => {
    await fake.start();
    const e = env(fake);
    delete e.SECRETS_KEY;
    t = await bootApp(e);
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('on PostgreSQL without SECRETS_KEY answers 409 saying what to set; embedded, it makes a key itself', async () => {
    const tenant = await createTenant(t, { name: 'No key' });
    const res = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({ kind: 'qoyod', name: 'x', credentials: { apiKey: fake.apiKey } });
    if (process.env.HARAKAH_TEST_DATABASE_URL) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        error: 'secrets_key_missing',
        message: 'set SECRETS_KEY (64 hex characters) to store connector credentials',
      });
      expect(await t.sql(`SELECT 1 FROM connectors WHERE tenant_id = $1`, [tenant.id])).toHaveLength(0);
    } else {
      expect(res.status).toBe(201);
    }
  });
});

describe('Qoyod connector: rotating SECRETS_KEY', () => {
  const fake = new FakeQoyod();
  let t: TestApp;

  beforeAll(async () => {
    await fake.start();
    t = await bootApp(env(fake));
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('re-encrypts credentials under the new key; the old key is needed only until then', async () => {
    const tenant = await createTenant(t, { name: 'Rotation' });
    const created = await connect(t, tenant, fake);
    const NEW = '1'.repeat(64);
    const rotated = new SecretBox(NEW, SECRETS_KEY);
    const db = t.app.get(Database);
    const first = await db.transaction((tx) => resealAll(tx, rotated));
    expect(first.resealed).toBeGreaterThanOrEqual(1);
    expect(await db.transaction((tx) => resealAll(tx, rotated))).toMatchObject({ resealed: 0 });
    const [row] = await t.sql<{ credentials_encrypted: Sealed }>(
      `SELECT credentials_encrypted FROM connectors WHERE id = $1`,
      [created.id],
    );
    expect(new SecretBox(NEW).open(row!.credentials_encrypted)).toEqual({ apiKey: fake.apiKey });
    expect(() => new SecretBox(SECRETS_KEY).open(row!.credentials_encrypted)).toThrow();
  });
});

describe('Qoyod connector: two instances on one database', () => {
  const fake = new FakeQoyod();
  let a: TestApp;
  let b: TestApp;
  const pg = Boolean(process.env.HARAKAH_TEST_DATABASE_URL);

  beforeAll(async () => {
    await fake.start();
    seedBooks(fake);
    a = await bootApp(env(fake));
    // on PostgreSQL a second app on the same database; the embedded database is one process's own,
    // so there the second "instance" is a second worker identity in the same app
    b = pg ? await bootApp(env(fake)) : a;
  });
  afterAll(async () => {
    if (b !== a) await b.close();
    await a.close();
    await fake.stop();
  });

  it('never run one sync twice: one claims it, the other finds nothing; the data is there once', async () => {
    const tenant = await createTenant(a, { name: 'Two instances' });
    const created = await connect(a, tenant, fake);
    fake.clearLog();
    const [ranA, ranB] = await Promise.all([
      a.app.get(SyncWorker).processNext('instance-a', tenant.id),
      b.app.get(SyncWorker).processNext('instance-b', tenant.id),
    ]);
    expect([ranA, ranB].filter(Boolean)).toHaveLength(1);
    const s = await sync(a, tenant, created.id, created.lastSync.id);
    expect(s).toMatchObject({ status: 'succeeded', errorCount: 0 });
    // each page was asked for once
    const pages = fake.log.map((r) => `${r.path}?${r.query.page ?? ''}`);
    expect(new Set(pages).size).toBe(pages.length);
    expect(await tenantCounts(a, tenant.id)).toMatchObject({ customers: 230, invoices: 206, payments: 3 });
  });
});
