import Decimal from 'decimal.js';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * A hand-worked receivables scenario (DOMAIN.md §7), tenant base SAR, payment terms 30 days (the
 * default), asOf A = 2024-06-30. Every line is 1 × price with 15 % VAT, so total = price × 1.15.
 *
 * C1 partial and late payment, no-due-date invoice:
 *   INV-101 (number F-0101) 03-01 due 03-31, 1000 → 1150.00; P-101 04-15 500 → INV-101: open 650.00,
 *     A − 03-31 = 30 + 31 + 30 = 91 days → over90
 *   INV-102 04-01 due 04-30, 200 → 230.00; P-102 05-20 230 → INV-102: settled 05-20, 49 days to pay
 *   INV-103 05-31, no due date → 05-31 + 30 = 06-30 = A: 0 days → notYetDue 115.00
 *   → open 765.00, unapplied 0, netOwed 765.00, oldest 91, days to pay 49.00 (1 invoice)
 * C2 same-day documents, advance, linked and unlinked credit notes, over-credit:
 *   INV-201 04-20 due 05-20, 400 → 460.00; INV-202 05-01 due 05-31, 300 → 345.00
 *   on 05-01: P-201 1000 (400 → INV-201, 600 unallocated); CN-201 → INV-201, 100 → 115.00;
 *     CN-202 unlinked, 50 → 57.50
 *   INV-201 open 460 − 400 − 115 = −55 (over-credited: unapplied, no negative bucket); settled
 *     05-01 (400 + 115 ≥ 460 that day): 11 days to pay
 *   INV-202 open 345, A − 05-31 = 30 days → d1_30
 *   → open 345.00, unapplied 600 + 57.50 + 55 = 712.50, netOwed −367.50, oldest 30, 11.00 (1)
 * C3 buckets, draft/void, documents after A, an advance on a later invoice, a USD invoice:
 *   INV-301 04-10 due 05-10, 2000 → 2300.00: 21 + 30 = 51 days → d31_60
 *   INV-302 03-20 due 04-20, 500 → 575.00; P-301 06-20 200 → open 375.00: 10 + 31 + 30 = 71 → d61_90
 *   INV-303 draft 02-01 1150.00 and INV-304 void 02-01 920.00: count nowhere
 *   INV-305 07-05 (after A) 115.00; P-302 07-02 (after A) 2300 → INV-301; P-303 06-28 115 → INV-305
 *     (at A the invoice does not count, so P-303's 115 is unapplied)
 *   INV-306 06-25 USD 20 → 23.00 USD × 3.75 = 86.25, no due date → 07-25: notYetDue
 *   → open 86.25 + 2300 + 375 = 2761.25, unapplied 115.00, netOwed 2646.25, oldest 71, no settled
 * C4 INV-401 06-01 due 07-01, 100 → 115.00, P-401 06-11 115: settled in 10 days, nothing open: no row
 * C5 no documents.
 * Second tenant: its own C1 with INV-101 06-01 5000.00 and C9: must not leak into tenant 1.
 */
const line = (price: number | string) => [{ quantity: 1, unitPrice: price, taxRate: '0.15' }];
const inv = (
  externalId: string,
  customerId: string,
  issueDate: string,
  price: number,
  extra: object = {},
) => ({
  externalId,
  customerId,
  issueDate,
  lines: line(price),
  ...extra,
});

/** a payment, allocated (all of it unless `allocated` says otherwise) to one invoice, or to none */
const pay = (
  externalId: string,
  customerId: string,
  date: string,
  amount: string,
  invoiceId?: string,
  allocated = amount,
) => ({
  externalId,
  customerId,
  date,
  amount,
  allocations: invoiceId ? [{ invoiceId, amount: allocated }] : [],
});

/** a statement line */
const ln = (
  date: string,
  type: string,
  reference: string,
  description: string,
  debit: string,
  credit: string,
  balance: string,
) => ({
  date,
  type,
  reference,
  description,
  debit,
  credit,
  balance,
});

const T1 = {
  customers: [
    { externalId: 'C1', name: 'Al Ufuq Trading', nameAr: 'شركة الأفق للتجارة', email: 'ap@alufuq.sa' },
    { externalId: 'C2', name: 'Najd Cafe' },
    { externalId: 'C3', name: 'Red Sea Marine', phone: '+966500000003' },
    { externalId: 'C4', name: 'Tihama Foods' },
    { externalId: 'C5', name: 'Quiet Co' },
  ],
  invoices: [
    inv('INV-101', 'C1', '2024-03-01', 1000, { number: 'F-0101', dueDate: '2024-03-31' }),
    inv('INV-102', 'C1', '2024-04-01', 200, { dueDate: '2024-04-30' }),
    inv('INV-103', 'C1', '2024-05-31', 100),
    inv('INV-202', 'C2', '2024-05-01', 300, { dueDate: '2024-05-31' }),
    inv('INV-201', 'C2', '2024-04-20', 400, { dueDate: '2024-05-20' }),
    inv('INV-301', 'C3', '2024-04-10', 2000, { dueDate: '2024-05-10' }),
    inv('INV-302', 'C3', '2024-03-20', 500, { dueDate: '2024-04-20' }),
    inv('INV-303', 'C3', '2024-02-01', 1000, { status: 'draft' }),
    inv('INV-304', 'C3', '2024-02-01', 800, { status: 'void' }),
    inv('INV-305', 'C3', '2024-07-05', 100),
    inv('INV-306', 'C3', '2024-06-25', 20, { currency: 'USD', exchangeRate: '3.75' }),
    inv('INV-401', 'C4', '2024-06-01', 100, { dueDate: '2024-07-01' }),
  ],
  payments: [
    pay('P-101', 'C1', '2024-04-15', '500', 'INV-101'),
    pay('P-102', 'C1', '2024-05-20', '230', 'INV-102'),
    pay('P-201', 'C2', '2024-05-01', '1000', 'INV-201', '400'),
    pay('P-301', 'C3', '2024-06-20', '200', 'INV-302'),
    pay('P-302', 'C3', '2024-07-02', '2300', 'INV-301'),
    pay('P-303', 'C3', '2024-06-28', '115', 'INV-305'),
    pay('P-401', 'C4', '2024-06-11', '115', 'INV-401'),
  ],
  'credit-notes': [
    { externalId: 'CN-202', customerId: 'C2', issueDate: '2024-05-01', lines: line(50) },
    {
      externalId: 'CN-201',
      customerId: 'C2',
      invoiceId: 'INV-201',
      issueDate: '2024-05-01',
      lines: line(100),
    },
  ],
};

const T2 = {
  customers: [
    { externalId: 'C1', name: 'Other Co' },
    { externalId: 'C9', name: 'Elsewhere' },
  ],
  invoices: [
    {
      externalId: 'INV-101',
      customerId: 'C1',
      issueDate: '2024-06-01',
      lines: [{ quantity: 1, unitPrice: 5000 }],
    },
  ],
  payments: [{ externalId: 'P-9', customerId: 'C9', date: '2024-06-01', amount: '70' }],
  'credit-notes': [],
};

const A = '2024-06-30';
const zero = { notYetDue: '0.00', d1_30: '0.00', d31_60: '0.00', d61_90: '0.00', over90: '0.00' };
const ROW_C3 = {
  customerId: 'C3',
  name: 'Red Sea Marine',
  nameAr: null,
  buckets: { ...zero, notYetDue: '86.25', d31_60: '2300.00', d61_90: '375.00' },
  totalOpen: '2761.25',
  unappliedCredits: '115.00',
  netOwed: '2646.25',
  oldestOverdueDays: 71,
  openInvoices: 3, // INV-301, INV-302, INV-306
  daysToPay: { mean: null, settledInvoices: 0 },
  email: null,
  phone: '+966500000003',
};
const ROW_C1 = {
  customerId: 'C1',
  name: 'Al Ufuq Trading',
  nameAr: 'شركة الأفق للتجارة',
  buckets: { ...zero, notYetDue: '115.00', over90: '650.00' },
  totalOpen: '765.00',
  unappliedCredits: '0.00',
  netOwed: '765.00',
  oldestOverdueDays: 91,
  openInvoices: 2, // INV-101, INV-103
  daysToPay: { mean: '49.00', settledInvoices: 1 },
  email: 'ap@alufuq.sa',
  phone: null,
};
const ROW_C2 = {
  customerId: 'C2',
  name: 'Najd Cafe',
  nameAr: null,
  buckets: { ...zero, d1_30: '345.00' },
  totalOpen: '345.00',
  unappliedCredits: '712.50',
  netOwed: '-367.50',
  oldestOverdueDays: 30,
  openInvoices: 1, // INV-202 (INV-201 is over-credited, not open)
  daysToPay: { mean: '11.00', settledInvoices: 1 },
  email: null,
  phone: null,
};
// totals: notYetDue 115 + 86.25; open 765 + 345 + 2761.25 = 3871.25; unapplied 712.50 + 115 = 827.50
const TOTALS = {
  customers: 3,
  buckets: { notYetDue: '201.25', d1_30: '345.00', d31_60: '2300.00', d61_90: '375.00', over90: '650.00' },
  totalOpen: '3871.25',
  unappliedCredits: '827.50',
  netOwed: '3043.75',
};

describe('receivables', () => {
  let t: TestApp;
  let t1: TestTenant;
  let t2: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    t1 = await createTenant(t);
    t2 = await createTenant(t);
    for (const [tenant, data] of [
      [t1, T1],
      [t2, T2],
    ] as const) {
      for (const r of ['customers', 'invoices', 'payments', 'credit-notes'] as const) {
        if (data[r].length) await importBatch(t, tenant, r, data[r]).expect(200);
      }
    }
  });
  afterAll(() => t.close());

  const get = (tenant: TestTenant, path: string) => t.http.get(path).set(tenant.auth);

  it('ages open amounts per customer, by net owed, with tenant totals', async () => {
    const res = await get(t1, `/v1/analytics/receivables/aging?asOf=${A}`).expect(200);
    expect(res.body).toMatchObject({
      asOf: A,
      currency: 'SAR',
      paymentTermsDays: 30,
      nextCursor: null,
      totals: TOTALS,
    });
    // C4 (settled) and C5 (nothing) have no row; C2's negative net owed sorts last
    expect(res.body.data).toEqual([ROW_C3, ROW_C1, ROW_C2]);
    expect(res.body.buckets.map((b: { key: string }) => b.key)).toEqual([
      'notYetDue',
      'd1_30',
      'd31_60',
      'd61_90',
      'over90',
    ]);
  });

  it('pages with a cursor while the totals stay those of all rows', async () => {
    const p1 = await get(t1, `/v1/analytics/receivables/aging?asOf=${A}&limit=2`).expect(200);
    expect(p1.body.data.map((r: { customerId: string }) => r.customerId)).toEqual(['C3', 'C1']);
    expect(p1.body.totals).toEqual(TOTALS);
    const p2 = await get(
      t1,
      `/v1/analytics/receivables/aging?asOf=${A}&limit=2&cursor=${p1.body.nextCursor}`,
    ).expect(200);
    expect(p2.body.data).toEqual([ROW_C2]);
    expect(p2.body.nextCursor).toBeNull();
    expect(p2.body.totals).toEqual(TOTALS);
  });

  it('counts documents after asOf once asOf reaches them', async () => {
    // at 07-31: P-302 (07-02) settles INV-301 in 20 + 31 + 30 + 2 = 83 days; INV-305 (07-05) counts and
    // P-303 settles it on max(06-28, 07-05): 0 days; INV-302 375 is 102 days overdue, INV-306 86.25 is 6.
    // days to pay (2300 × 83 + 115 × 0) / 2415 = 79.0476… ; netOwed 461.25
    const res = await get(t1, '/v1/analytics/receivables/aging?asOf=2024-07-31').expect(200);
    expect(res.body.data.find((r: { customerId: string }) => r.customerId === 'C3')).toEqual({
      ...ROW_C3,
      buckets: { ...zero, d1_30: '86.25', over90: '375.00' },
      totalOpen: '461.25',
      unappliedCredits: '0.00',
      netOwed: '461.25',
      oldestOverdueDays: 102,
      openInvoices: 2, // INV-302, INV-306 (INV-301 and INV-305 are settled)
      daysToPay: { mean: '79.05', settledInvoices: 2 },
    });
  });

  it('computes DSO and the amount-weighted days to pay', async () => {
    // credit sales: invoices dated 04-02 … 06-30: INV-103 115 + INV-201 460 + INV-202 345 + INV-301 2300
    //   + INV-306 86.25 + INV-401 115 = 3421.25 (INV-102 of 04-01 is just outside; INV-305 is after A)
    // dso = 3871.25 / 3421.25 × 90 = 101.8377… ; days to pay (230 × 49 + 460 × 11 + 115 × 10) / 805
    //   = 17480 / 805 = 21.714…
    const res = await get(t1, `/v1/analytics/receivables/dso?asOf=${A}`).expect(200);
    expect(res.body).toMatchObject({
      asOf: A,
      currency: 'SAR',
      dso: '101.84',
      receivables: '3871.25',
      creditSales90d: '3421.25',
      periodDays: 90,
      meanDaysToPay: '21.71',
      settledInvoices: 3,
    });
    expect(res.body.formula).toMatch(/receivables \/ creditSales × 90/);
  });

  it('writes a statement with opening balance, same-day order and running balance', async () => {
    const res = await get(t1, `/v1/customers/C2/statement?to=${A}`).expect(200);
    expect(res.body).toEqual({
      customer: { externalId: 'C2', name: 'Najd Cafe', nameAr: null },
      currency: 'SAR',
      from: '2024-04-20',
      to: A,
      openingBalance: '0.00',
      lines: [
        ln('2024-04-20', 'invoice', 'INV-201', 'Invoice INV-201, due 2024-05-20', '460.00', '0.00', '460.00'),
        ln('2024-05-01', 'invoice', 'INV-202', 'Invoice INV-202, due 2024-05-31', '345.00', '0.00', '805.00'),
        ln(
          '2024-05-01',
          'credit_note',
          'CN-201',
          'Credit note CN-201 for invoice INV-201',
          '0.00',
          '115.00',
          '690.00',
        ),
        ln('2024-05-01', 'credit_note', 'CN-202', 'Credit note CN-202', '0.00', '57.50', '632.50'),
        ln(
          '2024-05-01',
          'payment',
          'P-201',
          'Payment P-201, applied to INV-201 (400.00), unallocated 600.00',
          '0.00',
          '1000.00',
          '-367.50',
        ),
      ],
      totals: { debit: '805.00', credit: '1172.50' },
      closingBalance: '-367.50',
    });
  });

  it('opens a period with everything before it, in Arabic', async () => {
    // opening = 1150 + 230 = 1380; − 500 = 880; − 230 = 650; + 115 = 765
    const res = await get(t1, '/v1/customers/C1/statement?from=2024-04-10&to=2024-05-31')
      .set('Accept-Language', 'ar')
      .expect(200);
    expect(res.body).toMatchObject({
      from: '2024-04-10',
      to: '2024-05-31',
      openingBalance: '1380.00',
      closingBalance: '765.00',
      totals: { debit: '115.00', credit: '730.00' },
    });
    expect(res.body.lines).toEqual([
      ln(
        '2024-04-15',
        'payment',
        'P-101',
        'دفعة P-101، مخصصة إلى F-0101 (500.00)',
        '0.00',
        '500.00',
        '880.00',
      ),
      ln(
        '2024-05-20',
        'payment',
        'P-102',
        'دفعة P-102، مخصصة إلى INV-102 (230.00)',
        '0.00',
        '230.00',
        '650.00',
      ),
      ln(
        '2024-05-31',
        'invoice',
        'INV-103',
        'فاتورة INV-103، تستحق في 2024-06-30',
        '115.00',
        '0.00',
        '765.00',
      ),
    ]);
  });

  it('leaves draft, void and later documents out and converts foreign currency', async () => {
    // 575 → 2875 (+2300) → 2675 (−200) → 2761.25 (+86.25) → 2646.25 (−115); from = 03-20, not the draft's 02-01
    const res = await get(t1, `/v1/customers/C3/statement?to=${A}`).expect(200);
    expect(res.body.from).toBe('2024-03-20');
    expect(
      res.body.lines.map((l: Record<string, string>) => [l.reference, l.debit, l.credit, l.balance]),
    ).toEqual([
      ['INV-302', '575.00', '0.00', '575.00'],
      ['INV-301', '2300.00', '0.00', '2875.00'],
      ['P-301', '0.00', '200.00', '2675.00'],
      ['INV-306', '86.25', '0.00', '2761.25'],
      ['P-303', '0.00', '115.00', '2646.25'],
    ]);
    expect(res.body.lines[3].description).toBe('Invoice INV-306, due 2024-07-25 [USD 23.00 × 3.75]');
    expect(res.body.lines[4].description).toBe('Payment P-303, applied to INV-305 (115.00)');
    // a customer without documents: from = to, opening and closing 0
    const c5 = await get(t1, `/v1/customers/C5/statement?to=${A}`).expect(200);
    expect(c5.body).toMatchObject({
      from: A,
      to: A,
      openingBalance: '0.00',
      lines: [],
      closingBalance: '0.00',
    });
  });

  it('closes every statement at the aging net owed, to the halala', async () => {
    for (const asOf of ['2024-03-31', '2024-05-01', A, '2024-07-31']) {
      const aging = await get(t1, `/v1/analytics/receivables/aging?asOf=${asOf}&limit=500`).expect(200);
      const owed = new Map<string, string>(
        aging.body.data.map((r: { customerId: string; netOwed: string }) => [r.customerId, r.netOwed]),
      );
      let sum = new Decimal(0);
      for (const c of ['C1', 'C2', 'C3', 'C4', 'C5']) {
        const s = await get(t1, `/v1/customers/${c}/statement?to=${asOf}`).expect(200);
        expect([asOf, c, s.body.closingBalance]).toEqual([asOf, c, owed.get(c) ?? '0.00']);
        sum = sum.plus(s.body.closingBalance);
      }
      expect(aging.body.totals.netOwed).toBe(sum.toFixed(2));
    }
  });

  it('exports the statement as CSV with a BOM', async () => {
    const res = await get(t1, `/v1/customers/C2/statement?to=${A}&format=csv`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="statement-C2-2024-04-20-${A}.csv"`,
    );
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')).toEqual([
      'date,type,reference,description,debit,credit,balance',
      '2024-04-20,opening_balance,,Opening balance,,,0.00',
      '2024-04-20,invoice,INV-201,"Invoice INV-201, due 2024-05-20",460.00,0.00,460.00',
      '2024-05-01,invoice,INV-202,"Invoice INV-202, due 2024-05-31",345.00,0.00,805.00',
      '2024-05-01,credit_note,CN-201,Credit note CN-201 for invoice INV-201,0.00,115.00,690.00',
      '2024-05-01,credit_note,CN-202,Credit note CN-202,0.00,57.50,632.50',
      '2024-05-01,payment,P-201,"Payment P-201, applied to INV-201 (400.00), unallocated 600.00",0.00,1000.00,-367.50',
      `${A},closing_balance,,Closing balance,805.00,1172.50,-367.50`,
      '',
    ]);
    const ar = await get(t1, `/v1/customers/C1/statement?to=${A}&format=csv`)
      .set('Accept-Language', 'ar')
      .expect(200);
    expect(ar.text).toContain('التاريخ,النوع,المرجع,البيان,مدين,دائن,الرصيد');
    expect(ar.text).toContain('فاتورة F-0101، تستحق في 2024-03-31');
  });

  it('keeps tenants apart', async () => {
    // tenant 2: its C1 owes 5000.00 (due 07-01: not yet due); C9 has a 70.00 advance
    const aging = await get(t2, `/v1/analytics/receivables/aging?asOf=${A}`).expect(200);
    expect(
      aging.body.data.map((r: { customerId: string; netOwed: string }) => [r.customerId, r.netOwed]),
    ).toEqual([
      ['C1', '5000.00'],
      ['C9', '-70.00'],
    ]);
    expect(aging.body.totals).toMatchObject({
      customers: 2,
      totalOpen: '5000.00',
      unappliedCredits: '70.00',
      netOwed: '4930.00',
    });
    const s = await get(t2, `/v1/customers/C1/statement?to=${A}`).expect(200);
    expect(s.body.lines.map((l: { reference: string }) => l.reference)).toEqual(['INV-101']);
    await get(t2, '/v1/customers/C2/statement').expect(404);
    const dso = await get(t2, `/v1/analytics/receivables/dso?asOf=${A}`).expect(200);
    expect(dso.body).toMatchObject({
      receivables: '5000.00',
      creditSales90d: '5000.00',
      dso: '90.00',
      meanDaysToPay: null,
      settledInvoices: 0,
    });
  });

  it('answers 400 for bad parameters and 404 for unknown customers', async () => {
    const bad = async (path: string, field: string) => {
      const res = await get(t1, path).expect(400);
      expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
    };
    await bad('/v1/customers/C1/statement?from=2024-02-30', 'from');
    await bad('/v1/customers/C1/statement?to=yesterday', 'to');
    await bad('/v1/customers/C1/statement?from=2024-06-01&to=2024-05-01', 'from');
    await bad('/v1/customers/C1/statement?format=xml', 'format');
    await bad('/v1/analytics/receivables/aging?asOf=2024-13-01', 'asOf');
    await bad('/v1/analytics/receivables/aging?limit=0', 'limit');
    await bad('/v1/analytics/receivables/aging?limit=501', 'limit');
    await bad('/v1/analytics/receivables/aging?limit=ten', 'limit');
    await bad('/v1/analytics/receivables/aging?cursor=nope', 'cursor');
    await bad(
      `/v1/analytics/receivables/aging?cursor=${Buffer.from('["1; drop","C1"]').toString('base64url')}`,
      'cursor',
    );
    await bad('/v1/analytics/receivables/dso?asOf=2024-06-31', 'asOf');
    const nf = await get(t1, '/v1/customers/NOPE/statement').expect(404);
    expect(nf.body.error).toBe('not_found');
    await get(t1, '/v1/customers/NOPE/statement?format=csv').expect(404);
    await t.http.get('/v1/analytics/receivables/aging').expect(401);
  });
});
