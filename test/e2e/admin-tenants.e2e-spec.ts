import * as biz from '../fixtures/small-business';
import {
  ADMIN_TOKEN,
  bootApp,
  createTenant,
  importBatch,
  recomputeNow,
  TestApp,
  TestTenant,
} from '../support/app';

const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

describe('admin: tenants list, suspend, delete; key rotation', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    a = await createTenant(t, { name: 'Alpha Trading' });
    b = await createTenant(t, { name: 'Beta Foods' });
    for (const tenant of [a, b]) {
      for (const r of biz.ORDER) await importBatch(t, tenant, r, biz.all[r]).expect(200);
    }
  });
  afterAll(() => t.close());

  it('lists tenants with their counts, paged', async () => {
    const first = await t.http.get('/v1/admin/tenants?limit=1').set(admin).expect(200);
    expect(first.body.data).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const all = await t.http.get('/v1/admin/tenants?limit=500').set(admin).expect(200);
    const alpha = (all.body.data as { id: string }[]).find((x) => x.id === a.id);
    expect(alpha).toMatchObject({
      name: 'Alpha Trading',
      currency: 'SAR',
      status: 'active',
      suspendedAt: null,
      counts: {
        customers: biz.customers.length,
        products: biz.products.length,
        invoices: biz.invoices.length,
        payments: biz.payments.length,
        creditNotes: biz.creditNotes.length,
        apiKeys: 1,
      },
      lastImportAt: expect.any(String),
    });
    const one = await t.http.get(`/v1/admin/tenants/${a.id}`).set(admin).expect(200);
    expect(one.body).toEqual(alpha);
    await t.http.get('/v1/admin/tenants').set(a.auth).expect(401);
  });

  it('suspends a tenant: its key gets 403 tenant_suspended, its data stays, other tenants go on; resume restores it', async () => {
    const s = await t.http.post(`/v1/admin/tenants/${a.id}/suspend`).set(admin).expect(200);
    expect(s.body).toMatchObject({ status: 'suspended', suspendedAt: expect.any(String) });
    const refused = await t.http.get('/v1/customers').set(a.auth).expect(403);
    expect(refused.body.error).toBe('tenant_suspended');
    await importBatch(t, a, 'customers', [{ externalId: 'NEW', name: 'New' }]).expect(403);
    await t.http.get('/v1/customers').set(b.auth).expect(200);
    const kept = await t.sql(`select count(*)::int as n from customers where tenant_id = $1`, [a.id]);
    expect(kept[0]!.n).toBe(biz.customers.length);
    await t.http.post(`/v1/admin/tenants/${a.id}/resume`).set(admin).expect(200);
    await t.http.get('/v1/customers').set(a.auth).expect(200);
  });

  it('rotates a key with an overlap: both work during it, the old one stops after it', async () => {
    const keys = await t.http.get(`/v1/admin/tenants/${b.id}/keys`).set(admin).expect(200);
    const oldId = keys.body[0].id as string;
    const rotated = await t.http
      .post(`/v1/admin/tenants/${b.id}/keys/${oldId}/rotate`)
      .set(admin)
      .send({ overlapSeconds: 3600 })
      .expect(201);
    expect(rotated.body).toMatchObject({ apiKey: expect.stringMatching(/^hk_/), previousKeyId: oldId });
    const expiresIn = Date.parse(rotated.body.previousKeyExpiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(3500_000);
    expect(expiresIn).toBeLessThan(3700_000);
    await t.http.get('/v1/settings').set(b.auth).expect(200);
    await t.http.get('/v1/settings').set('Authorization', `Bearer ${rotated.body.apiKey}`).expect(200);
    const listed = await t.http.get(`/v1/admin/tenants/${b.id}/keys`).set(admin).expect(200);
    expect(listed.body.find((k: { id: string }) => k.id === oldId)).toMatchObject({
      replacedBy: rotated.body.id,
      expiresAt: expect.anything(),
    });
    // the overlap ends (moved into the past here rather than waited for)
    await t.sql(
      `update api_keys set expires_at = now() - interval '1 second' where tenant_id = $1 and id = $2`,
      [b.id, oldId],
    );
    await new Promise((r) => setTimeout(r, 2100)); // the key cache's time to live
    await t.http.get('/v1/settings').set(b.auth).expect(401);
    await t.http.get('/v1/settings').set('Authorization', `Bearer ${rotated.body.apiKey}`).expect(200);
    await t.http
      .post(`/v1/admin/tenants/${b.id}/keys/${oldId}/rotate`)
      .set(admin)
      .send({ overlapSeconds: 10 })
      .expect(404);
    const bad = await t.http
      .post(`/v1/admin/tenants/${b.id}/keys/${rotated.body.id}/rotate`)
      .set(admin)
      .send({ overlapSeconds: 90 * 86400 })
      .expect(422);
    expect(bad.body.errors[0].field).toBe('overlapSeconds');
  });

  it('deletes a tenant and every row of it in one go; the other tenant is untouched', async () => {
    const doomed = await createTenant(t, { name: 'Gamma' });
    for (const r of biz.ORDER) await importBatch(t, doomed, r, biz.all[r]).expect(200);
    await recomputeNow(t, doomed, '2024-12-31');
    await t.http
      .post('/v1/reports/schedules')
      .set(doomed.auth)
      .send({ name: 'weekly', cron: '0 8 * * 1', timezone: 'Asia/Riyadh', report: 'churn-risk' })
      .then(() => undefined);
    const countAll = async (tenantId: string) => {
      const tables = await t.sql<{ table_name: string }>(
        `select c.relname as table_name from pg_class c join pg_attribute a on a.attrelid = c.oid
          where a.attname = 'tenant_id' and c.relkind in ('r', 'p') and not c.relispartition
            and c.relnamespace = current_schema()::regnamespace`,
      );
      let total = 0;
      for (const { table_name } of tables) {
        const [row] = await t.sql<{ n: number }>(
          `select count(*)::int as n from "${table_name}" where tenant_id = $1`,
          [tenantId],
        );
        total += row!.n;
      }
      return total;
    };
    const bBefore = await countAll(b.id);
    expect(await countAll(doomed.id)).toBeGreaterThan(20);

    const res = await t.http.delete(`/v1/admin/tenants/${doomed.id}`).set(admin).expect(200);
    expect(res.body.deletedRows).toMatchObject({
      customers: biz.customers.length,
      invoices: biz.invoices.length,
    });
    expect(await countAll(doomed.id)).toBe(0);
    expect(await t.sql(`select 1 from tenants where id = $1`, [doomed.id])).toHaveLength(0);
    expect(await countAll(b.id)).toBe(bBefore);
    await t.http.get(`/v1/admin/tenants/${doomed.id}`).set(admin).expect(404);
    await t.http.delete(`/v1/admin/tenants/${doomed.id}`).set(admin).expect(404);
    await t.http.get('/v1/customers').set(doomed.auth).expect(401);
  });
});
