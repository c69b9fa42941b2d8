import { bootApp, createTenant, TestApp, TestTenant } from '../support/app';

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  const post = (tenant: TestTenant, key: string, body: unknown) =>
    t.http
      .post('/v1/import/customers')
      .set(tenant.auth)
      .set('Idempotency-Key', key)
      .send(body as object);

  async function runs(tenant: TestTenant) {
    return (await t.http.get('/v1/import/runs').set(tenant.auth).expect(200)).body.data as unknown[];
  }

  it('replays the first response for the same key and body, without importing again', async () => {
    const tenant = await createTenant(t);
    const body = [{ externalId: 'C1', name: 'Acme' }];
    const first = await post(tenant, 'k-1', body).expect(200);
    expect(first.body).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0 });
    const again = await post(tenant, 'k-1', body).expect(200);
    expect(again.body).toEqual(first.body); // "created: 1" again: it is the first response, replayed
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await runs(tenant)).toHaveLength(1);
  });

  it('refuses the same key with another body (422) and writes nothing', async () => {
    const tenant = await createTenant(t);
    await post(tenant, 'k-2', [{ externalId: 'C1', name: 'Acme' }]).expect(200);
    const res = await post(tenant, 'k-2', [{ externalId: 'C1', name: 'Other name' }]).expect(422);
    expect(res.body.error).toBe('idempotency_key_reused');
    const [row] = await t.sql<{ name: string }>(`SELECT name FROM customers WHERE tenant_id = $1`, [
      tenant.id,
    ]);
    expect(row!.name).toBe('Acme');
  });

  it('replays a rejected batch as the same 422', async () => {
    const tenant = await createTenant(t);
    const first = await post(tenant, 'k-3', [{ name: 'no id' }]).expect(422);
    const again = await post(tenant, 'k-3', [{ name: 'no id' }]).expect(422);
    expect(again.body.errors).toEqual(first.body.errors);
  });

  it('scopes keys per tenant: the same key in another tenant is a different request', async () => {
    const a = await createTenant(t);
    const b = await createTenant(t);
    await post(a, 'shared-key', [{ externalId: 'C1', name: 'A' }]).expect(200);
    const res = await post(b, 'shared-key', [{ externalId: 'C1', name: 'B' }]).expect(200);
    expect(res.body.created).toBe(1);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('treats the same body on another resource as a different request', async () => {
    const tenant = await createTenant(t);
    await post(tenant, 'k-4', []).expect(200);
    const res = await t.http
      .post('/v1/import/products')
      .set(tenant.auth)
      .set('Idempotency-Key', 'k-4')
      .send([])
      .expect(422);
    expect(res.body.error).toBe('idempotency_key_reused');
  });

  it('lets concurrent requests with one key import once', async () => {
    const tenant = await createTenant(t);
    const body = Array.from({ length: 200 }, (_v, i) => ({ externalId: `C${i}`, name: `Customer ${i}` }));
    const results = await Promise.all([
      post(tenant, 'race', body),
      post(tenant, 'race', body),
      post(tenant, 'race', body),
    ]);
    const statuses = results.map((r) => r.status).sort();
    // each is either the import itself, its replay, or "still running" — never a second import
    for (const s of statuses) expect([200, 409]).toContain(s);
    const created = results.filter((r) => r.status === 200).map((r) => r.body.created);
    for (const c of created) expect(c).toBe(200);
    const [n] = await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM import_runs WHERE tenant_id = $1`,
      [tenant.id],
    );
    expect(n!.n).toBe(1);
  });
});
