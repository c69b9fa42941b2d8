import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { Queryable } from '../src/database/database';
import { closeWorkspace, openWorkspace, RECOMPUTE_STEPS } from '../src/analytics/snapshots/recompute.steps';
import { withDefaults } from '../src/settings/settings';

/**
 * Where a recompute's time goes, statement by statement (a tool for tuning, not a benchmark):
 *
 *   node dist/bench/profile-recompute.js <database url> <tenant name> <asOf> [<out dir>]
 *
 * runs RECOMPUTE_STEPS for the tenant in one transaction, as the service does (same work_mem, no
 * JIT, same workspace), prints each step's and each slow statement's time and, with an out dir,
 * writes there the EXPLAIN (ANALYZE, BUFFERS) plan of every statement that stages a table or writes the
 * snapshot's customer rows
 * (EXPLAIN ANALYZE runs the statement, so the steps still see their tables; per-row timing makes
 * those statements slower than without it). Everything is rolled back: no snapshot is published.
 * Typically on a database kept by `BENCH_KEEP_DB=1 npm run bench -- analytics`, tenant
 * `bench-analytics`, asOf 2026-10-31.
 */
async function main(): Promise<void> {
  const [url, tenantName, asOf, outDir] = process.argv.slice(2);
  if (!url || !tenantName || !asOf) {
    throw new Error('usage: profile-recompute <database url> <tenant name> <asOf> [<out dir>]');
  }
  if (outDir) mkdirSync(outDir, { recursive: true });
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    const [tenant] = (
      await c.query<{ id: string; settings: Record<string, unknown>; data_version: string }>(
        `SELECT id, settings, data_version FROM tenants WHERE name = $1`,
        [tenantName],
      )
    ).rows;
    if (!tenant) throw new Error(`no tenant named ${tenantName}`);
    await c.query('BEGIN');
    await c.query(`SET LOCAL work_mem = '256MB'`);
    await c.query(`SET LOCAL jit = off`);
    const snapshotId = randomUUID();
    await c.query(
      `INSERT INTO analytics_snapshots (tenant_id, id, as_of, data_version, settings_hash, customers, duration_ms)
       VALUES ($1, $2, $3, 0, 'profile', 0, 0)`,
      [tenant.id, snapshotId, asOf],
    );
    let plans = 0;
    const tx: Queryable = {
      query: async <T>(sql: string, params?: unknown[]): Promise<T[]> => {
        // staged tables and the snapshot's rows (other statements may need their RETURNING rows)
        const writes =
          /^\s*(CREATE (UNLOGGED|TEMPORARY) TABLE \w+ .*AS|INSERT INTO \S*snapshot_customers_)/s.test(sql);
        const label = sql.trim().slice(0, 70).replace(/\s+/g, ' ');
        const t0 = Date.now();
        if (outDir && writes) {
          const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
          const file = join(outDir, `${String(++plans).padStart(2, '0')}.txt`);
          writeFileSync(file, `${sql}\n\n${r.rows.map((x) => x['QUERY PLAN']).join('\n')}\n`);
          console.log(`  ${Date.now() - t0} ms  ${label}  → ${file}`);
          return [];
        }
        const r = await c.query(sql, params);
        if (Date.now() - t0 >= 100) console.log(`  ${Date.now() - t0} ms  ${label}`);
        return r.rows as T[];
      },
    };
    const settings = withDefaults(tenant.settings);
    const workspace = await openWorkspace(tx, snapshotId);
    for (const step of RECOMPUTE_STEPS) {
      const t0 = Date.now();
      await step.run({
        tx,
        tenantId: tenant.id,
        snapshotId,
        asOf,
        dataVersion: Number(tenant.data_version),
        settings,
        workspace,
        afterCommit: [],
      });
      console.log(`${step.name}: ${Date.now() - t0} ms`);
    }
    await closeWorkspace(tx, workspace);
  } finally {
    await c.query('ROLLBACK').catch(() => undefined);
    await c.end();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
