import { bootApp, createTenant, importBatch, recomputeNow, TestApp, TestTenant } from '../support/app';
import { AS_OF, importThreeCustomers, inv, SNAPSHOT_SUMMARIES } from '../support/three-customers';

const READS = [
  `/v1/customers/A?asOf=${AS_OF}`,
  `/v1/customers?asOf=${AS_OF}&limit=2`,
  `/v1/customers?asOf=${AS_OF}&sort=recency&segment=champions`,
  `/v1/customers?asOf=${AS_OF}&sort=predictedClv`,
  ...SNAPSHOT_SUMMARIES,
];

/**
 * Reads served from a snapshot are kept serialized (pages, profiles, rfm, lifecycle, profitability,
 * whale curve, aging, DSO, cohorts): the bytes and headers are those of the same read computed on
 * demand, and nothing outlives the snapshot.
 */
describe('snapshot reads kept in memory', () => {
  let t: TestApp;
  let tenant: TestTenant;

  const read = (path: string, lang = 'en', who: TestTenant = tenant) =>
    t.http.get(path).set(who.auth).set('Accept-Language', lang).expect(200);
  const recompute = (who: TestTenant) => recomputeNow(t, who, AS_OF);

  beforeAll(async () => {
    t = await bootApp({ ANALYTICS_DEBOUNCE_MS: '0' });
    tenant = await createTenant(t);
    await importThreeCustomers(t, tenant);
  });
  afterAll(() => t.close());

  it('sends the same bytes and headers from the snapshot, again and again, as computed on demand', async () => {
    const live = new Map<string, { text: string; type: string; etag: string }>();
    for (const path of READS) {
      for (const lang of ['en', 'ar']) {
        const res = await read(path, lang);
        live.set(`${lang} ${path}`, {
          text: res.text,
          type: String(res.headers['content-type']),
          etag: String(res.headers.etag),
        });
      }
    }
    const snapshotId = await recompute(tenant);
    for (const path of READS) {
      for (const lang of ['en', 'ar']) {
        const expected = live.get(`${lang} ${path}`)!;
        for (let i = 0; i < 2; i++) {
          const res = await read(path, lang);
          expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
          if (path.includes('/customers/')) {
            // a profile does not name its source: the very same response
            expect(res.text).toBe(expected.text);
            expect(res.headers.etag).toBe(expected.etag);
          } else {
            expect(res.body.snapshotId).toBe(snapshotId);
            expect(JSON.stringify({ ...res.body, snapshotId: null })).toBe(expected.text);
          }
        }
      }
    }
    for (const path of [
      `/v1/analytics/rfm?asOf=${AS_OF}`,
      `/v1/analytics/lifecycle?asOf=${AS_OF}`,
      ...READS.filter((p) => p.startsWith('/v1/analytics/')),
    ]) {
      const first = await read(path);
      const again = await read(path);
      expect(first.body.snapshotId).toBe(snapshotId);
      expect([again.text, again.headers.etag]).toEqual([first.text, first.headers.etag]);
      // a matching If-None-Match is answered 304, as for any JSON response
      await t.http.get(path).set(tenant.auth).set('If-None-Match', String(first.headers.etag)).expect(304);
    }
  });

  it('keeps the errors of the profile as they were', async () => {
    const unknown = await t.http.get(`/v1/customers/NOPE?asOf=${AS_OF}`).set(tenant.auth).expect(404);
    expect(unknown.body.error).toBe('not_found');
    // the unknown customer's 404 comes before the malformed date's 400, as before
    await t.http.get('/v1/customers/NOPE?asOf=soon').set(tenant.auth).expect(404);
    await t.http.get('/v1/customers/A?asOf=soon').set(tenant.auth).expect(400);
    await t.http.get(`/v1/customers/A?asOf=${AS_OF}`).expect(401);
  });

  it("never serves one tenant's kept profile to another, nor one from a retired snapshot", async () => {
    const before = await read(`/v1/customers/A?asOf=${AS_OF}`);
    const other = await createTenant(t);
    await importBatch(t, other, 'customers', [{ externalId: 'A', name: 'Other A' }]).expect(200);
    await importBatch(t, other, 'invoices', [inv('X1', 'A', '2024-06-02', 999)]).expect(200);
    await recompute(other);
    const theirs = await read(`/v1/customers/A?asOf=${AS_OF}`, 'en', other);
    expect(theirs.body).toMatchObject({ name: 'Other A', netRevenue: '999.00' });
    expect((await read(`/v1/customers/A?asOf=${AS_OF}`)).text).toBe(before.text);

    // new data: the published profile serves until the refresh (saying so), then the new snapshot's
    await importBatch(t, tenant, 'invoices', [inv('A3', 'A', '2024-06-20', 30)]).expect(200);
    const pending = await read(`/v1/customers/A?asOf=${AS_OF}`);
    expect(pending.text).toBe(before.text);
    expect(pending.headers['analytics-refresh-pending']).toBe('true');
    await recompute(tenant);
    const changed = await read(`/v1/customers/A?asOf=${AS_OF}`);
    expect(changed.body.netRevenue).toBe('250.00');
    expect(changed.headers['analytics-refresh-pending']).toBe('false');
    expect((await read(`/v1/customers/A?asOf=${AS_OF}`)).text).toBe(changed.text);
  });
});
