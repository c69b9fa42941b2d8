import { Client } from 'pg';
import { PARTITION_SCHEMA, snapshotPartition } from '../src/analytics/snapshots/snapshot.queries';

/**
 * What any snapshot of the customer-analytics issue must at least do, timed on its own in the run
 * that measures the floor (best of 3 each), so the recompute target can be read against it:
 *   settlement  one pass over the payment allocations with their payments and invoices, summed per
 *               invoice — the least that receivables (open amounts, aging, days to pay) and the cost
 *               of credit need; the floor reads no payment
 *   write       the snapshot's customer rows written again (copied from the published partition,
 *               so nothing is computed) with its keys and sort indexes — what the list's pages and
 *               sorts are read from
 * The floor's own pass over the lines is the third mandatory part (sales and COGS per customer).
 * Everything runs in a transaction that is rolled back.
 */
export interface RecomputeBound {
  settlementSeconds: number;
  writeSeconds: number;
  indexes: number;
}

async function best(run: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return fastest;
}

export async function recomputeBound(c: Client, tenantId: string, asOf: string): Promise<RecomputeBound> {
  const settlementSeconds = await best(() =>
    c.query(
      `SELECT a.invoice_id, sum(a.amount * i.exchange_rate), max(p.payment_date)
         FROM payment_allocations a
         JOIN payments p ON p.tenant_id = $1 AND p.id = a.payment_id
         JOIN invoices i ON i.tenant_id = $1 AND i.id = a.invoice_id
        WHERE a.tenant_id = $1 AND p.payment_date <= $2 AND i.status IN ('issued', 'paid') AND i.issue_date <= $2
        GROUP BY a.invoice_id`,
      [tenantId, asOf],
    ),
  );
  const [t] = (
    await c.query<{ snapshot: string | null }>(
      `SELECT current_snapshot_id AS snapshot FROM tenants WHERE id = $1`,
      [tenantId],
    )
  ).rows;
  if (!t?.snapshot) throw new Error('no published snapshot to copy: run a recompute first');
  const [{ schema } = { schema: 'public' }] = (await c.query<{ schema: string }>(PARTITION_SCHEMA)).rows;
  const published = { partition: snapshotPartition(schema, t.snapshot) };
  const indexes = (
    await c.query<{ def: string }>(
      `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = $1::regclass`,
      [published.partition],
    )
  ).rows.map((r) => r.def.replace(/ INDEX \S+ ON \S+/, ' INDEX ON bound_copy'));
  const writeSeconds = await best(async () => {
    await c.query('BEGIN');
    try {
      await c.query(`CREATE TABLE bound_copy (LIKE snapshot_customers INCLUDING DEFAULTS)`);
      await c.query(`INSERT INTO bound_copy SELECT * FROM ${published.partition}`);
      for (const def of indexes) await c.query(def);
    } finally {
      await c.query('ROLLBACK');
    }
  });
  return { settlementSeconds, writeSeconds, indexes: indexes.length };
}
