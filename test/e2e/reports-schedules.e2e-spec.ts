import { createTenant, TestTenant } from '../support/app';
import { bootReportsApp, reportsDatabase, ReportsApp } from '../support/reports-app';

/** Report schedules over HTTP: validation (422 naming the field), create, list, read, update, pause, resume, delete. */
describe('report schedules', () => {
  let t: ReportsApp;
  let tenant: TestTenant;
  let db: Awaited<ReturnType<typeof reportsDatabase>>;

  beforeAll(async () => {
    db = await reportsDatabase();
    t = await bootReportsApp(db.env);
    tenant = await createTenant(t);
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  const create = (body: Record<string, unknown>, who = tenant) =>
    t.http.post('/v1/reports/schedules').set(who.auth).send(body);

  it('refuses an invalid cron, time zone, filter or webhook with 422 naming the field', async () => {
    const fields = async (body: Record<string, unknown>) => {
      const res = await create(body).expect(422);
      return res.body.errors.map((e: { field: string }) => e.field);
    };
    expect(await fields({ type: 'churn-risk', cron: '61 * * * *' })).toEqual(['cron']);
    expect(await fields({ type: 'churn-risk', cron: 'every monday' })).toEqual(['cron']);
    expect(await fields({ type: 'churn-risk', cron: '0 8 * * 1', timezone: 'Mars/Olympus' })).toEqual([
      'timezone',
    ]);
    expect(await fields({ type: 'weekly-gossip', cron: '0 8 * * 1' })).toEqual(['type']);
    expect(await fields({ type: 'churn-risk', cron: '0 8 * * 1', format: 'pdf' })).toEqual(['format']);
    expect(await fields({ type: 'churn-risk', cron: '0 8 * * 1', filters: { minScore: 101 } })).toEqual([
      'filters.minScore',
    ]);
    expect(await fields({ type: 'churn-risk', cron: '0 8 * * 1', filters: { shoeSize: 9 } })).toEqual([
      'filters.shoeSize',
    ]);
    expect(await fields({ type: 'churn-risk', cron: '0 8 * * 1', filters: { minDaysOverdue: 30 } })).toEqual([
      'filters.minDaysOverdue',
    ]);
    for (const webhookUrl of [
      'ftp://127.0.0.1/x',
      'http://10.0.0.8/hook',
      'http://[::1]:9/x',
      'http://localhost:9/x',
      'nope',
    ]) {
      expect(await fields({ type: 'churn-risk', cron: '0 8 * * 1', delivery: { webhookUrl } })).toEqual([
        'delivery.webhookUrl',
      ]);
    }
    const short = await create({
      type: 'churn-risk',
      cron: '0 8 * * 1',
      delivery: { webhookUrl: 'http://127.0.0.1:9/x', secret: 'short' },
    });
    expect(short.status).toBe(422);
    expect(short.body.errors[0].field).toBe('delivery.secret');
  });

  it('refuses loopback, private and mapped targets in disguise when the schedule is saved, on create and on update', async () => {
    const disguised = [
      'http://localhost.:9/x',
      'http://LocalHost../x',
      'http://[::127.0.0.1]:9/x',
      'http://[::ffff:127.0.0.2]/x',
      'http://[::ffff:0:a00:1]/x',
      'http://[64:ff9b::7f00:1]/x',
      'http://[64:ff9b:1::a00:1]/x',
      'http://[2002:7f00:1::]/x',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/x',
      'http://0.0.0.0:9/x',
      'http://0/x',
      'http://127.2/x',
      'http://2130706434/x',
      'http://0x7f.0.0.2/x',
      'http://0177.0.0.2/x',
      'http://169.254.169.254/latest/meta-data',
      'http://[fe80::1]/x',
      'http://[fd12:3456::1]/x',
    ];
    for (const webhookUrl of disguised) {
      const res = await create({ type: 'churn-risk', cron: '0 8 * * 1', delivery: { webhookUrl } });
      expect({ webhookUrl, status: res.status }).toEqual({ webhookUrl, status: 422 });
      expect(res.body.errors).toEqual([
        { field: 'delivery.webhookUrl', message: expect.stringMatching(/WEBHOOK_ALLOWLIST/) },
      ]);
    }
    const ok = await create({ type: 'churn-risk', cron: '0 8 * * 1' }).expect(201);
    for (const webhookUrl of disguised.slice(0, 4)) {
      const res = await t.http
        .patch(`/v1/reports/schedules/${ok.body.id}`)
        .set(tenant.auth)
        .send({ delivery: { webhookUrl } })
        .expect(422);
      expect(res.body.errors[0].field).toBe('delivery.webhookUrl');
    }
    const after = await t.http.get(`/v1/reports/schedules/${ok.body.id}`).set(tenant.auth).expect(200);
    expect(after.body.delivery).toBeNull();
  });

  it('creates, lists, reads, updates, pauses, resumes and deletes a schedule', async () => {
    const own = await createTenant(t, { timezone: 'Asia/Dubai' });
    t.clock.set(new Date('2025-01-01T10:00:00Z'));
    const created = await create(
      { type: 'churn-risk', cron: '0 9 * * 1', filters: { minScore: 80 } },
      own,
    ).expect(201);
    // default time zone is the tenant's; Monday 2025-01-06 09:00 in Dubai (UTC+4) is 05:00 UTC
    expect(created.body).toMatchObject({
      type: 'churn-risk',
      cron: '0 9 * * 1',
      timezone: 'Asia/Dubai',
      format: 'json',
      language: 'en',
      filters: { minScore: 80 },
      delivery: null,
      status: 'active',
      nextRunAt: '2025-01-06T05:00:00.000Z',
    });
    const id = created.body.id as string;
    expect(
      (await t.http.get('/v1/reports/schedules').set(own.auth).expect(200)).body.data.map(
        (s: { id: string }) => s.id,
      ),
    ).toEqual([id]);
    await t.http.get(`/v1/reports/schedules/${id}`).set(own.auth).expect(200);
    await t.http.get(`/v1/reports/schedules/${id}`).set(tenant.auth).expect(404); // another tenant's
    await t.http.get('/v1/reports/schedules/not-a-uuid').set(own.auth).expect(404);

    const updated = await t.http
      .patch(`/v1/reports/schedules/${id}`)
      .set(own.auth)
      .send({
        cron: '30 7 * * *',
        timezone: 'UTC',
        format: 'csv',
        language: 'ar',
        delivery: { webhookUrl: 'http://127.0.0.1:9/hook' },
      })
      .expect(200);
    expect(updated.body).toMatchObject({
      cron: '30 7 * * *',
      timezone: 'UTC',
      format: 'csv',
      language: 'ar',
      nextRunAt: '2025-01-02T07:30:00.000Z',
    });
    // no secret given: one is generated and shown once
    expect(updated.body.delivery).toMatchObject({ webhookUrl: 'http://127.0.0.1:9/hook', secretSet: true });
    expect(updated.body.delivery.secret).toMatch(/^whsec_/);
    const again = await t.http.get(`/v1/reports/schedules/${id}`).set(own.auth).expect(200);
    expect(again.body.delivery).toEqual({ webhookUrl: 'http://127.0.0.1:9/hook', secretSet: true });
    await t.http.patch(`/v1/reports/schedules/${id}`).set(own.auth).send({ cron: '* * *' }).expect(422);
    // rotating the secret alone keeps the URL; a secret is never shown back
    const rotated = await t.http
      .patch(`/v1/reports/schedules/${id}`)
      .set(own.auth)
      .send({ delivery: { secret: 'a-new-secret-of-enough-length' } })
      .expect(200);
    expect(rotated.body.delivery).toEqual({ webhookUrl: 'http://127.0.0.1:9/hook', secretSet: true });
    const [stored] = await t.sql<{ webhook_secret: string }>(
      `SELECT webhook_secret FROM report_schedules WHERE id = $1`,
      [id],
    );
    expect(stored!.webhook_secret).toBe('a-new-secret-of-enough-length');

    const paused = await t.http.post(`/v1/reports/schedules/${id}/pause`).set(own.auth).expect(200);
    expect(paused.body).toMatchObject({ status: 'paused', nextRunAt: null });
    t.clock.set(new Date('2025-01-03T12:00:00Z'));
    const resumed = await t.http.post(`/v1/reports/schedules/${id}/resume`).set(own.auth).expect(200);
    expect(resumed.body).toMatchObject({ status: 'active', nextRunAt: '2025-01-04T07:30:00.000Z' });
    await t.http.patch(`/v1/reports/schedules/${id}`).set(own.auth).send({ delivery: null }).expect(200);
    expect((await t.http.get(`/v1/reports/schedules/${id}`).set(own.auth)).body.delivery).toBeNull();

    await t.http.post(`/v1/reports/schedules/${id}/run`).set(own.auth).expect(202);
    await t.http.delete(`/v1/reports/schedules/${id}`).set(own.auth).expect(204);
    await t.http.get(`/v1/reports/schedules/${id}`).set(own.auth).expect(404);
    await t.http.delete(`/v1/reports/schedules/${id}`).set(own.auth).expect(404);
    expect((await t.http.get('/v1/reports/runs').set(own.auth).expect(200)).body.data).toEqual([]);
  });
});
