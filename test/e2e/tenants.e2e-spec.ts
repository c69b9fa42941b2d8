import { ADMIN_TOKEN, bootApp, createTenant, importBatch, TestApp } from '../support/app';

describe('tenants and API keys', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp();
  });
  afterAll(() => t.close());

  it('creates a tenant with SAR and Asia/Riyadh by default and shows its key once', async () => {
    const res = await t.http
      .post('/v1/admin/tenants')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: 'Al Ufuq' })
      .expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      apiKey: expect.stringMatching(/^hk_/),
      apiKeyId: expect.any(String),
    });
    const [row] = await t.sql<{ currency: string; timezone: string }>(
      'SELECT currency, timezone FROM tenants WHERE id = $1',
      [res.body.id],
    );
    expect(row).toEqual({ currency: 'SAR', timezone: 'Asia/Riyadh' });
    const stored = await t.sql<{ key_hash: string }>('SELECT key_hash FROM api_keys WHERE tenant_id = $1', [
      res.body.id,
    ]);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key_hash).not.toContain(res.body.apiKey);
    const keys = await t.http
      .get(`/v1/admin/tenants/${res.body.id}/keys`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(200);
    expect(JSON.stringify(keys.body)).not.toContain(res.body.apiKey);
  });

  it('refuses admin calls without the admin token', async () => {
    await t.http.post('/v1/admin/tenants').send({ name: 'x' }).expect(401);
    const res = await t.http
      .post('/v1/admin/tenants')
      .set('Authorization', 'Bearer wrong-token-wrong-token')
      .send({ name: 'x' })
      .expect(401);
    expect(res.body.error).toBe('unauthorized');
  });

  it('refuses a tenant key on the admin API', async () => {
    const tenant = await createTenant(t);
    await t.http.post('/v1/admin/tenants').set(tenant.auth).send({ name: 'x' }).expect(401);
  });

  it('validates the tenant body: field path and rule in a 422', async () => {
    const res = await t.http
      .post('/v1/admin/tenants')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: '', currency: 'riyal', timezone: 'Mars/Olympus', extra: 1 })
      .expect(422);
    const fields = res.body.errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(['currency', 'extra', 'name']);
    const tz = await t.http
      .post('/v1/admin/tenants')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: 'ok', timezone: 'Mars/Olympus' })
      .expect(422);
    expect(tz.body.errors).toEqual([{ field: 'timezone', message: expect.stringContaining('IANA') }]);
  });

  it('answers malformed JSON with a 400, not a 500', async () => {
    const res = await t.http
      .post('/v1/admin/tenants')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body.error).toBe('bad_request');
  });

  it('issues a second key, and a revoked key stops working at once', async () => {
    const tenant = await createTenant(t);
    const second = await t.http
      .post(`/v1/admin/tenants/${tenant.id}/keys`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({ name: 'sync' })
      .expect(201);
    await t.http.get('/v1/import/runs').set('Authorization', `Bearer ${second.body.apiKey}`).expect(200);
    await t.http
      .delete(`/v1/admin/tenants/${tenant.id}/keys/${second.body.id}`)
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .expect(204);
    await t.http.get('/v1/import/runs').set('Authorization', `Bearer ${second.body.apiKey}`).expect(401);
    await t.http.get('/v1/import/runs').set(tenant.auth).expect(200);
  });

  it("accepts Qoyod's API-KEY header as well as a bearer token", async () => {
    const tenant = await createTenant(t);
    await t.http.get('/v1/import/runs').set('API-KEY', tenant.apiKey).expect(200);
  });

  it('answers 401 to a missing or unknown key', async () => {
    await t.http.get('/v1/import/runs').expect(401);
    await t.http.get('/v1/import/runs').set('Authorization', 'Bearer hk_nope').expect(401);
    await t.http.get('/v1/customers/C1').set('API-KEY', 'hk_nope').expect(401);
  });

  it('answers 404 for keys of an unknown tenant', async () => {
    await t.http
      .post('/v1/admin/tenants/00000000-0000-4000-8000-000000000000/keys')
      .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
      .send({})
      .expect(404);
  });

  it('serves health and the OpenAPI document', async () => {
    await t.http.get('/health').expect(200, { status: 'ok', database: 'up' });
    const doc = await t.http.get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/admin/tenants',
        '/v1/import/{resource}',
        '/v1/import/runs',
        '/v1/invoices',
        '/health',
      ]),
    );
  });

  it('tags every response with a request id', async () => {
    const res = await t.http.get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(res.headers['x-request-id']).toBe('abc-123');
    const err = await t.http.get('/v1/customers/x').expect(401);
    expect(err.body.requestId).toEqual(err.headers['x-request-id']);
  });

  it('imports a customer end to end', async () => {
    const tenant = await createTenant(t);
    const res = await importBatch(t, tenant, 'customers', [{ externalId: 'C1', name: 'Acme' }]).expect(200);
    expect(res.body).toEqual({ received: 1, created: 1, updated: 0, unchanged: 0 });
  });
});
