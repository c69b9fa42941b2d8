import { addDays } from '../../src/shared/dates';
import { bootApp, createTenant, importBatch, recomputeNow, TestApp, TestTenant } from '../support/app';
import { importAwkwardDocuments } from '../support/awkward-documents';
import { listen } from '../support/browser';
import { importGeneratedBusiness } from '../support/business';

const END = '2026-10-31';

/** A body without the field that names where it was read from. */
const content = (body: Record<string, unknown>) => JSON.stringify({ ...body, snapshotId: null });

/**
 * A customer list page or a profile at a date no snapshot holds is computed on demand for the
 * customers it shows only (ADR 0022): the page's customers are picked over the population-wide
 * columns (RFM scores, net revenue, the searched text), then only their documents are read. The
 * pages and profiles must be exactly those a snapshot of that date serves — on a generated business
 * and on the awkward documents (another customer's payment and credit note on an invoice, a credit
 * note returning an invoice that was re-sent as another customer's, foreign currencies, costs from
 * lines, stock snapshots and products), at several dates, every sort and filter it serves, and every
 * page of a walk by cursor.
 */
describe('customer pages and profiles computed on demand for the customers they show', () => {
  let t: TestApp;
  let generated: TestTenant;
  let awkward: TestTenant;

  const get = async (who: TestTenant, path: string) => {
    const res = await t.http.get(path).set(who.auth).expect(200);
    const body = res.body as Record<string, unknown> & {
      nextCursor: string | null;
      data: { customerId: string }[];
    };
    // where it was read from: the snapshot (Analytics-Snapshot) or computed now (no such header)
    return { body, snapshotId: res.headers['analytics-snapshot'] ?? null };
  };

  /** Every page of each list read at asOf (limit 7, by cursor), and the profiles of `profiles`. */
  const readAll = async (who: TestTenant, asOf: string, lists: string[], profiles: string[]) => {
    const out = new Map<string, { body: string; snapshotId: unknown }>();
    for (const q of lists) {
      let cursor: string | null = null;
      let n = 0;
      do {
        const path = `/v1/customers?asOf=${asOf}&limit=7${q}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { body, snapshotId } = await get(who, path);
        out.set(`${q} page ${n++}`, { body: content(body), snapshotId });
        cursor = body.nextCursor;
      } while (cursor && n < 4);
    }
    for (const id of profiles) {
      const { body, snapshotId } = await get(who, `/v1/customers/${encodeURIComponent(id)}?asOf=${asOf}`);
      out.set(`profile ${id}`, { body: content(body), snapshotId });
    }
    return out;
  };

  const LISTS = [
    '',
    '&sort=recency',
    '&sort=frequency',
    '&segment=champions',
    '&segment=hibernating&sort=recency',
    '&q=a',
    '&q=a&segment=loyal&sort=frequency',
  ];

  beforeAll(async () => {
    t = await bootApp({
      ANALYTICS_DEBOUNCE_MS: '86400000',
      ANALYTICS_MAX_DELAY_MS: '86400000',
      LOG_LEVEL: 'error',
    });
    const base = await listen(t);
    generated = await createTenant(t, { name: 'Generated Co.', timezone: 'UTC' });
    await importGeneratedBusiness(base, generated.apiKey, {
      customers: 80,
      years: 2,
      seed: 5,
      endDate: END,
      products: 30,
      warehouses: 2,
    });
    awkward = await createTenant(t, { name: 'Awkward Co.', timezone: 'UTC' });
    await importAwkwardDocuments(t, awkward);
  });
  afterAll(() => t.close());

  const cases: [string, () => TestTenant, string, string[]][] = [
    ['a generated business, a year back', () => generated, addDays(END, -365), []],
    ['a generated business, at its last day', () => generated, END, []],
    ['the awkward documents, mid-way', () => awkward, '2024-03-15', ['A', 'B', 'C']],
    ['the awkward documents, at the end', () => awkward, '2024-06-30', ['A', 'B', 'C']],
  ];
  for (const [name, who, asOf, fixedProfiles] of cases) {
    it(`equals the snapshot of the date: ${name}`, async () => {
      const tenant = who();
      // profiles of a few customers of every kind: the first page's, and the last page's
      const first = (await get(tenant, `/v1/customers?asOf=${asOf}&limit=3`)).body;
      const last = (await get(tenant, `/v1/customers?asOf=${asOf}&limit=3&sort=recency`)).body;
      const profiles = [
        ...new Set(
          [...fixedProfiles, ...first.data, ...last.data].map((x) =>
            typeof x === 'string' ? x : x.customerId,
          ),
        ),
      ];
      const onDemand = await readAll(tenant, asOf, LISTS, profiles);
      for (const [key, v] of onDemand) expect([key, v.snapshotId]).toEqual([key, null]);
      expect(onDemand.size).toBeGreaterThan(LISTS.length);

      await recomputeNow(t, tenant, asOf);
      const fromSnapshot = await readAll(tenant, asOf, LISTS, profiles);
      for (const [key, v] of fromSnapshot) expect([key, v.snapshotId]).not.toEqual([key, null]);
      expect([...fromSnapshot.keys()]).toEqual([...onDemand.keys()]);
      for (const [key, v] of onDemand) expect([key, v.body]).toEqual([key, fromSnapshot.get(key)!.body]);
    });
  }

  it('computes a customer who did not exist yet at the date as a 404 that says so', async () => {
    await importBatch(t, awkward, 'customers', [
      { externalId: 'LATE', name: 'Late', createdAt: '2024-09-01T00:00:00Z' },
    ]).expect(200);
    const res = await t.http.get('/v1/customers/LATE?asOf=2024-03-01').set(awkward.auth).expect(404);
    expect(res.body.message).toContain('did not exist yet');
  });
});
