import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { importFile } from '../src/cli/import-file';
import { loadConfig } from '../src/config/config';
import { createDataSource } from '../src/database/data-source';
import { Database } from '../src/database/database';
import { FILE_NAMES, Manifest, writeBusiness } from '../src/demo/generator';

export const ROOT = join(__dirname, '..', '..');
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

/** The benchmark scale of the issues: 100,000 customers, ~1,000,000 invoice lines, 10,000 products × 3 warehouses. */
export const BENCH_SCALE = {
  customers: 100_000,
  years: 2,
  seed: 7,
  endDate: '2026-10-31',
  products: 10_000,
  warehouses: 3,
};

export async function benchDataset(): Promise<{ dir: string; manifest: Manifest }> {
  const dir = join(ROOT, 'data', 'bench');
  const file = join(dir, 'manifest.json');
  if (existsSync(file)) {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (
      manifest.parameters.customers === BENCH_SCALE.customers &&
      manifest.parameters.seed === BENCH_SCALE.seed
    ) {
      return { dir, manifest };
    }
  }
  const t = Date.now();
  const manifest = await writeBusiness(dir, BENCH_SCALE);
  console.log(`generated the benchmark dataset in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return { dir, manifest };
}

/**
 * A fresh database on the PostgreSQL server of DATABASE_URL (benchmarks are for PostgreSQL); with
 * BENCH_DATABASE_URL, that database instead (kept: a database an earlier run kept with BENCH_KEEP_DB,
 * its tenants already loaded — see reuseBenchTenant).
 */
export async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void>; reused: boolean }> {
  if (process.env.BENCH_DATABASE_URL) {
    return { url: process.env.BENCH_DATABASE_URL, drop: async () => undefined, reused: true };
  }
  const base = process.env.DATABASE_URL;
  if (!base)
    throw new Error(
      'benchmarks run on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)',
    );
  const name = `harakah_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    reused: false,
    drop: async () => {
      if (process.env.BENCH_KEEP_DB) {
        console.log(`kept the benchmark database ${url.toString()} (BENCH_KEEP_DB)`);
        return;
      }
      const c = new Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Peak resident memory of a process, sampled from /proc every 100 ms. */
export class RssSampler {
  peakBytes = 0;
  private timer: NodeJS.Timeout;
  constructor(private readonly pid: number) {
    this.timer = setInterval(() => this.sample(), 100);
  }
  sample(): void {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      if (m) this.peakBytes = Math.max(this.peakBytes, Number(m[1]) * 1024);
    } catch {
      /* process gone */
    }
  }
  reset(): void {
    this.peakBytes = 0;
  }
  stop(): number {
    clearInterval(this.timer);
    return this.peakBytes;
  }
}

export interface Service {
  url: string;
  child: ChildProcess;
  rss: RssSampler;
  stop: () => Promise<void>;
}

/** Starts the built service as its own process, so its memory is measured apart from the client's. */
export async function startService(
  env: Record<string, string>,
  port = 3900 + Math.floor(Math.random() * 90),
): Promise<Service> {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_OPTIONS: process.env.SERVICE_NODE_OPTIONS ?? '',
      ADMIN_TOKEN,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const rss = new RssSampler(child.pid!);
  return {
    url,
    child,
    rss,
    stop: async () => {
      rss.stop();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

export async function createTenant(url: string, name: string): Promise<{ id: string; apiKey: string }> {
  const res = await fetch(`${url}/v1/admin/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`creating a tenant failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; apiKey: string };
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Milliseconds as "1.23 s". */
export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await work();
  return { value, ms: Date.now() - t };
}

/** The resources of the generated dataset, in import order. */
export const BENCH_RESOURCES = {
  customers: 'customer',
  products: 'product',
  inventory: 'inventory',
  invoices: 'invoice',
  payments: 'payment',
  'credit-notes': 'credit-note',
} as const;
export type BenchResource = keyof typeof BENCH_RESOURCES;

/**
 * A tenant on `serviceUrl` loaded with the given resources of the benchmark dataset through the
 * import API (batches of 10,000 lines, 2 in flight), printing what each took.
 */
export async function loadBenchTenant(
  serviceUrl: string,
  name: string,
  dir: string,
  resources: readonly BenchResource[],
): Promise<{ id: string; apiKey: string }> {
  const tenant = await createTenant(serviceUrl, name);
  for (const resource of resources) {
    const r = await importFile({
      url: serviceUrl,
      apiKey: tenant.apiKey,
      resource,
      file: join(dir, FILE_NAMES[BENCH_RESOURCES[resource]]),
      batchLines: 10_000,
      concurrency: 2,
      quiet: true,
    });
    if (r.failed) throw new Error(`${resource} import failed: ${JSON.stringify(r.failed).slice(0, 1000)}`);
    console.log(`  imported ${r.received} ${resource} in ${r.seconds.toFixed(1)} s`);
  }
  return tenant;
}

/** A tenant loaded by an earlier run (BENCH_DATABASE_URL): its id and a new API key. */
export async function reuseBenchTenant(
  serviceUrl: string,
  db: Client,
  name: string,
): Promise<{ id: string; apiKey: string }> {
  const [t] = (await db.query<{ id: string }>(`SELECT id FROM tenants WHERE name = $1`, [name])).rows;
  if (!t) throw new Error(`BENCH_DATABASE_URL has no tenant "${name}": run once with BENCH_KEEP_DB=1 first`);
  const res = await fetch(`${serviceUrl}/v1/admin/tenants/${t.id}/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`issuing a key failed: ${res.status} ${await res.text()}`);
  const { apiKey } = (await res.json()) as { apiKey: string };
  return { id: t.id, apiKey };
}

/** Every resource of the benchmark dataset, in import order. */
export const ALL_BENCH_RESOURCES = Object.keys(BENCH_RESOURCES) as BenchResource[];

/**
 * The benchmark tenant `name`: the one an earlier run kept (BENCH_DATABASE_URL, a new key issued) or
 * a new one loaded with `resources` of the dataset in `dir`.
 */
export async function benchTenant(
  serviceUrl: string,
  db: { url: string; reused: boolean },
  name: string,
  dir: string,
  resources: readonly BenchResource[] = ALL_BENCH_RESOURCES,
): Promise<{ id: string; apiKey: string }> {
  if (!db.reused) return loadBenchTenant(serviceUrl, name, dir, resources);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return await reuseBenchTenant(serviceUrl, client, name);
  } finally {
    await client.end();
  }
}

export interface BenchTenantEnv {
  asOf: string;
  manifest: Manifest;
  service: Service;
  tenant: { id: string; apiKey: string };
  /** direct SQL on the benchmark database (statistics refreshed after the import) */
  database: Database;
  close: () => Promise<void>;
}

/**
 * A fresh database, the service on it (no background loops), one tenant loaded with `resources` of
 * the benchmark dataset, and a direct database handle — what the engine benchmarks share.
 */
export async function benchTenantEnv(
  name: string,
  resources: readonly BenchResource[],
): Promise<BenchTenantEnv> {
  const { dir, manifest } = await benchDataset();
  const db = await freshDatabase();
  const service = await startService({
    DATABASE_URL: db.url,
    ANALYTICS_WORKER_ENABLED: 'false',
    SCHEDULER_ENABLED: 'false',
  });
  const ds = createDataSource(loadConfig({ DATABASE_URL: db.url, DB_POOL_SIZE: '4', LOG_LEVEL: 'silent' }));
  const close = async () => {
    if (ds.isInitialized) await ds.destroy();
    await service.stop();
    await db.drop();
  };
  try {
    const tenant = await loadBenchTenant(service.url, name, dir, resources);
    await ds.initialize();
    const database = new Database(ds);
    await database.query('ANALYZE');
    return { asOf: manifest.parameters.endDate, manifest, service, tenant, database, close };
  } catch (err) {
    await close();
    throw err;
  }
}
