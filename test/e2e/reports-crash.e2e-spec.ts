import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReportContentProvider } from '../../src/reports/content/content-provider';
import { WorkerIdentity } from '../../src/reports/worker-identity';
import { createTenant, TestTenant } from '../support/app';
import {
  bootReportsApp,
  drain,
  importChurnScenario,
  reportsDatabase,
  ReportsApp,
} from '../support/reports-app';
import { eventually, WebhookReceiver } from '../support/reports-receiver';

/**
 * Crash safety. An instance is "killed" mid-run by closing it while its content provider is held
 * half-way (closing abandons in-flight work exactly as a dead process would: no completion, no
 * heartbeat, no lease release). On PostgreSQL a second instance on the same database takes the run
 * over once the lease has expired; on PGlite (one process, one connection) the instance is
 * restarted on the same data directory and takes it over itself. Either way the run completes once
 * and is delivered once.
 */
const twoInstances = Boolean(process.env.HARAKAH_TEST_DATABASE_URL);
const setting = twoInstances
  ? 'two instances on PostgreSQL: the other instance takes over'
  : 'PGlite, single instance: the restarted instance takes over';
// long enough that a slow restart on a busy machine cannot outlive it; the test moves the clock past it
const LEASE_MS = 30_000;
const TIMEOUT_MS = 2000;

describe(`crash safety (${setting})`, () => {
  let db: Awaited<ReturnType<typeof reportsDatabase>>;
  let dataDir: string | undefined;
  let receiver: WebhookReceiver;
  let url: string;
  const open: ReportsApp[] = [];

  const boot = async () => {
    const app = await bootReportsApp({
      ...db.env,
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
      REPORT_LEASE_MS: String(LEASE_MS),
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    open.push(app);
    return app;
  };
  /** the instance that will crash, and a way to get the one that survives it */
  const pair = async (): Promise<{ doomed: ReportsApp; survivor: () => Promise<ReportsApp> }> => {
    const doomed = await boot();
    if (twoInstances) {
      const other = await boot();
      return { doomed, survivor: async () => other };
    }
    return { doomed, survivor: boot };
  };

  beforeAll(async () => {
    db = await reportsDatabase();
    if (!twoInstances) dataDir = mkdtempSync(join(tmpdir(), 'harakah-reports-crash-'));
    receiver = new WebhookReceiver(20);
    url = await receiver.start();
  });
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  afterAll(async () => {
    await receiver.stop();
    await db.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function scheduleWithWebhook(app: ReportsApp): Promise<{ tenant: TestTenant; scheduleId: string }> {
    const tenant = await createTenant(app);
    await importChurnScenario(app, tenant);
    const s = await app.http
      .post('/v1/reports/schedules')
      .set(tenant.auth)
      .send({
        type: 'churn-risk',
        cron: '0 0 1 1 *',
        delivery: { webhookUrl: url, secret: 'crash-test-secret-012345' },
      })
      .expect(201);
    return { tenant, scheduleId: s.body.id };
  }

  it(`a run killed mid-way completes after its lease expires and is delivered once (${setting})`, async () => {
    receiver.received.length = 0;
    const { doomed, survivor } = await pair();
    const { tenant, scheduleId } = await scheduleWithWebhook(doomed);
    // hold the doomed instance's churn-risk content half-way
    const real = doomed.content.get('churn-risk');
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held: ReportContentProvider = {
      type: 'churn-risk',
      filterKeys: real.filterKeys,
      generate: async (ctx) => {
        entered();
        await gate;
        return real.generate(ctx);
      },
    };
    doomed.content.use(held);
    const run = await doomed.http
      .post(`/v1/reports/schedules/${scheduleId}/run`)
      .set(tenant.auth)
      .expect(202);
    const inflight = doomed.loop.tick().catch(() => undefined);
    await inside;
    const doomedName = doomed.app.get(WorkerIdentity).name;
    const [claimed] = await doomed.sql<{ status: string; attempts: number; lease_owner: string }>(
      `SELECT status, attempts, lease_owner FROM report_runs WHERE id = $1`,
      [run.body.id],
    );
    expect(claimed).toMatchObject({ status: 'running', lease_owner: doomedName });
    expect(Number(claimed!.attempts)).toBe(1);

    await doomed.close(); // the crash
    open.splice(open.indexOf(doomed), 1);
    const other = await survivor();

    await drain(other); // the lease has not expired yet: nobody may take the run
    let view = (await other.http.get(`/v1/reports/runs/${run.body.id}`).set(tenant.auth).expect(200)).body;
    expect(view).toMatchObject({ status: 'running', attempts: 1, delivery: null });

    other.clock.advance(LEASE_MS + 500);
    await drain(other);
    view = (await other.http.get(`/v1/reports/runs/${run.body.id}`).set(tenant.auth).expect(200)).body;
    // the run is dated today (the real clock): by then all five customers of the scenario are overdue
    expect(view).toMatchObject({ status: 'succeeded', attempts: 2, rowCount: 5 });
    expect(view.delivery).toMatchObject({ status: 'delivered', attempts: 1 });

    // the killed instance's work, if it ever resumes, can neither complete nor deliver
    release();
    await inflight;
    await new Promise((r) => setTimeout(r, 200));
    await drain(other);
    const [after] = await other.sql<{ attempts: number; lease_owner: string }>(
      `SELECT attempts, lease_owner FROM report_runs WHERE id = $1`,
      [run.body.id],
    );
    expect(Number(after!.attempts)).toBe(2);
    expect(after!.lease_owner).toBe(other.app.get(WorkerIdentity).name);
    const [deliveries] = await other.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_deliveries WHERE run_id = $1`,
      [run.body.id],
    );
    expect(Number(deliveries!.n)).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]!.headers['x-harakah-delivery']).toBe(view.delivery.id);
  });

  it(`an instance killed after the POST but before recording it re-sends the same delivery id, which the receiver de-duplicates (${setting})`, async () => {
    receiver.received.length = 0;
    const { doomed, survivor } = await pair();
    const { tenant, scheduleId } = await scheduleWithWebhook(doomed);
    receiver.answer({ status: 200, afterMs: 800 }); // accepted, but answered after the sender died
    const run = await doomed.http
      .post(`/v1/reports/schedules/${scheduleId}/run`)
      .set(tenant.auth)
      .expect(202);
    const inflight = doomed.loop.tick().catch(() => undefined);
    await eventually(async () => receiver.received.length === 1);
    await doomed.close();
    open.splice(open.indexOf(doomed), 1);
    await inflight;
    await eventually(async () => receiver.accepted.size >= 1);
    const deliveryId = String(receiver.received[0]!.headers['x-harakah-delivery']);

    const other = await survivor();
    await drain(other);
    expect(receiver.received).toHaveLength(1); // the lease still holds
    other.clock.advance(TIMEOUT_MS + LEASE_MS + 500);
    await drain(other);
    const view = (await other.http.get(`/v1/reports/runs/${run.body.id}`).set(tenant.auth).expect(200)).body;
    expect(view).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(view.delivery).toMatchObject({ id: deliveryId, status: 'delivered', attempts: 2 });
    expect(
      view.delivery.history.map((a: { attempt: number; outcome: string }) => [a.attempt, a.outcome]),
    ).toEqual([
      [1, 'abandoned'],
      [2, 'succeeded'],
    ]);
    // at-least-once transport: the same delivery id twice; the receiver keeps it once
    expect(receiver.received.map((r) => r.headers['x-harakah-delivery'])).toEqual([deliveryId, deliveryId]);
    expect([...receiver.accepted.keys()].filter((id) => id === deliveryId)).toHaveLength(1);
  });
});
