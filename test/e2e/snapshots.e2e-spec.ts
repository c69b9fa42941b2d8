import { AnalyticsWorker } from '../../src/analytics/snapshots/analytics-worker';
import { recomputeStep, workspaceName } from '../../src/analytics/snapshots/recompute.steps';
import { Database } from '../../src/database/database';
import { SnapshotService } from '../../src/analytics/snapshots/snapshot.service';
import { bootApp, createTenant, importBatch, recomputeNow, TestApp, TestTenant } from '../support/app';

const inv = (id: string, customer: string, date: string, amount: number) => ({
  externalId: id,
  customerId: customer,
  issueDate: date,
  lines: [{ quantity: 1, unitPrice: amount }],
});

/** Snapshots: a recompute publishes results for (tenant, asOf); reads use them only while they are current. */
describe('analytics snapshots and recompute jobs', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let worker: AnalyticsWorker;

  beforeAll(async () => {
    t = await bootApp({ ANALYTICS_DEBOUNCE_MS: '0' });
    worker = t.app.get(AnalyticsWorker);
    tenant = await createTenant(t);
    await importBatch(
      t,
      tenant,
      'customers',
      ['A', 'B', 'C'].map((id) => ({ externalId: id, name: id })),
    ).expect(200);
    await importBatch(t, tenant, 'invoices', [
      inv('A1', 'A', '2024-05-01', 100),
      inv('A2', 'A', '2024-06-01', 100),
      inv('B1', 'B', '2024-06-10', 500),
    ]).expect(200);
  });
  afterAll(() => t.close());

  it('runs a requested recompute as a job and serves the same numbers from the snapshot', async () => {
    const live = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(live.body.snapshotId).toBeNull();
    const job = await t.http
      .post('/v1/analytics/recompute')
      .set(tenant.auth)
      .send({ asOf: '2024-06-30' })
      .expect(202);
    expect(job.body).toMatchObject({ status: 'queued', reason: 'manual', asOf: '2024-06-30' });
    await worker.tick(new Date(), tenant.id);
    const done = await t.http.get(`/v1/analytics/jobs/${job.body.id}`).set(tenant.auth).expect(200);
    expect(done.body).toMatchObject({ status: 'succeeded', snapshotId: expect.any(String) });

    const fromSnapshot = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(fromSnapshot.body.snapshotId).toBe(done.body.snapshotId);
    expect({ ...fromSnapshot.body, snapshotId: null }).toEqual(live.body);

    const list = await t.http.get('/v1/customers?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(list.body.snapshotId).toBe(done.body.snapshotId);
    expect(list.body.data.map((c: { customerId: string }) => c.customerId)).toEqual(['B', 'A', 'C']);
    const lifecycle = await t.http
      .get('/v1/analytics/lifecycle?asOf=2024-06-30')
      .set(tenant.auth)
      .expect(200);
    expect(lifecycle.body.snapshotId).toBe(done.body.snapshotId);
    // another date, or custom parameters, are computed on demand
    const other = await t.http.get('/v1/analytics/rfm?asOf=2024-06-29').set(tenant.auth).expect(200);
    expect(other.body.snapshotId).toBeNull();
    const windowed = await t.http
      .get('/v1/analytics/rfm?asOf=2024-06-30&windowDays=30')
      .set(tenant.auth)
      .expect(200);
    expect(windowed.body.snapshotId).toBeNull();
  });

  it('keeps each snapshot in its own indexed partition, and only the current and the previous one', async () => {
    const recompute = () => recomputeNow(t, tenant, '2024-06-30');
    const ids = [await recompute(), await recompute(), await recompute()];
    const partitions = await t.sql<{ snapshot: string; rows: number }>(
      `SELECT replace(substr(c.relname, 20), '-', '') AS snapshot, c.reltuples::int AS rows
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'snapshot_customers'::regclass`,
    );
    const hex = (id: string) => id.replace(/-/g, '');
    const mine = partitions.filter((p) => ids.map(hex).includes(p.snapshot));
    // the last two stay (a reader with a cached published state may still read the previous one)
    expect(mine.map((p) => p.snapshot).sort()).toEqual([hex(ids[1]!), hex(ids[2]!)].sort());
    const snapshots = await t.sql<{ id: string }>(`SELECT id FROM analytics_snapshots WHERE tenant_id = $1`, [
      tenant.id,
    ]);
    expect(snapshots.map((s) => s.id).sort()).toEqual([ids[1], ids[2]].sort());
    // the keys and sort indexes built on the loaded rows were adopted by the partitioned indexes,
    // none built twice
    const indexes = await t.sql<{ partition: number; parent: number; adopted: number }>(
      `SELECT (SELECT count(*)::int FROM pg_index WHERE indrelid = to_regclass($1)) AS partition,
              (SELECT count(*)::int FROM pg_index WHERE indrelid = 'snapshot_customers'::regclass) AS parent,
              (SELECT count(*)::int FROM pg_inherits i JOIN pg_index x ON x.indexrelid = i.inhrelid
                WHERE x.indrelid = to_regclass($1)) AS adopted`,
      [`snapshot_customers_${hex(ids[2]!)}`],
    );
    expect(indexes[0]).toEqual({ partition: 7, parent: 7, adopted: 7 });
    const rows = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM snapshot_customers WHERE tenant_id = $1 AND snapshot_id = $2`,
      [tenant.id, ids[2]],
    );
    expect(rows[0]!.n).toBe(3);
  });

  it('keeps serving the published snapshot after an import, saying a refresh is pending, and queues one', async () => {
    const published = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(published.headers['analytics-refresh-pending']).toBe('false');
    await importBatch(t, tenant, 'invoices', [inv('C1', 'C', '2024-06-20', 50)]).expect(200);
    const res = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    // the published state answers (never an on-demand recomputation of the whole population) …
    expect(res.body.snapshotId).toBe(published.body.snapshotId);
    expect(res.text).toBe(published.text);
    // … and says how fresh it is
    expect(res.headers['analytics-snapshot']).toBe(published.body.snapshotId);
    expect(res.headers['analytics-as-of']).toBe('2024-06-30');
    expect(res.headers['analytics-refresh-pending']).toBe('true');
    expect(Date.parse(res.headers['analytics-data-through']!)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(res.headers['analytics-refreshed-at']!)).toBeGreaterThanOrEqual(
      Date.parse(res.headers['analytics-data-through']!),
    );
    const freshness = await t.http.get('/v1/analytics/freshness').set(tenant.auth).expect(200);
    expect(freshness.body.refresh).toMatchObject({ reason: 'import', status: 'queued' });
    // a date with no stored state is computed on demand, with the new data
    const other = await t.http.get('/v1/analytics/rfm?asOf=2024-06-29').set(tenant.auth).expect(200);
    expect(other.body.snapshotId).toBeNull();
    expect(other.headers['analytics-refresh-pending']).toBe('false');
    expect(other.headers['analytics-snapshot']).toBeUndefined();
    // one pending automatic recompute, however many imports came in (the earlier one already ran)
    const pending = await t.sql<{ reason: string }>(
      `SELECT reason FROM analytics_jobs WHERE tenant_id = $1 AND status = 'queued'`,
      [tenant.id],
    );
    expect(pending).toEqual([{ reason: 'import' }]);
    // an import that changes nothing leaves the data version alone
    const [before] = await t.sql<{ v: number }>(`SELECT data_version AS v FROM tenants WHERE id = $1`, [
      tenant.id,
    ]);
    await importBatch(t, tenant, 'invoices', [inv('C1', 'C', '2024-06-20', 50)]).expect(200);
    const [after] = await t.sql<{ v: number }>(`SELECT data_version AS v FROM tenants WHERE id = $1`, [
      tenant.id,
    ]);
    expect(Number(after!.v)).toBe(Number(before!.v));
  });

  it('leaves no workspace behind, and drops those of recomputes that died an hour ago', async () => {
    const workspaces = async () =>
      (
        await t.sql<{ name: string }>(
          `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'recompute%'`,
        )
      )
        .map((r) => r.name)
        .sort();
    // one left by a recompute that died 61 minutes ago (its staging lanes had committed a table),
    // one of a recompute still running elsewhere (10 minutes old)
    const id = 'c0ffee00-0000-4000-8000-000000000000';
    const dead = workspaceName(id, Date.now() - 61 * 60_000);
    const running = workspaceName(id, Date.now() - 10 * 60_000);
    for (const schema of [dead, running]) {
      await t.sql(`CREATE SCHEMA ${schema}`);
      await t.sql(`CREATE TABLE ${schema}.fact_invoices (id bigint)`);
    }
    // PostgreSQL stages in lanes on connections of their own; PGlite (one connection) in the snapshot's transaction
    expect(t.app.get(Database).concurrent).toBe(Boolean(process.env.DATABASE_URL));
    await recomputeNow(t, tenant, '2024-06-30');
    expect(await workspaces()).toEqual([running]);
    await t.sql(`DROP SCHEMA ${running} CASCADE`);
    await recomputeNow(t, tenant, '2024-06-30');
    expect(await workspaces()).toEqual([]);
  });

  it('records the data version it staged: an import committed while it ran leaves the snapshot and its CLV model unused', async () => {
    const version = async () =>
      Number(
        (await t.sql<{ v: string }>(`SELECT data_version AS v FROM tenants WHERE id = $1`, [tenant.id]))[0]!
          .v,
      );
    // no refresh left queued by earlier tests: only this recompute runs in the pass below
    await worker.tick(new Date(), tenant.id);
    const before = await version();
    // an import sent while the document facts are staged: on PostgreSQL it commits before the
    // snapshot's transaction (awaited in the next lane); PGlite has one connection, so it waits for
    // the whole recompute and commits after it
    const facts = recomputeStep('facts');
    const lifecycle = recomputeStep('lifecycle');
    const [runFacts, runLifecycle] = [facts.run, lifecycle.run];
    let imported: Promise<unknown> = Promise.resolve();
    let sent = false;
    facts.run = async (ctx) => {
      if (!sent && ctx.asOf === '2024-06-30') {
        sent = true;
        imported = importBatch(t, tenant, 'invoices', [inv('C3', 'C', '2024-06-26', 10)]).expect(200);
      }
      await runFacts(ctx);
    };
    lifecycle.run = async (ctx) => {
      if (t.app.get(Database).concurrent) await imported;
      await runLifecycle(ctx);
    };
    let id = '';
    try {
      id = await recomputeNow(t, tenant, '2024-06-30');
      await imported;
    } finally {
      facts.run = runFacts;
      lifecycle.run = runLifecycle;
    }
    expect(await version()).toBe(before + 1);
    const [snap] = await t.sql<{ v: string }>(
      `SELECT data_version AS v FROM analytics_snapshots WHERE id = $1`,
      [id],
    );
    expect(Number(snap!.v)).toBe(before);
    // its CLV model was stored under the version its facts were read at, never under the new one
    // (models of older versions are pruned as newer ones are stored: none is left to look at)
    const models = await t.sql<{ v: string }>(
      `SELECT data_version AS v FROM clv_models WHERE tenant_id = $1 AND as_of = '2024-06-30' AND data_version > $2`,
      [tenant.id, before],
    );
    expect(models).toEqual([]);
    // never taken for the current data: a refresh is still due, and a read of its date is not served
    // by it as fresh — PGlite: the import committed after the recompute, so it is still published
    // and serves saying a refresh is pending; PostgreSQL: the import committed first and its refresh
    // of today ran in the same worker pass, so it serves nothing any more
    expect(await t.app.get(SnapshotService).current(tenant.id, '2024-06-30')).toBeNull();
    const res = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    const servedAsFresh =
      res.headers['analytics-snapshot'] === id && res.headers['analytics-refresh-pending'] === 'false';
    expect(servedAsFresh).toBe(false);
    const again = await recomputeNow(t, tenant, '2024-06-30');
    const fresh = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(fresh.body.snapshotId).toBe(again);
    expect(fresh.headers['analytics-refresh-pending']).toBe('false');
  });

  it('leaves the planner statistics of the predictions it writes current', async () => {
    // new data: the recompute's CLV step writes this tenant's predictions again, then analyses them
    await importBatch(t, tenant, 'invoices', [inv('C2', 'C', '2024-06-25', 30)]).expect(200);
    await recomputeNow(t, tenant, '2024-06-30');
    const [stats] = await t.sql<{ planned: number; rows: number }>(
      `SELECT (SELECT reltuples::int FROM pg_class WHERE oid = 'customer_predictions'::regclass) AS planned,
              (SELECT count(*)::int FROM customer_predictions) AS rows`,
    );
    expect(stats!.planned).toBe(stats!.rows);
  });

  it('serves the published snapshot after a settings change until the refresh with the new settings is published', async () => {
    const job = await t.http
      .post('/v1/analytics/recompute')
      .set(tenant.auth)
      .send({ asOf: '2024-06-30' })
      .expect(202);
    await worker.tick(new Date(), tenant.id);
    const done = await t.http.get(`/v1/analytics/jobs/${job.body.id}`).set(tenant.auth).expect(200);
    expect((await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth)).body.snapshotId).toBe(
      done.body.snapshotId,
    );
    await t.http.put('/v1/settings').set(tenant.auth).send({ newDays: 60 }).expect(200);
    const pending = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(pending.body.snapshotId).toBe(done.body.snapshotId);
    expect(pending.headers['analytics-refresh-pending']).toBe('true');
    // the refresh (of today) publishes with the new settings: that date is then computed on demand
    await worker.tick(new Date(), tenant.id);
    const after = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(after.body.snapshotId).toBeNull();
    const [published] = await t.sql<{ settings: { newDays: number } }>(
      `SELECT s.settings FROM tenants t JOIN analytics_snapshots s ON s.id = t.current_snapshot_id WHERE t.id = $1`,
      [tenant.id],
    );
    expect(published!.settings.newDays).toBe(60);
  });

  it("never lets one tenant read or poll another tenant's jobs", async () => {
    const job = await t.http.post('/v1/analytics/recompute').set(tenant.auth).send({}).expect(202);
    const other = await createTenant(t);
    await t.http.get(`/v1/analytics/jobs/${job.body.id}`).set(other.auth).expect(404);
    await t.http.post('/v1/analytics/recompute').set(tenant.auth).send({ asOf: 'soon' }).expect(400);
  });
});
