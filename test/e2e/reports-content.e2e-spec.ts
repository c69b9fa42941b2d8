import { esc } from '../../src/reports/render/html';
import * as biz from '../fixtures/small-business';
import { createTenant, importBatch, TestTenant } from '../support/app';
import { bootReportsApp, drain, reportsDatabase, ReportsApp } from '../support/reports-app';

type Json = Record<string, unknown>;
type Value = string | number | null;

/**
 * The receivables-aging and restock report types take their rows from the engines: a report's rows
 * are the rows of GET /v1/analytics/receivables/aging (every page) and of
 * GET /v1/analytics/restock?onlyActionable=true at the run's as-of date, flattened into columns.
 * Each scenario is worked by hand, then compared with the API in JSON, CSV and Arabic HTML.
 */
describe('receivables-aging and restock reports', () => {
  let t: ReportsApp;
  let db: Awaited<ReturnType<typeof reportsDatabase>>;

  beforeAll(async () => {
    db = await reportsDatabase();
    t = await bootReportsApp(db.env);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  /** Creates a schedule, runs it now (clock at `now`), returns the run and its JSON, CSV and HTML. */
  async function runReport(tenant: TestTenant, body: Json, now: string) {
    t.clock.set(new Date(now));
    const s = await t.http
      .post('/v1/reports/schedules')
      .set(tenant.auth)
      .send({ cron: '0 0 1 1 *', ...body })
      .expect(201);
    const run = await t.http.post(`/v1/reports/schedules/${s.body.id}/run`).set(tenant.auth).expect(202);
    await drain(t);
    const view = (await t.http.get(`/v1/reports/runs/${run.body.id}`).set(tenant.auth).expect(200)).body;
    expect(view.status).toBe('succeeded');
    const download = async (format: string) =>
      (
        await t.http
          .get(`/v1/reports/runs/${run.body.id}/download?format=${format}`)
          .set(tenant.auth)
          .expect(200)
      ).text;
    const report = JSON.parse(await download('json'));
    return { view, report, csv: await download('csv'), html: await download('html') };
  }

  const api = async (tenant: TestTenant, path: string, lang = 'en') =>
    (await t.http.get(path).set(tenant.auth).set('Accept-Language', lang).expect(200)).body;

  /** The report's CSV as objects keyed by its header (RFC 4180: quoted fields, "" escapes, CRLF). */
  function csvRows(text: string): Record<string, string>[] {
    const records: string[][] = [];
    let record: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i];
      if (quoted && ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = !quoted;
      } else if (!quoted && ch === ',') {
        record.push(field);
        field = '';
      } else if (!quoted && ch === '\r' && text[i + 1] === '\n') {
        records.push([...record, field]);
        record = [];
        field = '';
        i++;
      } else {
        field += ch;
      }
    }
    const [header = [], ...rows] = records;
    return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
  }
  /** A row as its CSV cells: null → empty, numbers as text. */
  const asCsv = (row: Record<string, Value>) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)]));

  /** An API aging row as the report's flat row (the report's columns, in order). */
  const agingRow = (r: Json & { buckets: Json; daysToPay: Json }) => ({
    customerId: r.customerId,
    name: r.name,
    nameAr: r.nameAr,
    ...r.buckets,
    totalOpen: r.totalOpen,
    unappliedCredits: r.unappliedCredits,
    netOwed: r.netOwed,
    oldestOverdueDays: r.oldestOverdueDays,
    openInvoices: r.openInvoices,
    meanDaysToPay: r.daysToPay.mean,
    email: r.email,
    phone: r.phone,
  });

  it('ages per customer with the receivables engine: the API rows and totals (DOMAIN §7)', async () => {
    const tenant = await createTenant(t);
    for (const resource of biz.ORDER) await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
    // as of 2024-06-30 (Riyadh):
    //  C1 INV-1 626.75 due 2024-03-31 − PAY-1 500 − CN-1 63.25 = 63.50 open, 91 days overdue → over 90
    //     INV-3 115.00 due 2024-04-10 + 30 = 2024-05-10 → 51 days overdue → 31–60
    //     → open 178.50, 2 open invoices, nothing settled (no days to pay)
    //  C2 INV-2 230.00 settled by PAY-2 (230 of 300) on 2024-04-01: 27 days to pay; the other 70 is
    //     unapplied → open 0, net owed −70.00 (listed, last: the order is net owed descending)
    //  totals: open 178.50, unapplied 70.00, net owed 108.50
    const { view, report, csv } = await runReport(
      tenant,
      { type: 'receivables-aging', format: 'csv' },
      '2024-06-30T10:00:00Z',
    );
    expect(view.rowCount).toBe(2);
    const c1 = {
      customerId: 'C1',
      name: 'Al Ufuq Trading',
      nameAr: 'شركة الأفق للتجارة',
      notYetDue: '0.00',
      d1_30: '0.00',
      d31_60: '115.00',
      d61_90: '0.00',
      over90: '63.50',
      totalOpen: '178.50',
      unappliedCredits: '0.00',
      netOwed: '178.50',
      oldestOverdueDays: 91,
      openInvoices: 2,
      meanDaysToPay: null,
      email: 'ap@alufuq.sa',
      phone: null,
    };
    const c2 = {
      customerId: 'C2',
      name: 'Najd Cafe',
      nameAr: null,
      notYetDue: '0.00',
      d1_30: '0.00',
      d31_60: '0.00',
      d61_90: '0.00',
      over90: '0.00',
      totalOpen: '0.00',
      unappliedCredits: '70.00',
      netOwed: '-70.00',
      oldestOverdueDays: null,
      openInvoices: 0,
      meanDaysToPay: '27.00',
      email: null,
      phone: '+966501234567',
    };
    expect(report.rows).toEqual([c1, c2]);
    expect(report.report.source).toBe('receivables-engine');
    const totals = {
      notYetDue: '0.00',
      d1_30: '0.00',
      d31_60: '115.00',
      d61_90: '0.00',
      over90: '63.50',
      totalOpen: '178.50',
      unappliedCredits: '70.00',
      netOwed: '108.50',
    };
    expect(report.summary).toEqual({ customers: 2, paymentTermsDays: 30, ...totals });

    // the same as the API, row for row, in JSON and in the CSV the run stored; totals too
    const aging = await api(tenant, '/v1/analytics/receivables/aging?asOf=2024-06-30');
    expect(report.rows).toEqual(aging.data.map(agingRow));
    const { customers, buckets, ...money } = aging.totals;
    expect(report.summary).toEqual({
      customers,
      paymentTermsDays: aging.paymentTermsDays,
      ...buckets,
      ...money,
    });
    expect(csv.split('\r\n')[0]).toBe(Object.keys(c1).join(','));
    expect(csvRows(csv)).toEqual(aging.data.map(agingRow).map(asCsv));
    // a one-row page walk of the API gives the same list (the report reads every page)
    const p1 = await api(tenant, '/v1/analytics/receivables/aging?asOf=2024-06-30&limit=1');
    const p2 = await api(
      tenant,
      `/v1/analytics/receivables/aging?asOf=2024-06-30&limit=1&cursor=${p1.nextCursor}`,
    );
    expect([...p1.data, ...p2.data].map(agingRow)).toEqual(report.rows);

    // as of 2024-04-15: INV-1 open 63.50 is 15 days overdue; INV-3 (04-10) is not yet due; C2 as above
    const early = await runReport(tenant, { type: 'receivables-aging' }, '2024-04-15T10:00:00Z');
    expect(
      early.report.rows.map((r: Json) => [r.customerId, r.notYetDue, r.d1_30, r.totalOpen, r.netOwed]),
    ).toEqual([
      ['C1', '115.00', '63.50', '178.50', '178.50'],
      ['C2', '0.00', '0.00', '0.00', '-70.00'],
    ]);
    const earlyApi = await api(tenant, '/v1/analytics/receivables/aging?asOf=2024-04-15');
    expect(early.report.rows).toEqual(earlyApi.data.map(agingRow));

    // minDaysOverdue keeps customers whose oldest overdue invoice is at least that old (none → 0 days)
    const none = await runReport(
      tenant,
      { type: 'receivables-aging', filters: { minDaysOverdue: 30 } },
      '2024-04-15T10:00:00Z',
    );
    expect(none.report.rows).toEqual([]);
    const late = await runReport(
      tenant,
      { type: 'receivables-aging', filters: { minDaysOverdue: 91 } },
      '2024-06-30T10:00:00Z',
    );
    expect(late.report.rows).toEqual([c1]);
    expect(late.report.summary).toEqual({
      customers: 1,
      paymentTermsDays: 30,
      ...totals,
      unappliedCredits: '0.00',
      netOwed: '178.50',
    });
    const all = await runReport(
      tenant,
      { type: 'receivables-aging', filters: { minDaysOverdue: 0 } },
      '2024-06-30T10:00:00Z',
    );
    expect(all.report.rows).toEqual([c1, c2]);

    // Arabic: right to left, Arabic headings and bucket labels, values isolated in <bdi>
    const ar = await runReport(
      tenant,
      { type: 'receivables-aging', format: 'html', language: 'ar' },
      '2024-06-30T10:00:00Z',
    );
    expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.html).toContain('<h1>أعمار الذمم المدينة</h1>');
    expect(ar.html).toContain('<th>متأخر أكثر من 90 يومًا</th>');
    expect(ar.html).toContain('<th>صافي المستحق</th>');
    expect(ar.html).toContain('<td><bdi>شركة الأفق للتجارة</bdi></td>');
    expect(ar.html).toContain('<td class="num"><bdi>-70.00</bdi></td>');
    expect(ar.html).toContain('<dd><bdi>108.50 SAR</bdi></dd>');
    expect(ar.report.rows).toEqual(report.rows);
  });

  /** An API restock row as the report's flat row (the report's columns, in order). */
  const restockRow = (r: Json & { demandShares: Json }, category: string | null) => ({
    productId: r.productId,
    name: r.name,
    category,
    warehouseId: r.warehouseId,
    stockAsOf: r.stockAsOf,
    onHand: r.onHand,
    onOrder: r.onOrder,
    dailyRate: r.dailyRate,
    demandClass: r.demandClass,
    leadTimeDays: r.leadTimeDays,
    safetyStock: r.safetyStock,
    reorderPoint: r.reorderPoint,
    suggestedQuantity: r.suggestedQuantity,
    unitCost: r.unitCost,
    orderValue: r.orderValue,
    daysOfCover: r.daysOfCover,
    stockOutDate: r.stockOutDate,
    revenueAtRisk: r.revenueAtRisk,
    priorityShare: r.demandShares.priority,
    lapsedShare: r.demandShares.lapsed,
    explanation: r.explanation,
  });

  it('lists the actionable rows of the restock engine: the API rows at the same asOf (DOMAIN §8)', async () => {
    const tenant = await createTenant(t);
    await importBatch(t, tenant, 'customers', [{ externalId: 'K', name: 'Kiosk' }]).expect(200);
    const category: Record<string, string> = { 'P-LOW': 'Spices', 'P-OK': 'Spices', 'P-BEAN': 'Coffee' };
    await importBatch(t, tenant, 'products', [
      {
        externalId: 'P-LOW',
        name: 'Cardamom',
        nameAr: 'هيل',
        category: 'Spices',
        packSize: '6',
        minOrderQty: '12',
        unitCost: '4',
      },
      { externalId: 'P-BEAN', name: 'Coffee beans', category: 'Coffee', leadTimeDays: 10 },
      { externalId: 'P-OK', name: 'Saffron', category: 'Spices', leadTimeDays: 7, unitCost: '30' },
      { externalId: 'P-SVC', name: 'Delivery', isService: true },
    ]).expect(200);
    // one invoice a day over the whole 90-day window (2024-01-02 … 2024-03-31): 3 P-LOW at 10,
    // 2 P-BEAN at 20, 1 P-OK at 50, 1 delivery
    const day = new Date('2024-01-02T00:00:00Z');
    const invoices = Array.from({ length: 90 }, (_, i) => ({
      externalId: `I-${i + 1}`,
      customerId: 'K',
      issueDate: new Date(day.getTime() + i * 86_400_000).toISOString().slice(0, 10),
      status: 'issued',
      lines: [
        { productId: 'P-LOW', quantity: 3, unitPrice: '10' },
        { productId: 'P-BEAN', quantity: 2, unitPrice: '20' },
        { productId: 'P-OK', quantity: 1, unitPrice: '50' },
        { productId: 'P-SVC', quantity: 1, unitPrice: '5' },
      ],
    }));
    expect(invoices[89]?.issueDate).toBe('2024-03-31');
    await importBatch(t, tenant, 'invoices', invoices).expect(200);
    await importBatch(t, tenant, 'inventory', [
      { productId: 'P-LOW', warehouseId: 'main', asOf: '2024-03-01', onHand: '500' },
      { productId: 'P-LOW', warehouseId: 'main', asOf: '2024-03-30', onHand: '10', onOrder: '5' },
      { productId: 'P-LOW', warehouseId: 'jeddah', asOf: '2024-03-30', onHand: '100' },
      { productId: 'P-BEAN', asOf: '2024-03-30', onHand: '5' },
      { productId: 'P-OK', asOf: '2024-03-30', onHand: '40' },
    ]).expect(200);
    // as of 2024-03-31 (window 90, cover 30, lead time 14 unless the product says): demand is the same
    // every day, so it is smooth, σ = 0 and safety stock 0.
    //  P-LOW  3 a day, split over its 2 warehouses: 1.5 a day each. main (latest snapshot 03-30):
    //         ROP 1.5 × 14 = 21; 10 + 5 = 15 ≤ 21 → listed; target 21 + 1.5 × 30 = 66; need 51 →
    //         9 packs of 6 = 54 (≥ min 12); order value 54 × 4 = 216.00; unmet 21 − 15 = 6 × 10 = 60.00.
    //         jeddah: 100 > 21 → not listed.
    //  P-BEAN 2 a day, L 10: ROP 20; 5 ≤ 20 → listed; target 20 + 60 = 80 → 75; cost unknown → order
    //         value null; unmet 20 − 5 = 15 × 20 = 300.00.
    //  P-OK   1 a day, L 7: ROP 7 < 40 → not listed.   P-SVC: a service, never.
    //  order: revenue at risk descending → P-BEAN, P-LOW/main
    const { view, report, csv } = await runReport(
      tenant,
      { type: 'restock', format: 'csv' },
      '2024-03-31T10:00:00Z',
    );
    expect(view.rowCount).toBe(2);
    expect(
      report.rows.map((r: Json) => [
        r.productId,
        r.warehouseId,
        r.category,
        r.onHand,
        r.onOrder,
        r.dailyRate,
        r.demandClass,
        r.safetyStock,
        r.reorderPoint,
        r.suggestedQuantity,
        r.orderValue,
        r.revenueAtRisk,
      ]),
    ).toEqual([
      ['P-BEAN', 'main', 'Coffee', '5', '0', '2', 'smooth', '0', '20', '75', null, '300.00'],
      ['P-LOW', 'main', 'Spices', '10', '5', '1.5', 'smooth', '0', '21', '54', '216.00', '60.00'],
    ]);
    expect(report.report.source).toBe('restock-engine');
    expect(report.summary).toEqual({
      rows: 2,
      products: 2,
      windowDays: 90,
      coverDays: 30,
      serviceLevel: 0.95,
      defaultLeadTimeDays: 14,
      orderValue: '216.00',
      revenueAtRisk: '360.00',
      rowsWithUnknownCost: 1,
    });

    // the same as the API's actionable rows, row for row, in JSON and in the CSV the run stored
    const restock = await api(tenant, '/v1/analytics/restock?asOf=2024-03-31&onlyActionable=true');
    expect(restock.rows).toBe(2);
    const expected = restock.data.map((r: Json & { demandShares: Json }) =>
      restockRow(r, category[String(r.productId)] ?? null),
    );
    expect(report.rows).toEqual(expected);
    expect(csvRows(csv)).toEqual(expected.map(asCsv));
    // the API's full list has P-LOW/jeddah and P-OK too, not below their reorder points
    const everything = await api(tenant, '/v1/analytics/restock?asOf=2024-03-31');
    expect(
      everything.data
        .filter((r: Json) => r.belowReorderPoint !== true)
        .map((r: Json) => [r.productId, r.warehouseId]),
    ).toEqual([
      ['P-LOW', 'jeddah'],
      ['P-OK', 'main'],
    ]);

    // category keeps one product category
    const spices = await runReport(
      tenant,
      { type: 'restock', filters: { category: 'Spices' } },
      '2024-03-31T10:00:00Z',
    );
    expect(spices.report.rows).toEqual(expected.filter((r: Json) => r.productId === 'P-LOW'));
    expect(spices.report.summary).toMatchObject({ rows: 1, orderValue: '216.00', revenueAtRisk: '60.00' });
    const tea = await runReport(
      tenant,
      { type: 'restock', filters: { category: 'Tea' } },
      '2024-03-31T10:00:00Z',
    );
    expect(tea.report.rows).toEqual([]);
    await t.http
      .post('/v1/reports/schedules')
      .set(tenant.auth)
      .send({ type: 'restock', cron: '0 0 1 1 *', filters: { minScore: 10 } })
      .expect(422);

    // Arabic: the API's Arabic rows (Arabic names and explanations), rendered right to left
    const ar = await runReport(
      tenant,
      { type: 'restock', format: 'html', language: 'ar' },
      '2024-03-31T10:00:00Z',
    );
    const restockAr = await api(tenant, '/v1/analytics/restock?asOf=2024-03-31&onlyActionable=true', 'ar');
    expect(ar.report.rows).toEqual(
      restockAr.data.map((r: Json & { demandShares: Json }) =>
        restockRow(r, category[String(r.productId)] ?? null),
      ),
    );
    expect(ar.report.rows[1].name).toBe('هيل');
    expect(ar.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar.html).toContain('<h1>منتجات تحتاج إلى إعادة طلب</h1>');
    expect(ar.html).toContain('<th>الكمية المقترحة</th>');
    expect(ar.html).toContain('<td><bdi>هيل</bdi></td>');
    expect(ar.html).toContain('<td><bdi>طلب منتظم</bdi></td>');
    expect(ar.html).toContain('<td class="num"><bdi>54</bdi></td>');
    expect(ar.html).toContain(`<td><bdi>${esc(String(ar.report.rows[1].explanation))}</bdi></td>`);
  });
});
