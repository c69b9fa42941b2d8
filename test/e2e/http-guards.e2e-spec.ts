import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { CONTENT_SECURITY_POLICY } from '../../src/ops/http-guards';
import { ADMIN_TOKEN, bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/** Sends raw bytes on a new connection and resolves with whatever the server answered before closing. */
function rawExchange(
  port: number,
  head: string,
  body = '',
  waitMs = 5000,
): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = () => resolve({ text, ms: Date.now() - started });
    const guard = setTimeout(() => {
      socket.destroy();
      done();
    }, waitMs);
    socket.on('connect', () => socket.write(head + body));
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('close', () => {
      clearTimeout(guard);
      done();
    });
    socket.on('error', (err) => {
      clearTimeout(guard);
      if (text) done();
      else reject(err);
    });
  });
}

const deepArray = '['.repeat(200_000) + ']'.repeat(200_000);
const deepObject = '{"a":'.repeat(60_000) + '1' + '}'.repeat(60_000);

describe('HTTP guards: nesting, control characters, sizes, slow bodies, headers, CORS', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let port: number;

  beforeAll(async () => {
    t = await bootApp({ BODY_TIMEOUT_MS: '400' });
    tenant = await createTenant(t);
    const server = t.app.getHttpServer() as import('node:http').Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  const jsonRoutes: [string, string, boolean][] = [
    ['post', '/v1/admin/tenants', true],
    ['put', '/v1/settings', false],
    ['post', '/v1/analytics/recompute', false],
    ['post', '/v1/reports/schedules', false],
    ['post', '/v1/import/customers', false],
    ['post', '/v1/import/invoices', false],
  ];

  describe.each([
    ['an array nested 200,000 deep', deepArray],
    ['an object nested 60,000 deep', deepObject],
  ])('%s is a 400 with a message, never a 500', (_name, body) => {
    it.each(jsonRoutes)('%s %s', async (method, path, admin) => {
      const res = await (t.http as unknown as Record<string, (p: string) => request.Test>)[method]!(path)
        .set('Authorization', admin ? `Bearer ${ADMIN_TOKEN}` : tenant.auth.Authorization)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body).toMatchObject({
        error: 'bad_request',
        message: 'request body is nested more than 64 levels deep',
      });
    });
  });

  it('nesting up to the limit is still read (and judged on its content)', async () => {
    const body = { tags: JSON.parse('['.repeat(60) + ']'.repeat(60)) as unknown };
    const res = await t.http.put('/v1/settings').set(tenant.auth).send(body).expect(422);
    expect(res.body.errors[0].field).toBe('tags'); // an unknown property, not a nesting error
  });

  describe('a control character in a field name is a 422 naming its path, and nothing is written', () => {
    const records: Record<string, unknown[]> = {
      customers: [{ externalId: 'c1', name: 'A', 'na\u0000me': 1 }],
      products: [{ externalId: 'p1', name: 'P', 'co\u0000st': '1' }],
      invoices: [
        { externalId: 'i1', customerId: 'c1', issueDate: '2024-01-01', lines: [{ 'q\u0000ty': 1 }] },
      ],
      payments: [{ externalId: 'pay1', 'cus\u0001tomerId': 'c1' }],
      'credit-notes': [{ externalId: 'cn1', 'x\u001fy': 1 }],
      inventory: [{ 'product\u0000Id': 'p1' }],
    };
    it.each(Object.keys(records))('%s', async (resource) => {
      const res = await importBatch(t, tenant, resource, records[resource]).expect(422);
      const error = (res.body.errors as { field: string; message: string; index: number }[])[0]!;
      expect(error.index).toBe(0);
      expect(error.field).toMatch(/\\u00(00|01|1f)/);
      expect(error.message).toMatch(/control characters/);
      const counts = await t.sql<{ n: string }>(
        `select (select count(*) from customers where tenant_id = $1)
              + (select count(*) from products where tenant_id = $1)
              + (select count(*) from invoices where tenant_id = $1) as n`,
        [tenant.id],
      );
      expect(Number(counts[0]!.n)).toBe(0);
    });

    it('in a settings body too', async () => {
      const res = await t.http
        .put('/v1/settings')
        .set(tenant.auth)
        .send('{"new\\u0000Days": 45}')
        .set('Content-Type', 'application/json')
        .expect(422);
      expect(res.body.errors[0].field).toBe('new\\u0000Days');
    });
  });

  describe('a declared Content-Length over the limit is a 413 at once, before any body is sent', () => {
    it.each([
      ['PUT', '/v1/settings', 70 * 1024 * 1024],
      ['POST', '/v1/reports/schedules', 5 * 1024 * 1024],
      ['POST', '/v1/admin/tenants', 2 * 1024 * 1024],
      ['POST', '/v1/import/customers', 900 * 1024 * 1024],
    ])('%s %s', async (method, path, size) => {
      const { text } = await rawExchange(
        port,
        `${method} ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: ${tenant.auth.Authorization}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
        '{}',
      );
      expect(text).toMatch(/^HTTP\/1\.1 413/);
      expect(text).toMatch(/payload_too_large/);
    });
  });

  it('a body that stops arriving is cut with a 408 after BODY_TIMEOUT_MS, not held until the client gives up', async () => {
    const { text, ms } = await rawExchange(
      port,
      `PUT /v1/settings HTTP/1.1\r\nHost: x\r\nAuthorization: ${tenant.auth.Authorization}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n`,
      '{"',
    );
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toMatch(/request_timeout/);
    expect(ms).toBeLessThan(4500); // the exchange's own 5 s guard did not have to end it
    const settings = await t.http.get('/v1/settings').set(tenant.auth).expect(200);
    expect(settings.body.newDays).toBeDefined();
  });

  describe('security headers on every answer', () => {
    it.each([
      ['a read', '/v1/settings', 200],
      ['an error', '/v1/customers/nobody-here', 404],
      ['an unknown path', '/nowhere', 404],
      ['health', '/health', 200],
    ])('%s', async (_name, path, status) => {
      const res = await t.http.get(path).set(tenant.auth).expect(status);
      expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined(); // plain HTTP here
    });

    it('the API documentation keeps a same-origin policy that lets Swagger UI run', async () => {
      const res = await t.http.get('/docs/').expect(200);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'unsafe-inline'/);
      const script = /src="\.?\/?([^"]+\.js)"/.exec(res.text)?.[1];
      expect(script).toBeDefined();
      await t.http.get(`/docs/${script!.replace(/^docs\//, '')}`).expect(200);
    });

    it('CORS is off by default: no Access-Control header, even for a preflight', async () => {
      const pre = await t.http
        .options('/v1/customers')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'GET');
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const get = await t.http.get('/v1/settings').set(tenant.auth).set('Origin', 'https://evil.example');
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});

describe('CORS with an allow-list', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ CORS_ORIGINS: 'https://erp.example.com' });
  });
  afterAll(() => t.close());

  it('answers the listed origin and its preflight', async () => {
    const pre = await t.http
      .options('/v1/customers')
      .set('Origin', 'https://erp.example.com')
      .set('Access-Control-Request-Method', 'GET')
      .expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://erp.example.com');
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const res = await t.http.get('/health').set('Origin', 'https://erp.example.com').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('https://erp.example.com');
    expect(res.headers.vary).toMatch(/Origin/);
  });

  it('and no other', async () => {
    const res = await t.http.get('/health').set('Origin', 'https://erp.example.com.evil.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('rate limits', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;
  beforeAll(async () => {
    t = await bootApp({
      RATE_LIMIT_PER_KEY: '5',
      RATE_LIMIT_PER_ADDRESS: '12',
      IMPORT_BYTES_PER_MINUTE: '2kb',
    });
    a = await createTenant(t);
    b = await createTenant(t);
  });
  afterAll(() => t.close());

  it('per API key: 429 with Retry-After and the RateLimit headers once the quota is spent; other keys go on', async () => {
    const seen: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await t.http.get('/v1/settings').set(a.auth);
      seen.push(last.status);
      if (i === 0) {
        expect(last.headers['ratelimit-policy']).toBe('"key";q=5;w=60');
        expect(last.headers.ratelimit).toMatch(/^"key";r=4;t=\d+$/);
      }
    }
    expect(seen).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.body.error).toBe('too_many_requests');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.headers.ratelimit).toMatch(/^"key";r=0;t=\d+$/);
    await t.http.get('/v1/settings').set(b.auth).expect(200);
  });

  it('per address: a client rotating made-up keys is stopped too; /health is never limited', async () => {
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++) {
      status = (await t.http.get('/v1/settings').set('Authorization', `Bearer made-up-${i}`)).status;
    }
    expect(status).toBe(429);
    await t.http.get('/health').expect(200);
  });
});

describe('import bytes per minute', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await bootApp({ IMPORT_BYTES_PER_MINUTE: '2kb' });
  });
  afterAll(() => t.close());

  it('refuses a tenant past its budget with a 429 and imports nothing; another tenant is unaffected', async () => {
    const a = await createTenant(t);
    const b = await createTenant(t);
    const batch = (n: number, p: string) =>
      Array.from({ length: n }, (_, i) => ({
        externalId: `${p}-${i}`,
        name: `Customer ${i} with a long name`,
      }));
    await importBatch(t, a, 'customers', batch(20, 'x')).expect(200); // about 1.2 kB
    const refused = await importBatch(t, a, 'customers', batch(20, 'y')).expect(429);
    expect(refused.body.error).toBe('too_many_requests');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const rows = await t.sql(`select 1 from customers where tenant_id = $1 and external_id like 'y-%'`, [
      a.id,
    ]);
    expect(rows).toHaveLength(0);
    await importBatch(t, b, 'customers', batch(20, 'y')).expect(200);
  });
});
