import { DataSource } from 'typeorm';
import { Database } from '../../src/database/database';
import { asSystem, runAsRequest, bindTenant, withTenant } from '../../src/database/tenant-context';
import * as biz from '../fixtures/small-business';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * Row-level security is a second wall: a query that forgets its `WHERE tenant_id` still sees only
 * the tenant its request is bound to. Checked with queries that deliberately have no tenant filter,
 * on PostgreSQL and on PGlite alike.
 */
describe('row-level security', () => {
  let t: TestApp;
  let db: Database;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    db = t.app.get(Database);
    a = await createTenant(t);
    b = await createTenant(t);
    for (const tenant of [a, b]) {
      for (const r of biz.ORDER) await importBatch(t, tenant, r, biz.all[r]).expect(200);
    }
  });
  afterAll(() => t.close());

  const tenantsOf = async (sql: string) =>
    [...new Set((await db.query<{ tenant_id: string }>(sql)).map((r) => r.tenant_id))].sort();

  it('every table with a tenant_id column has the tenant_isolation policy', async () => {
    const missing = await t.sql<{ relname: string }>(
      `SELECT c.relname FROM pg_class c
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relispartition
          AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
                                                  AND p.polname = 'tenant_isolation'))`,
    );
    expect(missing).toEqual([]);
  });

  it('a query without a tenant filter, in a tenant context, sees only that tenant', async () => {
    for (const table of [
      'customers',
      'invoices',
      'invoice_lines',
      'payments',
      'products',
      'api_keys',
      'import_runs',
    ]) {
      expect(await withTenant(a.id, () => tenantsOf(`SELECT tenant_id FROM ${table}`))).toEqual([a.id]);
      expect(await withTenant(b.id, () => tenantsOf(`SELECT tenant_id FROM ${table}`))).toEqual([b.id]);
    }
    const tenants = await withTenant(a.id, () => db.query<{ id: string }>(`SELECT id FROM tenants`));
    expect(tenants.map((r) => r.id)).toEqual([a.id]);
  });

  it('also inside a transaction, and in a request bound by its guard', async () => {
    const inTx = await withTenant(b.id, () =>
      db.transaction((tx) => tx.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM invoices`)),
    );
    expect(inTx).toEqual([{ tenant_id: b.id }]);
    const request = await runAsRequest(async () => {
      const before = await db.query(`SELECT 1 FROM customers`);
      bindTenant(a.id);
      const after = await tenantsOf(`SELECT tenant_id FROM customers`);
      return { before: before.length, after };
    });
    expect(request).toEqual({ before: 0, after: [a.id] }); // unbound: nothing; bound: its own rows
  });

  it("refuses to write a row into another tenant's data", async () => {
    await expect(
      withTenant(a.id, () =>
        db.query(`INSERT INTO customers (tenant_id, external_id, name) VALUES ($1, 'X', 'X')`, [b.id]),
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await withTenant(a.id, () =>
      db.query(`UPDATE customers SET name = 'hijacked' WHERE tenant_id = $1 RETURNING id`, [b.id]),
    );
    expect(updated).toEqual([]);
  });

  it('system work sees every tenant', async () => {
    expect(await asSystem(() => tenantsOf(`SELECT tenant_id FROM customers`))).toEqual(
      expect.arrayContaining([a.id, b.id]),
    );
    const ds = t.app.get(DataSource);
    expect((await ds.query(`SELECT current_user AS u`))[0].u).not.toBe('harakah_app');
  });

  it('the HTTP API keeps working through it, each tenant with its own data', async () => {
    const res = await t.http.get('/v1/customers?limit=50').set(a.auth).expect(200);
    expect(res.body.data.length).toBe(biz.customers.length);
  });
});
