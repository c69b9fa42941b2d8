import type { IncomingMessage } from 'node:http';
import type { Response } from 'supertest';
import { ReplayMemory } from '../../src/analytics/snapshots/snapshot-replay';
import { SnapshotService } from '../../src/analytics/snapshots/snapshot.service';
import { replayMemoryOf } from '../../src/app.factory';
import {
  ADMIN_TOKEN,
  bootApp,
  createTenant,
  importBatch,
  recomputeNow,
  TestApp,
  TestTenant,
} from '../support/app';
import { AS_OF, importThreeCustomers, inv, SNAPSHOT_SUMMARIES } from '../support/three-customers';

/** Every read a snapshot answers with a prepared body. */
const READS = [
  `/v1/customers/A?asOf=${AS_OF}`,
  `/v1/customers?asOf=${AS_OF}&limit=2`,
  `/v1/analytics/rfm?asOf=${AS_OF}`,
  `/v1/analytics/lifecycle?asOf=${AS_OF}`,
  ...SNAPSHOT_SUMMARIES,
];
const RFM = `/v1/analytics/rfm?asOf=${AS_OF}`;

/** The raw response headers, in order, but the two that differ on every response. */
function rawHeaders(res: Response): string[] {
  const raw = (res as unknown as { res: IncomingMessage }).res.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'date' || name === 'x-request-id') continue;
    // the remaining quota and the seconds to its reset count down, replayed or not: place and form must match
    const value = name === 'ratelimit' ? raw[i + 1]!.replace(/;r=\d+;t=\d+/, ';r=N;t=N') : raw[i + 1];
    out.push(`${name}: ${value}`);
  }
  return out;
}

/**
 * A repeated read of a published snapshot is answered from memory, before Nest's routing
 * (snapshot-replay.ts), and is exactly the response the full path gives: the same bytes and headers,
 * the same 304, and no longer than the full path would give it (key, snapshot, settings, today).
 */
describe('snapshot reads replayed from memory', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let memory: ReplayMemory;
  let snapshotId: string;

  const get = (path: string, auth: { Authorization: string } = tenant.auth) => t.http.get(path).set(auth);
  const issueKey = async (who: TestTenant) => {
    const res = await t.http
      .post(`/v1/admin/tenants/${who.id}/keys`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({})
      .expect(201);
    return { id: res.body.id as string, auth: { Authorization: `Bearer ${res.body.apiKey}` } };
  };
  /** `read()`, asserting whether it was answered from memory. */
  const replayed = async (expected: boolean, read: () => Promise<Response>) => {
    const before = memory.replayed;
    const res = await read();
    expect(memory.replayed - before).toBe(expected ? 1 : 0);
    return res;
  };

  beforeAll(async () => {
    t = await bootApp({ ANALYTICS_DEBOUNCE_MS: '0' });
    memory = replayMemoryOf(t.app)!;
    tenant = await createTenant(t);
    await importThreeCustomers(t, tenant);
    snapshotId = await recomputeNow(t, tenant, AS_OF);
  });
  afterAll(() => t.close());

  it('answers a repeated read with the bytes and headers of the full path, in the same order', async () => {
    for (const path of READS) {
      for (const lang of ['en', 'ar']) {
        const full = await replayed(false, () => get(path).set('Accept-Language', lang).expect(200));
        const again = await replayed(true, () => get(path).set('Accept-Language', lang).expect(200));
        expect(again.text).toBe(full.text);
        expect(rawHeaders(again)).toEqual(rawHeaders(full));
        expect(rawHeaders(full)).toEqual(expect.arrayContaining([expect.stringMatching(/^etag: W\//)]));
        if (!path.startsWith('/v1/customers/')) expect(full.body.snapshotId).toBe(snapshotId);
      }
    }
    // one entry per (key, language, URL)
    expect(memory.size).toBe(READS.length * 2);
  });

  it('answers a matching If-None-Match with the 304 the full path gives', async () => {
    const other = await issueKey(tenant);
    for (const path of READS) {
      const { headers } = await get(path).expect(200);
      const full = await replayed(false, () =>
        get(path, other.auth).set('If-None-Match', String(headers.etag)).expect(304),
      );
      const again = await replayed(true, () =>
        get(path, other.auth).set('If-None-Match', String(headers.etag)).expect(304),
      );
      expect(again.text).toBe('');
      expect(rawHeaders(again)).toEqual(rawHeaders(full));
      // a stale ETag gets the body
      const changed = await replayed(true, () =>
        get(path, other.auth).set('If-None-Match', 'W/"x"').expect(200),
      );
      expect(changed.headers.etag).toBe(headers.etag);
    }
  });

  it('answers bad input with the 400 naming the field, never from memory', async () => {
    await get(RFM).expect(200);
    const bad: [string, string][] = [
      ['/v1/analytics/rfm?asOf=soon', 'asOf'],
      [`/v1/analytics/rfm?asOf=${AS_OF}&windowDays=0`, 'windowDays'],
      [`/v1/analytics/profitability?asOf=${AS_OF}&limit=0`, 'limit'],
      [`/v1/analytics/profitability?asOf=${AS_OF}&by=planet`, 'by'],
      [`/v1/analytics/receivables/aging?asOf=${AS_OF}&cursor=nope`, 'cursor'],
      [`/v1/analytics/cohorts?asOf=${AS_OF}&months=0`, 'months'],
      [`/v1/customers?asOf=${AS_OF}&sort=height`, 'sort'],
      [`/v1/customers/A?asOf=2024-02-30`, 'asOf'],
    ];
    for (const [path, field] of bad) {
      for (let i = 0; i < 2; i++) {
        const size = memory.size;
        const res = await replayed(false, () => get(path).expect(400));
        expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
        expect(memory.size).toBe(size);
      }
    }
    await t.http.get(RFM).expect(401);
  });

  it('keeps nothing of reads computed on demand, of CSV or of errors', async () => {
    const size = memory.size;
    for (const [path, status] of [
      ['/v1/analytics/rfm?asOf=2024-05-31', 200],
      [`/v1/analytics/rfm?asOf=${AS_OF}&windowDays=30`, 200],
      [`/v1/analytics/profitability?asOf=${AS_OF}&by=product`, 200],
      [`/v1/analytics/cohorts?asOf=${AS_OF}&months=3`, 200],
      [`/v1/customers/A/statement?to=${AS_OF}&format=csv`, 200],
      [`/v1/customers/NOPE?asOf=${AS_OF}`, 404],
    ] as const) {
      await replayed(false, () => get(path).expect(status));
      await replayed(false, () => get(path).expect(status));
    }
    expect(memory.size).toBe(size);
  });

  it('stops at once when the key is revoked', async () => {
    const key = await issueKey(tenant);
    await replayed(false, () => get(RFM, key.auth).expect(200));
    await replayed(true, () => get(RFM, key.auth).expect(200));
    await t.http
      .delete(`/v1/admin/tenants/${tenant.id}/keys/${key.id}`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(204);
    const res = await replayed(false, () => get(RFM, key.auth).expect(401));
    expect(res.body.error).toBe('unauthorized');
    await replayed(true, () => get(RFM).expect(200));
  });

  it("never answers one tenant's key with another tenant's read of the same URL", async () => {
    const other = await createTenant(t);
    await importBatch(t, other, 'customers', [{ externalId: 'A', name: 'Other A' }]).expect(200);
    await importBatch(t, other, 'invoices', [inv('X1', 'A', '2024-06-02', 999)]).expect(200);
    const theirSnapshot = await recomputeNow(t, other, AS_OF);
    for (const path of [RFM, `/v1/customers/A?asOf=${AS_OF}`]) {
      const ours = await replayed(true, () => get(path).expect(200));
      const theirs = await replayed(false, () => get(path, other.auth).expect(200));
      expect(theirs.text).not.toBe(ours.text);
      expect((await replayed(true, () => get(path, other.auth).expect(200))).text).toBe(theirs.text);
      expect((await replayed(true, () => get(path).expect(200))).text).toBe(ours.text);
    }
    expect((await get(RFM, other.auth).expect(200)).body).toMatchObject({
      snapshotId: theirSnapshot,
      netRevenue: '999.00',
    });
  });

  it('replays the published snapshot after a settings change while its refresh is pending, and stops once the new settings apply', async () => {
    const settings = (await get('/v1/settings').expect(200)).body as { paymentTermsDays: number };
    const dso = `/v1/analytics/receivables/dso?asOf=${AS_OF}`;
    const first = await get(dso).expect(200);
    await replayed(true, () => get(dso).expect(200));
    await t.http
      .put('/v1/settings')
      .set(tenant.auth)
      .send({ paymentTermsDays: settings.paymentTermsDays + 15 })
      .expect(200);
    // the old state serves until the refresh with the new settings is published (the tenant's record
    // changed, so the full path answers once, then memory again)
    const pending = await replayed(false, () => get(dso).expect(200));
    expect(pending.text).toBe(first.text);
    expect(pending.headers['analytics-refresh-pending']).toBe('true');
    const again = await replayed(true, () => get(dso).expect(200));
    expect(again.text).toBe(first.text);
    expect(again.headers['analytics-refresh-pending']).toBe('true');
    // that refresh failed (nothing queued any more): the new settings apply, on demand
    const failQueued = () =>
      t.sql(
        `UPDATE analytics_jobs SET status = 'failed', finished_at = now(), error = 'test'
          WHERE tenant_id = $1 AND status = 'queued'`,
        [tenant.id],
      );
    await failQueued();
    t.app.get(SnapshotService).forget(tenant.id);
    const changed = await replayed(false, () => get(dso).expect(200));
    expect(changed.body.snapshotId).toBeNull();
    await replayed(false, () => get(dso).expect(200));
    await t.http
      .put('/v1/settings')
      .set(tenant.auth)
      .send({ paymentTermsDays: settings.paymentTermsDays })
      .expect(200);
    await failQueued();
    const back = await replayed(false, () => get(dso).expect(200));
    expect(back.body.snapshotId).toBe(snapshotId);
    expect(back.headers['analytics-refresh-pending']).toBe('false');
    await replayed(true, () => get(dso).expect(200));
  });

  it('serves the published snapshot while a refresh is pending, then the new one, never the retired one', async () => {
    await get(RFM).expect(200);
    const before = await replayed(true, () => get(RFM).expect(200));
    expect(before.headers['analytics-refresh-pending']).toBe('false');
    await importBatch(t, tenant, 'invoices', [inv('C1', 'C', '2024-06-20', 40)]).expect(200);
    // still the published state, from memory, now saying that a refresh is pending
    const pending = await replayed(true, () => get(RFM).expect(200));
    expect(pending.text).toBe(before.text);
    expect(pending.headers['analytics-refresh-pending']).toBe('true');
    expect(pending.headers['analytics-snapshot']).toBe(snapshotId);
    const onDemand = await get(`${RFM.replace('2024-06-30', '2024-06-29')}`).expect(200);
    expect(onDemand.body.snapshotId).toBeNull();
    const next = await recomputeNow(t, tenant, AS_OF);
    expect(next).not.toBe(snapshotId);
    const fresh = await replayed(false, () => get(RFM).expect(200));
    expect(fresh.body.snapshotId).toBe(next);
    expect(fresh.body.netRevenue).not.toBe(before.body.netRevenue);
    expect(fresh.headers['analytics-refresh-pending']).toBe('false');
    expect((await replayed(true, () => get(RFM).expect(200))).text).toBe(fresh.text);
    snapshotId = next;
  });

  it("stops replaying a read without asOf at midnight in the tenant's zone", async () => {
    // Asia/Riyadh is UTC+3: 20:00 UTC on 30 June is 23:00 there, 21:30 UTC is 00:30 on 1 July
    jest.useFakeTimers({ now: new Date('2024-06-30T20:00:00Z'), doNotFake: [...NOT_THE_DATE] });
    try {
      const today = '/v1/analytics/rfm';
      const full = await replayed(false, () => get(today).expect(200));
      expect(full.body).toMatchObject({ asOf: AS_OF, snapshotId });
      expect((await replayed(true, () => get(today).expect(200))).text).toBe(full.text);
      jest.setSystemTime(new Date('2024-06-30T21:30:00Z'));
      const tomorrow = await replayed(false, () => get(today).expect(200));
      expect(tomorrow.body).toMatchObject({ asOf: '2024-07-01', snapshotId: null });
      // the same date given in the URL is still the snapshot's
      await get(RFM).expect(200);
      await replayed(true, () => get(RFM).expect(200));
    } finally {
      jest.useRealTimers();
    }
  });
});

/** Fake only the Date: the database drivers and the HTTP server keep their real timers. */
const NOT_THE_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;
