import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Clock } from '../../src/reports/clock';
import { ReportContent } from '../../src/reports/content/content-provider';
import { ReportsLoop } from '../../src/reports/reports-loop';
import { bootApp, importBatch, TestApp, TestTenant } from './app';

export interface ReportsApp extends TestApp {
  clock: Clock;
  loop: ReportsLoop;
  content: ReportContent;
}

/**
 * A database of the report suite's own. The report queue is global (any instance works for every
 * tenant), so report tests must not share a database with other test files, whose apps run the
 * scheduler on the real clock, or with each other. On PostgreSQL: a fresh database on the test
 * server, dropped afterwards. On PGlite every test file already has its own in-memory database.
 */
export async function reportsDatabase(): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const base = process.env.HARAKAH_TEST_DATABASE_URL;
  if (!base) return { env: {}, drop: async () => undefined };
  const name = `${process.env.HARAKAH_TEST_DB_NAME ?? 'harakah_test'}_r${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const c = new Client({ connectionString: base });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: () =>
      process.env.HARAKAH_KEEP_TEST_DB
        ? Promise.resolve()
        : admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * The real app with the reports loop reachable: `clock` to move time, `loop.tick()` to run the
 * scheduler/worker by hand (SCHEDULER_ENABLED=false unless the test turns it on).
 */
export async function bootReportsApp(env: Record<string, string> = {}): Promise<ReportsApp> {
  const t = await bootApp({
    SCHEDULER_ENABLED: 'false',
    WEBHOOK_ALLOWLIST: '127.0.0.1',
    WEBHOOK_TIMEOUT_MS: '2000',
    WEBHOOK_BACKOFF_MS: '1000',
    ...env,
  });
  return { ...t, clock: t.app.get(Clock), loop: t.app.get(ReportsLoop), content: t.app.get(ReportContent) };
}

/** Runs ticks until one finds nothing to do (bounded). */
export async function drain(app: ReportsApp, maxTicks = 10): Promise<void> {
  for (let i = 0; i < maxTicks; i++) {
    const r = await app.loop.tick();
    if (r.queued + r.runs + r.deliveries === 0) return;
  }
}

const vat = (net: number) => ({ quantity: 1, unitPrice: String(net), taxRate: '0.15' });

/**
 * Five customers for the churn-risk report (tenant time zone Asia/Riyadh), worked in the tests:
 *  A: invoices 2023-12-15, 2024-02-15, 2024-03-10, 1000 net each (1150 with VAT); paid 2500
 *  B: invoices 2024-05-01 800 net, 2024-06-01 700 net; credit note 2024-06-10 100 net; paid 1610
 *  C: 2024-09-01 100 net, unpaid;  D: 2024-11-01 200 net, paid;  E: 2024-12-20 300 net, paid
 */
export async function importChurnScenario(t: TestApp, tenant: TestTenant): Promise<void> {
  await importBatch(t, tenant, 'customers', [
    {
      externalId: 'A',
      name: 'Al Ufuq Trading',
      nameAr: 'شركة الأفق للتجارة',
      email: 'ap@alufuq.sa',
      phone: '+966500000001',
      city: 'Riyadh',
    },
    { externalId: 'B', name: 'Najd Cafe', email: 'owner@najd.cafe', city: 'Buraydah' },
    { externalId: 'C', name: 'Corniche Books', phone: '+966500000003', city: 'Jeddah' },
    { externalId: 'D', name: 'Dammam Tools' },
    { externalId: 'E', name: 'Eastern Hardware' },
  ]).expect(200);
  const inv = (id: string, customerId: string, issueDate: string, net: number) => ({
    externalId: id,
    customerId,
    issueDate,
    status: 'issued',
    lines: [vat(net)],
  });
  await importBatch(t, tenant, 'invoices', [
    inv('A-1', 'A', '2023-12-15', 1000),
    inv('A-2', 'A', '2024-02-15', 1000),
    inv('A-3', 'A', '2024-03-10', 1000),
    inv('B-1', 'B', '2024-05-01', 800),
    inv('B-2', 'B', '2024-06-01', 700),
    inv('C-1', 'C', '2024-09-01', 100),
    inv('D-1', 'D', '2024-11-01', 200),
    inv('E-1', 'E', '2024-12-20', 300),
  ]).expect(200);
  await importBatch(t, tenant, 'credit-notes', [
    { externalId: 'B-CN', customerId: 'B', issueDate: '2024-06-10', lines: [vat(100)] },
  ]).expect(200);
  await importBatch(t, tenant, 'payments', [
    { externalId: 'A-P', customerId: 'A', date: '2024-04-01', amount: '2500' },
    { externalId: 'B-P', customerId: 'B', date: '2024-07-01', amount: '1610' },
    { externalId: 'D-P', customerId: 'D', date: '2024-11-20', amount: '230' },
    { externalId: 'E-P', customerId: 'E', date: '2024-12-30', amount: '345' },
  ]).expect(200);
}
