import { createHash } from 'node:crypto';
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

  it('frees the key of a request that failed on our side (5xx), so the retry imports once', async () => {
    const tenant = await createTenant(t);
    // a fault inside the database for one tenant's batch: an error no client input could cause
    await t.sql(`CREATE OR REPLACE FUNCTION harakah_test_fault() RETURNS trigger AS $$
                 BEGIN RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql`);
    await t.sql(`CREATE TRIGGER harakah_test_fault BEFORE INSERT ON customers FOR EACH ROW
                 WHEN (NEW.tenant_id = '${tenant.id}') EXECUTE FUNCTION harakah_test_fault()`);
    const body = [{ externalId: 'C1', name: 'Acme' }];
    try {
      const failed = await post(tenant, 'k-fault', body).expect(500);
      expect(failed.body.error).toBe('internal_error');
      expect(JSON.stringify(failed.body)).not.toMatch(/disk on fire/);
      expect(await runs(tenant)).toEqual([
        expect.objectContaining({ status: 'failed', error: 'internal_error', idempotencyKey: 'k-fault' }),
      ]);
    } finally {
      await t.sql(`DROP TRIGGER harakah_test_fault ON customers`);
      await t.sql(`DROP FUNCTION harakah_test_fault()`);
    }
    const retry = await post(tenant, 'k-fault', body).expect(200);
    expect(retry.body).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0 });
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    const replay = await post(tenant, 'k-fault', body).expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const rows = await t.sql(`select 1 from customers where tenant_id = $1`, [tenant.id]);
    expect(rows).toHaveLength(1);
  });

  it('takes over a key whose run lost its lease (its process died) instead of answering 409 for good', async () => {
    const tenant = await createTenant(t);
    const body = [{ externalId: 'C1', name: 'Acme' }];
    const hash = createHash('sha256').update('customers\njson\n').update(JSON.stringify(body)).digest('hex');
    // the state a process killed mid-import leaves behind: a running run holding the key
    await t.sql(
      `INSERT INTO import_runs (tenant_id, id, resource, format, status, idempotency_key, request_hash, started_at,
                                owner, lease_expires_at)
       VALUES ($1, gen_random_uuid(), 'customers', 'json', 'running', 'k-dead', $2, now() - interval '1 minute',
               'gone:1:dead', now() + interval '1 hour')`,
      [tenant.id, hash],
    );
    const busy = await post(tenant, 'k-dead', body).expect(409);
    expect(busy.body.error).toBe('idempotency_in_progress');
    await t.sql(
      `UPDATE import_runs SET lease_expires_at = now() - interval '1 second' WHERE tenant_id = $1`,
      [tenant.id],
    );
    const retry = await post(tenant, 'k-dead', body).expect(200);
    expect(retry.body.created).toBe(1);
    const list = (await runs(tenant)) as { status: string; error: string | null }[];
    expect(list.map((r) => [r.status, r.error]).sort()).toEqual([
      ['failed', 'interrupted'],
      ['succeeded', null],
    ]);
  });
});
