import * as biz from '../fixtures/small-business';
import { ADMIN_TOKEN, bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * Input a client can send that once reached the database unchecked: each must be a 4xx naming the
 * field, never a 500.
 */
describe('hostile input', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    tenant = await createTenant(t);
    for (const resource of biz.ORDER) await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
  });
  afterAll(() => t.close());

  const cursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

  describe('a query parameter the endpoint does not take is a 400 naming it, not ignored', () => {
    it.each([
      ['/v1/analytics/rfm?asof=2024-01-01', 'asof'],
      ['/v1/analytics/lifecycle?asOf=2024-06-30&window=30', 'window'],
      ['/v1/customers?sortBy=recency', 'sortBy'],
      ['/v1/customers/C1?asOf=2024-06-30&lang=ar', 'lang'],
      ['/v1/analytics/profitability?group=product', 'group'],
      ['/v1/analytics/receivables/aging?asOf=2024-06-30&Limit=5', 'Limit'],
      ['/v1/invoices?customer=C1', 'customer'],
      ['/v1/settings?x=1', 'x'],
    ])('%s', async (path, field) => {
      const res = await t.http.get(path).set(tenant.auth).expect(400);
      expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
      expect(res.body.message).toContain(`${field} is not a query parameter of this endpoint`);
    });

    it('while every parameter the OpenAPI document declares is taken', async () => {
      const doc = (await t.http.get('/docs-json').expect(200)).body as {
        paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
      };
      const rfm = doc.paths['/v1/analytics/rfm']!.get!.parameters!.filter((p) => p.in === 'query');
      expect(rfm.map((p) => p.name).sort()).toEqual(['asOf', 'windowDays']);
      await t.http.get('/v1/analytics/rfm?asOf=2024-06-30&windowDays=365').set(tenant.auth).expect(200);
      await t.http.get('/health?probe=1').expect(200);
    });
  });

  describe('a cursor of the right length holding values of the wrong type is a 400', () => {
    const lists = [
      '/v1/import/runs',
      '/v1/invoices',
      '/v1/customers',
      '/v1/customers?sort=recency',
      '/v1/analytics/churn',
      '/v1/analytics/churn/next-purchases',
      '/v1/reports/schedules',
      '/v1/reports/runs',
    ];
    const keys = [
      ['x', 'x'],
      ['2024-02-30', 'C1'],
      [true, { a: 1 }],
      ['2024-01-01', 1.5],
      ['1', null],
      ['x', 1, 'y'],
      ['1', 1e12, 'C1'],
      ['\u0000', '\u0000'],
    ];
    it.each(lists)('%s', async (path) => {
      for (const key of keys) {
        const sep = path.includes('?') ? '&' : '?';
        const res = await t.http.get(`${path}${sep}cursor=${cursor(key)}`).set(tenant.auth);
        expect({ key, status: res.status }).toEqual({ key, status: 400 });
        expect(res.body).toMatchObject({ error: 'bad_request', details: { field: 'cursor' } });
      }
    });

    it('while the nextCursor a list hands out still pages through it', async () => {
      const first = await t.http.get('/v1/invoices?limit=1').set(tenant.auth).expect(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const next = await t.http
        .get(`/v1/invoices?limit=1&cursor=${first.body.nextCursor}`)
        .set(tenant.auth)
        .expect(200);
      expect(next.body.data[0].externalId).not.toBe(first.body.data[0].externalId);
      const customers = await t.http.get('/v1/customers?limit=1&sort=recency').set(tenant.auth).expect(200);
      await t.http
        .get(`/v1/customers?limit=1&sort=recency&cursor=${customers.body.nextCursor}`)
        .set(tenant.auth)
        .expect(200);
    });
  });
  describe('a NUL character, which PostgreSQL cannot store, is a 4xx naming where it was', () => {
    it.each([
      ['/v1/customers/C%001', 'externalId'],
      ['/v1/customers/C%001/statement', 'externalId'],
      ['/v1/products/SKU%00', 'externalId'],
      ['/v1/invoices?customerId=C%001', 'customerId'],
      ['/v1/analytics/restock?warehouseId=main%00', 'warehouseId'],
    ])('GET %s', async (path, field) => {
      const res = await t.http.get(path).set(tenant.auth).expect(400);
      expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
    });

    it('in a JSON body', async () => {
      const res = await t.http
        .post('/v1/admin/tenants')
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ name: 'Al\u0000Ufuq' })
        .expect(422);
      expect(res.body.errors).toEqual([{ field: 'name', message: 'must not contain a NUL character' }]);
    });

    it('in an imported record, which rejects the batch and writes nothing', async () => {
      const before = await t.sql('SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1', [
        tenant.id,
      ]);
      const res = await importBatch(t, tenant, 'customers', [
        { externalId: 'N-1', name: 'fine' },
        { externalId: 'N\u00002', name: 'Nul' },
        { externalId: 'N-3', name: 'Nul\u0000name' },
      ]).expect(422);
      expect(res.body.errors).toEqual([
        { index: 1, field: 'externalId', message: 'must not contain a NUL character' },
        { index: 2, field: 'name', message: 'must not contain a NUL character' },
      ]);
      const csv = await importBatch(
        t,
        tenant,
        'customers',
        'externalId,name\nN-4,a\u0000b\n',
        'text/csv',
      ).expect(422);
      expect(csv.body.errors).toEqual([
        expect.objectContaining({ index: 0, field: 'name', message: 'must not contain a NUL character' }),
      ]);
      const after = await t.sql('SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1', [tenant.id]);
      expect(after).toEqual(before);
    });
  });
  describe('a filter sent twice is a 400, not dropped (which answered with every row)', () => {
    it.each([
      ['/v1/invoices?customerId=C1&customerId=C2', 'customerId'],
      ['/v1/analytics/restock?warehouseId=main&warehouseId=north', 'warehouseId'],
      ['/v1/reports/runs?status=failed&status=queued', 'status'],
      [
        '/v1/reports/runs?scheduleId=0b6f1c2e-2a7b-4d7e-9a55-2f7f2f0f6a11&scheduleId=0b6f1c2e-2a7b-4d7e-9a55-2f7f2f0f6a12',
        'scheduleId',
      ],
    ])('GET %s', async (path, field) => {
      const res = await t.http.get(path).set(tenant.auth).expect(400);
      expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
    });

    it('while one value still filters', async () => {
      const res = await t.http.get('/v1/invoices?customerId=C1').set(tenant.auth).expect(200);
      expect(res.body.data.length).toBeGreaterThan(0);
      expect(new Set(res.body.data.map((i: { customerId: string }) => i.customerId))).toEqual(
        new Set(['C1']),
      );
    });
  });
  describe('an import body that is not UTF-8 is a 422 naming the line, not stored as U+FFFD', () => {
    it.each([
      ['text/csv', Buffer.from('externalId,name\nL-1,ok\nL-2,Caf\xe9\n', 'latin1'), 3],
      [
        'application/x-ndjson',
        Buffer.from('{"externalId":"L-1","name":"ok"}\n{"externalId":"L-2","name":"Caf\xe9"}\n', 'latin1'),
        2,
      ],
      ['application/json', Buffer.from('[{"externalId":"L-2","name":"Caf\xe9"}]', 'latin1'), 1],
    ])('%s', async (contentType, body, line) => {
      const res = await t.http
        .post('/v1/import/customers')
        .set(tenant.auth)
        .set('Content-Type', contentType)
        .serialize((raw: Buffer) => raw as unknown as string) // the bytes as sent (superagent would JSON-encode a Buffer)
        .send(body)
        .expect(422);
      expect(res.body.errors).toEqual([
        { field: '(body)', line, message: 'is not UTF-8 text: save the file as UTF-8' },
      ]);
      const rows = await t.sql(`SELECT 1 FROM customers WHERE tenant_id = $1 AND external_id LIKE 'L-%'`, [
        tenant.id,
      ]);
      expect(rows).toEqual([]);
    });

    it('while Arabic in UTF-8 (with a byte-order mark) is stored as sent', async () => {
      const csv = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('externalId,name\nL-AR,شركة الأفق\n'),
      ]);
      await t.http
        .post('/v1/import/customers')
        .set(tenant.auth)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(200);
      const [row] = await t.sql<{ name: string }>(
        `SELECT name FROM customers WHERE tenant_id = $1 AND external_id = 'L-AR'`,
        [tenant.id],
      );
      expect(row?.name).toBe('شركة الأفق');
    });
  });
  it('imports overlapping batches sent at once, in different orders, without a deadlock (no 500)', async () => {
    // each batch holds the same 300 invoices in its own order, with its own quantities: the upserts
    // lock the same rows, and must lock them in one order
    const who = await createTenant(t);
    await importBatch(
      t,
      who,
      'customers',
      Array.from({ length: 30 }, (_, i) => ({ externalId: `K-${i}`, name: `K ${i}` })),
    ).expect(200);
    const batch = (v: number) =>
      Array.from({ length: 300 }, (_, i) => {
        const n = (i * [1, 7, 11, 13, 17, 19][v - 1]! + 37 * v) % 300; // a permutation: multipliers prime to 300
        return {
          externalId: `D-${n}`,
          customerId: `K-${n % 30}`,
          issueDate: '2024-05-01',
          lines: [{ quantity: v + 1, unitPrice: '10' }],
        };
      });
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((v) => importBatch(t, who, 'invoices', batch(v))),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const [n] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM invoices WHERE tenant_id = $1', [
      who.id,
    ]);
    expect(n?.n).toBe(300);
  });
  describe('a JSON body the server cannot read is a 4xx', () => {
    it.each([
      ['gzip', 400],
      ['deflate', 400],
      ['br', 400],
      ['compress-me-not', 415],
    ])('Content-Encoding: %s on a body that is not so encoded → %d', async (encoding, status) => {
      const res = await t.http
        .put('/v1/settings')
        .set(tenant.auth)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"newDays":45}')
        .expect(status);
      expect(res.body.error).toBe(status === 400 ? 'bad_request' : 'unsupported_media_type');
    });

    it('a body that is not JSON is a 415, not ignored (which answered 200/202 without applying it)', async () => {
      const before = await t.http.get('/v1/settings').set(tenant.auth).expect(200);
      const put = await t.http
        .put('/v1/settings')
        .set(tenant.auth)
        .set('Content-Type', 'text/plain')
        .send('{"newDays":45}')
        .expect(415);
      expect(put.body.error).toBe('unsupported_media_type');
      await t.http
        .post('/v1/analytics/recompute')
        .set(tenant.auth)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('asOf=2024-01-01')
        .expect(415);
      const after = await t.http.get('/v1/settings').set(tenant.auth).expect(200);
      expect(after.body).toEqual(before.body);
      // no body at all is still fine where none is needed
      await t.http.post('/v1/analytics/recompute').set(tenant.auth).expect(202);
    });
  });
});
