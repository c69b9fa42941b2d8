import { AnalyticsWorker } from '../../src/analytics/snapshots/analytics-worker';
import { settingsHash, SnapshotService } from '../../src/analytics/snapshots/snapshot.service';
import { withDefaults } from '../../src/settings/settings';
import { formatMoney, Money } from '../../src/shared/money';
import { addDays, dateInZone } from '../../src/shared/dates';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

const TODAY = dateInZone(new Date(), 'UTC');

const inv = (externalId: string, customerId: string, issueDate: string, unitPrice: number) => ({
  externalId,
  customerId,
  issueDate,
  lines: [{ description: 'Item', quantity: 1, unitPrice }],
});

/**
 * Refreshes of today's analytics (issue 13): an import never sends today's reads to an on-demand
 * recomputation — the published snapshot keeps serving, saying a refresh is pending, until the
 * worker's refresh publishes the next one (computed, its default reads stored, then published in one
 * step); a refresh that died is retried; instances on one database refresh a change once.
 */
describe('refreshes of the published state', () => {
  let t: TestApp;
  let worker: AnalyticsWorker;
  let tenant: TestTenant;
  let other: TestTenant;

  const profile = (who: TestTenant, id: string) =>
    t.http.get(`/v1/customers/${id}`).set(who.auth).expect(200);
  const freshness = async (who: TestTenant) =>
    (await t.http.get('/v1/analytics/freshness').set(who.auth).expect(200)).body as {
      asOf: string;
      snapshotId: string | null;
      dataThrough: string;
      refreshedAt: string;
      refreshPending: boolean;
      refresh: { status: string; reason: string } | null;
    };
  const snapshots = async (who: TestTenant) =>
    t.sql<{ id: string; published_at: Date | null }>(
      `SELECT id, published_at FROM analytics_snapshots WHERE tenant_id = $1 ORDER BY created_at`,
      [who.id],
    );

  beforeAll(async () => {
    // imports queue their refresh at once; the worker is run by hand
    t = await bootApp({ ANALYTICS_DEBOUNCE_MS: '0', ANALYTICS_MAX_DELAY_MS: '0' });
    worker = t.app.get(AnalyticsWorker);
    tenant = await createTenant(t, { timezone: 'UTC' });
    other = await createTenant(t, { timezone: 'UTC' });
    for (const who of [tenant, other]) {
      await importBatch(
        t,
        who,
        'customers',
        ['A', 'B'].map((id) => ({ externalId: id, name: id })),
      ).expect(200);
      await importBatch(t, who, 'invoices', [
        inv('A1', 'A', addDays(TODAY, -60), 100),
        inv('B1', 'B', addDays(TODAY, -10), 200),
      ]).expect(200);
      await worker.tick(new Date(), who.id);
    }
  });
  afterAll(() => t.close());

  it('serves the published snapshot after an import, saying a refresh is pending, then the refreshed one', async () => {
    const before = await profile(tenant, 'A');
    const published = await freshness(tenant);
    expect(published).toMatchObject({ asOf: TODAY, refreshPending: false, refresh: null });
    expect(before.headers['analytics-snapshot']).toBe(published.snapshotId);
    expect(before.body.netRevenue).toBe('100.00');

    await importBatch(t, tenant, 'invoices', [inv('A2', 'A', addDays(TODAY, -1), 50)]).expect(200);
    const during = await profile(tenant, 'A');
    expect(during.text).toBe(before.text);
    expect(during.headers['analytics-refresh-pending']).toBe('true');
    expect(during.headers['analytics-data-through']).toBe(published.dataThrough);
    const pending = await freshness(tenant);
    expect(pending).toMatchObject({
      snapshotId: published.snapshotId,
      refreshPending: true,
      refresh: { status: 'queued', reason: 'import' },
    });
    // a customer imported after the published snapshot: a 404 that says the refresh adds them
    await importBatch(t, tenant, 'customers', [{ externalId: 'N', name: 'New' }]).expect(200);
    await importBatch(t, tenant, 'invoices', [inv('N1', 'N', addDays(TODAY, -1), 70)]).expect(200);
    const unseen = await t.http.get('/v1/customers/N').set(tenant.auth).expect(404);
    expect(unseen.body.message).toMatch(/the refresh pending now adds them/);
    // the other tenant's state is its own: nothing pending there
    expect(await freshness(other)).toMatchObject({ refreshPending: false, refresh: null });
    expect((await profile(other, 'A')).headers['analytics-refresh-pending']).toBe('false');

    expect(await worker.tick(new Date(), tenant.id)).toBe(1);
    const after = await profile(tenant, 'A');
    expect(after.body.netRevenue).toBe('150.00');
    expect((await profile(tenant, 'N')).body.netRevenue).toBe('70.00');
    expect(after.headers['analytics-refresh-pending']).toBe('false');
    const refreshed = await freshness(tenant);
    expect(refreshed.snapshotId).not.toBe(published.snapshotId);
    expect(refreshed).toMatchObject({ refreshPending: false, refresh: null });
    expect(Date.parse(refreshed.dataThrough)).toBeGreaterThan(Date.parse(published.dataThrough));
    expect(Date.parse(refreshed.refreshedAt)).toBeGreaterThanOrEqual(Date.parse(refreshed.dataThrough));
    // the retired snapshot is gone with the one before it; the published one is the newest
    const kept = await snapshots(tenant);
    expect(kept.filter((s) => s.published_at !== null).map((s) => s.id)).toContain(refreshed.snapshotId);
    expect(kept.map((s) => s.id)).not.toContain(undefined);
  });

  it('keeps serving the published snapshot while a refresh that died is retried', async () => {
    const before = await freshness(tenant);
    await importBatch(t, tenant, 'invoices', [inv('B2', 'B', addDays(TODAY, -2), 25)]).expect(200);
    // the state a worker killed mid-refresh leaves: its job running under a lease nobody renews
    await t.sql(
      `UPDATE analytics_jobs SET status = 'running', started_at = now(), lease_expires_at = now() + interval '1 hour'
        WHERE tenant_id = $1 AND status = 'queued'`,
      [tenant.id],
    );
    // while its lease holds, no other worker runs it (nor a second refresh of the tenant)
    await importBatch(t, tenant, 'invoices', [inv('B3', 'B', addDays(TODAY, -1), 5)]).expect(200);
    expect(await worker.tick(new Date(), tenant.id)).toBe(0);
    const during = await profile(tenant, 'B');
    expect(during.body.netRevenue).toBe('200.00');
    expect(during.headers['analytics-refresh-pending']).toBe('true');
    expect((await freshness(tenant)).snapshotId).toBe(before.snapshotId);
    // the lease lapses: the next tick runs the dead job again, then the queued one
    await t.sql(
      `UPDATE analytics_jobs SET lease_expires_at = now() - interval '1 second' WHERE tenant_id = $1 AND status = 'running'`,
      [tenant.id],
    );
    expect(await worker.tick(new Date(), tenant.id)).toBe(2);
    const after = await profile(tenant, 'B');
    expect(after.body.netRevenue).toBe('230.00');
    expect(after.headers['analytics-refresh-pending']).toBe('false');
    const jobs = await t.sql<{ status: string }>(
      `SELECT status FROM analytics_jobs WHERE tenant_id = $1 AND status IN ('queued', 'running')`,
      [tenant.id],
    );
    expect(jobs).toEqual([]);
  });

  it('serves the snapshot of the churn holdout date while a refresh is pending, and makes it again after publishing today', async () => {
    const HOLDOUT = addDays(TODAY, -91);
    const pastRead = () => t.http.get(`/v1/customers?asOf=${HOLDOUT}&limit=5`).set(tenant.auth).expect(200);
    const pastSnapshots = () =>
      t.sql<{ id: string; data_version: string }>(
        `SELECT id, data_version FROM analytics_snapshots WHERE tenant_id = $1 AND as_of = $2 ORDER BY created_at`,
        [tenant.id, HOLDOUT],
      );
    const kept = await pastSnapshots();
    expect(kept.length).toBeGreaterThan(0);
    const before = await pastRead();
    expect(before.headers['analytics-snapshot']).toBe(kept[kept.length - 1]!.id);
    expect(before.headers['analytics-refresh-pending']).toBe('false');
    // a document back-dated before the holdout date: that snapshot no longer holds the tenant's data,
    // but it serves, saying so, until the refresh makes it again
    await importBatch(t, tenant, 'invoices', [inv('OLD1', 'A', addDays(HOLDOUT, -5), 40)]).expect(200);
    const during = await pastRead();
    expect(during.text).toBe(before.text);
    expect(during.headers['analytics-snapshot']).toBe(before.headers['analytics-snapshot']);
    expect(during.headers['analytics-refresh-pending']).toBe('true');
    expect(await worker.tick(new Date(), tenant.id)).toBe(1);
    const remade = await pastSnapshots();
    const newest = remade[remade.length - 1]!;
    expect(newest.id).not.toBe(before.headers['analytics-snapshot']);
    const after = await pastRead();
    expect(after.headers['analytics-snapshot']).toBe(newest.id);
    expect(after.headers['analytics-refresh-pending']).toBe('false');
    expect(after.text).not.toBe(before.text);
    // with no refresh pending, a past date whose snapshot is of older data is computed on demand
    await t.sql(`UPDATE tenants SET data_version = data_version + 1 WHERE id = $1`, [tenant.id]);
    t.app.get(SnapshotService).forget(tenant.id);
    const onDemand = await pastRead();
    expect(onDemand.headers['analytics-snapshot']).toBeUndefined();
    expect(onDemand.text).toBe(after.text.replace(`"snapshotId":"${newest.id}"`, '"snapshotId":null'));
    expect(await worker.tick(new Date(), tenant.id)).toBe(0);
    await importBatch(t, tenant, 'invoices', [inv('OLD2', 'B', addDays(TODAY, -1), 1)]).expect(200);
    expect(await worker.tick(new Date(), tenant.id)).toBe(1);
  });

  it('keeps serving the published state after a settings change until the refresh with the new settings is published', async () => {
    const rfm = () => t.http.get('/v1/analytics/rfm').set(tenant.auth).expect(200);
    const yesterday = () =>
      t.http
        .get(`/v1/analytics/rfm?asOf=${addDays(TODAY, -1)}`)
        .set(tenant.auth)
        .expect(200);
    const before = await rfm();
    const beforeYesterday = await yesterday();
    expect(before.body.snapshotId).not.toBeNull();
    expect(before.body.windowDays).toBeNull();
    const put = await t.http.put('/v1/settings').set(tenant.auth).send({ rfmWindowDays: 30 }).expect(200);
    expect(put.body.rfmWindowDays).toBe(30);
    expect((await t.http.get('/v1/settings').set(tenant.auth).expect(200)).body.rfmWindowDays).toBe(30);
    const pending = await freshness(tenant);
    expect(pending).toMatchObject({ snapshotId: before.body.snapshotId, refreshPending: true });
    expect(pending.refresh).toMatchObject({ reason: 'settings', status: 'queued' });
    // every read answers as the published state does: today's from it, saying a refresh is pending;
    // another date on demand with the same (old) settings
    const during = await rfm();
    expect(during.body).toEqual(before.body);
    expect(during.headers['analytics-refresh-pending']).toBe('true');
    expect((await yesterday()).body).toEqual(beforeYesterday.body);
    // an explicit parameter is computed on demand as asked
    expect(
      (await t.http.get('/v1/analytics/rfm?windowDays=30').set(tenant.auth).expect(200)).body.windowDays,
    ).toBe(30);

    expect(await worker.tick(new Date(), tenant.id)).toBe(1);
    const after = await rfm();
    expect(after.body.snapshotId).not.toBe(before.body.snapshotId);
    expect(after.body.windowDays).toBe(30);
    expect(after.headers['analytics-refresh-pending']).toBe('false');
    // the new published state equals the same read computed on demand with the new settings
    const onDemand = await t.http.get('/v1/analytics/rfm?windowDays=30').set(tenant.auth).expect(200);
    expect({ ...after.body, snapshotId: null }).toEqual(onDemand.body);
    expect((await yesterday()).body.windowDays).toBe(30);

    // put back as they were: the 30-day state serves until that refresh, then the first one's numbers
    await t.http.put('/v1/settings').set(tenant.auth).send({ rfmWindowDays: null }).expect(200);
    expect((await rfm()).body).toEqual(after.body);
    expect(await worker.tick(new Date(), tenant.id)).toBe(1);
    const back = await rfm();
    expect({ ...back.body, snapshotId: null }).toEqual({ ...before.body, snapshotId: null });
    // the same settings again change nothing: no refresh queued
    await t.http.put('/v1/settings').set(tenant.auth).send({ rfmWindowDays: null }).expect(200);
    expect((await freshness(tenant)).refresh).toBeNull();

    // a refresh that failed leaves nothing queued: the new settings apply at once (on demand)
    await t.http.put('/v1/settings').set(tenant.auth).send({ rfmWindowDays: 60 }).expect(200);
    expect((await rfm()).body.windowDays).toBeNull();
    await t.sql(
      `UPDATE analytics_jobs SET status = 'failed', finished_at = now(), error = 'test' WHERE tenant_id = $1 AND status = 'queued'`,
      [tenant.id],
    );
    t.app.get(SnapshotService).forget(tenant.id);
    const failed = await rfm();
    expect(failed.body).toMatchObject({ snapshotId: null, windowDays: 60 });
    await t.http.put('/v1/settings').set(tenant.auth).send({ rfmWindowDays: null }).expect(200);
    expect(await worker.tick(new Date(), tenant.id)).toBe(1);
  });

  it('records with each snapshot the settings it was computed with', async () => {
    const rows = await t.sql<{ settings: Record<string, unknown>; settings_hash: string }>(
      `SELECT s.settings, s.settings_hash FROM tenants t JOIN analytics_snapshots s ON s.id = t.current_snapshot_id
        WHERE t.id = $1`,
      [tenant.id],
    );
    expect(rows).toHaveLength(1);
    const current = (await t.http.get('/v1/settings').set(tenant.auth).expect(200)).body;
    expect(withDefaults(rows[0]!.settings)).toEqual(current);
    expect(settingsHash(withDefaults(rows[0]!.settings))).toBe(rows[0]!.settings_hash);
  });

  it('bounds how long imports arriving one after another push the refresh back', async () => {
    const bounded = await bootApp({ ANALYTICS_DEBOUNCE_MS: '5000', ANALYTICS_MAX_DELAY_MS: '8000' });
    try {
      const who = await createTenant(bounded, { timezone: 'UTC' });
      await importBatch(bounded, who, 'customers', [{ externalId: 'A', name: 'A' }]).expect(200);
      for (let i = 0; i < 4; i++) {
        await importBatch(bounded, who, 'invoices', [inv(`S${i}`, 'A', TODAY, 10 + i)]).expect(200);
      }
      const [job] = await bounded.sql<{ delay: number; n: number }>(
        `SELECT extract(epoch FROM not_before - requested_at)::float AS delay,
                (SELECT count(*)::int FROM analytics_jobs WHERE tenant_id = $1 AND status = 'queued') AS n
           FROM analytics_jobs WHERE tenant_id = $1 AND status = 'queued'`,
        [who.id],
      );
      expect(job!.n).toBe(1);
      // each import pushed it back to 5 s after itself, but never past 8 s after the first
      expect(job!.delay).toBeGreaterThanOrEqual(5);
      expect(job!.delay).toBeLessThanOrEqual(8);
    } finally {
      await bounded.close();
    }
  });

  // two service instances share one database only on PostgreSQL (PGlite is one process's database)
  const onPostgres = process.env.HARAKAH_TEST_DATABASE_URL?.startsWith('postgres') ? it : it.skip;
  onPostgres('refreshes a change once when two instances tick together', async () => {
    const second = await bootApp();
    try {
      const before = (await snapshots(tenant)).length;
      const was = new Money((await profile(tenant, 'A')).body.netRevenue);
      await importBatch(t, tenant, 'invoices', [inv('A3', 'A', TODAY, 1)]).expect(200);
      const [a, b] = await Promise.all([
        worker.tick(new Date(), tenant.id),
        second.app.get(AnalyticsWorker).tick(new Date(), tenant.id),
      ]);
      expect(a + b).toBe(1);
      const succeeded = await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM analytics_jobs WHERE tenant_id = $1 AND status = 'succeeded'
            AND finished_at > now() - interval '5 minutes' AND reason = 'import'
            AND snapshot_id = (SELECT current_snapshot_id FROM tenants WHERE id = $1)`,
        [tenant.id],
      );
      expect(succeeded[0]!.n).toBe(1);
      expect((await snapshots(tenant)).length).toBeLessThanOrEqual(before + 1);
      // both instances serve the refreshed state
      const [x, y] = await Promise.all([
        profile(tenant, 'A'),
        second.http.get('/v1/customers/A').set(tenant.auth).expect(200),
      ]);
      expect(x.body.netRevenue).toBe(formatMoney(was.plus(1)));
      expect(y.text).toBe(x.text);
      expect(y.headers['analytics-refresh-pending']).toBe('false');
    } finally {
      await second.close();
    }
  });
});
