import { lifecycleSql } from '../../src/analytics/lifecycle/lifecycle.queries';
import { AnalyticsWorker } from '../../src/analytics/snapshots/analytics-worker';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * "Paying slower", second half (DOMAIN §4): the mean days to pay of the last 3 settled invoices
 * > 1.5 × the lifetime mean, with ≥ 4 settled invoices. asOf 2024-06-30, payment terms 30 days, no VAT.
 *   S: invoices of 100 on the 5th of Dec 2023 … Jun 2024 (7). Dec, Jan, Feb paid 10 days later; Mar
 *      paid 04-14, Apr 05-15, May 06-14 (40 days each); Jun open (due 07-05: 5 days before due).
 *      Settled by 06-30: 6; the last 3 (settled 06-14, 05-15, 04-14) took 40, 40, 40 → mean 40;
 *      lifetime (3 × 10 + 3 × 40) / 6 = 25; 40 > 1.5 × 25 = 37.5 → paying slower. No invoice is past
 *      due (max days overdue −5), so only the second half raises the flag; nothing else is raised
 *      (gaps 31, 31, 29, 31, 30, 31 → median 31, last purchase 25 days ago; 300 spent in each of the
 *      last two 90-day periods; first purchase 208 days ago) → at_risk since the last purchase 06-05.
 *      At 05-31: 5 settled (Dec, Jan, Feb, Mar, Apr); last 3: 40, 40, 10 → 30 against
 *      (10 + 10 + 10 + 40 + 40) / 5 = 22 → 30 ≤ 33: not flagged, active.
 *   F: the same invoices, each paid 10 days later: 7 settled, 10 against 10 → active.
 *   G: invoices 03-05, 04-05, 05-05 paid 10, 40, 40 days later: 3 settled (< 4) → no pay-speed
 *      figures → active (at 05-31 and 04-01 still new: first purchase < 90 days before; at 05-31 the
 *      05-05 invoice is open, 4 days before its due date 06-04).
 */
const ASOF = '2024-06-30';
const inv = (id: string, customer: string, date: string) => ({
  externalId: id,
  customerId: customer,
  issueDate: date,
  lines: [{ quantity: 1, unitPrice: 100 }],
});
const pay = (invoice: string, customer: string, date: string) => ({
  externalId: `P-${invoice}`,
  customerId: customer,
  date,
  amount: 100,
  allocations: [{ invoiceId: invoice, amount: 100 }],
});
const MONTHS = [
  '2023-12-05',
  '2024-01-05',
  '2024-02-05',
  '2024-03-05',
  '2024-04-05',
  '2024-05-05',
  '2024-06-05',
];
const plus = (d: string, days: number) =>
  new Date(Date.parse(d) + days * 86_400_000).toISOString().slice(0, 10);

describe('lifecycle: paying slower than the customer used to', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await bootApp({ ANALYTICS_DEBOUNCE_MS: '86400000' });
    tenant = await createTenant(t);
    await importBatch(
      t,
      tenant,
      'customers',
      ['S', 'F', 'G'].map((id) => ({ externalId: id, name: `Customer ${id}` })),
    ).expect(200);
    await importBatch(t, tenant, 'invoices', [
      ...MONTHS.map((d, i) => inv(`S${i + 1}`, 'S', d)),
      ...MONTHS.map((d, i) => inv(`F${i + 1}`, 'F', d)),
      inv('G1', 'G', '2024-03-05'),
      inv('G2', 'G', '2024-04-05'),
      inv('G3', 'G', '2024-05-05'),
    ]).expect(200);
    const slow = ['2023-12-15', '2024-01-15', '2024-02-15', '2024-04-14', '2024-05-15', '2024-06-14'];
    await importBatch(t, tenant, 'payments', [
      ...slow.map((d, i) => pay(`S${i + 1}`, 'S', d)),
      ...MONTHS.map((d, i) => pay(`F${i + 1}`, 'F', plus(d, 10))),
      pay('G1', 'G', '2024-03-15'),
      pay('G2', 'G', '2024-05-15'),
      pay('G3', 'G', '2024-06-14'),
    ]).expect(200);
  });
  afterAll(() => t.close());

  const profile = async (id: string) =>
    (await t.http.get(`/v1/customers/${id}?asOf=${ASOF}`).set(tenant.auth).expect(200)).body as {
      lifecycle: { stage: string; since: string };
      riskFlags: { flag: string }[];
    };

  it('flags the customer whose last 3 invoices took 1.5 × their usual days to pay, and only them', async () => {
    const s = await profile('S');
    expect(s.lifecycle).toMatchObject({ stage: 'at_risk', since: '2024-06-05' });
    expect(s.riskFlags.map((f) => f.flag)).toEqual(['paying_slower']);
    for (const id of ['F', 'G']) {
      const c = await profile(id);
      expect({ id, stage: c.lifecycle.stage, flags: c.riskFlags }).toEqual({
        id,
        stage: 'active',
        flags: [],
      });
    }
  });

  it('reports the days to pay behind the flag, at any date', async () => {
    const at = async (asOf: string) =>
      Object.fromEntries(
        (
          await t.sql<Record<string, unknown>>(
            `SELECT c.external_id, l.stage, l.flag_paying_slower, l.max_days_overdue, l.pay_days_recent, l.pay_days_lifetime
               FROM (${lifecycleSql('$2::date', '90', '180', '30')}) l JOIN customers c ON c.id = l.customer_id`,
            [tenant.id, asOf],
          )
        ).map((r) => [
          r.external_id,
          [
            r.stage,
            r.flag_paying_slower,
            r.max_days_overdue === null ? null : Number(r.max_days_overdue),
            r.pay_days_recent === null ? null : Number(r.pay_days_recent),
            r.pay_days_lifetime === null ? null : Number(r.pay_days_lifetime),
          ],
        ]),
      );
    expect(await at(ASOF)).toEqual({
      S: ['at_risk', true, -5, 40, 25],
      F: ['active', false, null, 10, 10],
      G: ['active', false, null, null, null],
    });
    expect(await at('2024-05-31')).toEqual({
      S: ['active', false, -4, 30, 22],
      F: ['active', false, null, 10, 10],
      G: ['new', false, -4, null, null],
    });
  });

  it('stores the figures in the snapshot and counts the move in the lifecycle flows', async () => {
    const live = await t.http.get(`/v1/analytics/lifecycle?asOf=${ASOF}`).set(tenant.auth).expect(200);
    await t.http.post('/v1/analytics/recompute').set(tenant.auth).send({ asOf: ASOF }).expect(202);
    await t.app.get(AnalyticsWorker).tick(new Date(), tenant.id);
    const rows = await t.sql<{
      external_id: string;
      pay_days_recent: string | null;
      pay_days_lifetime: string | null;
    }>(
      `SELECT sc.external_id, sc.pay_days_recent, sc.pay_days_lifetime
         FROM snapshot_customers sc JOIN tenants tn ON tn.id = sc.tenant_id AND tn.current_snapshot_id = sc.snapshot_id
        WHERE sc.tenant_id = $1 ORDER BY sc.external_id`,
      [tenant.id],
    );
    expect(
      rows.map((r) => [
        r.external_id,
        r.pay_days_recent && Number(r.pay_days_recent),
        r.pay_days_lifetime && Number(r.pay_days_lifetime),
      ]),
    ).toEqual([
      ['F', 10, 10],
      ['G', null, null],
      ['S', 40, 25],
    ]);
    const snap = await t.http.get(`/v1/analytics/lifecycle?asOf=${ASOF}`).set(tenant.auth).expect(200);
    expect(snap.body.snapshotId).toEqual(expect.any(String));
    expect({ ...snap.body, snapshotId: null }).toEqual(live.body);
    const stage = (k: string) => (snap.body.stages as { stage: string }[]).find((s) => s.stage === k);
    // 30 days ago S was active and G new; 90 days ago (04-01) the same
    expect(stage('at_risk')).toMatchObject({
      customers: 1,
      flows: { last30Days: { in: 1, out: 0 }, last90Days: { in: 1, out: 0 } },
    });
    expect(stage('active')).toMatchObject({
      customers: 2,
      flows: { last30Days: { in: 1, out: 1 }, last90Days: { in: 1, out: 1 } },
    });
    expect(stage('new')).toMatchObject({
      customers: 0,
      flows: { last30Days: { in: 0, out: 1 }, last90Days: { in: 0, out: 1 } },
    });
    expect((await profile('S')).lifecycle.stage).toBe('at_risk');
  });
});
