import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * A hand-worked churn scenario (DOMAIN.md §4), asOf A = 2024-06-30, payment terms 30 days, every line
 * 1 × price with 15 % VAT (net = price, total = price × 1.15). Fewer than 50 repeat buyers: no CLV
 * model can be fitted, so value at risk uses the last 12 months of net revenue (valueBasis) and
 * P(alive) exists only for one-time buyers (the Kaplan–Meier rule).
 *
 *   A 2024-01-01 100 (never paid), 01-31 200, 03-01 300 (paid on the day)
 *   B 2024-06-20 80 (paid); after A: 08-01 50
 *   C 2023-12-01 250 (paid)
 *   D 2024-04-30, 05-30, 06-29 100 each (paid); after A: 07-15 100
 *   E 2024-01-10 1000, 02-09 500 (paid)
 *
 * Gaps: A 30, 30; D 30, 30; E 30 → tenant median gap 30. Windows: last 90 days = (04-01, 06-30],
 * the 90 before = (01-02, 04-01].
 *   A: 2 gaps → own median 30; 121 days since 03-01 > 60 → overdue; prior 200 + 300 = 500, recent 0 →
 *      spend decline; INV A1 due 01-31, 151 days past due > 60 → paying slower. Weights (churn.math.ts):
 *      overdue .40, low P(alive) .45, the others 0 (they did not separate on the holdout) → score 40;
 *      last 12 months 600 → value at risk .4 × 600 = 240.00.
 *   E: 1 gap → tenant median 30; 142 days > 60 → overdue; prior 1500, recent 0 → decline → 40;
 *      value at risk .4 × 1500 = 600.00.
 *   C: one purchase 212 days ago (Dec 31 + 181) → overdue against the tenant (212 > 60), lapsed stage.
 *   Kaplan–Meier of first → second purchase: events at t = 30 (A, D, E); censored B at 10, C at 212.
 *      S(10) = 1; at t = 30 at risk A, D, E, C = 4 → S(30) = 1 − 3/4 = .25 = S(212) = S(end).
 *      B: P(alive) = 1 − .25/1 = .75; C: 1 − .25/.25 = 0 < .3 → low P(alive).
 *      C score = 1 − (1 − .4)(1 − .45) = .67 → 67; value at risk .67 × 250 = 167.50.
 *   B (10 days, new) and D (1 day, new) have no flag: score 0.
 * Sorted by value at risk: E 600.00, A 240.00, C 167.50 (total 1007.50). Bands: 40 medium, 67 high.
 * Expected next purchase (last + median gap): A 03-31 (91 days ago), E 03-10 (112 days ago), D 07-29.
 * Holdout to A + 90 = 09-28: B and D bought again.
 * A second tenant has an at-risk customer Z that must never appear here.
 */
const AS_OF = '2024-06-30';
const inv = (externalId: string, customerId: string, issueDate: string, price: number) => ({
  externalId,
  customerId,
  issueDate,
  lines: [{ quantity: 1, unitPrice: price, taxRate: '0.15' }],
});
const paid = (invoiceId: string, customerId: string, date: string, price: number) => ({
  externalId: `P-${invoiceId}`,
  customerId,
  date,
  amount: (price * 1.15).toFixed(2),
  allocations: [{ invoiceId, amount: (price * 1.15).toFixed(2) }],
});
const INVOICES = [
  inv('A1', 'A', '2024-01-01', 100),
  inv('A2', 'A', '2024-01-31', 200),
  inv('A3', 'A', '2024-03-01', 300),
  inv('B1', 'B', '2024-06-20', 80),
  inv('B2', 'B', '2024-08-01', 50),
  inv('C1', 'C', '2023-12-01', 250),
  inv('D1', 'D', '2024-04-30', 100),
  inv('D2', 'D', '2024-05-30', 100),
  inv('D3', 'D', '2024-06-29', 100),
  inv('D4', 'D', '2024-07-15', 100),
  inv('E1', 'E', '2024-01-10', 1000),
  inv('E2', 'E', '2024-02-09', 500),
];
const PAYMENTS = INVOICES.filter((i) => i.externalId !== 'A1').map((i) =>
  paid(i.externalId, i.customerId, i.issueDate, i.lines[0]!.unitPrice),
);

describe('churn risk (hand-worked)', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    tenant = await createTenant(t, { currency: 'SAR', timezone: 'Asia/Riyadh' });
    await importBatch(
      t,
      tenant,
      'customers',
      ['A', 'B', 'C', 'D', 'E'].map((id) => ({
        externalId: id,
        name: `Customer ${id}`,
        email: `${id}@example.sa`,
      })),
    ).expect(200);
    await importBatch(t, tenant, 'invoices', INVOICES).expect(200);
    await importBatch(t, tenant, 'payments', PAYMENTS).expect(200);
    other = await createTenant(t);
    await importBatch(t, other, 'customers', [{ externalId: 'Z', name: 'other Z' }]).expect(200);
    await importBatch(t, other, 'invoices', [inv('Z1', 'Z', '2023-06-01', 99999)]).expect(200);
  });
  afterAll(() => t.close());

  const get = (path: string, who: TestTenant = tenant, lang?: string) => {
    const req = t.http.get(path).set(who.auth);
    return lang ? req.set('Accept-Language', lang) : req;
  };

  it('lists the at-risk customers by value at risk, with scores, flags and reasons', async () => {
    const res = await get(`/v1/analytics/churn?asOf=${AS_OF}`).expect(200);
    expect(res.body.model.status).toBe('insufficient_data');
    expect(
      res.body.data.map((r: Record<string, unknown>) => [r.customerId, r.riskScore, r.band, r.valueAtRisk]),
    ).toEqual([
      ['E', 40, 'medium', '600.00'],
      ['A', 40, 'medium', '240.00'],
      ['C', 67, 'high', '167.50'],
    ]);
    const [e, a, c] = res.body.data;
    expect(a.flags.map((f: { flag: string }) => f.flag)).toEqual([
      'overdue',
      'spend_decline',
      'paying_slower',
    ]);
    expect(a.flags[0].reason).toBe('no purchase for 121 days; usually every 30');
    expect(a.valueBasis).toBe('last_12_months');
    expect(a.last12MonthsRevenue).toBe('600.00');
    expect(a.pAlive).toBeNull();
    expect(a.stage).toEqual({ key: 'at_risk', label: 'At risk', since: '2024-05-01' });
    expect(a.contact.email).toBe('A@example.sa');
    expect(a.expectedNextPurchase).toBe('2024-03-31');
    expect(e.flags[0].reason).toBe('no purchase for 142 days; a typical customer buys every 30');
    expect(c.flags.map((f: { flag: string }) => f.flag)).toEqual(['overdue', 'low_p_alive']);
    expect(c.pAlive).toBe(0);
    expect(c.pAliveBasis).toBe('one_time_rule');
    expect(c.flags[1].reason).toBe(
      'bought once, 212 days ago; only 0% of customers silent that long bought again',
    );
    expect(c.stage.key).toBe('lapsed');
    expect(res.body.summary).toEqual({
      customersScored: 5,
      atRisk: 3,
      valueAtRisk: '1007.50',
      bands: [
        { band: 'none', label: 'No risk signal', customers: 2 },
        { band: 'low', label: 'Low', customers: 0 },
        { band: 'medium', label: 'Medium', customers: 2 },
        { band: 'high', label: 'High', customers: 1 },
      ],
      flags: { overdue: 3, spend_decline: 2, low_p_alive: 1, returns_rising: 0, paying_slower: 1 },
      oneTimeBuyers: 2,
      valuedByModel: 0,
    });
  });

  it('filters by minScore, pages with a cursor, and gives one-time buyer B P(alive) 0.75', async () => {
    const high = await get(`/v1/analytics/churn?asOf=${AS_OF}&minScore=60`).expect(200);
    expect(high.body.data.map((r: { customerId: string }) => r.customerId)).toEqual(['C']);
    expect(high.body.summary.atRisk).toBe(1);
    expect(high.body.summary.valueAtRisk).toBe('167.50');

    const first = await get(`/v1/analytics/churn?asOf=${AS_OF}&limit=2`).expect(200);
    expect(first.body.data.map((r: { customerId: string }) => r.customerId)).toEqual(['E', 'A']);
    const second = await get(
      `/v1/analytics/churn?asOf=${AS_OF}&limit=2&cursor=${first.body.nextCursor}`,
    ).expect(200);
    expect(second.body.data.map((r: { customerId: string }) => r.customerId)).toEqual(['C']);
    expect(second.body.nextCursor).toBeNull();

    const all = await get(`/v1/analytics/churn?asOf=${AS_OF}&minScore=0`).expect(200);
    const b = all.body.data.find((r: { customerId: string }) => r.customerId === 'B');
    expect(b).toMatchObject({
      riskScore: 0,
      band: 'none',
      pAlive: 0.75,
      pAliveBasis: 'one_time_rule',
      flags: [],
    });
    expect(all.body.data.map((r: { customerId: string }) => r.customerId).sort()).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
    ]);
  });

  it('speaks Arabic when asked', async () => {
    const res = await get(`/v1/analytics/churn?asOf=${AS_OF}&minScore=60`, tenant, 'ar').expect(200);
    expect(res.body.data[0].bandLabel).toBe('مرتفع');
    expect(res.body.data[0].flags[1].reason).toBe(
      'اشترى مرة واحدة قبل 212 يومًا؛ 0% فقط من العملاء الذين انتظروا هذه المدة عادوا للشراء',
    );
  });

  it('lists customers whose expected next purchase has passed, and the upcoming ones', async () => {
    const passed = await get(`/v1/analytics/churn/next-purchases?asOf=${AS_OF}`).expect(200);
    expect(
      passed.body.data.map((r: Record<string, unknown>) => [
        r.customerId,
        r.expectedNextPurchase,
        r.daysPastExpected,
      ]),
    ).toEqual([
      ['A', '2024-03-31', 91],
      ['E', '2024-03-10', 112],
    ]);
    const upcoming = await get(`/v1/analytics/churn/next-purchases?asOf=${AS_OF}&status=upcoming`).expect(
      200,
    );
    expect(
      upcoming.body.data.map((r: Record<string, unknown>) => [r.customerId, r.expectedNextPurchase]),
    ).toEqual([['D', '2024-07-29']]);
  });

  it('measures the flags on a holdout: who bought in the next 90 days', async () => {
    const res = await get(`/v1/analytics/churn/holdout?asOf=${AS_OF}&days=90`).expect(200);
    expect(res.body.holdoutEnd).toBe('2024-09-28');
    expect(res.body.all).toEqual({ customers: 5, buyers: 2, repeatRate: '40.00' });
    const flag = (k: string) => res.body.flags.find((f: { flag: string }) => f.flag === k);
    expect(flag('overdue')).toMatchObject({
      flagged: { customers: 3, buyers: 0, repeatRate: '0.00' },
      unflagged: { customers: 2, buyers: 2, repeatRate: '100.00' },
      ratio: '0.00',
    });
    expect(flag('spend_decline').unflagged).toEqual({ customers: 3, buyers: 2, repeatRate: '66.67' });
    expect(flag('low_p_alive').unflagged).toEqual({ customers: 4, buyers: 2, repeatRate: '50.00' });
    expect(flag('returns_rising').flagged).toEqual({ customers: 0, buyers: 0, repeatRate: null });
    expect(res.body.bands.map((b: Record<string, unknown>) => [b.band, b.customers, b.buyers])).toEqual([
      ['none', 2, 2],
      ['low', 0, 0],
      ['medium', 2, 0],
      ['high', 1, 0],
    ]);
    expect(res.body.oneTimeBuyers).toEqual({ customers: 2, buyers: 1, repeatRate: '50.00' });
    expect(res.body.repeatBuyers).toEqual({ customers: 3, buyers: 1, repeatRate: '33.33' });
  });

  it('keeps tenants apart', async () => {
    const mine = await get(`/v1/analytics/churn?asOf=${AS_OF}&minScore=0`).expect(200);
    expect(mine.body.data.map((r: { customerId: string }) => r.customerId)).not.toContain('Z');
    const theirs = await get(`/v1/analytics/churn?asOf=${AS_OF}`, other).expect(200);
    expect(theirs.body.data.map((r: { customerId: string }) => r.customerId)).toEqual(['Z']);
    expect(theirs.body.summary.customersScored).toBe(1);
  });

  it('scores a tenant whose longest first-to-second gap ends in a repeat purchase (the survival curve reaches 0)', async () => {
    // X: first 01-01, second 06-01 → event at t = 152; Y: one purchase 06-20, censored at t = 10.
    // At t = 152 only X is at risk and X came back: S(152) = 1 − 1/1 = 0 = S(end) (ln 0 must not be
    // taken); Y: P(alive) = 1 − S(end)/S(10) = 1 − 0/1 = 1.
    const km = await createTenant(t);
    await importBatch(t, km, 'customers', [
      { externalId: 'X', name: 'X' },
      { externalId: 'Y', name: 'Y' },
    ]).expect(200);
    await importBatch(t, km, 'invoices', [
      inv('X1', 'X', '2024-01-01', 100),
      inv('X2', 'X', '2024-06-01', 100),
      inv('Y1', 'Y', '2024-06-20', 100),
    ]).expect(200);
    const res = await get(`/v1/analytics/churn?asOf=${AS_OF}&minScore=0`, km).expect(200);
    const y = res.body.data.find((r: { customerId: string }) => r.customerId === 'Y');
    expect(y).toMatchObject({ pAlive: 1, pAliveBasis: 'one_time_rule' });
    await get(`/v1/analytics/churn/holdout?asOf=${AS_OF}`, km).expect(200);
  });

  it('answers 400 naming the field on bad input', async () => {
    for (const [q, field] of [
      ['minScore=101', 'minScore'],
      ['minScore=abc', 'minScore'],
      ['asOf=2024-13-01', 'asOf'],
      ['segment=nope', 'segment'],
      ['cursor=%%%', 'cursor'],
    ]) {
      const res = await get(`/v1/analytics/churn?${q}`).expect(400);
      expect(res.body.details.field).toBe(field);
    }
    const h = await get(`/v1/analytics/churn/holdout`).expect(400);
    expect(h.body.details.field).toBe('asOf');
    const n = await get(`/v1/analytics/churn/next-purchases?status=late`).expect(400);
    expect(n.body.details.field).toBe('status');
  });
});
