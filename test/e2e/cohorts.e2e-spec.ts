import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * Acquisition cohorts, hand-worked. Every invoice and credit note has one line of quantity 1 with
 * 15 % VAT, so its net is its unit price (VAT is never revenue).
 *
 *   A  2024-01-10 100.00 · 2024-01-25 50.01 (same month: active once) · 2024-04-05 200.00 (back after
 *      a gap) · void credit note 2024-05-05 1000.00 (nowhere)
 *   B  2024-01-20 300.00 · 2024-02-14 120.00 · credit note 2024-03-03 30.00 (negative revenue in March)
 *   C  2024-03-08 USD 20.00 × 3.75 = 75.00 · 2024-06-10 40.00 · 2024-06-20 500.00 and credit note
 *      2024-06-25 20.00, both after asOf (nowhere)
 *   H  2024-03-15 10.00 · 2024-04-02 15.00
 *   I  2024-03-31 25.00 (paid) · 2024-04-30 5.00
 *   D  draft 2024-02-01 999.00 and void 2024-02-02 888.00 (neither sets the cohort) · 2024-05-15 60.00
 *   J  credit note 2024-04-20 5.00 before the first invoice (booked in the cohort month) · 2024-05-10 45.00
 *   G  2024-06-01 25.00
 *   E  only 2024-06-16 70.00, the day after asOf: in no cohort
 *   K  only a draft invoice 2024-02-05 and a credit note 2024-02-06: in no cohort
 *   F  2023-12-05 1000.00 · 2024-02-10 10.00: cohort 2023-12, outside a 6-month window
 * A second tenant has its own customer "A" with 2024-01-05 7777.00, which must never show here.
 */
const line = (unitPrice: string) => [{ quantity: 1, unitPrice, taxRate: '0.15' }];
const inv = (externalId: string, customerId: string, issueDate: string, net: string, extra: object = {}) => ({
  externalId,
  customerId,
  issueDate,
  status: 'issued',
  lines: line(net),
  ...extra,
});
const cn = (externalId: string, customerId: string, issueDate: string, net: string, extra: object = {}) => ({
  externalId,
  customerId,
  issueDate,
  restock: false,
  lines: line(net),
  ...extra,
});

const customers = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K'].map((id) => ({
  externalId: id,
  name: `Customer ${id}`,
}));
const invoices = [
  inv('INV-A1', 'A', '2024-01-10', '100.00'),
  inv('INV-A2', 'A', '2024-01-25', '50.01'),
  inv('INV-A3', 'A', '2024-04-05', '200.00'),
  inv('INV-B1', 'B', '2024-01-20', '300.00'),
  inv('INV-B2', 'B', '2024-02-14', '120.00'),
  inv('INV-C1', 'C', '2024-03-08', '20.00', { currency: 'USD', exchangeRate: '3.75' }),
  inv('INV-C2', 'C', '2024-06-10', '40.00'),
  inv('INV-C3', 'C', '2024-06-20', '500.00'),
  inv('INV-H1', 'H', '2024-03-15', '10.00'),
  inv('INV-H2', 'H', '2024-04-02', '15.00'),
  inv('INV-I1', 'I', '2024-03-31', '25.00', { status: 'paid' }),
  inv('INV-I2', 'I', '2024-04-30', '5.00'),
  inv('INV-D0', 'D', '2024-02-01', '999.00', { status: 'draft' }),
  inv('INV-D9', 'D', '2024-02-02', '888.00', { status: 'void' }),
  inv('INV-D1', 'D', '2024-05-15', '60.00'),
  inv('INV-J1', 'J', '2024-05-10', '45.00'),
  inv('INV-G1', 'G', '2024-06-01', '25.00'),
  inv('INV-E1', 'E', '2024-06-16', '70.00'),
  inv('INV-K0', 'K', '2024-02-05', '9.00', { status: 'draft' }),
  inv('INV-F1', 'F', '2023-12-05', '1000.00'),
  inv('INV-F2', 'F', '2024-02-10', '10.00'),
];
const creditNotes = [
  cn('CN-B', 'B', '2024-03-03', '30.00', { invoiceId: 'INV-B2' }),
  cn('CN-A', 'A', '2024-05-05', '1000.00', { status: 'void' }),
  cn('CN-C', 'C', '2024-06-25', '20.00', { invoiceId: 'INV-C3' }),
  cn('CN-J', 'J', '2024-04-20', '5.00'),
  cn('CN-K', 'K', '2024-02-06', '9.00'),
];

/** one expected period: offset, month, active customers, retention %, net revenue, cumulative net per customer */
const p = (
  offset: number,
  month: string,
  activeCustomers: number,
  retentionPct: string | null,
  netRevenue: string,
  cumulativeNetRevenuePerCustomer: string | null,
  partial = false,
) => ({ offset, month, activeCustomers, retentionPct, netRevenue, cumulativeNetRevenuePerCustomer, partial });
/** a period with no activity (retention 0 %, or none in an empty cohort) */
const quiet = (offset: number, month: string, cumulative: string | null, partial = false) =>
  p(offset, month, 0, cumulative === null ? null : '0.00', '0.00', cumulative, partial);
/** a cohort month in which nobody bought a first time: a row of empty periods up to June */
const emptyCohort = (cohort: string) => {
  const months = ['2024-02', '2024-03', '2024-04', '2024-05', '2024-06'].filter((m) => m >= cohort);
  return { cohort, customers: 0, periods: months.map((m, i) => quiet(i, m, null, m === '2024-06')) };
};

describe('GET /v1/analytics/cohorts', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let other: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    tenant = await createTenant(t);
    other = await createTenant(t);
    await importBatch(t, tenant, 'customers', customers).expect(200);
    await importBatch(t, tenant, 'invoices', invoices).expect(200);
    await importBatch(t, tenant, 'credit-notes', creditNotes).expect(200);
    await importBatch(t, other, 'customers', [{ externalId: 'A', name: 'Other A' }]).expect(200);
    await importBatch(t, other, 'invoices', [inv('INV-A1', 'A', '2024-01-05', '7777.00')]).expect(200);
  });
  afterAll(() => t.close());

  it('builds the cohort grid with retention, net revenue and the LTV curve', async () => {
    const res = await t.http
      .get('/v1/analytics/cohorts?asOf=2024-06-15&months=6')
      .set(tenant.auth)
      .expect(200);
    expect(res.body).toEqual({
      asOf: '2024-06-15',
      months: 6,
      snapshotId: null,
      currency: 'SAR',
      cohorts: [
        {
          // A and B. Jan: A twice (100.00 + 50.01) counts once, B 300.00 → 450.01; per customer 225.005 → 225.01
          cohort: '2024-01',
          customers: 2,
          periods: [
            p(0, '2024-01', 2, '100.00', '450.01', '225.01'),
            // B 120.00; 570.01 / 2 = 285.005
            p(1, '2024-02', 1, '50.00', '120.00', '285.01'),
            // B's credit note only: nobody active, −30.00; 540.01 / 2 = 270.005
            p(2, '2024-03', 0, '0.00', '-30.00', '270.01'),
            // A comes back: 200.00; 740.01 / 2 = 370.005
            p(3, '2024-04', 1, '50.00', '200.00', '370.01'),
            quiet(4, '2024-05', '370.01'), // A's void credit note counts nowhere
            quiet(5, '2024-06', '370.01', true), // asOf 2024-06-15: June is partial
          ],
        },
        // D's draft and void, K's draft and F's repeat purchase make nobody a February customer
        emptyCohort('2024-02'),
        {
          // C, H, I. Mar: 75.00 (USD 20 × 3.75) + 10.00 + 25.00 = 110.00; 110 / 3 = 36.67
          cohort: '2024-03',
          customers: 3,
          periods: [
            p(0, '2024-03', 3, '100.00', '110.00', '36.67'),
            // H 15.00 + I 5.00; 2 / 3 = 66.67 %; 130 / 3 = 43.33
            p(1, '2024-04', 2, '66.67', '20.00', '43.33'),
            quiet(2, '2024-05', '43.33'),
            // C 40.00 (its 500.00 of 2024-06-20 is after asOf); 1 / 3 = 33.33 %; 170 / 3 = 56.67
            p(3, '2024-06', 1, '33.33', '40.00', '56.67', true),
          ],
        },
        emptyCohort('2024-04'), // A's April purchase is a return, not an acquisition
        {
          // D and J. May: 60.00 + 45.00 − J's April credit note 5.00 (before J's first invoice) = 100.00; 100 / 2 = 50.00
          cohort: '2024-05',
          customers: 2,
          periods: [p(0, '2024-05', 2, '100.00', '100.00', '50.00'), quiet(1, '2024-06', '50.00', true)],
        },
        {
          // G 25.00 (E's first invoice, 2024-06-16, is after asOf)
          cohort: '2024-06',
          customers: 1,
          periods: [p(0, '2024-06', 1, '100.00', '25.00', '25.00', true)],
        },
      ],
      // Σ active / Σ customers over non-empty cohorts whose month at that offset is complete (June is not)
      retentionByOffset: [
        { offset: 0, cohorts: 3, customers: 7, activeCustomers: 7, retentionPct: '100.00' }, // Jan 2/2, Mar 3/3, May 2/2
        { offset: 1, cohorts: 2, customers: 5, activeCustomers: 3, retentionPct: '60.00' }, // Jan 1/2, Mar 2/3
        { offset: 2, cohorts: 2, customers: 5, activeCustomers: 0, retentionPct: '0.00' }, // Jan 0/2, Mar 0/3
        { offset: 3, cohorts: 1, customers: 2, activeCustomers: 1, retentionPct: '50.00' }, // Jan 1/2 (Mar's is June)
        { offset: 4, cohorts: 1, customers: 2, activeCustomers: 0, retentionPct: '0.00' }, // Jan 0/2
        { offset: 5, cohorts: 0, customers: 0, activeCustomers: 0, retentionPct: null }, // only Jan's June
      ],
      // 2 + 3 + 2 + 1 customers; 740.01 + 170.00 + 100.00 + 25.00; F (2023-12) is outside the window
      totals: { customers: 8, netRevenue: '1035.01' },
    });
  });

  it('shows 12 cohort months by default, bringing in the December 2023 cohort', async () => {
    const res = await t.http.get('/v1/analytics/cohorts?asOf=2024-06-15').set(tenant.auth).expect(200);
    expect(res.body.months).toBe(12);
    expect(res.body.cohorts.map((c: { cohort: string }) => c.cohort)).toEqual([
      '2023-07',
      '2023-08',
      '2023-09',
      '2023-10',
      '2023-11',
      '2023-12',
      '2024-01',
      '2024-02',
      '2024-03',
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
    expect(res.body.cohorts[0].periods).toHaveLength(12); // 2023-07 … 2024-06
    // F: 1000.00 in December, nothing in January, 10.00 in February (active again)
    const f = res.body.cohorts[5];
    expect(f.customers).toBe(1);
    expect(f.periods.slice(0, 3)).toEqual([
      p(0, '2023-12', 1, '100.00', '1000.00', '1000.00'),
      quiet(1, '2024-01', '1000.00'),
      p(2, '2024-02', 1, '100.00', '10.00', '1010.00'),
    ]);
    expect(f.periods[6]).toEqual(quiet(6, '2024-06', '1010.00', true));
    // offset 2: F 1/1 (Feb), Jan 0/2 (Mar), Mar 0/3 (May) → 1 / 6 = 16.67 %
    expect(res.body.retentionByOffset[2]).toEqual({
      offset: 2,
      cohorts: 3,
      customers: 6,
      activeCustomers: 1,
      retentionPct: '16.67',
    });
    expect(res.body.totals).toEqual({ customers: 9, netRevenue: '2045.01' }); // + F's 1010.00
  });

  it('treats a month ending on asOf as complete and ignores later documents', async () => {
    const res = await t.http
      .get('/v1/analytics/cohorts?asOf=2024-05-31&months=1')
      .set(tenant.auth)
      .expect(200);
    expect(res.body).toEqual({
      asOf: '2024-05-31',
      months: 1,
      snapshotId: null,
      currency: 'SAR',
      cohorts: [
        {
          cohort: '2024-05',
          customers: 2,
          periods: [p(0, '2024-05', 2, '100.00', '100.00', '50.00')],
        },
      ],
      retentionByOffset: [
        { offset: 0, cohorts: 1, customers: 2, activeCustomers: 2, retentionPct: '100.00' },
      ],
      totals: { customers: 2, netRevenue: '100.00' },
    });
  });

  it('shows another tenant only its own customers', async () => {
    const res = await t.http
      .get('/v1/analytics/cohorts?asOf=2024-06-15&months=6')
      .set(other.auth)
      .expect(200);
    expect(res.body.cohorts[0]).toMatchObject({ cohort: '2024-01', customers: 1 });
    expect(res.body.cohorts[0].periods[0]).toMatchObject({
      netRevenue: '7777.00',
      cumulativeNetRevenuePerCustomer: '7777.00',
    });
    expect(res.body.cohorts.slice(1).every((c: { customers: number }) => c.customers === 0)).toBe(true);
    expect(res.body.totals).toEqual({ customers: 1, netRevenue: '7777.00' });
  });

  it.each([
    ['asOf=2024-02-30', 'asOf'],
    ['asOf=yesterday', 'asOf'],
    ['months=0', 'months'],
    ['months=121', 'months'],
    ['months=abc', 'months'],
    ['months=1.5', 'months'],
  ])('rejects %s with 400', async (qs, field) => {
    const res = await t.http.get(`/v1/analytics/cohorts?${qs}`).set(tenant.auth).expect(400);
    expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
  });

  it('accepts the widest window and requires an API key', async () => {
    const res = await t.http
      .get('/v1/analytics/cohorts?asOf=2024-06-15&months=120')
      .set(tenant.auth)
      .expect(200);
    expect(res.body.cohorts).toHaveLength(120);
    expect(res.body.cohorts[0].cohort).toBe('2014-07');
    expect(res.body.totals).toEqual({ customers: 9, netRevenue: '2045.01' });
    await t.http.get('/v1/analytics/cohorts').expect(401);
  });
});
