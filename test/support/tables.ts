import { TestApp } from './app';

export const TENANT_TABLES = [
  'customers',
  'products',
  'invoices',
  'invoice_lines',
  'payments',
  'payment_allocations',
  'credit_notes',
  'credit_note_lines',
  'inventory_snapshots',
] as const;

/** Every row of every document table for one tenant, in a stable order: to prove "nothing changed". */
export async function tenantContents(t: TestApp, tenantId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TENANT_TABLES) {
    out[table] = await t.sql(
      `SELECT to_jsonb(x) - 'tenant_id' AS row FROM ${table} x WHERE tenant_id = $1 ORDER BY to_jsonb(x)::text`,
      [tenantId],
    );
  }
  return out;
}

export async function tenantCounts(t: TestApp, tenantId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TENANT_TABLES) {
    const [r] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [
      tenantId,
    ]);
    out[table] = Number(r!.n);
  }
  return out;
}
