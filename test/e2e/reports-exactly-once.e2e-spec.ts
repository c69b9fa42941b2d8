import { ReportScheduler } from '../../src/reports/report-scheduler';
import { RunWorker } from '../../src/reports/run-worker';
import { createTenant, TestTenant } from '../support/app';
import { bootReportsApp, importChurnScenario, reportsDatabase, ReportsApp } from '../support/reports-app';
import { eventually, WebhookReceiver } from '../support/reports-receiver';

/**
 * "Every due schedule produces exactly one run, and every run one delivery", with the scheduler
 * loop running for real (SCHEDULER_POLL_MS = 20) and the clocks moved minute by minute instead of
 * waiting real minutes. On PostgreSQL two application instances share the database; PGlite has a
 * single connection and a single process, so there the same scenario runs on one instance.
 */
const twoInstances = Boolean(process.env.HARAKAH_TEST_DATABASE_URL);
const setting = twoInstances
  ? 'two instances on one PostgreSQL database'
  : 'single instance (PGlite: the two-instance variant runs on PostgreSQL)';
const MINUTES = 5;

describe(`exactly once: ${setting}`, () => {
  let db: Awaited<ReturnType<typeof reportsDatabase>>;
  let apps: ReportsApp[];
  let tenant: TestTenant;
  let receiver: WebhookReceiver;
  let url: string;

  beforeAll(async () => {
    db = await reportsDatabase();
    const env = { ...db.env, SCHEDULER_ENABLED: 'true', SCHEDULER_POLL_MS: '20', REPORT_LEASE_MS: '5000' };
    apps = [await bootReportsApp(env)];
    if (twoInstances) apps.push(await bootReportsApp(env));
    tenant = await createTenant(apps[0]!);
    await importChurnScenario(apps[0]!, tenant);
    receiver = new WebhookReceiver(50);
    url = await receiver.start();
  });
  afterAll(async () => {
    for (const a of apps) await a.close();
    await receiver.stop();
    await db.drop();
  });

  const setClocks = (iso: string) => apps.forEach((a) => a.clock.set(new Date(iso)));

  it(`an every-minute schedule for ${MINUTES} minutes gives one run per minute and one delivery per run (${setting})`, async () => {
    const [first] = apps;
    setClocks('2025-03-01T09:59:50Z');
    const s = await first!.http
      .post('/v1/reports/schedules')
      .set(tenant.auth)
      .send({
        type: 'churn-risk',
        cron: '* * * * *',
        timezone: 'UTC',
        delivery: { webhookUrl: url, secret: 'exactly-once-secret-0123' },
      })
      .expect(201);
    const scheduleId = s.body.id as string;

    for (let k = 0; k < MINUTES; k++) {
      const due = `2025-03-01T10:0${k}:00.000Z`;
      setClocks(`2025-03-01T10:0${k}:02Z`);
      // besides the loops' own ticks, every instance races to queue and produce the same due time
      await Promise.all(
        apps.flatMap((a) => [
          a.app.get(ReportScheduler).enqueueDue(),
          a.app.get(ReportScheduler).enqueueDue(),
          a.app.get(RunWorker).processNext(),
          a.loop.tick(),
        ]),
      );
      await eventually(async () => {
        const rows = await first!.sql<{ status: string }>(
          `SELECT d.status FROM report_runs r JOIN report_deliveries d ON d.tenant_id = r.tenant_id AND d.run_id = r.id
            WHERE r.schedule_id = $1 AND r.scheduled_for = $2`,
          [scheduleId, due],
        );
        return rows.length === 1 && rows[0]!.status === 'delivered';
      });
    }
    // let the loops run on a little: nothing more may appear
    await new Promise((r) => setTimeout(r, 300));
    await apps[0]!.http.post(`/v1/reports/schedules/${scheduleId}/pause`).set(tenant.auth).expect(200);

    const runs = await first!.sql<{
      scheduled_for: Date;
      status: string;
      attempts: number;
      lease_owner: string;
    }>(
      `SELECT scheduled_for, status, attempts, lease_owner FROM report_runs WHERE schedule_id = $1 ORDER BY scheduled_for`,
      [scheduleId],
    );
    expect(runs.map((r) => [new Date(r.scheduled_for).toISOString(), r.status, Number(r.attempts)])).toEqual(
      Array.from({ length: MINUTES }, (_, k) => [`2025-03-01T10:0${k}:00.000Z`, 'succeeded', 1]),
    );
    const deliveries = await first!.sql<{ id: string; status: string; attempts: number }>(
      `SELECT d.id, d.status, d.attempts FROM report_deliveries d WHERE d.schedule_id = $1`,
      [scheduleId],
    );
    expect(deliveries).toHaveLength(MINUTES);
    expect(deliveries.every((d) => d.status === 'delivered' && Number(d.attempts) === 1)).toBe(true);
    const [attempts] = await first!.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_delivery_attempts a
         JOIN report_deliveries d ON d.tenant_id = a.tenant_id AND d.id = a.delivery_id WHERE d.schedule_id = $1`,
      [scheduleId],
    );
    expect(Number(attempts!.n)).toBe(MINUTES);
    // the receiver saw each delivery exactly once
    const ids = receiver.received.map((r) => String(r.headers['x-harakah-delivery']));
    expect(ids).toHaveLength(MINUTES);
    expect(new Set(ids)).toEqual(new Set(deliveries.map((d) => d.id)));
    // which instance produced what (both usually do; which one wins a race is not part of the contract)
    const owners = new Set(runs.map((r) => r.lease_owner.split(':').pop()));
    expect(owners.size).toBeGreaterThanOrEqual(1);
  });
});
