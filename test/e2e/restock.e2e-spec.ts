import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * Restock (DOMAIN §8), asOf 2024-06-30. Tenant settings: restockWindowDays 10 → window
 * (06-20, 06-30] = days 06-21 … 06-30 (positions 0…9); coverDays 5; leadTimeDays 9 (default L);
 * serviceLevel 0.95 → z = Φ⁻¹(0.95) = 1.6448536; lapseDays 5 (so a buyer inside the year can be
 * lapsed). All in-window prices are 10, so every average net selling price is 10.00.
 *
 * Customers and RFM (all history, n = 6, score = 1 + ⌊5 (rank − 1) / 6⌋: ranks 1, 2 → 1, 3 → 2,
 * 4 → 3, 5 → 4, 6 → 5; R ranks the most days since the last invoice first, F and M the smallest):
 *   C1 invoices every day 06-21…06-30 (R 0, F 10, M 950)          R5 F5 M5 → FM 5 → champions
 *   C2 06-25, 06-26, 06-28, 06-29 (R 1, F 4, M 200)                 R4 F4 M4 → FM 4 → loyal
 *   C3 06-01, 06-11 (service, 60 each), 06-21 (R 9, F 3, M 130)     R1 F3 M3 → FM 3 → (1,3) at_risk
 *   C4 06-22 only (R 8, F 1, M 50)                                   R2 F1 M1 → about_to_sleep
 *   C5 03-15 (P-DEAD at 100), 06-23 (R 7, F 2, M 110)                R3 F2 M2 → need_attention
 *   C6 2023-11-15 only: 3 × P-LUMPY at 10 (R 228, F 1, M 30)         R1 F1 M1 → lost
 *   (ranks: R C6 1, C3 2, C4 3, C5 4, C2 5, C1 6; F C4 = C6 1, C5 3, C3 4, C2 5, C1 6;
 *   M C6 1, C4 2, C5 3, C3 4, C2 5, C1 6 — the same scores as without C6.)
 *   Lifecycle lapsed = days since last > max(lapseDays 5, 3 × median gap; 5 without a gap): C4
 *   (8 > 5) and C6 (228 > 5); not C2 (median gap 1 → 5, 1 day since), C3 (10 → 30, 9 days), C5
 *   (100 → 300, 7 days).
 *
 * Lapsed share: units of the product on invoices in the lookback max(365, lapseDays 5 + window 10)
 * = 365 days, (2023-07-01, 2024-06-30], bought by C4 or C6, over all its units there (gross of
 * returns, like the segment shares):
 *   P-LUMPY 3 (C6, 2023-11-15) / (3 + 1 (C5) + 9 (C2)) = 3/13 = 23.08 % — at least 20 %, so the
 *     explanation says so; P-INT 5 (C4) / 15 = 33.33 %; P-DEAD 0 / 1 (C5, 03-15) = 0.00 (no unit
 *     in the window: its segment shares are null); P-OLD sold nothing → null; the rest 0.00.
 *
 * Products (daily net demand = invoice units − restocked credit-note units):
 *   P-SMOOTH L 4 (product), pack 6, cost 6; all C1: [2,3,2,3,2,3,2,3,2,3] (06-30: sold 4, restocked
 *     return 1; a non-restocked return on 06-25 leaves demand alone). ADI 1, CV² 0.25/6.25 = 0.04 →
 *     smooth; rate = 25/10 = 2.5; σ = √(10·0.25/9) = 0.5270463; SS = z·σ·√4 = 1.7338280;
 *     ROP = 2.5·4 + SS = 11.7338280; target = ROP + 2.5·5 = 24.2338280; main on hand 8 →
 *     need 16.2338 → packs of 6 → 18; 8 ≤ ROP → below; cover 8/2.5 = 3.2 → 07-03;
 *     unmet = 2.5·4 − 8 = 2 → revenue at risk 2 × 10 = 20.00; order value 18 × 6 = 108.00;
 *     shares: 26 invoice units all C1 → champions 100.00.
 *   P-INT L 9 (setting), minimum 10, cost 5: 5 on positions 1 (C4), 4 and 7 (C2). ADI 8/3 = 2.667,
 *     CV² 0 → intermittent. Croston: z 5, p 2 (position 1 → interval 2); then q 3: p 2.1; q 3: p 2.19;
 *     rate = 0.95 × 5 / 2.19 = 2.1689498; σ = √((3·3.5² + 7·1.5²)/9) = √(52.5/9) = 2.4152295;
 *     SS = z·σ·3 = 11.9180968; ROP = 2.1689498·9 + SS = 19.5205479 + 11.9180968 = 31.4386447;
 *     target = 31.4386447 + 5·2.1689498 = 42.2833936; on hand 3 → need 39.2834 (≥ minimum 10) → 40;
 *     below; cover 3/2.1689498 = 1.383 → 07-01; unmet 19.5205479 − 3 = 16.5205479 → × 10 = 165.21;
 *     order value 200.00; window units 15: loyal 10 → 66.67, priority 66.67; lapsed (C4) 5/15 → 33.33.
 *   P-LUMPY L 9, cost 4: 1 on position 2 (C5), 9 on position 8 (C2). ADI 9/2 = 4.5; sizes 1, 9:
 *     CV² = 16/25 = 0.64 → lumpy. Croston: z 1, p 3; then s 9, q 6: z 1.8, p 3.3 → rate 0.95·1.8/3.3
 *     = 0.5181818; σ = √((64 + 8·1)/9) = √8 = 2.8284271; SS = z·√8·3 = 13.9570458; ROP = 4.6636364 +
 *     13.9570458 = 18.6206822; target = 18.6206822 + 2.5909091 = 21.2115913. Snapshot of 06-01 says
 *     20 (the 07-05 snapshot of 0 is after asOf); need 1.2116 → 2; 20 > ROP → not below; unmet
 *     4.66 − 20 < 0 → 0.00; cover 20/0.5181818 = 38.6 → 08-07; loyal 9/10 = 90.00 (C6's 3 units are
 *     before the window); lapsed 3/13 = 23.08.
 *   P-PO cost 3, in main (on hand 2, on order 6) and jeddah (on hand 1): 1 a day (06-21 C3, the rest
 *     C1). Demand is split equally over the 2 warehouses: 0.5 a day each, smooth, σ 0, L 9:
 *     ROP 4.5, target 4.5 + 2.5 = 7. main: 2 + 6 = 8 ≥ 7 → 0, not below, unmet 0; jeddah: 7 − 1 = 6
 *     → 6, below, unmet 4.5 − 1 = 3.5 → 35.00, cover 2 → 07-02. Shares: champions 90.00, at_risk 10.00.
 *   P-DEAD snapshot cost 12.50 (product 99 not used), on hand 7, last sale 03-15: no demand → none,
 *     everything 0, nothing to order; dead stock 7 × 12.50 = 87.50, 107 days since the last sale.
 *   P-NOCOST no cost anywhere, on hand 4: 2 on position 9 (C1): ADI 10 → intermittent, Croston z 2,
 *     p 10 → rate 0.19; σ = √((1.8² + 9·0.2²)/9) = √0.4 = 0.6324555; SS = z·σ·3 = 3.1208903;
 *     ROP = 1.71 + 3.1208903 = 4.8308903; target + 0.95 = 5.7808903; need 1.78 → 2; 4 ≤ ROP → below;
 *     order value unknown → missing unitCost.
 *   P-OLD named "=SUM(A1)", no cost, on hand 2, never sold → in the list with nothing to order; dead
 *     stock with value unknown.
 *   P-UNST cost 7, sold 1 on 06-26 (C2) and never in a snapshot → listed with missing stock, no
 *     quantity; rate = 0.95 × 1/6 = 0.1583.
 *   P-SVC is a service (sold daily, even has a snapshot): never listed. P-NEVER: no snapshot, no sale.
 *
 * Order: revenue at risk descending, then product, warehouse, unknown last:
 *   P-INT 165.21, P-PO/jeddah 35.00, P-SMOOTH 20.00, then 0.00: P-DEAD, P-LUMPY, P-NOCOST, P-OLD,
 *   P-PO/main, then P-UNST (null).
 */
const ASOF = '2024-06-30';
const day = (i: number) => `2024-06-${String(21 + i).padStart(2, '0')}`;
type Line = { productId: string; quantity: string; unitPrice: string };
const line = (productId: string, quantity: number, unitPrice = '10'): Line => ({
  productId,
  quantity: String(quantity),
  unitPrice,
});
const inv = (externalId: string, customerId: string, issueDate: string, lines: Line[]) => ({
  externalId,
  customerId,
  issueDate,
  status: 'issued',
  lines,
});

const customers = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'].map((externalId) => ({
  externalId,
  name: `Customer ${externalId}`,
}));
const products = [
  {
    externalId: 'P-SMOOTH',
    name: 'Arabic coffee',
    nameAr: 'قهوة عربية',
    unitCost: '6',
    leadTimeDays: 4,
    packSize: '6',
  },
  { externalId: 'P-INT', name: 'Cardamom', unitCost: '5', minOrderQty: '10' },
  { externalId: 'P-LUMPY', name: 'Brass dallah', unitCost: '4', leadTimeDays: 9 },
  { externalId: 'P-PO', name: 'Dates box', unitCost: '3' },
  { externalId: 'P-DEAD', name: 'Rose water', unitCost: '99' },
  { externalId: 'P-NOCOST', name: 'Saffron' },
  { externalId: 'P-OLD', name: '=SUM(A1)' },
  { externalId: 'P-UNST', name: 'Made to order', unitCost: '7' },
  { externalId: 'P-SVC', name: 'Gift wrapping', unitCost: '1', isService: true },
  { externalId: 'P-NEVER', name: 'Never stocked' },
];
const snap = (productId: string, warehouseId: string, asOf: string, onHand: string, extra = {}) => ({
  productId,
  warehouseId,
  asOf,
  onHand,
  ...extra,
});
const inventory = [
  snap('P-SMOOTH', 'main', ASOF, '8'),
  snap('P-INT', 'main', ASOF, '3'),
  snap('P-LUMPY', 'main', '2024-06-01', '20'),
  snap('P-LUMPY', 'main', '2024-07-05', '0'),
  snap('P-PO', 'main', ASOF, '2', { onOrder: '6' }),
  snap('P-PO', 'jeddah', ASOF, '1'),
  snap('P-DEAD', 'main', ASOF, '7', { unitCost: '12.50' }),
  snap('P-NOCOST', 'main', ASOF, '4'),
  snap('P-OLD', 'main', ASOF, '2'),
  snap('P-SVC', 'main', ASOF, '100'),
];
const SMOOTH = [2, 3, 2, 3, 2, 3, 2, 3, 2, 4]; // invoice units; 06-30 has a restocked return of 1
const invoices = [
  ...SMOOTH.map((q, i) =>
    inv(`C1-${i}`, 'C1', day(i), [
      line('P-SMOOTH', q),
      ...(i > 0 ? [line('P-PO', 1)] : []),
      line('P-SVC', 1, '60'),
      ...(i === 9 ? [line('P-NOCOST', 2)] : []),
    ]),
  ),
  inv('C2-1', 'C2', day(4), [line('P-INT', 5)]),
  inv('C2-2', 'C2', day(5), [line('P-UNST', 1)]),
  inv('C2-3', 'C2', day(7), [line('P-INT', 5)]),
  inv('C2-4', 'C2', day(8), [line('P-LUMPY', 9)]),
  inv('C3-1', 'C3', '2024-06-01', [line('P-SVC', 1, '60')]),
  inv('C3-2', 'C3', '2024-06-11', [line('P-SVC', 1, '60')]),
  inv('C3-3', 'C3', day(0), [line('P-PO', 1)]),
  inv('C4-1', 'C4', day(1), [line('P-INT', 5)]),
  inv('C5-1', 'C5', '2024-03-15', [line('P-DEAD', 1, '100')]),
  inv('C5-2', 'C5', day(2), [line('P-LUMPY', 1)]),
  inv('C6-1', 'C6', '2023-11-15', [line('P-LUMPY', 3)]),
];
const creditNotes = [
  { externalId: 'CN-1', customerId: 'C1', issueDate: day(9), restock: true, lines: [line('P-SMOOTH', 1)] },
  { externalId: 'CN-2', customerId: 'C1', issueDate: day(4), restock: false, lines: [line('P-SMOOTH', 1)] },
];

type Row = Record<string, unknown>;
const shares = (
  champions: string | null,
  loyal: string | null,
  atRisk: string | null,
  priority: string | null,
  lapsed: string | null,
) => ({
  champions,
  loyal,
  atRisk,
  priority,
  lapsed,
});

describe('restock', () => {
  let t: TestApp;
  let a: TestTenant;
  const get = (q: string, status = 200, lang = 'en') =>
    t.http.get(`/v1/analytics/restock${q}`).set(a.auth).set('Accept-Language', lang).expect(status);

  beforeAll(async () => {
    t = await bootApp();
    a = await createTenant(t);
    const data = { customers, products, inventory, invoices, 'credit-notes': creditNotes };
    for (const [resource, body] of Object.entries(data)) await importBatch(t, a, resource, body).expect(200);
    await t.http
      .put('/v1/settings')
      .set(a.auth)
      .send({ restockWindowDays: 10, coverDays: 5, leadTimeDays: 9, lapseDays: 5 })
      .expect(200);
  });
  afterAll(() => t.close());

  it('suggests quantities worked out by hand, in priority order', async () => {
    const res = await get(`?asOf=${ASOF}`);
    expect(res.body).toMatchObject({
      asOf: ASOF,
      windowDays: 10,
      coverDays: 5,
      serviceLevel: 0.95,
      defaultLeadTimeDays: 9,
      lapsedLookbackDays: 365,
      rows: 9,
      nextCursor: null,
    });
    const rows = res.body.data as Row[];
    expect(rows.map((r) => [r.productId, r.warehouseId, r.suggestedQuantity, r.revenueAtRisk])).toEqual([
      ['P-INT', 'main', '40', '165.21'],
      ['P-PO', 'jeddah', '6', '35.00'],
      ['P-SMOOTH', 'main', '18', '20.00'],
      ['P-DEAD', 'main', '0', '0.00'],
      ['P-LUMPY', 'main', '2', '0.00'],
      ['P-NOCOST', 'main', '2', '0.00'],
      ['P-OLD', 'main', '0', '0.00'],
      ['P-PO', 'main', '0', '0.00'],
      ['P-UNST', null, null, null],
    ]);
    const by = (id: string, wh: string | null = 'main') =>
      rows.find((r) => r.productId === id && r.warehouseId === wh)!;
    expect(by('P-SMOOTH')).toMatchObject({
      demandClass: 'smooth',
      rateMethod: 'mean',
      dailyRate: '2.5',
      adi: '1',
      cv2: '0.04',
      sigma: '0.527',
      leadTimeDays: 4,
      leadTimeSource: 'product',
      z: '1.6449',
      safetyStock: '1.7338',
      reorderPoint: '11.7338',
      target: '24.2338',
      onHand: '8',
      onOrder: '0',
      packSize: '6',
      suggestedQuantity: '18',
      unitCost: '6.00',
      orderValue: '108.00',
      daysOfCover: '3.2',
      stockOutDate: '2024-07-03',
      belowReorderPoint: true,
      averageSellingPrice: '10.00',
      demandShares: shares('100.00', '0.00', '0.00', '100.00', '0.00'),
      missing: [],
    });
    expect(by('P-INT')).toMatchObject({
      demandClass: 'intermittent',
      rateMethod: 'sba',
      dailyRate: '2.1689',
      adi: '2.6667',
      cv2: '0',
      demandDays: 3,
      croston: { size: '5', interval: '2.19', alpha: 0.1 },
      sigma: '2.4152',
      leadTimeDays: 9,
      leadTimeSource: 'setting',
      safetyStock: '11.9181',
      reorderPoint: '31.4386',
      target: '42.2834',
      minOrderQty: '10',
      suggestedQuantity: '40',
      orderValue: '200.00',
      daysOfCover: '1.3832',
      stockOutDate: '2024-07-01',
      belowReorderPoint: true,
      demandShares: shares('0.00', '66.67', '0.00', '66.67', '33.33'),
    });
    expect(by('P-LUMPY')).toMatchObject({
      demandClass: 'lumpy',
      rateMethod: 'sba',
      dailyRate: '0.5182',
      cv2: '0.64',
      croston: { size: '1.8', interval: '3.3', alpha: 0.1 },
      sigma: '2.8284',
      safetyStock: '13.957',
      reorderPoint: '18.6207',
      target: '21.2116',
      onHand: '20',
      stockAsOf: '2024-06-01',
      suggestedQuantity: '2',
      orderValue: '8.00',
      belowReorderPoint: false,
      stockOutDate: '2024-08-07',
      demandShares: shares('0.00', '90.00', '0.00', '90.00', '23.08'),
    });
    for (const [wh, onHand, onOrder, suggested, below, cover] of [
      ['main', '2', '6', '0', false, '4'],
      ['jeddah', '1', '0', '6', true, '2'],
    ] as const) {
      expect(by('P-PO', wh)).toMatchObject({
        demandShareOfProduct: '0.5',
        demandClass: 'smooth',
        dailyRate: '0.5',
        sigma: '0',
        safetyStock: '0',
        reorderPoint: '4.5',
        target: '7',
        onHand,
        onOrder,
        suggestedQuantity: suggested,
        belowReorderPoint: below,
        daysOfCover: cover,
        demandShares: shares('90.00', '0.00', '10.00', '100.00', '0.00'),
      });
    }
    expect(by('P-DEAD')).toMatchObject({
      demandClass: 'none',
      dailyRate: '0',
      reorderPoint: '0',
      target: '0',
      suggestedQuantity: '0',
      unitCost: '12.50',
      orderValue: '0.00',
      daysOfCover: null,
      stockOutDate: null,
      belowReorderPoint: false,
      averageSellingPrice: null,
      demandShares: shares(null, null, null, null, '0.00'),
      missing: [],
    });
    expect(by('P-NOCOST')).toMatchObject({
      demandClass: 'intermittent',
      dailyRate: '0.19',
      sigma: '0.6325',
      safetyStock: '3.1209',
      reorderPoint: '4.8309',
      target: '5.7809',
      suggestedQuantity: '2',
      belowReorderPoint: true,
      unitCost: null,
      orderValue: null,
      missing: ['unitCost'],
    });
    expect(by('P-OLD')).toMatchObject({
      suggestedQuantity: '0',
      missing: ['unitCost'],
      demandShares: shares(null, null, null, null, null),
    });
    expect(by('P-NOCOST').demandShares).toEqual(shares('100.00', '0.00', '0.00', '100.00', '0.00'));
    expect(by('P-UNST', null)).toMatchObject({
      demandClass: 'intermittent',
      dailyRate: '0.1583',
      onHand: null,
      onOrder: null,
      need: null,
      suggestedQuantity: null,
      belowReorderPoint: null,
      daysOfCover: null,
      revenueAtRisk: null,
      orderValue: null,
      missing: ['stock'],
      demandShares: shares('0.00', '100.00', '0.00', '100.00', '0.00'),
    });
    expect(rows.some((r) => r.productId === 'P-SVC' || r.productId === 'P-NEVER')).toBe(false);
    expect(by('P-SMOOTH').explanation).toContain('rounded up to packs of 6');
    expect(by('P-INT').explanation).toContain('reorder point 31.4');
    expect(by('P-PO').explanation).toContain('nothing to order');
    expect(by('P-UNST', null).explanation).toContain('Stock unknown');
    // the lapsed share is written out from 20 % on: P-LUMPY 23.08 and P-INT 33.33, not P-SMOOTH 0.00
    expect(by('P-LUMPY').explanation).toContain(
      '23.08% of the units sold in the last 365 days went to customers who have since lapsed: demand ' +
        'that is not expected to come back (the daily rate is not adjusted for it).',
    );
    expect(by('P-INT').explanation).toContain('33.33% of the units sold in the last 365 days');
    expect(by('P-SMOOTH').explanation).not.toContain('lapsed');
  });

  it('counts as lapsed exactly the customers the lifecycle engine calls lapsed, and scores RFM as worked out', async () => {
    const res = await t.http.get(`/v1/customers?asOf=${ASOF}`).set(a.auth).expect(200);
    const list = res.body.data as {
      customerId: string;
      rfm: { segment: string };
      lifecycle: { stage: string };
    }[];
    const by = Object.fromEntries(
      list.map((c) => [c.customerId, [c.rfm.segment, c.lifecycle.stage === 'lapsed']]),
    );
    expect(by).toEqual({
      C1: ['champions', false],
      C2: ['loyal', false],
      C3: ['at_risk', false],
      C4: ['about_to_sleep', true],
      C5: ['need_attention', false],
      C6: ['lost', true],
    });
  });

  it('filters, overrides settings and pages', async () => {
    const actionable = await get(`?asOf=${ASOF}&onlyActionable=true`);
    expect((actionable.body.data as Row[]).map((r) => `${r.productId}/${r.warehouseId}`)).toEqual([
      'P-INT/main',
      'P-PO/jeddah',
      'P-SMOOTH/main',
      'P-NOCOST/main',
    ]);
    // the split still uses both warehouses when one is filtered
    const jeddah = await get(`?asOf=${ASOF}&warehouseId=jeddah`);
    expect((jeddah.body.data as Row[]).map((r) => [r.productId, r.dailyRate, r.suggestedQuantity])).toEqual([
      ['P-PO', '0.5', '6'],
    ]);
    // serviceLevel 0.5 → z 0, SS 0: P-INT ROP 19.5205, target 30.3653, need 27.37 → 28 (min 10 met);
    // coverDays 0: P-PO/jeddah target = ROP 4.5 → need 3.5 → 4
    const z0 = await get(`?asOf=${ASOF}&serviceLevel=0.5&coverDays=0`);
    const z0rows = z0.body.data as Row[];
    expect(z0rows.find((r) => r.productId === 'P-INT')).toMatchObject({
      z: '0',
      safetyStock: '0',
      reorderPoint: '19.5205',
      target: '19.5205',
    });
    expect(z0rows.find((r) => r.productId === 'P-PO' && r.warehouseId === 'jeddah')?.suggestedQuantity).toBe(
      '4',
    );
    const z0cover5 = await get(`?asOf=${ASOF}&serviceLevel=0.5`);
    expect((z0cover5.body.data as Row[]).find((r) => r.productId === 'P-INT')).toMatchObject({
      target: '30.3653',
      suggestedQuantity: '28',
    });

    const p1 = await get(`?asOf=${ASOF}&limit=2`);
    expect((p1.body.data as Row[]).map((r) => r.productId)).toEqual(['P-INT', 'P-PO']);
    const p2 = await get(`?asOf=${ASOF}&limit=2&cursor=${p1.body.nextCursor}`);
    expect((p2.body.data as Row[]).map((r) => r.productId)).toEqual(['P-SMOOTH', 'P-DEAD']);

    for (const [q, field] of [
      ['serviceLevel=1', 'serviceLevel'],
      ['windowDays=3', 'windowDays'],
      ['coverDays=x', 'coverDays'],
      ['onlyActionable=yes', 'onlyActionable'],
      ['format=xml', 'format'],
      ['asOf=2024-13-01', 'asOf'],
      ['cursor=nope', 'cursor'],
    ]) {
      const res = await get(`?${q}`, 400);
      expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
    }
  });

  it('explains in Arabic and renders CSV for a spreadsheet', async () => {
    const ar = await get(`?asOf=${ASOF}&warehouseId=main`, 200, 'ar');
    const smooth = (ar.body.data as Row[]).find((r) => r.productId === 'P-SMOOTH')!;
    expect(smooth.name).toBe('قهوة عربية');
    expect(smooth.explanation).toContain('نقطة إعادة الطلب');
    const lumpy = (ar.body.data as Row[]).find((r) => r.productId === 'P-LUMPY')!;
    expect(lumpy.explanation).toContain(
      '23.08% من الوحدات المبيعة خلال آخر 365 يومًا اشتراها عملاء منقطعون الآن: طلب لا يُتوقع أن يعود، ' +
        'ولم يُخفَّض المعدل اليومي لأجله.',
    );

    const csv = await get(`?asOf=${ASOF}&format=csv&limit=1`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const text = csv.text;
    expect(text.startsWith('\uFEFFproduct,name,warehouse,demand_class')).toBe(true);
    const lines = text.trimEnd().split('\r\n');
    expect(lines).toHaveLength(10); // header + 9 rows: CSV ignores limit
    expect(
      lines[1]!.startsWith(
        'P-INT,Cardamom,main,intermittent,sba,2.1689,2.4152,9,11.9181,31.4386,42.2834,3,0,,10,40,5.00,200.00',
      ),
    ).toBe(true);
    expect(lines.find((l) => l.startsWith('P-OLD'))).toContain(",'=SUM(A1),");
    // …,champions_pct,loyal_pct,at_risk_pct,priority_pct,lapsed_pct,missing,"explanation"
    expect(lines.find((l) => l.startsWith('P-LUMPY'))).toContain(',0.00,90.00,0.00,90.00,23.08,,"');
  });

  it('lists dead stock with the value tied up', async () => {
    const res = await t.http.get(`/v1/analytics/restock/dead-stock?asOf=${ASOF}`).set(a.auth).expect(200);
    expect(res.body).toMatchObject({
      asOf: ASOF,
      windowDays: 10,
      rows: 2,
      totalValueTiedUp: '87.50',
      rowsWithUnknownCost: 1,
    });
    expect(res.body.data).toEqual([
      {
        productId: 'P-DEAD',
        name: 'Rose water',
        warehouseId: 'main',
        stockAsOf: ASOF,
        onHand: '7',
        unitCost: '12.50',
        valueTiedUp: '87.50',
        lastSaleDate: '2024-03-15',
        daysSinceLastSale: 107,
        missing: [],
      },
      {
        productId: 'P-OLD',
        name: '=SUM(A1)',
        warehouseId: 'main',
        stockAsOf: ASOF,
        onHand: '2',
        unitCost: null,
        valueTiedUp: null,
        lastSaleDate: null,
        daysSinceLastSale: null,
        missing: ['unitCost'],
      },
    ]);
    const csv = await t.http
      .get(`/v1/analytics/restock/dead-stock?asOf=${ASOF}&format=csv`)
      .set(a.auth)
      .expect(200);
    expect(csv.text).toBe(
      '\uFEFFproduct,name,warehouse,stock_as_of,on_hand,unit_cost,value_tied_up,last_sale,days_since_last_sale,missing\r\n' +
        'P-DEAD,Rose water,main,2024-06-30,7,12.50,87.50,2024-03-15,107,\r\n' +
        "P-OLD,'=SUM(A1),main,2024-06-30,2,,,,,unitCost\r\n",
    );
  });

  it('does not suggest the same shortage again once it is on order', async () => {
    // Next day: C1 buys 1 more P-PO (07-01) and jeddah's snapshot shows the 6 ordered yesterday.
    // Window (06-21, 07-01]: P-PO sold 1 every day 06-22…07-01 → 0.5 a day per warehouse, ROP 4.5,
    // target 7; jeddah 1 + 6 = 7 → need 0 → nothing, not below (7 > 4.5); main 2 + 6 = 8 → nothing.
    await importBatch(t, a, 'invoices', [inv('C1-10', 'C1', '2024-07-01', [line('P-PO', 1)])]).expect(200);
    await importBatch(t, a, 'inventory', [
      snap('P-PO', 'jeddah', '2024-07-01', '1', { onOrder: '6' }),
    ]).expect(200);
    const res = await get('?asOf=2024-07-01');
    const po = (res.body.data as Row[]).filter((r) => r.productId === 'P-PO');
    expect(po.map((r) => [r.warehouseId, r.onOrder, r.suggestedQuantity, r.belowReorderPoint])).toEqual([
      ['jeddah', '6', '0', false],
      ['main', '6', '0', false],
    ]);
    // asOf 06-30 is unchanged by later documents and snapshots
    const before = await get(`?asOf=${ASOF}&warehouseId=jeddah`);
    expect((before.body.data as Row[])[0]).toMatchObject({ onOrder: '0', suggestedQuantity: '6' });
  });
});
