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
 * (interim: RFM at-risk segments) worked by hand, change since the last run, filters, downloads.
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
      rowCount: 2,
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
    // RFM at 2025-01-05, n = 5. Recency A 301, B 218, C 126, D 65, E 16 days → R 1, 2, 3, 4, 5.
    // F: A 3, B 2, C/D/E 1 → F 5, 4, 1, 1, 1. M: A 3000, B 1500 − 100, E 300, D 200, C 100 → M 5, 4, 1, 2, 3.
    // FM = ⌊(F + M + 1)/2⌋: A 5, B 4 → A (1,5) cant_lose, B (2,4) at_risk; C (3,1), D (4,2), E (5,2) are not at risk.
    // Score = 20 × (6 − R): A 100, B 80. Value at risk = net in (2024-01-06, 2025-01-05]: A 1000 + 1000
    // (2023-12-15 is outside), B 800 + 700 − 100. Balance: A 3 × 1150 − 2500 = 950; B 920 + 805 − 115 − 1610 = 0.
    expect(report.report).toMatchObject({
      type: 'churn-risk',
      asOf: '2025-01-05',
      currency: 'SAR',
      runId: run.id,
      language: 'en',
    });
    expect(report.rows).toEqual([
      {
        customerId: 'A',
        name: 'Al Ufuq Trading',
        nameAr: 'شركة الأفق للتجارة',
        score: 100,
        valueAtRisk: '2000.00',
        segment: 'cant_lose',
        lastPurchase: '2024-03-10',
        daysSinceLastPurchase: 301,
        balanceOwed: '950.00',
        reasons: [
          'No purchase for 301 days (last 2024-03-10)',
          "RFM segment Can't lose them (R 1, FM 5)",
          'Owes 950.00 SAR',
        ],
        email: 'ap@alufuq.sa',
        phone: '+966500000001',
        city: 'Riyadh',
      },
      {
        customerId: 'B',
        name: 'Najd Cafe',
        nameAr: null,
        score: 80,
        valueAtRisk: '1400.00',
        segment: 'at_risk',
        lastPurchase: '2024-06-01',
        daysSinceLastPurchase: 218,
        balanceOwed: '0.00',
        reasons: ['No purchase for 218 days (last 2024-06-01)', 'RFM segment At risk (R 2, FM 4)'],
        email: 'owner@najd.cafe',
        phone: null,
        city: 'Buraydah',
      },
    ]);
    expect(report.summary).toEqual({
      customers: 2,
      valueAtRisk: '3400.00',
      balanceOwed: '950.00',
      bySegment: { at_risk: 1, cant_lose: 1, about_to_sleep: 0, hibernating: 0 },
      change: null,
    });
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
    // At 2025-01-12: recency A 308, C 133, D 72, E 23, B 4 → R 1, 2, 3, 4, 5. F: A 3, B 3 → 4, 4; C/D/E 1.
    // M unchanged in order (B 1500) → A FM ⌊(4+5+1)/2⌋ = 5 (cant_lose); C (2, ⌊(1+1+1)/2⌋ = 1) about_to_sleep;
    // B (5, 4) champions. C: value 100, owes 115 (unpaid).
    expect(
      second.rows.map((r: Record<string, unknown>) => [
        r.customerId,
        r.segment,
        r.score,
        r.valueAtRisk,
        r.balanceOwed,
      ]),
    ).toEqual([
      ['A', 'cant_lose', 100, '2000.00', '950.00'],
      ['C', 'about_to_sleep', 80, '100.00', '115.00'],
    ]);
    expect(second.summary).toEqual({
      customers: 2,
      valueAtRisk: '2100.00',
      balanceOwed: '1065.00',
      bySegment: { at_risk: 0, cant_lose: 1, about_to_sleep: 1, hibernating: 0 },
      change: {
        previousRunId: runs[1].id,
        previousAsOf: '2025-01-05',
        customers: 0,
        valueAtRisk: '-1300.00',
        newOnList: [{ customerId: 'C', name: 'Corniche Books' }],
        leftList: [{ customerId: 'B', name: 'Najd Cafe' }],
      },
    });
  });

  it('applies the minScore and segment filters', async () => {
    t.clock.set(new Date('2025-01-12T07:00:00Z'));
    const s = await create({ type: 'churn-risk', cron: '0 0 1 1 *', filters: { minScore: 90 } }).expect(201);
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
    expect(html.text).toContain('لا مشتريات منذ 301 يومًا');
    expect(html.text).toContain('<bdi>2000.00</bdi>');

    const csv = await t.http
      .get(`/v1/reports/runs/${run.body.id}/download?format=csv`)
      .set(tenant.auth)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    const lines = csv.text.split('\r\n');
    expect(lines[0]).toBe(
      'customerId,name,nameAr,score,valueAtRisk,segment,lastPurchase,daysSinceLastPurchase,balanceOwed,reasons,email,phone,city',
    );
    expect(lines[1]).toBe(
      'A,Al Ufuq Trading,شركة الأفق للتجارة,100,2000.00,cant_lose,2024-03-10,301,950.00,' +
        'لا مشتريات منذ 301 يومًا (آخر شراء 2024-03-10); شريحة RFM: لا يمكن خسارتهم (R 1، FM 5); رصيد مستحق 950.00 SAR,' +
        'ap@alufuq.sa,+966500000001,Riyadh',
    );
    expect(lines).toHaveLength(4); // header, A, B, and the empty string after the last CRLF

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
