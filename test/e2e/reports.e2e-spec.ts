import { createTenant, importBatch, TestTenant } from '../support/app';
import {
  bootReportsApp,
  drain,
  importChurnScenario,
  reportsDatabase,
  ReportsApp,
} from '../support/reports-app';

/**
 * Scheduled churn-risk runs: due runs driven by a pinned clock and hand-run ticks, the content
 * (the churn engine's at-risk list) worked by hand, change since the last run, filters, downloads.
 */
describe('report schedules and churn-risk runs', () => {
  let t: ReportsApp;
  let tenant: TestTenant;
  let db: Awaited<ReturnType<typeof reportsDatabase>>;

  beforeAll(async () => {
    db = await reportsDatabase();
    t = await bootReportsApp(db.env);
    tenant = await createTenant(t);
    await importChurnScenario(t, tenant);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const create = (body: Record<string, unknown>, who = tenant) =>
    t.http.post('/v1/reports/schedules').set(who.auth).send(body);

  it('runs a due schedule exactly once per due time and lists the at-risk customers by value at risk', async () => {
    // Sunday 2025-01-05 09:00 in Riyadh = 06:00 UTC
    t.clock.set(new Date('2025-01-05T05:59:00Z'));
    const s = await create({ type: 'churn-risk', cron: '0 9 * * 0', format: 'json' }).expect(201);
    expect(s.body).toMatchObject({ timezone: 'Asia/Riyadh', nextRunAt: '2025-01-05T06:00:00.000Z' });
    await drain(t);
    expect((await t.http.get(`/v1/reports/runs?scheduleId=${s.body.id}`).set(tenant.auth)).body.data).toEqual(
      [],
    );

    t.clock.set(new Date('2025-01-05T06:00:30Z'));
    await Promise.all([t.loop.tick(), t.loop.tick(), t.loop.tick()]);
    await drain(t);
    const list = await t.http.get(`/v1/reports/runs?scheduleId=${s.body.id}`).set(tenant.auth).expect(200);
    expect(list.body.data).toHaveLength(1);
    const run = list.body.data[0];
    expect(run).toMatchObject({
      scheduleId: s.body.id,
      trigger: 'schedule',
      status: 'succeeded',
      scheduledFor: '2025-01-05T06:00:00.000Z',
      asOf: '2025-01-05',
      attempts: 1,
      rowCount: 4,
      delivery: null,
    });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(new Date(run.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(run.startedAt).getTime());
    expect((await t.http.get(`/v1/reports/schedules/${s.body.id}`).set(tenant.auth)).body.nextRunAt).toBe(
      '2025-01-12T06:00:00.000Z',
    );

    const report = JSON.parse(
      (await t.http.get(`/v1/reports/runs/${run.id}/download`).set(tenant.auth).expect(200)).text,
    );
    // The churn engine at 2025-01-05 (no CLV model: 2 repeat buyers; value at risk = score × net revenue of
    // (2024-01-06, 2025-01-05]). Gaps: A 62, 24 (own median 43); B 31 → tenant median of 62, 24, 31 = 31.
    //   A: 301 days > 2 × 43 → overdue (lapsed stage); its invoices are open (the payment is unallocated):
    //      A-1 due 2024-01-14, 357 days → paying slower. Weights: overdue .40, low P(alive) .45, others 0
    //      → score 40; value .4 × 2000 = 800.00.
    //   B: 218 > 2 × 31 → overdue, paying slower → 40; value .4 × (800 + 700 − 100) = 560.00.
    //   C: 126 > 62 → overdue; spend decline (100 in (07-09, 10-07], 0 since); one-time buyer: Kaplan–Meier
    //      of first → second purchase: events B 31, A 62, censored E 16, D 65, C 126 → S(31) = 1 − 1/4 = .75,
    //      S(62) = .75 × (1 − 1/3) = .5 = S(end) → P(alive) = 1 − .5/.5 = 0 < .3: low → 1 − .6 × .55 = 67;
    //      C-1 due 10-01, 96 days → paying slower; value .67 × 100 = 67.00.
    //   D: 65 > 62 → overdue; P(alive) = 1 − .5/S(65) = 0 → 67; value .67 × 200 = 134.00.
    //   E: 16 days, P(alive) 1 − .5/1 = .5: no flag.
    // Balances (receivables engine): A 3 × 1150 − 2500 = 950; B 920 + 805 − 115 − 1610 = 0; C 115; D 0.
    expect(report.report).toMatchObject({
      type: 'churn-risk',
      asOf: '2025-01-05',
      currency: 'SAR',
      runId: run.id,
      language: 'en',
    });
    expect(
      report.rows.map((r: Record<string, unknown>) => [
        r.customerId,
        r.score,
        r.band,
        r.valueAtRisk,
        r.pAlive,
        r.segment,
        r.stage,
        r.balanceOwed,
      ]),
    ).toEqual([
      ['A', 40, 'medium', '800.00', null, 'cant_lose', 'lapsed', '950.00'],
      ['B', 40, 'medium', '560.00', null, 'at_risk', 'lapsed', '0.00'],
      ['D', 67, 'high', '134.00', 0, 'potential_loyalists', 'new', '0.00'],
      ['C', 67, 'high', '67.00', 0, 'promising', 'at_risk', '115.00'],
    ]);
    expect(report.rows[0]).toMatchObject({
      name: 'Al Ufuq Trading',
      nameAr: 'شركة الأفق للتجارة',
      lastPurchase: '2024-03-10',
      daysSinceLastPurchase: 301,
      email: 'ap@alufuq.sa',
      phone: '+966500000001',
      city: 'Riyadh',
    });
    expect(report.rows[0].reasons[0]).toBe('no purchase for 301 days; usually every 43');
    expect(report.rows[0].reasons[1]).toContain('357 days past due');
    expect(report.rows[3].reasons.slice(0, 3)).toEqual([
      'no purchase for 126 days; a typical customer buys every 31',
      'spent 0.00 in the last 90 days against 100.00 in the 90 days before',
      'bought once, 126 days ago; only 0% of customers silent that long bought again',
    ]);
    expect(report.rows[3].reasons[3]).toContain('96 days past due');
    expect(report.summary).toMatchObject({
      customers: 4,
      valueAtRisk: '1561.00',
      balanceOwed: '1065.00',
      byBand: { none: 0, low: 0, medium: 2, high: 2 },
      byFlag: { overdue: 4, spend_decline: 1, low_p_alive: 2, returns_rising: 0, paying_slower: 3 },
      customersScored: 5,
      model: { status: 'insufficient_data' },
      change: null,
    });
    // the report says what the API says
    const api = await t.http.get('/v1/analytics/churn?asOf=2025-01-05').set(tenant.auth).expect(200);
    expect(
      api.body.data.map((r: Record<string, unknown>) => [r.customerId, r.riskScore, r.valueAtRisk]),
    ).toEqual(report.rows.map((r: Record<string, unknown>) => [r.customerId, r.score, r.valueAtRisk]));
    expect(run.summary).toEqual(report.summary);

    // a week later B has bought again and C has gone quiet
    await importBatch(t, tenant, 'invoices', [
      {
        externalId: 'B-3',
        customerId: 'B',
        issueDate: '2025-01-08',
        status: 'issued',
        lines: [{ quantity: 1, unitPrice: '100', taxRate: '0.15' }],
      },
    ]).expect(200);
    t.clock.set(new Date('2025-01-12T06:00:05Z'));
    await drain(t);
    const runs = (await t.http.get(`/v1/reports/runs?scheduleId=${s.body.id}`).set(tenant.auth)).body.data;
    expect(runs.map((r: { asOf: string; status: string }) => [r.asOf, r.status])).toEqual([
      ['2025-01-12', 'succeeded'],
      ['2025-01-05', 'succeeded'],
    ]);
    const second = JSON.parse(
      (await t.http.get(`/v1/reports/runs/${runs[0].id}/download`).set(tenant.auth)).text,
    );
    // At 2025-01-12: B bought 01-08 (gaps 31, 221: own median 126, 4 days ago) → no scored flag, off the list.
    // Tenant median of 62, 24, 31, 221 = 46.5 → overdue after 93 days: C 133 yes, D 72 no.
    // Kaplan–Meier: events B 31, A 62; censored E 23, D 72, C 133 → S(end) = .5 = S(72) = S(133).
    //   A 308 days → 40, 800.00; D low P(alive) only → 45, .45 × 200 = 90.00; C as before 67, 67.00.
    expect(
      second.rows.map((r: Record<string, unknown>) => [
        r.customerId,
        r.segment,
        r.score,
        r.valueAtRisk,
        r.balanceOwed,
      ]),
    ).toEqual([
      ['A', 'cant_lose', 40, '800.00', '950.00'],
      ['D', 'need_attention', 45, '90.00', '0.00'],
      ['C', 'about_to_sleep', 67, '67.00', '115.00'],
    ]);
    expect(second.summary).toMatchObject({
      customers: 3,
      valueAtRisk: '957.00',
      balanceOwed: '1065.00',
      change: {
        previousRunId: runs[1].id,
        previousAsOf: '2025-01-05',
        customers: -1,
        valueAtRisk: '-604.00',
        newOnList: [],
        leftList: [{ customerId: 'B', name: 'Najd Cafe' }],
      },
    });
  });

  it('applies the minScore and segment filters', async () => {
    t.clock.set(new Date('2025-01-12T07:00:00Z'));
    const s = await create({ type: 'churn-risk', cron: '0 0 1 1 *', filters: { minScore: 60 } }).expect(201);
    const run = await t.http.post(`/v1/reports/schedules/${s.body.id}/run`).set(tenant.auth).expect(202);
    expect(run.body).toMatchObject({
      status: 'queued',
      trigger: 'manual',
      scheduledFor: null,
      asOf: '2025-01-12',
    });
    expect(typeof run.body.id).toBe('string');
    await drain(t);
    const done = await t.http.get(`/v1/reports/runs/${run.body.id}`).set(tenant.auth).expect(200);
    expect(done.body).toMatchObject({ status: 'succeeded', rowCount: 1 });
    const seg = await create({
      type: 'churn-risk',
      cron: '0 0 1 1 *',
      filters: { segment: 'about_to_sleep' },
    }).expect(201);
    const r2 = await t.http.post(`/v1/reports/schedules/${seg.body.id}/run`).set(tenant.auth).expect(202);
    await drain(t);
    const body = JSON.parse(
      (await t.http.get(`/v1/reports/runs/${r2.body.id}/download`).set(tenant.auth)).text,
    );
    expect(body.rows.map((r: { customerId: string }) => r.customerId)).toEqual(['C']);
  });

  it('downloads a run as JSON, CSV and HTML; Arabic HTML renders right-to-left', async () => {
    t.clock.set(new Date('2025-01-05T08:00:00Z'));
    const s = await create({ type: 'churn-risk', cron: '0 0 1 1 *', format: 'html', language: 'ar' }).expect(
      201,
    );
    const run = await t.http.post(`/v1/reports/schedules/${s.body.id}/run`).set(tenant.auth).expect(202);
    await drain(t);
    const html = await t.http.get(`/v1/reports/runs/${run.body.id}/download`).set(tenant.auth).expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(html.headers['content-disposition']).toMatch(
      /attachment; filename="churn-risk-2025-01-05-[0-9a-f]{8}\.html"/,
    );
    expect(html.text).toContain('<html lang="ar" dir="rtl">');
    expect(html.text).toContain('العملاء المعرضون لخطر الانقطاع');
    expect(html.text).toContain('لا يمكن خسارتهم'); // the segment label of A
    expect(html.text).toContain('لا شراء منذ 301 يومًا');
    expect(html.text).toContain('<bdi>800.00</bdi>');

    const csv = await t.http
      .get(`/v1/reports/runs/${run.body.id}/download?format=csv`)
      .set(tenant.auth)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'customerId,name,nameAr,score,band,valueAtRisk,pAlive,segment,stage,lastPurchase,daysSinceLastPurchase,' +
        'balanceOwed,reasons,email,phone,city',
    );
    expect(lines[1]).toMatch(
      /^A,Al Ufuq Trading,شركة الأفق للتجارة,40,medium,800\.00,,cant_lose,lapsed,2024-03-10,301,950\.00,لا شراء منذ 301 يومًا؛ يشتري عادةً كل 43 يومًا; .*,ap@alufuq\.sa,\+966500000001,Riyadh$/,
    );
    expect(lines).toHaveLength(6); // header, A, B, D, C, and the empty string after the last CRLF

    const json = await t.http
      .get(`/v1/reports/runs/${run.body.id}/download?format=json`)
      .set(tenant.auth)
      .expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(json.text).report).toMatchObject({
      language: 'ar',
      title: 'العملاء المعرضون لخطر الانقطاع',
    });
    const en = await create({ type: 'churn-risk', cron: '0 0 1 1 *', format: 'html' }).expect(201);
    const enRun = await t.http.post(`/v1/reports/schedules/${en.body.id}/run`).set(tenant.auth).expect(202);
    await drain(t);
    const enHtml = await t.http
      .get(`/v1/reports/runs/${enRun.body.id}/download`)
      .set(tenant.auth)
      .expect(200);
    expect(enHtml.text).toContain('<html lang="en" dir="ltr">');

    await t.http.get(`/v1/reports/runs/${run.body.id}/download?format=pdf`).set(tenant.auth).expect(400);
    await t.http
      .get(`/v1/reports/runs/${run.body.id}/download`)
      .set((await createTenant(t)).auth)
      .expect(404);
  });

  it('answers 409 for the download of a run that has not finished, and 400 for bad list filters', async () => {
    const s = await create({ type: 'churn-risk', cron: '0 0 1 1 *' }).expect(201);
    const run = await t.http.post(`/v1/reports/schedules/${s.body.id}/run`).set(tenant.auth).expect(202);
    await t.http.get(`/v1/reports/runs/${run.body.id}/download`).set(tenant.auth).expect(409);
    await t.http.get('/v1/reports/runs?scheduleId=nope').set(tenant.auth).expect(400);
    await t.http.get('/v1/reports/runs?status=sleeping').set(tenant.auth).expect(400);
    await t.http.get('/v1/reports/runs/also-nope').set(tenant.auth).expect(404);
    await drain(t);
    await t.http.get(`/v1/reports/runs/${run.body.id}/download`).set(tenant.auth).expect(200);
    const queued = await t.http.get('/v1/reports/runs?status=queued').set(tenant.auth).expect(200);
    expect(queued.body.data).toEqual([]);
  });
});
