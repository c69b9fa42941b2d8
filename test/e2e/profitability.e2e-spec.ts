import Decimal from 'decimal.js';
import {
  customerProfitabilitySql,
  profitabilityPageSql,
} from '../../src/analytics/profitability/profitability.queries';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * A hand-worked business, asOf 2024-06-30, annualCreditRate 0.12, base currency SAR.
 *
 * Unit costs
 *   P-OWN  "Dates box"  product cost 99 is never used: its lines carry their own unitCost
 *   P-SNAP "Arabic coffee" product cost 50; snapshots 2024-01-01 main 40, jeddah 44, riyadh (no cost)
 *          → 42 (mean of the warehouses with a cost); 2024-05-01 main 60 (only for sales from May)
 *   P-PROD "Cardamom" product cost 30, no snapshot
 *   P-NONE "Saffron" no cost anywhere (a snapshot without cost) → unknown; no category
 *
 * Documents (tax does not touch revenue; totals matter for the cost of credit)
 *   INV-1 C1 03-10: P-OWN 10 × 20 − 10.00 = 190.00, own cost 12 → COGS 120
 *                   P-SNAP 5 × 80 × (1 − 10 %) = 360.00, snapshot 42 (not the later 60) → COGS 210
 *                   VAT 15 % → total 632.50
 *   INV-2 C2 04-15 USD @ 3.75: P-PROD 4 × 10 = 40 USD = 150.00 SAR, product cost 30 → 120
 *                   P-OWN 2 × 8 = 16 USD = 60.00 SAR, own cost 4 USD × 3.75 = 15 → 30; total 56 USD = 210.00
 *   INV-3 C1 05-20 (paid): P-SNAP 2 × 80 = 160.00, snapshot of 05-01 = 60 → 120;
 *                   P-NONE 1 × 100 = 100.00 no cost; delivery (no product) 25.00 no cost; total 327.75
 *   INV-4 C3 06-01: P-PROD 3 × 50 = 150.00 → 90; total 150.00
 *   INV-5 draft, INV-6 void, INV-7 dated 07-05 (after asOf): never count
 *   CN-1 C1 → INV-1, 03-25, restocked: P-SNAP 1 × 72 = 72.00; cost of the INV-1 line (42) → COGS −42; total 82.80
 *   CN-2 C2 → INV-2, 04-20, NOT restocked, USD @ 3.75: P-PROD 1 × 10 USD = 37.50 SAR; revenue only; total 10 USD
 *   CN-3 C3, 06-10, restocked, no invoice: P-PROD 1 × 50 = 50.00, product cost at 06-10 (30) → −30
 *   CN-4 C4, 02-01, restocked, its own unitCost 35: P-PROD 1 × 50 = 50.00 → −35
 *   PAY-1 C1 04-09 300.00 → INV-1; PAY-2 C2 05-15 46 USD (@ 3.80, allocations count at the invoice's
 *   3.75) → INV-2; PAY-3 C1 05-20 327.75 → INV-3; PAY-4 07-10 (after asOf) → INV-1
 *
 * Per customer (coveredRevenue = net revenue of lines with a known cost; GP = covered − COGS)
 *   C1 gross 190+360+160+100+25 = 835, returns 72, net 763, covered 190+360+160−72 = 638,
 *      uncovered 125, COGS 120+210+120−42 = 408, GP 230; margin 230/638 = 36.05 %, markup 230/408 =
 *      56.37 %, coverage 638/763 = 83.62 %
 *   C2 gross 150+60 = 210, returns 37.50, net 172.50 = covered, COGS 150, GP 22.50; 13.04 %, 15.00 %
 *   C3 gross 150, returns 50, net 100 = covered, COGS 90 − 30 = 60, GP 40; 40.00 %, 66.67 %
 *   C4 gross 0, returns 50, net −50 = covered, COGS −35, GP −15; ratios over negative bases: null
 *
 * Cost of credit = balance-days × 0.12 / 365 (open on day d = balance after allocations before d)
 *   INV-1 632.50 × 15 (03-10→03-25) + 549.70 × 15 (→04-09) + 249.70 × 82 (→06-30) = 38208.40 → 12.5616657…
 *   INV-2 210.00 × 5 (→04-20) + 172.50 × 25 (→05-15) + 0 = 5362.50 → 1.7630136…
 *   INV-3 paid the day it was issued → 0;  INV-4 150 × 29 (06-01→06-30) = 4350 → 1.4301369…
 *   contribution C1 230 − 12.5616657 = 217.44; C2 22.50 − 1.7630137 = 20.74; C3 40 − 1.4301370 = 38.57;
 *   C4 −15.00. Totals: GP 277.50, cost of credit 5750.508 / 365 = 15.7548164 → 15.75, contribution
 *   261.7451836 → 261.75 (= 217.44 + 38.57 + 20.74 − 15.00).
 */
const ASOF = '2024-06-30';

type Extra = Record<string, unknown>;
const line = (productId: string | null, quantity: string, unitPrice: string, extra: Extra = {}) => ({
  ...(productId ? { productId } : { description: 'delivery' }),
  quantity,
  unitPrice,
  ...extra,
});
const inv = (
  externalId: string,
  customerId: string,
  issueDate: string,
  status: string,
  lines: Extra[],
  extra: Extra = {},
) => ({ externalId, customerId, issueDate, status, lines, ...extra });
const pay = (
  externalId: string,
  customerId: string,
  date: string,
  amount: string,
  invoiceId: string,
  extra: Extra = {},
) => ({ externalId, customerId, date, amount, allocations: [{ invoiceId, amount }], ...extra });
const credit = (
  externalId: string,
  customerId: string,
  issueDate: string,
  lines: Extra[],
  extra: Extra = {},
) => ({ externalId, customerId, issueDate, lines, ...extra });

const customers = [
  { externalId: 'C1', name: 'Al Ufuq Trading', nameAr: 'شركة الأفق للتجارة' },
  { externalId: 'C2', name: 'Najd Cafe' },
  { externalId: 'C3', name: 'Hail Roasters' },
  { externalId: 'C4', name: 'Tabuk Market' },
];
const products = [
  { externalId: 'P-OWN', name: 'Dates box', nameAr: 'علبة تمر', category: 'Dates', unitCost: '99' },
  { externalId: 'P-SNAP', name: 'Arabic coffee', category: 'Coffee', unitCost: '50' },
  { externalId: 'P-PROD', name: 'Cardamom', category: 'Spices', unitCost: '30' },
  { externalId: 'P-NONE', name: 'Saffron' },
];
const inventory = [
  { productId: 'P-SNAP', warehouseId: 'main', asOf: '2024-01-01', onHand: '100', unitCost: '40' },
  { productId: 'P-SNAP', warehouseId: 'jeddah', asOf: '2024-01-01', onHand: '20', unitCost: '44' },
  { productId: 'P-SNAP', warehouseId: 'riyadh', asOf: '2024-01-01', onHand: '5' },
  { productId: 'P-SNAP', warehouseId: 'main', asOf: '2024-05-01', onHand: '80', unitCost: '60' },
  { productId: 'P-NONE', warehouseId: 'main', asOf: '2024-01-01', onHand: '3' },
];
const VAT = { taxRate: '0.15' };
// prettier-ignore
const invoices = [
  inv('INV-1', 'C1', '2024-03-10', 'issued', [
    line('P-OWN', '10', '20', { discount: '10.00', unitCost: '12', ...VAT }),
    line('P-SNAP', '5', '80', { discountPercent: '10', ...VAT }),
  ], { total: '632.50' }),
  inv('INV-2', 'C2', '2024-04-15', 'issued', [line('P-PROD', '4', '10'), line('P-OWN', '2', '8', { unitCost: '4' })],
    { currency: 'USD', exchangeRate: '3.75' }),
  inv('INV-3', 'C1', '2024-05-20', 'paid', [
    line('P-SNAP', '2', '80', VAT), line('P-NONE', '1', '100', VAT), line(null, '1', '25', VAT),
  ], { total: '327.75' }),
  inv('INV-4', 'C3', '2024-06-01', 'issued', [line('P-PROD', '3', '50')]),
  inv('INV-5', 'C3', '2024-06-05', 'draft', [line('P-PROD', '100', '50')]),
  inv('INV-6', 'C2', '2024-06-06', 'void', [line('P-PROD', '10', '50')]),
  inv('INV-7', 'C1', '2024-07-05', 'issued', [line('P-OWN', '1', '1000', { unitCost: '1' })]),
];
// prettier-ignore
const payments = [
  pay('PAY-1', 'C1', '2024-04-09', '300', 'INV-1'),
  pay('PAY-2', 'C2', '2024-05-15', '46', 'INV-2', { currency: 'USD', exchangeRate: '3.80' }),
  pay('PAY-3', 'C1', '2024-05-20', '327.75', 'INV-3'),
  pay('PAY-4', 'C1', '2024-07-10', '249.70', 'INV-1'),
];
// prettier-ignore
const creditNotes = [
  credit('CN-1', 'C1', '2024-03-25', [line('P-SNAP', '1', '72', VAT)], { invoiceId: 'INV-1' }),
  credit('CN-2', 'C2', '2024-04-20', [line('P-PROD', '1', '10')],
    { invoiceId: 'INV-2', restock: false, currency: 'USD', exchangeRate: '3.75' }),
  credit('CN-3', 'C3', '2024-06-10', [line('P-PROD', '1', '50')]),
  credit('CN-4', 'C4', '2024-02-01', [line('P-PROD', '1', '50', { unitCost: '35' })]),
];

const counts = (invoices: number, creditNotes: number, units: string, returnedUnits: string) => ({
  invoices,
  creditNotes,
  units,
  returnedUnits,
});
/** The presented figures of a row, in response order. */
const figures = (
  money: [string, string, string, string, string, string, string],
  ratios: [string | null, string | null],
  credit: [string, string],
  costCoverage: string | null,
  c: ReturnType<typeof counts>,
) => {
  const [grossSales, returns, netRevenue, coveredRevenue, uncoveredRevenue, cogs, grossProfit] = money;
  const [marginPct, markupPct] = ratios;
  const [costOfCredit, contribution] = credit;
  return {
    grossSales,
    returns,
    netRevenue,
    coveredRevenue,
    uncoveredRevenue,
    cogs,
    grossProfit,
    marginPct,
    markupPct,
    costOfCredit,
    contribution,
    costCoverage,
    counts: c,
  };
};
const MONEY = [
  'gross_sales',
  'returns',
  'net_revenue',
  'covered_revenue',
  'cogs',
  'gross_profit',
  'cost_of_credit',
  'contribution',
] as const;
type Row = Record<string, unknown>;
const pick = (rows: Row[], ...keys: string[]) => rows.map((r) => keys.map((k) => r[k]));

describe('profitability', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  const get = (tenant: TestTenant, q: string, status = 200) =>
    t.http.get(`/v1/analytics/profitability${q}`).set(tenant.auth).expect(status);

  beforeAll(async () => {
    t = await bootApp();
    a = await createTenant(t);
    b = await createTenant(t);
    const data = { customers, products, inventory, invoices, payments, 'credit-notes': creditNotes };
    for (const [resource, body] of Object.entries(data)) await importBatch(t, a, resource, body).expect(200);
    await t.http.put('/v1/settings').set(a.auth).send({ annualCreditRate: '0.12' }).expect(200);
    // tenant B reuses the same external ids; its rate stays at the default 0
    await importBatch(t, b, 'customers', [{ externalId: 'C1', name: 'Other Co' }]).expect(200);
    await importBatch(t, b, 'products', [{ externalId: 'P-OWN', name: 'Other product' }]).expect(200);
    const bInvoice = inv('INV-1', 'C1', '2024-03-01', 'issued', [
      line('P-OWN', '1', '5000', { unitCost: '100' }),
    ]);
    await importBatch(t, b, 'invoices', [bInvoice]).expect(200);
  });
  afterAll(() => t.close());

  it('gives each customer its sales, returns, COGS, GP, cost of credit and contribution', async () => {
    const res = await get(a, `?asOf=${ASOF}`);
    expect(res.body).toMatchObject({
      by: 'customer',
      asOf: ASOF,
      period: { from: null, to: ASOF },
      currency: 'SAR',
      annualCreditRate: '0.12',
      groups: 4,
      nextCursor: null,
    });
    // prettier-ignore
    expect(res.body.data).toEqual([
      { key: 'C1', name: 'Al Ufuq Trading', nameAr: 'شركة الأفق للتجارة', ...figures(
        ['835.00', '72.00', '763.00', '638.00', '125.00', '408.00', '230.00'], ['36.05', '56.37'], ['12.56', '217.44'], '83.62', counts(2, 1, '19', '1')) },
      { key: 'C3', name: 'Hail Roasters', nameAr: null, ...figures(
        ['150.00', '50.00', '100.00', '100.00', '0.00', '60.00', '40.00'], ['40.00', '66.67'], ['1.43', '38.57'], '100.00', counts(1, 1, '3', '1')) },
      { key: 'C2', name: 'Najd Cafe', nameAr: null, ...figures(
        ['210.00', '37.50', '172.50', '172.50', '0.00', '150.00', '22.50'], ['13.04', '15.00'], ['1.76', '20.74'], '100.00', counts(1, 1, '6', '1')) },
      // only a return: revenue, COGS and GP are negative, and ratios over negative bases are null
      { key: 'C4', name: 'Tabuk Market', nameAr: null, ...figures(
        ['0.00', '50.00', '-50.00', '-50.00', '0.00', '-35.00', '-15.00'], [null, null], ['0.00', '-15.00'], null, counts(0, 1, '0', '1')) },
    ]);
    // totals: GP 277.50 over covered 860.50 = 32.25 %, over COGS 583 = 47.60 %; coverage 860.50 / 985.50 = 87.32 %
    // prettier-ignore
    expect(res.body.totals).toEqual(figures(
      ['1195.00', '209.50', '985.50', '860.50', '125.00', '583.00', '277.50'], ['32.25', '47.60'], ['15.75', '261.75'], '87.32', counts(4, 4, '28', '4')));
    expect(res.body.costCoverage).toBe('87.32');
  });

  it('splits an invoice’s cost of credit over its products pro rata to line net', async () => {
    // INV-1 12.5616657 × 190/550 → P-OWN, the rest → P-SNAP; INV-2 1.7630137 × 60/210 → P-OWN, the rest → P-PROD;
    // INV-4 1.4301370 → P-PROD. P-OWN 4.3394845 + 0.5037182 = 4.84; P-SNAP 8.22; P-PROD 1.2592955 + 1.4301370 = 2.69
    const res = await get(a, `?by=product&asOf=${ASOF}`);
    const keys = [
      'key',
      'name',
      'grossSales',
      'returns',
      'coveredRevenue',
      'cogs',
      'grossProfit',
      'marginPct',
      'markupPct',
    ];
    // prettier-ignore
    expect(pick(res.body.data, ...keys, 'costOfCredit', 'contribution', 'costCoverage', 'counts')).toEqual([
      // 360 + 160 − 72; COGS 210 + 120 − 42 = 288; GP 160 / 448 = 35.71 %, / 288 = 55.56 %
      ['P-SNAP', 'Arabic coffee', '520.00', '72.00', '448.00', '288.00', '160.00', '35.71', '55.56', '8.22', '151.78', '100.00', counts(2, 1, '7', '1')],
      // 190 + 60; COGS 120 + 30
      ['P-OWN', 'Dates box', '250.00', '0.00', '250.00', '150.00', '100.00', '40.00', '66.67', '4.84', '95.16', '100.00', counts(2, 0, '12', '0')],
      // 150 + 150 − (37.50 + 50 + 50); COGS 120 + 90 − 30 − 35 = 145 (CN-2 is not restocked)
      ['P-PROD', 'Cardamom', '300.00', '137.50', '162.50', '145.00', '17.50', '10.77', '12.07', '2.69', '14.81', '100.00', counts(2, 3, '7', '3')],
      ['(none)', 'Lines without a product', '25.00', '0.00', '0.00', '0.00', '0.00', null, null, '0.00', '0.00', '0.00', counts(1, 0, '1', '0')],
      ['P-NONE', 'Saffron', '100.00', '0.00', '0.00', '0.00', '0.00', null, null, '0.00', '0.00', '0.00', counts(1, 0, '1', '0')],
    ]);
    expect(res.body.totals).toMatchObject({
      grossProfit: '277.50',
      costOfCredit: '15.75',
      contribution: '261.75',
    });
    expect(res.body.totals.counts).toEqual(counts(4, 4, '28', '4'));
  });

  it('groups by category, with (none) for products without one and lines without a product', async () => {
    const res = await get(a, `?by=category&asOf=${ASOF}`);
    expect(pick(res.body.data, 'key', 'name', 'grossSales', 'uncoveredRevenue', 'contribution')).toEqual([
      ['Coffee', 'Coffee', '520.00', '0.00', '151.78'],
      ['Dates', 'Dates', '250.00', '0.00', '95.16'],
      ['Spices', 'Spices', '300.00', '0.00', '14.81'],
      ['(none)', 'Without a category', '125.00', '125.00', '0.00'],
    ]);
  });

  it('groups customers by their RFM segment at asOf, in the language asked for', async () => {
    // R: C2 76 days → 1, C1 41 → 2, C3 29 → 4; F: C2, C3 1 → 1, C1 2 → 4; M: C3 100 → 1, C2 172.50 → 2,
    // C1 763 → 4. FM: C1 4, C2 2, C3 1 → C1 at_risk (2,4), C2 hibernating (1,2), C3 promising (4,1);
    // C4 has no invoice → none
    const res = await get(a, `?by=segment&asOf=${ASOF}`).set('Accept-Language', 'ar');
    expect(pick(res.body.data, 'key', 'name', 'label', 'labelAr', 'contribution')).toEqual([
      ['at_risk', 'معرضون للخطر', 'At risk', 'معرضون للخطر', '217.44'],
      ['promising', 'واعدون', 'Promising', 'واعدون', '38.57'],
      ['hibernating', 'في سبات', 'Hibernating', 'في سبات', '20.74'],
      ['none', 'بلا شريحة', 'No segment', 'بلا شريحة', '-15.00'],
    ]);
  });

  it('makes the rows add up to the totals exactly, for every grouping', async () => {
    for (const by of ['customer', 'product', 'segment', 'category'] as const) {
      const params: unknown[] = [a.id, ASOF, null, ASOF, '0.12', 501, null, null];
      if (by === 'segment') params.push(null);
      const [totals, ...groups] = await t.sql<Record<string, string | number>>(
        profitabilityPageSql(by),
        params,
      );
      for (const field of MONEY) {
        const sum = groups.reduce((acc, r) => acc.plus(String(r[field])), new Decimal(0));
        expect({ by, field, sum: sum.toString() }).toEqual({
          by,
          field,
          sum: new Decimal(String(totals![field])).toString(),
        });
      }
      // the exact total cost of credit is (38208.40 + 5362.50 + 4350) × 0.12 / 365 = 5750.508 / 365
      const exact = new Decimal('5750.508').div(365);
      expect(new Decimal(String(totals!.cost_of_credit)).minus(exact).abs().lt('1e-15')).toBe(true);
      // each presented row is rounded on its own: Σ presented rows is within 0.005 per row of the total
      const res = await get(a, `?by=${by}&asOf=${ASOF}`);
      const presented = (res.body.data as { contribution: string }[]).reduce(
        (acc, r) => acc.plus(r.contribution),
        new Decimal(0),
      );
      const tolerance = new Decimal('0.005').times(res.body.data.length);
      expect(presented.minus(res.body.totals.contribution).abs().lte(tolerance)).toBe(true);
    }
  });

  it('exports the per-customer query a snapshot job can INSERT … SELECT', async () => {
    const sql = `${customerProfitabilitySql()} ORDER BY contribution DESC`;
    const rows = await t.sql<Record<string, string | number>>(sql, [a.id, ASOF, '0.12']);
    expect(Object.keys(rows[0]!)).toEqual([
      'customer_id',
      'gross_sales',
      'returns',
      'net_revenue',
      'cogs',
      'gross_profit',
      'cost_of_credit',
      'contribution',
      'covered_revenue',
      'invoices',
      'credit_notes',
      'units',
      'returned_units',
    ]);
    // documents with a line and units, as the by=customer rows count them (C1, C2, C3, C4)
    expect(rows.map((r) => [r.invoices, r.credit_notes, r.units, r.returned_units].map(String))).toEqual([
      ['2', '1', '19', '1'],
      ['1', '1', '3', '1'],
      ['1', '1', '6', '1'],
      ['0', '1', '0', '1'],
    ]);
    const fixed = (v: unknown) => new Decimal(String(v)).toFixed(2);
    expect(rows.map((r) => [fixed(r.gross_profit), fixed(r.contribution), fixed(r.covered_revenue)])).toEqual(
      [
        ['230.00', '217.44', '638.00'],
        ['40.00', '38.57', '100.00'],
        ['22.50', '20.74', '172.50'],
        ['-15.00', '-15.00', '-50.00'],
      ],
    );
  });

  it('counts only the period: revenue by document date, cost of credit by the days open within it', async () => {
    // April: INV-2 and CN-2 only. Cost of credit: INV-1 549.70 × 9 (04-01..04-09) + 249.70 × 21 = 10191.00
    // → 3.35; INV-2 210 × 5 + 172.50 × 10 (04-21..04-30) = 2775 → 0.91. C2 22.50 − 0.91 = 21.59; C1 −3.35
    const res = await get(a, `?from=2024-04-01&to=2024-04-30&asOf=${ASOF}`);
    expect(res.body.period).toEqual({ from: '2024-04-01', to: '2024-04-30' });
    expect(
      pick(res.body.data, 'key', 'grossSales', 'grossProfit', 'costOfCredit', 'contribution', 'marginPct'),
    ).toEqual([
      ['C2', '210.00', '22.50', '0.91', '21.59', '13.04'],
      ['C1', '0.00', '0.00', '3.35', '-3.35', null],
    ]);
  });

  it('never counts documents after asOf, and counts them once asOf reaches them', async () => {
    const later = await get(a, '?asOf=2024-07-31');
    const c1 = (later.body.data as Row[]).find((r) => r.key === 'C1')!;
    // INV-7 on 07-05: + 1000.00 of sales at cost 1
    expect([c1.grossSales, c1.cogs]).toEqual(['1835.00', '409.00']);
    // to beyond asOf is clipped to asOf
    const clipped = await get(a, `?to=2024-12-31&asOf=${ASOF}`);
    expect(clipped.body.period.to).toBe(ASOF);
    expect(clipped.body.totals.contribution).toBe('261.75');
  });

  it('pages by contribution with a cursor, totals on every page', async () => {
    const p1 = await get(a, `?asOf=${ASOF}&limit=2`);
    expect(pick(p1.body.data, 'key')).toEqual([['C1'], ['C3']]);
    const p2 = await get(a, `?asOf=${ASOF}&limit=2&cursor=${p1.body.nextCursor}`);
    expect(pick(p2.body.data, 'key')).toEqual([['C2'], ['C4']]);
    expect(p2.body.nextCursor).toBeNull();
    expect(p2.body.totals).toEqual(p1.body.totals);
  });

  it('draws the whale curve with its peak', async () => {
    const res = await t.http
      .get(`/v1/analytics/profitability/whale-curve?asOf=${ASOF}`)
      .set(a.auth)
      .expect(200);
    // cumulative 217.44 (83.07 % of 261.75), 256.01 (97.81 %), 276.75 (105.73 %), 261.75 (100 %)
    expect(res.body).toMatchObject({ customers: 4, totalContribution: '261.75', sampled: false, step: 1 });
    const keys = ['rank', 'key', 'cumulativeContribution', 'customerShare', 'contributionShare'];
    expect(pick(res.body.points, ...keys)).toEqual([
      [1, 'C1', '217.44', '25.00', '83.07'],
      [2, 'C3', '256.01', '50.00', '97.81'],
      [3, 'C2', '276.75', '75.00', '105.73'],
      [4, 'C4', '261.75', '100.00', '100.00'],
    ]);
    expect(res.body.peak).toMatchObject({
      rank: 3,
      key: 'C2',
      customerShare: '75.00',
      contributionShare: '105.73',
    });
  });

  it('keeps tenants apart and defaults the credit rate to 0', async () => {
    const res = await get(b, `?asOf=${ASOF}`);
    expect(res.body.annualCreditRate).toBe('0');
    // prettier-ignore
    expect(res.body.data).toEqual([{ key: 'C1', name: 'Other Co', nameAr: null, ...figures(
      ['5000.00', '0.00', '5000.00', '5000.00', '0.00', '100.00', '4900.00'], ['98.00', '4900.00'], ['0.00', '4900.00'], '100.00', counts(1, 0, '1', '0')) }]);
    expect((await get(a, `?asOf=${ASOF}`)).body.totals.grossSales).toBe('1195.00');
  });

  it('refuses bad parameters with the field named', async () => {
    const injected = Buffer.from(JSON.stringify(['1; DROP', 'C1'])).toString('base64url');
    for (const [q, field] of [
      ['?by=region', 'by'],
      ['?from=2024-02-30', 'from'],
      ['?asOf=yesterday', 'asOf'],
      ['?from=2024-05-01&to=2024-04-01', 'from'],
      ['?limit=501', 'limit'],
      ['?cursor=abc', 'cursor'],
      [`?cursor=${injected}`, 'cursor'],
    ] as const) {
      const res = await get(a, q, 400);
      expect([q, res.body.details?.field]).toEqual([q, field]);
    }
    await t.http.get('/v1/analytics/profitability/whale-curve?to=nope').set(a.auth).expect(400);
    await t.http.get('/v1/analytics/profitability').expect(401);
  });
});

describe('whale curve of a large tenant', () => {
  it('samples every k-th customer plus the peak and the last', async () => {
    const t = await bootApp();
    try {
      const tenant = await createTenant(t);
      // 450 customers: K001 … K449 each buy one unit at 2, 3, …, 450 with cost 1 → contribution 1 … 449;
      // K450 only returns a unit of 10 (not restocked, cost known) → −10. By contribution desc K449 is rank 1,
      // K001 rank 449 (the peak: every later customer lowers the cumulative sum), K450 rank 450
      const n = 450;
      const ids = Array.from({ length: n }, (_, i) => `K${String(i + 1).padStart(3, '0')}`);
      await importBatch(
        t,
        tenant,
        'customers',
        ids.map((externalId) => ({ externalId, name: externalId })),
      ).expect(200);
      const sales = ids
        .slice(0, n - 1)
        .map((id, i) =>
          inv(`I-${id}`, id, '2024-01-01', 'issued', [
            { quantity: '1', unitPrice: String(2 + i), unitCost: '1' },
          ]),
        );
      await importBatch(t, tenant, 'invoices', sales).expect(200);
      const refund = credit(
        'CN-K450',
        ids[n - 1]!,
        '2024-01-02',
        [{ quantity: '1', unitPrice: '10', unitCost: '5' }],
        {
          restock: false,
        },
      );
      await importBatch(t, tenant, 'credit-notes', [refund]).expect(200);
      const res = await t.http
        .get('/v1/analytics/profitability/whale-curve?asOf=2024-06-30')
        .set(tenant.auth)
        .expect(200);
      // k = ⌈450 / 200⌉ = 3: ranks 3, 6, …, 450 (150 points) plus the peak 449
      expect(res.body).toMatchObject({ customers: 450, sampled: true, step: 3 });
      const ranks = (res.body.points as { rank: number }[]).map((p) => p.rank);
      expect(ranks).toHaveLength(151);
      expect(ranks.slice(0, 3)).toEqual([3, 6, 9]);
      expect(ranks.slice(-3)).toEqual([447, 449, 450]);
      expect(res.body.peak).toMatchObject({ rank: 449, key: 'K001' });
      expect(res.body.note).toContain('one point every 3 customers plus the peak and the last');
    } finally {
      await t.close();
    }
  });
});
