import { ADMIN_TOKEN, bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';
import { FakeQoyod } from '../support/fake-qoyod';
import { importThreeCustomers } from '../support/three-customers';

/**
 * Our own fuzz suite, generated from the OpenAPI document the service serves (/docs-json): every
 * operation gets FUZZ_PER_OPERATION requests with hostile path, query and header values and bodies of
 * the wrong shape, drawn from a seeded generator (FUZZ_SEED: one seed or a comma-separated list; the
 * failing request is printed, so a run can be repeated). Asserted for every answer: no 5xx, a 4xx is
 * the documented error shape, and after a 4xx to a request that may change state (not a GET) no row of
 * the suite's tenants changed (a fingerprint of their rows in every table before and after).
 */
/** Three seeds by default, each drawing its own 49 × 28 requests. */
const SEEDS = (process.env.FUZZ_SEED ?? '20261207,1,2').split(',').map((s) => Number(s.trim()));
const PER_OPERATION = Number(process.env.FUZZ_PER_OPERATION ?? 28);

/** mulberry32: small, fast, good enough to pick from lists, and repeatable. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const HOSTILE_STRINGS = [
  '',
  ' ',
  'a'.repeat(5000),
  '\u0000',
  'a\u0000b',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  "' OR '1'='1' --",
  "'; DROP TABLE customers; --",
  '"; SELECT pg_sleep(10); --',
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '😀'.repeat(50),
  '\u202Eevil\u202C',
  'شركة العميل',
  '٣٤٥',
  '\uFEFFbom',
  '\uD800',
  '-1',
  '0',
  '-0',
  '1.5',
  '1e308',
  '-1e308',
  '1e-400',
  '99999999999999999999999999999999999999',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x1F',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '2026-02-30',
  '2024-13-01',
  '0000-00-00',
  '9999-12-31',
  '0001-01-01',
  '+275760-09-13',
  '2024-06-30T25:61:00Z',
  'infinity',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '%',
  '%00',
  '%ZZ',
  '\\',
  '\r\n',
  'a,b;c',
  '*',
  'eyJrIjpbImEiXX0',
];

const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  -1e308,
  1e308,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x'.repeat(20000),
  '\u0000',
  [],
  [null],
  {},
  { $gt: '' },
  [1, 'two', { three: 3 }],
  '2026-02-30',
  '1e400',
  '-0.0000000000000000000000000000001',
];

/** Percent-encodes; a lone surrogate (which has no UTF-8) goes as the invalid UTF-8 of one. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

/** A JSON text nested `depth` levels deep (arrays or objects). */
const nested = (depth: number, object: boolean) =>
  object ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);

interface Operation {
  method: string;
  path: string;
  params: { name: string; in: string; schema?: { type?: string; enum?: string[] } }[];
  body?: { contentTypes: string[]; schema?: Schema };
}
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  required?: string[];
}

/** A body of the wrong shape for `schema`: every way a client gets it wrong. */
function hostileBody(rng: Rng, schema: Schema | undefined, resolve: (s: Schema) => Schema): string {
  const s = schema ? resolve(schema) : {};
  const props = Object.keys(s.properties ?? {});
  const kind = rng.int(12);
  switch (kind) {
    case 0:
      return JSON.stringify(rng.pick(HOSTILE_VALUES));
    case 1:
      return nested(rng.pick([65, 200, 5000]), rng.chance(0.5));
    case 2:
      return rng.pick([
        '{"a":',
        '{"a" 1}',
        '[1,',
        '{"a":1}}',
        'nul',
        '\u0000',
        '{"a":"\\ud800"}',
        '{"a":01}',
      ]);
    case 3:
      return JSON.stringify(Array.from({ length: rng.pick([2, 1000, 20000]) }, () => ({})));
    case 4:
      return '{"__proto__":{"admin":true},"constructor":{"prototype":{"admin":true}}}';
    case 5:
      return JSON.stringify({ [rng.pick(['na\u0000me', 'a\nb', '\u001f', '😀', 'x'.repeat(3000)])]: 1 });
    case 6: {
      // duplicated keys, the last one hostile
      const key = props.length ? rng.pick(props) : 'name';
      return `{"${key}":"ok","${key}":${JSON.stringify(rng.pick(HOSTILE_VALUES))}}`;
    }
    default: {
      // the documented object, each property a wrong or hostile value, plus an unknown one now and then
      const body: Record<string, unknown> = {};
      for (const p of props) {
        if (rng.chance(0.6)) continue;
        const inner = resolve(s.properties![p]!);
        body[p] =
          inner.properties && rng.chance(0.5) ? hostileObject(rng, inner, resolve) : hostileValue(rng);
      }
      if (rng.chance(0.3) || props.length === 0) body[rng.pick(['shoeSize', 'tenantId', 'id', '$where'])] = 1;
      return JSON.stringify(body);
    }
  }
}

function hostileObject(rng: Rng, s: Schema, resolve: (s: Schema) => Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of Object.keys(s.properties ?? {})) {
    if (rng.chance(0.5))
      out[p] = rng.chance(0.5) ? hostileValue(rng) : validLooking(resolve(s.properties![p]!));
  }
  return out;
}

const hostileValue = (rng: Rng): unknown =>
  rng.chance(0.5) ? rng.pick(HOSTILE_VALUES) : rng.pick(HOSTILE_STRINGS);

function validLooking(s: Schema): unknown {
  if (s.enum?.length) return s.enum[0];
  if (s.type === 'number' || s.type === 'integer') return 1;
  if (s.type === 'boolean') return true;
  if (s.type === 'array') return [];
  return 'x';
}

/** Hostile CSV and NDJSON texts for the imports. */
function hostileText(rng: Rng, contentType: string): string {
  if (contentType === 'text/csv') {
    return rng.pick([
      'externalId,name\n"unterminated,x\n',
      "externalId,name\n=cmd|' /C calc'!A0,x\n",
      '\uFEFFexternalId,name\nA,' + 'x'.repeat(100000) + '\n',
      Array.from({ length: 3000 }, (_, i) => `c${i}`).join(',') + '\n1\n',
      'externalId,externalId\nA,B\n',
      'externalId,na\u0000me\nA,x\n',
      '',
      '\n\n\n',
      'externalId,lines\nA,"[{""quantity"":1e400}]"\n',
    ]);
  }
  return rng.pick([
    '{"externalId":"A"}\n{"externalId":',
    '{"externalId":"A"}\n[1]\n',
    '\u0000\n',
    nested(200, true) + '\n',
    '{"externalId":"A","name":"x"}\n'.repeat(3) + 'garbage\n',
    '{"na\u0000me":1}\n',
  ]);
}

describe('fuzz: every documented operation with hostile input', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let victim: TestTenant;
  let scheduleId: string;
  /** a user of each tenant, so that the user routes are reached with a real id too */
  const userIds: Record<string, string> = {};
  // connectors check credentials with the source: a local fake Qoyod, never the real one
  const qoyod = new FakeQoyod();
  let connectorId: string;
  let operations: Operation[];
  let doc: {
    paths: Record<string, Record<string, Record<string, unknown>>>;
    components: { schemas: Record<string, Schema> };
  };
  let fingerprint: () => Promise<Record<string, string>>;

  beforeAll(async () => {
    await qoyod.start();
    t = await bootApp({
      QOYOD_API_URL: qoyod.url,
      SECRETS_KEY: 'e'.repeat(64),
      CONNECTORS_ENABLED: 'false',
      CONNECTOR_MAX_ATTEMPTS: '1',
      LOG_LEVEL: process.env.FUZZ_LOG ?? 'silent',
      RATE_LIMIT_PER_KEY: '1000000',
      RATE_LIMIT_PER_ADDRESS: '1000000',
    });
    tenant = await createTenant(t, { name: 'Fuzzed' });
    victim = await createTenant(t, { name: 'Victim of admin fuzzing' });
    await importThreeCustomers(t, tenant);
    await importBatch(t, tenant, 'products', [{ externalId: 'P1', name: 'Thing', unitCost: 3 }]).expect(200);
    const s = await t.http
      .post('/v1/reports/schedules')
      .set(tenant.auth)
      .send({ type: 'churn-risk', cron: '0 8 * * 1' })
      .expect(201);
    scheduleId = s.body.id;
    for (const [name, t0] of Object.entries({ tenant, victim })) {
      const u = await t.http
        .post(`/v1/admin/tenants/${t0.id}/users`)
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({
          email: `fuzz-${name}-${t0.id}@example.test`,
          password: 'fuzzing password',
          role: 'viewer',
          name,
        })
        .expect(201);
      userIds[name] = u.body.id;
    }
    const c = await t.http
      .post('/v1/connectors')
      .set(tenant.auth)
      .send({ kind: 'qoyod', name: 'Fuzzed books', credentials: { apiKey: qoyod.apiKey } })
      .expect(201);
    connectorId = c.body.id;

    doc = (await t.http.get('/docs-json').expect(200)).body;
    operations = [];
    for (const [path, item] of Object.entries<Record<string, Record<string, unknown>>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const content = (op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined)
          ?.content;
        operations.push({
          method,
          path,
          params: (op.parameters as Operation['params']) ?? [],
          body: content
            ? { contentTypes: Object.keys(content), schema: Object.values(content)[0]?.schema }
            : undefined,
        });
      }
    }
    // every table's rows of the two tenants the suite drives, hashed (the e2e files share one database
    // on PostgreSQL: the other files' rows are neither ours to compare nor cheap to hash);
    // api_keys.last_used_at is touched by every authenticated request, and import_runs is the log of
    // every batch, the refused ones with their errors (GET /v1/import/runs); login_failures records
    // a refused login on purpose (the throttle counts them), and sessions.last_seen_at is touched by a
    // session's requests as api_keys.last_used_at is by a key's
    const tables = await t.sql<{ name: string; scoped: boolean }>(
      `SELECT c.relname AS name,
              EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id'
                         AND NOT a.attisdropped) AS scoped
         FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
          AND NOT c.relispartition AND c.relname NOT IN ('migrations', 'typeorm_metadata', 'import_runs', 'login_failures')
        ORDER BY 1`,
    );
    const ours = `('${tenant.id}', '${victim.id}')`;
    const select = tables
      .map(({ name, scoped }) => {
        const row =
          name === 'api_keys'
            ? `(x.id, x.tenant_id, x.key_hash, x.revoked_at, x.expires_at)`
            : name === 'sessions'
              ? `(x.id, x.tenant_id, x.user_id, x.csrf_token, x.created_at, x.expires_at)`
              : 'x';
        const where = scoped
          ? `WHERE x.tenant_id IN ${ours}`
          : name === 'tenants'
            ? `WHERE x.id IN ${ours}`
            : '';
        return `SELECT '${name}' AS t, md5(coalesce(string_agg(md5(${row}::text), '' ORDER BY md5(${row}::text)), '')) AS h FROM "${name}" x ${where}`;
      })
      .join(' UNION ALL ');
    fingerprint = async () =>
      Object.fromEntries((await t.sql<{ t: string; h: string }>(select)).map((r) => [r.t, r.h]));
  });
  afterAll(async () => {
    await t.close();
    await qoyod.stop();
  });

  it('covers every operation of the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(45);
    expect(operations.map((o) => `${o.method} ${o.path}`)).toEqual(
      expect.arrayContaining([
        'post /v1/import/{resource}',
        'put /v1/settings',
        'post /v1/reports/schedules',
      ]),
    );
  });

  it.each(SEEDS)(
    'seed %d: no hostile request gets a 5xx, a 4xx has the error shape and changes nothing',
    async (SEED) => {
      const rng = prng(SEED);
      const resolve = (s: Schema): Schema => {
        let cur: Schema | undefined = s;
        while (cur?.$ref) cur = doc.components.schemas[cur.$ref.split('/').pop()!];
        return cur ?? {};
      };
      const realIds: Record<string, () => string> = {
        '/v1/reports/schedules/{id}': () => scheduleId,
        '/v1/admin/tenants/{id}/users/{userId}': () => userIds.victim!,
        '/v1/users/{id}': () => userIds.tenant!,
        '/v1/connectors/{id}': () => connectorId,
        '/v1/admin/tenants/{id}': () => victim.id,
        '/v1/customers/{externalId}': () => rng.pick(['A', 'B', 'C']),
        '/v1/products/{externalId}': () => 'P1',
        '/v1/import/{resource}': () =>
          rng.pick(['customers', 'products', 'invoices', 'payments', 'credit-notes', 'inventory']),
      };
      const counts = { requests: 0, '2xx': 0, '4xx': 0 };
      const failures: string[] = [];

      for (const op of operations) {
        for (let n = 0; n < PER_OPERATION; n++) {
          // the path: each parameter hostile, or (for a deeper reach) a real id with the rest hostile
          let url = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
            const real = Object.entries(realIds).find(
              ([prefix]) => op.path.startsWith(prefix) && prefix.endsWith(`{${name}}`),
            );
            if (real && rng.chance(0.5)) return encodeURIComponent(real[1]());
            const raw = rng.pick(HOSTILE_STRINGS);
            // now and then a raw, badly percent-encoded segment
            return rng.chance(0.1) ? raw.replace(/[^%\w.-]/g, '') || '%ZZ' : enc(raw);
          });
          // the query: declared parameters with hostile values, repeated, bracketed, or unknown ones
          const query: string[] = [];
          for (const p of op.params.filter((x) => x.in === 'query')) {
            if (rng.chance(0.5)) continue;
            const v = p.schema?.enum && rng.chance(0.2) ? p.schema.enum[0]! : rng.pick(HOSTILE_STRINGS);
            const name = rng.chance(0.1) ? `${p.name}[]` : rng.chance(0.05) ? `${p.name}[$gt]` : p.name;
            query.push(`${name}=${enc(v)}`);
            if (rng.chance(0.15)) query.push(`${p.name}=${enc(rng.pick(HOSTILE_STRINGS))}`);
          }
          if (rng.chance(0.1))
            query.push(`${rng.pick(['asof', 'tenantId', '__proto__', 'a'.repeat(300)])}=1`);
          if (query.length) url += `?${query.join('&')}`;

          const method = op.method as 'get' | 'post' | 'put' | 'patch' | 'delete';
          let req = t.http[method](url);
          const who = op.path.startsWith('/v1/admin') ? 'admin' : rng.chance(0.05) ? 'none' : 'tenant';
          if (who === 'admin') req = req.set('Authorization', `Bearer ${ADMIN_TOKEN}`);
          if (who === 'tenant') req = req.set(tenant.auth);
          // printable ASCII only: the client itself refuses control characters in a header
          const headerValue = () =>
            rng
              .pick(HOSTILE_STRINGS)
              .replace(/[^\x20-\x7e]/g, '?')
              .slice(0, 4000);
          for (const p of op.params.filter((x) => x.in === 'header'))
            if (rng.chance(0.5)) req = req.set(p.name, headerValue());
          let sent = '';
          if (op.body || rng.chance(0.1)) {
            const types = op.body?.contentTypes ?? ['application/json'];
            const type = rng.chance(0.1)
              ? rng.pick([
                  'text/plain',
                  'application/xml',
                  'multipart/form-data',
                  'application/json; charset=latin1',
                ])
              : rng.pick(types);
            sent =
              type === 'text/csv' || type === 'application/x-ndjson'
                ? hostileText(rng, type)
                : hostileBody(rng, op.body?.schema, resolve);
            req = req.set('Content-Type', type).send(sent);
          }
          // state is compared around requests that may change it; a GET's 2xx may store a fit, so not around those
          const before = method === 'get' ? null : await fingerprint();
          const res = await req.ok(() => true);
          counts.requests++;
          const label = `#${counts.requests} ${op.method.toUpperCase()} ${url.slice(0, 200)} body=${sent.slice(0, 120)} → ${res.status}`;
          if (res.status >= 500) failures.push(`${label}: ${String(res.text).slice(0, 200)}`);
          const after = before ? await fingerprint() : null;
          if (res.status >= 400 && res.status < 500) {
            counts['4xx']++;
            const isJson = /json/.test(String(res.headers['content-type']));
            if (!isJson || typeof res.body.error !== 'string' || typeof res.body.message !== 'string') {
              failures.push(`${label}: a 4xx without the error shape: ${String(res.text).slice(0, 200)}`);
            }
            const changed = before && after ? Object.keys(after).filter((k) => after[k] !== before[k]) : [];
            if (changed.length) failures.push(`${label}: a 4xx changed ${changed.join(', ')}`);
          } else if (res.status < 300) counts['2xx']++;
        }
      }
      // the service still answers, and the tenant's data is what was imported
      await t.http.get('/health').expect(200);
      const customers = await t.http.get('/v1/customers?asOf=2024-06-30').set(tenant.auth).expect(200);
      expect(customers.body.data.map((c: { customerId: string }) => c.customerId).sort()).toEqual(
        expect.arrayContaining(['A', 'B', 'C']),
      );
      expect({ seed: SEED, failures: failures.slice(0, 20) }).toEqual({ seed: SEED, failures: [] });
      expect(counts.requests).toBe(operations.length * PER_OPERATION);
      // mostly refusals, as intended, but the generator must reach past the validators sometimes
      expect(counts['4xx']).toBeGreaterThan(counts.requests / 2);
      expect(counts['2xx']).toBeGreaterThan(0);
    },
    600_000,
  );
});
