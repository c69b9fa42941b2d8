import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';
import { AS_OF, importThreeCustomers } from '../support/three-customers';

/** The customer list's additions for the dashboard: `q` search, the `risk` filter, `format=csv`. */
describe('GET /v1/customers search, risk and CSV', () => {
  let t: TestApp;
  let a: TestTenant;
  let b: TestTenant;

  beforeAll(async () => {
    t = await bootApp();
    a = await createTenant(t);
    b = await createTenant(t);
    await importThreeCustomers(t, a);
    await importBatch(t, a, 'customers', [
      { externalId: 'A', name: 'A Trading', nameAr: 'شركة A', email: 'Accounts@Ufuq.example' },
    ]).expect(200);
    await importBatch(t, b, 'customers', [{ externalId: 'Z', name: 'Ufuq Other Tenant' }]).expect(200);
  });
  afterAll(() => t.close());

  const ids = (body: { data: { customerId: string }[] }) => body.data.map((c) => c.customerId).sort();

  it('searches name, Arabic name, email and external id, case-insensitively, in the tenant only', async () => {
    const q = (text: string) =>
      t.http.get('/v1/customers').query({ asOf: AS_OF, q: text }).set(a.auth).expect(200);
    expect(ids((await q('b trad')).body)).toEqual(['B']);
    expect(ids((await q('UFUQ')).body)).toEqual(['A']);
    expect(ids((await q('شركة')).body)).toEqual(['A', 'B', 'C']);
    // 'c': C's name, and A's email (acCounts)
    expect(ids((await q('c')).body)).toEqual(['A', 'C']);
    expect(ids((await q('%')).body)).toEqual([]);
    expect(ids((await q('   ')).body)).toEqual(['A', 'B', 'C']);
    const other = await t.http.get('/v1/customers').query({ q: 'ufuq' }).set(b.auth).expect(200);
    expect(ids(other.body)).toEqual(['Z']);
  });

  it('filters by risk flag, matching the flags each row shows', async () => {
    const all = await t.http.get('/v1/customers').query({ asOf: AS_OF }).set(a.auth).expect(200);
    const flagged = (all.body.data as { customerId: string; riskFlags: { flag: string }[] }[])
      .filter((c) => c.riskFlags.length > 0)
      .map((c) => c.customerId)
      .sort();
    const any = await t.http.get('/v1/customers').query({ asOf: AS_OF, risk: 'any' }).set(a.auth).expect(200);
    expect(ids(any.body)).toEqual(flagged);
    const overdue = await t.http
      .get('/v1/customers')
      .query({ asOf: AS_OF, risk: 'overdue' })
      .set(a.auth)
      .expect(200);
    for (const c of overdue.body.data as { riskFlags: { flag: string }[] }[]) {
      expect(c.riskFlags.map((f) => f.flag)).toContain('overdue');
    }
  });

  it('exports the same rows as CSV with the same filters and sort', async () => {
    const json = await t.http
      .get('/v1/customers')
      .query({ asOf: AS_OF, q: 'trading', sort: 'netRevenue' })
      .set(a.auth)
      .expect(200);
    const res = await t.http
      .get('/v1/customers')
      .query({ asOf: AS_OF, q: 'trading', sort: 'netRevenue', format: 'csv' })
      .set(a.auth)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="customers-${AS_OF}.csv"`);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toMatch(/^customer,name,email,segment,stage/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(
      json.body.data.map((c: { customerId: string }) => c.customerId),
    );
    const first = lines[1]!.split(',');
    expect(first[8]).toBe(json.body.data[0].netRevenue);
  });

  it('refuses a bad q, risk, format or a cursor with format=csv in words', async () => {
    const bad = async (query: Record<string, string>, field: string) => {
      const res = await t.http.get('/v1/customers').query(query).set(a.auth).expect(400);
      expect(res.body).toMatchObject({ error: 'bad_request', details: { field } });
    };
    await bad({ q: 'x'.repeat(101) }, 'q');
    await bad({ risk: 'nope' }, 'risk');
    await bad({ format: 'xml' }, 'format');
    await bad({ format: 'csv', limit: '10' }, 'limit');
  });
});
