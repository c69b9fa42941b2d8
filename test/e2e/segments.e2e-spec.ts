import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * A hand-worked scenario for RFM, movement and lifecycle (DOMAIN.md §3–4), asOf 2024-06-30.
 * No VAT, so net = total. Every invoice is paid in full five days after it is issued.
 *   A: 01-10, 03-10, 05-10, 06-20, 100 each        → R 10,  F 4, M 400
 *   B: 06-25, 1000                                 → R 5,   F 1, M 1000
 *   C: 02-01, 02-15, 50 each                       → R 136, F 2, M 100
 *   D: 2023-10-01, 10-15, 11-01, 300 each          → R 242, F 3, M 900
 *   E: 04-01, 80; unlinked credit note 04-10, 100  → R 90,  F 1, M −20 (returns exceed sales)
 *   P: no invoice (a prospect)
 */
const inv = (id: string, customer: string, date: string, amount: number) => ({
  externalId: id,
  customerId: customer,
  issueDate: date,
  lines: [{ description: 'goods', quantity: 1, unitPrice: amount }],
});
const INVOICES = [
  inv('A1', 'A', '2024-01-10', 100),
  inv('A2', 'A', '2024-03-10', 100),
  inv('A3', 'A', '2024-05-10', 100),
  inv('A4', 'A', '2024-06-20', 100),
  inv('B1', 'B', '2024-06-25', 1000),
  inv('C1', 'C', '2024-02-01', 50),
  inv('C2', 'C', '2024-02-15', 50),
  inv('D1', 'D', '2023-10-01', 300),
  inv('D2', 'D', '2023-10-15', 300),
  inv('D3', 'D', '2023-11-01', 300),
  inv('E1', 'E', '2024-04-01', 80),
  { ...inv('X-DRAFT', 'C', '2024-06-29', 5000), status: 'draft' },
  { ...inv('X-VOID', 'D', '2024-06-29', 5000), status: 'void' },
  inv('X-LATER', 'C', '2024-07-01', 5000),
];
const plus5 = (d: string) => new Date(Date.parse(d) + 5 * 86_400_000).toISOString().slice(0, 10);

describe('RFM, movement and lifecycle on a hand-worked scenario', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    tenant = await createTenant(t);
    await importBatch(
      t,
      tenant,
      'customers',
      ['A', 'B', 'C', 'D', 'E', 'P'].map((id) => ({ externalId: id, name: `Customer ${id}` })),
    ).expect(200);
    await importBatch(t, tenant, 'invoices', INVOICES).expect(200);
    const counting = INVOICES.filter((i) => !('status' in i) && i.externalId !== 'X-LATER');
    await importBatch(
      t,
      tenant,
      'payments',
      counting.map((i) => ({
        externalId: `PAY-${i.externalId}`,
        customerId: i.customerId,
        date: plus5(i.issueDate),
        amount: i.lines[0]!.unitPrice,
        allocations: [{ invoiceId: i.externalId, amount: i.lines[0]!.unitPrice }],
      })),
    ).expect(200);
    await importBatch(t, tenant, 'credit-notes', [
      {
        externalId: 'CN-E',
        customerId: 'E',
        issueDate: '2024-04-10',
        lines: [{ quantity: 1, unitPrice: 100 }],
      },
    ]).expect(200);
    // another tenant with a big customer on the same dates: must not move any number
    const other = await createTenant(t);
    await importBatch(t, other, 'customers', [{ externalId: 'A', name: 'other A' }]).expect(200);
    await importBatch(t, other, 'invoices', [inv('O1', 'A', '2024-06-29', 99999)]).expect(200);
  });
  afterAll(() => t.close());

  it('scores and segments every customer as DOMAIN §3 defines', async () => {
    // R rank (R desc): D 1, C 2, E 3, A 4, B 5 → with n = 5, R score = rank.
    // F: B, E tie at rank 1 → 1; C rank 3 → 1 + ⌊5·2/5⌋ = 3; D → 4; A → 5.
    // M: E −20 → 1, C 100 → 2, A 400 → 3, D 900 → 4, B 1000 → 5.
    // FM = round half-up (F + M)/2: A (5+3)/2 = 4, B 3, C 2.5 → 3, D 4, E 1.
    // (R, FM): A 44 loyal, B 53 loyal, C 23 need_attention, D 14 cant_lose, E 31 promising.
    const res = await t.http.get('/v1/analytics/rfm?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(res.body.population).toBe(5);
    expect(res.body.netRevenue).toBe('2380.00');
    const seg = Object.fromEntries(res.body.segments.map((s: { segment: string }) => [s.segment, s]));
    expect(res.body.segments.map((s: { segment: string }) => s.segment)).toEqual([
      'champions',
      'loyal',
      'potential_loyalists',
      'new',
      'promising',
      'need_attention',
      'about_to_sleep',
      'at_risk',
      'cant_lose',
      'hibernating',
      'lost',
    ]);
    expect(seg.loyal).toMatchObject({
      customers: 2,
      netRevenue: '1400.00',
      customerShare: '40.00',
      revenueShare: '58.82',
    });
    expect(seg.need_attention).toMatchObject({
      customers: 1,
      netRevenue: '100.00',
      customerShare: '20.00',
      revenueShare: '4.20',
    });
    expect(seg.cant_lose).toMatchObject({ customers: 1, netRevenue: '900.00', revenueShare: '37.82' });
    expect(seg.promising).toMatchObject({ customers: 1, netRevenue: '-20.00', revenueShare: '-0.84' });
    expect(seg.champions).toMatchObject({ customers: 0, netRevenue: '0.00', customerShare: '0.00' });
    expect(res.body.scoreDistribution.r).toEqual([1, 2, 3, 4, 5].map((score) => ({ score, customers: 1 })));
    expect(res.body.scoreDistribution.f.map((s: { customers: number }) => s.customers)).toEqual([
      2, 0, 1, 1, 1,
    ]);
    expect(res.body.scoreDistribution.fm.map((s: { customers: number }) => s.customers)).toEqual([
      1, 0, 2, 2, 0,
    ]);
  });

  it('labels segments in Arabic for Accept-Language: ar', async () => {
    const res = await t.http
      .get('/v1/analytics/rfm?asOf=2024-06-30')
      .set(tenant.auth)
      .set('Accept-Language', 'ar-SA')
      .expect(200);
    expect(res.body.segments[1]).toMatchObject({ segment: 'loyal', label: 'العملاء المخلصون' });
  });

  it('moves customers between segments from 2024-03-31 to 2024-06-30, with the revenue they brought', async () => {
    // At 03-31 (n = 3: A, C, D): R A 21, C 45, D 151 days → scores A 4, C 2, D 1;
    // F A 2, C 2, D 3 → A 1, C 1, D 4; M A 200, C 100, D 900 → A 2, C 1, D 4;
    // FM A 2 (1.5 up), C 1, D 4 → A 42 potential_loyalists, C 21 about_to_sleep, D 14 cant_lose.
    const res = await t.http
      .get('/v1/analytics/rfm/movement?from=2024-03-31&to=2024-06-30')
      .set(tenant.auth)
      .expect(200);
    const nonZero = res.body.cells
      .filter((c: { customers: number }) => c.customers > 0)
      .map((c: { from: string; to: string; customers: number; netRevenue: string }) => [
        c.from,
        c.to,
        c.customers,
        c.netRevenue,
      ]);
    expect(nonZero).toEqual([
      ['none', 'loyal', 1, '1000.00'], // B: 1000 in the period
      ['none', 'promising', 1, '-20.00'], // E: 80 − 100
      ['potential_loyalists', 'loyal', 1, '200.00'], // A: 05-10 and 06-20
      ['about_to_sleep', 'need_attention', 1, '0.00'], // C
      ['cant_lose', 'cant_lose', 1, '0.00'], // D
    ]);
    expect(res.body.cells).toHaveLength(12 * 11);
    expect(res.body.population).toBe(5);
    expect(res.body.netRevenue).toBe('1180.00');
  });

  it('puts every customer in exactly one lifecycle stage with flows over 30 and 90 days', async () => {
    // At 06-30: P prospect; B new (first 5 days ago); A active; C at_risk (136 days silent, a typical
    // customer buys every 29 days: tenant median of gaps 14,14,17,41,60,61); E at_risk (90 days, no
    // longer new at exactly 90); D lapsed (242 > 180 days).
    // At 05-31: P, B prospect; E new; A active; C at_risk; D lapsed.
    // At 04-01: P, B prospect; A, C, E new; D at_risk.
    const res = await t.http.get('/v1/analytics/lifecycle?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(res.body.customers).toBe(6);
    const byStage = Object.fromEntries(res.body.stages.map((s: { stage: string }) => [s.stage, s]));
    const summary = (k: string) => [
      byStage[k].customers,
      byStage[k].flows.last30Days,
      byStage[k].flows.last90Days,
    ];
    expect(summary('prospect')).toEqual([1, { in: 0, out: 1 }, { in: 0, out: 1 }]);
    expect(summary('new')).toEqual([1, { in: 1, out: 1 }, { in: 1, out: 3 }]);
    expect(summary('active')).toEqual([1, { in: 0, out: 0 }, { in: 1, out: 0 }]);
    expect(summary('at_risk')).toEqual([2, { in: 1, out: 0 }, { in: 2, out: 1 }]);
    expect(summary('lapsed')).toEqual([1, { in: 0, out: 0 }, { in: 1, out: 0 }]);
    expect(summary('reactivated')).toEqual([0, { in: 0, out: 0 }, { in: 0, out: 0 }]);
  });

  it('moves customers between lifecycle stages', async () => {
    // At 03-31: A new (81 days), B prospect, C new (59 days), D at_risk (151 days silent, usually every 15.5),
    // E prospect (no invoice yet), P prospect.
    const res = await t.http
      .get('/v1/analytics/rfm/movement?by=lifecycle&from=2024-03-31&to=2024-06-30')
      .set(tenant.auth)
      .expect(200);
    const nonZero = res.body.cells
      .filter((c: { customers: number }) => c.customers > 0)
      .map((c: { from: string; to: string; customers: number; netRevenue: string }) => [
        c.from,
        c.to,
        c.customers,
        c.netRevenue,
      ]);
    expect(nonZero).toEqual([
      ['prospect', 'prospect', 1, '0.00'],
      ['prospect', 'new', 1, '1000.00'],
      ['prospect', 'at_risk', 1, '-20.00'],
      ['new', 'active', 1, '200.00'],
      ['new', 'at_risk', 1, '0.00'],
      ['at_risk', 'lapsed', 1, '0.00'],
    ]);
    expect(res.body.population).toBe(6);
  });

  it('lists customers with filters, sorts and cursor pages', async () => {
    const ids = (res: { body: { data: { customerId: string }[] } }) => res.body.data.map((c) => c.customerId);
    const all = await t.http.get('/v1/customers?asOf=2024-06-30').set(tenant.auth).expect(200);
    // net revenue: B 1000, D 900, A 400, C 100, P 0, E −20
    expect(ids(all)).toEqual(['B', 'D', 'A', 'C', 'P', 'E']);
    expect(all.body.data[0]).toMatchObject({
      customerId: 'B',
      rfm: { r: 5, f: 1, m: '1000.00', rScore: 5, fScore: 1, mScore: 5, fm: 3, segment: 'loyal' },
      lifecycle: { stage: 'new', since: '2024-06-25' },
      netRevenue: '1000.00',
      balance: '0.00',
    });
    const loyal = await t.http
      .get('/v1/customers?asOf=2024-06-30&segment=loyal')
      .set(tenant.auth)
      .expect(200);
    expect(ids(loyal)).toEqual(['B', 'A']);
    const atRisk = await t.http
      .get('/v1/customers?asOf=2024-06-30&stage=at_risk')
      .set(tenant.auth)
      .expect(200);
    expect(ids(atRisk)).toEqual(['C', 'E']);
    const recent = await t.http
      .get('/v1/customers?asOf=2024-06-30&sort=recency')
      .set(tenant.auth)
      .expect(200);
    expect(ids(recent)).toEqual(['B', 'A', 'E', 'C', 'D', 'P']);
    const p1 = await t.http.get('/v1/customers?asOf=2024-06-30&limit=2').set(tenant.auth).expect(200);
    const p2 = await t.http
      .get(`/v1/customers?asOf=2024-06-30&limit=2&cursor=${p1.body.nextCursor}`)
      .set(tenant.auth)
      .expect(200);
    const p3 = await t.http
      .get(`/v1/customers?asOf=2024-06-30&limit=2&cursor=${p2.body.nextCursor}`)
      .set(tenant.auth)
      .expect(200);
    expect([ids(p1), ids(p2), ids(p3)]).toEqual([
      ['B', 'D'],
      ['A', 'C'],
      ['P', 'E'],
    ]);
    expect(p3.body.nextCursor).toBeNull();
    await t.http.get('/v1/customers?segment=vip').set(tenant.auth).expect(400);
    await t.http.get('/v1/customers?sort=name').set(tenant.auth).expect(400);
  });

  it('explains risk flags with their numbers, in English and Arabic', async () => {
    const c = await t.http.get('/v1/customers/C?asOf=2024-06-30').set(tenant.auth).expect(200);
    expect(c.body.lifecycle).toEqual({ stage: 'at_risk', label: 'At risk', since: '2024-04-14' });
    expect(c.body.riskFlags).toEqual([
      { flag: 'overdue', reason: 'no purchase for 136 days; a typical customer buys every 29' },
      {
        flag: 'spend_decline',
        reason: 'spent 0.00 in the last 90 days against 100.00 in the 90 days before',
      },
    ]);
    expect(c.body.cadence).toMatchObject({
      purchaseDays: 2,
      medianGapDays: '14',
      expectedNextPurchase: '2024-02-29',
      nextPurchaseOverdue: true,
    });
    const ar = await t.http
      .get('/v1/customers/C?asOf=2024-06-30')
      .set(tenant.auth)
      .set('Accept-Language', 'ar')
      .expect(200);
    expect(ar.body.lifecycle.label).toBe('معرّض للخطر');
    expect(ar.body.riskFlags[0].reason).toBe('لا شراء منذ 136 يومًا؛ العميل المعتاد يشتري كل 29 يومًا');
  });

  it('answers 400 to bad dates and parameters', async () => {
    await t.http.get('/v1/analytics/rfm?asOf=2024-02-30').set(tenant.auth).expect(400);
    await t.http.get('/v1/analytics/rfm?windowDays=0').set(tenant.auth).expect(400);
    await t.http.get('/v1/analytics/rfm/movement?from=2024-07-01&to=2024-06-30').set(tenant.auth).expect(400);
    await t.http.get('/v1/analytics/rfm/movement?by=colour').set(tenant.auth).expect(400);
  });
});
