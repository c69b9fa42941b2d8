import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ADMIN_TOKEN } from '../support/app';
import { reportsDatabase } from '../support/reports-app';

/**
 * The service as production runs it — a separate process — killed with SIGKILL in the middle of a
 * 20,000-line import sent with an Idempotency-Key, then started again on the same database. The dead
 * run must not stay "running" nor hold the key: the restarted service marks it failed
 * ("interrupted") once its lease lapses, and the client's retry with the same key imports the batch
 * exactly once. On PostgreSQL the second process runs on the same server database; on PGlite on the
 * same data directory.
 */
const ROOT = resolve(__dirname, '../..');
const LEASE_MS = 1500;
const INVOICES = 2000;
const LINES_PER_INVOICE = 10;

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => done(port));
    });
  });
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

function call(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
  onSent?: () => void,
): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        done({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : null }),
      );
    });
    req.on('error', fail);
    if (onSent) req.on('finish', onSent);
    req.end(body);
  });
}

describe('an import interrupted by kill -9, retried with the same Idempotency-Key', () => {
  let db: Awaited<ReturnType<typeof reportsDatabase>>;
  let dataDir: string | undefined;
  let child: ChildProcess | undefined;
  let port = 0;
  let output = '';

  async function start(): Promise<void> {
    port = await freePort();
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...db.env,
        DATABASE_URL: db.env.DATABASE_URL ?? '',
        ...(dataDir ? { DATA_DIR: dataDir } : {}),
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_TOKEN,
        LOG_LEVEL: 'warn',
        IMPORT_LEASE_MS: String(LEASE_MS),
        SCHEDULER_ENABLED: 'false',
        ANALYTICS_WORKER_ENABLED: 'false',
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300; i++) {
      const up = await call(port, 'GET', '/health', {}).catch(() => undefined);
      if (up?.status === 200) return;
      if (child.exitCode !== null) throw new Error(`the service exited: ${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the service did not start: ${output}`);
  }

  function kill(): Promise<void> {
    return new Promise((done) => {
      const c = child!;
      child = undefined;
      if (c.exitCode !== null) return done();
      c.once('exit', () => done());
      c.kill('SIGKILL');
    });
  }

  beforeAll(async () => {
    db = await reportsDatabase();
    if (!db.env.DATABASE_URL) dataDir = mkdtempSync(join(tmpdir(), 'harakah-import-crash-'));
  });
  afterAll(async () => {
    if (child) await kill();
    await db.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('marks the dead run interrupted and imports the retry exactly once', async () => {
    await start();
    const tenant = await call(
      port,
      'POST',
      '/v1/admin/tenants',
      jsonAuth(ADMIN_TOKEN),
      JSON.stringify({ name: 'Crash' }),
    );
    expect(tenant.status).toBe(201);
    const { id: tenantId, apiKey } = tenant.body as { id: string; apiKey: string };
    const auth = jsonAuth(apiKey);
    const customers = Array.from({ length: 50 }, (_, i) => ({ externalId: `C${i}`, name: `Customer ${i}` }));
    expect((await call(port, 'POST', '/v1/import/customers', auth, JSON.stringify(customers))).status).toBe(
      200,
    );
    const products = Array.from({ length: 20 }, (_, i) => ({
      externalId: `P${i}`,
      name: `Product ${i}`,
      unitCost: '4.50',
    }));
    expect((await call(port, 'POST', '/v1/import/products', auth, JSON.stringify(products))).status).toBe(
      200,
    );

    const invoices = JSON.stringify(
      Array.from({ length: INVOICES }, (_, i) => ({
        externalId: `INV-${i}`,
        customerId: `C${i % 50}`,
        issueDate: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
        lines: Array.from({ length: LINES_PER_INVOICE }, (_, k) => ({
          productId: `P${(i + k) % 20}`,
          quantity: String(1 + (k % 3)),
          unitPrice: '10.00',
        })),
      })),
    );
    const withKey = { ...auth, 'Idempotency-Key': 'nightly-2024-12-31' };

    // kill -9 while the import is being written (its upload is in, its answer is not)
    let answered = false;
    const first = call(port, 'POST', '/v1/import/invoices', withKey, invoices, () => {
      setTimeout(() => void kill(), 300);
    }).then(
      () => (answered = true),
      () => undefined,
    );
    await first;
    expect(answered).toBe(false);
    while (child) await new Promise((r) => setTimeout(r, 50));

    // on PostgreSQL: the dead process left its run "running" and the key held, and nothing of the batch
    if (db.env.DATABASE_URL) {
      const pg = new Client({ connectionString: db.env.DATABASE_URL });
      await pg.connect();
      try {
        const runs = await pg.query(
          `select status, idempotency_key from import_runs where tenant_id = $1 and resource = 'invoices'`,
          [tenantId],
        );
        expect(runs.rows).toEqual([{ status: 'running', idempotency_key: 'nightly-2024-12-31' }]);
        const lines = await pg.query(`select count(*)::int as n from invoice_lines where tenant_id = $1`, [
          tenantId,
        ]);
        expect(lines.rows[0].n).toBe(0);
      } finally {
        await pg.end();
      }
    }

    await start();
    // the restarted service marks the run interrupted once its lease has lapsed (at start-up or within one lease)
    let runs: { status: string; error: string | null; idempotencyKey: string | null }[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await call(port, 'GET', '/v1/import/runs?limit=10', auth);
      runs = (res.body as { data: typeof runs }).data.filter(
        (r) => r.idempotencyKey === 'nightly-2024-12-31',
      );
      if (runs[0]?.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs).toEqual([
      expect.objectContaining({
        status: 'failed',
        error: 'interrupted',
        idempotencyKey: 'nightly-2024-12-31',
      }),
    ]);

    const retry = await call(port, 'POST', '/v1/import/invoices', withKey, invoices);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ received: INVOICES, created: INVOICES, updated: 0, unchanged: 0 });
    const replay = await call(port, 'POST', '/v1/import/invoices', withKey, invoices);
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(retry.body);

    let count = 0;
    let cursor: string | null = null;
    do {
      const page = await call(
        port,
        'GET',
        `/v1/invoices?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        auth,
      );
      const body = page.body as { data: { lines?: unknown[] }[]; nextCursor: string | null };
      count += body.data.length;
      cursor = body.nextCursor;
    } while (cursor);
    expect(count).toBe(INVOICES);
    await kill();
  }, 180_000);
});

function jsonAuth(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
}
