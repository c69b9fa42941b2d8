import { Client } from 'pg';
import { addDays } from '../src/shared/dates';
import { benchDataset, freshDatabase, benchTenant, seconds as s, startService } from './support';

/**
 * Reads while documents keep arriving (issue 13). The 100,000-customer business, today's snapshot
 * published; then for READ_SECONDS 50 clients read (customers page, a profile, RFM summary, movement,
 * whale curve, aging, churn list) while a batch of 100 invoices for existing customers arrives every
 * second, after a first mixed change (new customers with an invoice each, back-dated invoices,
 * payments). Printed: read latency (p50, p99, max) overall and per read, errors, how long until the
 * first change shows in a touched customer's profile, in the RFM summary and in a new customer's
 * profile, how many refreshes ran and what each cost against a full recompute. The worker runs with
 * the service's defaults (debounce 2 s, at most 10 s).
 */
const CLIENTS = 50;
const READ_SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 120);
const BATCH = 100;

export async function refreshBenchmark(): Promise<void> {
  const { dir } = await benchDataset();
  const db = await freshDatabase();
  // 50 readers on one key: the per-key and per-address limits are off for the benchmark
  const service = await startService({
    DATABASE_URL: db.url,
    ANALYTICS_POLL_MS: '500',
    RATE_LIMIT_PER_KEY: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
  });
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  try {
    const tenant = await benchTenant(service.url, db, 'bench-web', dir);
    const headers = { Authorization: `Bearer ${tenant.apiKey}`, 'Content-Type': 'application/json' };
    const get = (path: string) => fetch(`${service.url}${path}`, { headers });
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${service.url}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      if (res.status !== 200 && res.status !== 202)
        throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const { asOf: today } = (await (await get('/v1/analytics/freshness')).json()) as { asOf: string };

    // a full recompute, timed (the job ends once today's snapshot is published)
    const t0 = Date.now();
    const job = await post('/v1/analytics/recompute', {});
    await waitFor(async () => {
      const j = (await (await get(`/v1/analytics/jobs/${String(job.id)}`)).json()) as {
        status: string;
        error: string | null;
      };
      if (j.status === 'failed') throw new Error(`recompute failed: ${j.error}`);
      return j.status === 'succeeded';
    }, 900_000);
    const fullMs = Date.now() - t0;
    const [full] = (
      await sql.query<{ step_ms: Record<string, number>; duration_ms: number }>(
        `SELECT step_ms, duration_ms FROM analytics_snapshots s JOIN tenants t ON t.current_snapshot_id = s.id
          WHERE t.id = $1`,
        [tenant.id],
      )
    ).rows;
    console.log(`full refresh (recompute + default reads stored + publish): ${s(fullMs)}`);

    const list = (await (await get('/v1/customers?limit=50')).json()) as { data: { customerId: string }[] };
    const ids = list.data.map((c) => c.customerId);
    const customers = (
      await sql.query<{ external_id: string }>(
        `SELECT external_id FROM customers WHERE tenant_id = $1 ORDER BY external_id LIMIT 5000`,
        [tenant.id],
      )
    ).rows.map((r) => r.external_id);
    const reads = [
      '/v1/customers?limit=50',
      `/v1/customers/${ids[0]}`,
      '/v1/analytics/rfm',
      `/v1/analytics/rfm/movement?from=${addDays(today, -90)}&to=${today}`,
      '/v1/analytics/profitability/whale-curve',
      '/v1/analytics/receivables/aging',
      '/v1/analytics/churn?limit=50',
    ];
    for (const r of reads) await get(r); // first reads after the publish: shaped once, then from memory
    const historical = await historicalReads(get, today, ids[0]!);
    for (const h of historical) console.log(`  historical ${h.path}: ${h.status} in ${s(h.ms)}`);

    // the first change: new customers, today's and back-dated invoices, payments
    const run = Date.now().toString(36);
    const touched = ids[0]!;
    const before = (await (await get(`/v1/customers/${touched}`)).json()) as { netRevenue: string };
    const rfmBefore = (await (await get('/v1/analytics/rfm')).json()) as { population: number };
    const changeAt = Date.now();
    const newCustomers = Array.from({ length: 10 }, (_, i) => ({
      externalId: `NEW-${run}-${i}`,
      name: `New ${i}`,
    }));
    await post('/v1/import/customers', newCustomers);
    const invoice = (id: string, customerId: string, issueDate: string, unitPrice: number) => ({
      externalId: id,
      customerId,
      issueDate,
      lines: [{ description: 'Bench item', quantity: 1, unitPrice }],
    });
    await post('/v1/import/invoices', [
      invoice(`INV-${run}-touched`, touched, today, 1234.56),
      ...newCustomers.map((c, i) => invoice(`INV-${run}-new-${i}`, c.externalId, today, 100 + i)),
      ...Array.from({ length: 5 }, (_, i) =>
        invoice(`INV-${run}-back-${i}`, customers[i * 7]!, addDays(today, -200), 50 + i),
      ),
    ]);
    await post(
      '/v1/import/payments',
      Array.from({ length: 30 }, (_, i) => ({
        externalId: `PAY-${run}-${i}`,
        customerId: customers[100 + i]!,
        date: today,
        amount: '10.00',
      })),
    );

    // visibility of the first change, polled while the load runs
    const visible: { profile: number | null; rfm: number | null; newCustomer: number | null } = {
      profile: null,
      rfm: null,
      newCustomer: null,
    };
    const watch = (async () => {
      while (Object.values(visible).some((v) => v === null) && Date.now() - changeAt < READ_SECONDS * 1000) {
        const polled = await Promise.all([
          get(`/v1/customers/${touched}`).then((x) => x.json() as Promise<{ netRevenue: string }>),
          get('/v1/analytics/rfm').then((x) => x.json() as Promise<{ population: number }>),
          get(`/v1/customers/${newCustomers[0]!.externalId}`),
        ]).catch((err: unknown) => {
          // a connection reset (keep-alive race under load): asked again
          if (err instanceof TypeError) return null;
          throw err;
        });
        if (!polled) continue;
        const [p, r, n] = polled;
        const at = Date.now() - changeAt;
        if (visible.profile === null && p.netRevenue !== before.netRevenue) visible.profile = at;
        if (visible.rfm === null && r.population !== rfmBefore.population) visible.rfm = at;
        if (visible.newCustomer === null && n.status === 200) visible.newCustomer = at;
        await new Promise((res) => setTimeout(res, 250));
      }
    })();

    // 50 readers, and a batch of 100 invoices every second
    const latencies = new Map<string, number[]>(reads.map((r) => [r, []]));
    let errors = 0;
    let failed = 0;
    let stale = 0;
    const end = Date.now() + READ_SECONDS * 1000;
    const reader = async (k: number) => {
      for (let i = k; Date.now() < end; i++) {
        const path = reads[i % reads.length]!;
        const t = performance.now();
        try {
          const res = await get(path);
          await res.arrayBuffer();
          latencies.get(path)!.push(performance.now() - t);
          if (res.status !== 200) errors++;
          if (res.headers.get('analytics-refresh-pending') === 'true') stale++;
        } catch (err) {
          // a connection the service closed as the client reused it (keep-alive race): counted
          if (!(err instanceof TypeError)) throw err;
          latencies.get(path)!.push(performance.now() - t);
          failed++;
        }
      }
    };
    let batches = 0;
    const importer = (async () => {
      while (Date.now() < end) {
        const started = Date.now();
        await post(
          '/v1/import/invoices',
          Array.from({ length: BATCH }, (_, i) =>
            invoice(
              `INV-${run}-b${batches}-${i}`,
              customers[(batches * BATCH + i) % customers.length]!,
              today,
              25,
            ),
          ),
        );
        batches++;
        await new Promise((res) => setTimeout(res, Math.max(0, 1000 - (Date.now() - started))));
      }
    })();
    await Promise.all([...Array.from({ length: CLIENTS }, (_, k) => reader(k)), importer, watch]);

    // the refreshes that ran meanwhile
    const refreshes = (
      await sql.query<{ ms: number }>(
        `SELECT extract(epoch FROM finished_at - started_at) * 1000 AS ms FROM analytics_jobs
          WHERE tenant_id = $1 AND reason = 'import' AND status = 'succeeded' AND started_at >= to_timestamp($2 / 1000.0)`,
        [tenant.id, changeAt],
      )
    ).rows.map((r) => Number(r.ms));
    const all = [...latencies.values()].flat().sort((a, b) => a - b);
    const pct = (xs: number[], p: number) =>
      xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;
    const ms = (x: number) => `${x.toFixed(0)} ms`;
    const shown = (v: number | null) => (v === null ? `not within ${READ_SECONDS} s` : s(v));
    console.log(`
## refresh (${new Date().toISOString().slice(0, 10)}, 100,000 customers, ${CLIENTS} readers, ${BATCH} invoices/s for ${READ_SECONDS} s)

full recompute: ${s(full!.duration_ms)} (${Object.entries(full!.step_ms)
      .map(([k, v]) => `${k} ${s(v)}`)
      .join(', ')}); with the default reads stored and published: ${s(fullMs)}

| read | requests | p50 | p99 | max |
|---|---|---|---|---|
${reads
  .map((r) => {
    const xs = latencies.get(r)!.sort((a, b) => a - b);
    return `| \`${r}\` | ${xs.length} | ${ms(pct(xs, 50))} | ${ms(pct(xs, 99))} | ${ms(xs[xs.length - 1] ?? 0)} |`;
  })
  .join('\n')}
| all | ${all.length} | ${ms(pct(all, 50))} | ${ms(pct(all, 99))} | ${ms(all[all.length - 1] ?? 0)} |

non-200 answers: ${errors}; requests that failed (connection reset): ${failed}; answers served while a refresh was pending: ${stale} of ${all.length}
batches imported: ${batches}; refreshes that ran: ${refreshes.length} (${refreshes.map((r) => s(r)).join(', ')})
first change visible — touched customer's profile: ${shown(visible.profile)}, RFM summary: ${shown(visible.rfm)}, new customer's profile: ${shown(visible.newCustomer)}
ad-hoc historical reads (dates no snapshot holds; the first read of a date fits its CLV model):

| read | status | time |
|---|---|---|
${historical.map((h) => `| \`${h.path}\` | ${h.status} | ${s(h.ms)} |`).join('\n')}

targets: historical list page ≤ 3 s — ${historical.every((h) => h.ms <= 3000) ? 'met' : 'NOT met'}; read p99 ≤ 50 ms — ${pct(all, 99) <= 50 ? 'met' : 'NOT met'}; change visible ≤ 2 s (5 s at most) — ${
      visible.profile !== null && visible.profile <= 5000 ? 'met' : 'NOT met'
    }; refresh work ≤ 5 % of a full recompute — NOT met (a refresh is a full recompute)
`);
  } finally {
    await sql.end();
    await service.stop();
    await db.drop();
  }
}

/**
 * Customer pages and profiles at past dates that no snapshot holds, one after another on an idle
 * service: the first read of each date (which fits that date's CLV model), then other sorts, the next
 * page and profiles at it.
 */
async function historicalReads(
  get: (path: string) => Promise<Response>,
  today: string,
  customer: string,
): Promise<{ path: string; status: number; ms: number }[]> {
  const out: { path: string; status: number; ms: number }[] = [];
  const timedGet = async (path: string) => {
    const t = performance.now();
    const res = await get(path);
    const body = (await res.json()) as { nextCursor?: string | null };
    out.push({ path, status: res.status, ms: performance.now() - t });
    return body;
  };
  for (const days of [180, 365]) {
    const at = addDays(today, -days);
    const first = await timedGet(`/v1/customers?limit=50&asOf=${at}`);
    await timedGet(`/v1/customers?limit=50&asOf=${at}&sort=recency`);
    await timedGet(`/v1/customers?limit=50&asOf=${at}&segment=champions`);
    if (first.nextCursor)
      await timedGet(`/v1/customers?limit=50&asOf=${at}&cursor=${encodeURIComponent(first.nextCursor)}`);
    await timedGet(`/v1/customers/${customer}?asOf=${at}`);
  }
  return out;
}

async function waitFor(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await done()) return;
    } catch (err) {
      // a poll that failed (the service busy): said, and asked again
      if (!(err instanceof TypeError)) throw err;
      const cause = (err as { cause?: { message?: string } }).cause;
      console.log(`  poll failed: ${cause?.message ?? err.message}`);
    }
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 500));
  }
}
