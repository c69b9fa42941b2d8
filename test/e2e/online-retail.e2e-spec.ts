import Decimal from 'decimal.js';
import { scoreCustomers } from '../../src/analytics/rfm/rfm.math';
import { daysBetween } from '../../src/shared/dates';
import { loadOnlineRetail, RetailData } from '../fixtures/online-retail';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';

/**
 * Real data no one here wrote: UCI Online Retail (541,909 lines), imported through the API as the
 * fixture describes, then checked against invariants that must hold whatever the data, and against
 * the segment counts recorded at 2011-12-09 (the last day of the data).
 */
const AS_OF = '2011-12-09';

/** Documents in batches of at most `maxLines` lines (a document is never split). */
function batches(docs: Record<string, unknown>[], maxLines: number): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = [];
  let cur: Record<string, unknown>[] = [];
  let n = 0;
  for (const d of docs) {
    const k = (d.lines as unknown[] | undefined)?.length ?? 1;
    if (n + k > maxLines && cur.length) {
      out.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(d);
    n += k;
  }
  if (cur.length) out.push(cur);
  return out;
}

describe('UCI Online Retail through the API', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let data: RetailData;

  beforeAll(async () => {
    data = loadOnlineRetail();
    t = await bootApp();
    tenant = await createTenant(t, { currency: 'GBP', timezone: 'Europe/London' });
    for (const [resource, docs] of [
      ['customers', data.customers],
      ['products', data.products],
      ['invoices', data.invoices],
      ['credit-notes', data.creditNotes],
    ] as const) {
      for (const batch of batches(docs, 20_000)) {
        const res = await importBatch(t, tenant, resource, batch);
        if (res.status !== 200)
          throw new Error(`${resource}: ${res.status} ${JSON.stringify(res.body).slice(0, 2000)}`);
      }
    }
  }, 900_000);
  afterAll(() => t.close());

  it('imported every customer line: 397,924 invoice lines and 8,905 credit-note lines of 4,372 customers', async () => {
    const [c] = await t.sql<{ customers: number; lines: number; credit_lines: number }>(
      `SELECT (SELECT count(*) FROM customers WHERE tenant_id = $1)::int AS customers,
              (SELECT count(*) FROM invoice_lines WHERE tenant_id = $1)::int AS lines,
              (SELECT count(*) FROM credit_note_lines WHERE tenant_id = $1)::int AS credit_lines`,
      [tenant.id],
    );
    expect(c).toEqual({ customers: 4372, lines: data.lines.invoice, credit_lines: data.lines.credit });
    expect(data.lines).toEqual({ invoice: 397924, credit: 8905 });
  });

  it('nets returns against sales: customer 12346 bought and cancelled 74,215 jars, net 0.00', async () => {
    // README: 12346 gross non-C 77,183.60, C total −77,183.60, net 0.00; 14646 net 279,489.02
    const a = await t.http.get(`/v1/customers/12346?asOf=${AS_OF}`).set(tenant.auth).expect(200);
    expect(a.body.netRevenue).toBe('0.00');
    const b = await t.http.get(`/v1/customers/14646?asOf=${AS_OF}`).set(tenant.auth).expect(200);
    expect(b.body.netRevenue).toBe('279489.02');
    const c = await t.http.get(`/v1/customers/17850?asOf=${AS_OF}`).set(tenant.auth).expect(200);
    expect(c.body.netRevenue).toBe('5288.63');
  });

  it('segments the whole population at 2011-12-09; the counts are recorded here', async () => {
    const res = await t.http.get(`/v1/analytics/rfm?asOf=${AS_OF}`).set(tenant.auth).expect(200);
    const counts = Object.fromEntries(
      res.body.segments.map((s: { segment: string; customers: number }) => [s.segment, s.customers]),
    );
    const sum = Object.values(counts).reduce((a, b) => (a as number) + (b as number), 0);
    expect(sum).toBe(res.body.population);
    expect(res.body.population).toBe(4339); // customers with an invoice (33 have only cancellations)
    expect(counts).toEqual(RECORDED_SEGMENTS);
    // the SQL engine agrees with the pure TypeScript reference on every segment
    const reference = referenceSegments(data, AS_OF);
    expect(Object.fromEntries(Object.entries(counts).filter(([, n]) => (n as number) > 0))).toEqual(
      reference,
    );
  });

  it('moves exactly the population at `to` through the movement matrix, revenue included', async () => {
    const from = '2011-09-09';
    const res = await t.http
      .get(`/v1/analytics/rfm/movement?from=${from}&to=${AS_OF}`)
      .set(tenant.auth)
      .expect(200);
    const rfm = await t.http.get(`/v1/analytics/rfm?asOf=${AS_OF}`).set(tenant.auth).expect(200);
    expect(res.body.population).toBe(rfm.body.population);
    const [rev] = await t.sql<{ net: string }>(
      `SELECT (SELECT COALESCE(sum(net), 0) FROM invoices WHERE tenant_id = $1 AND issue_date > $2 AND issue_date <= $3)
            - (SELECT COALESCE(sum(net), 0) FROM credit_notes WHERE tenant_id = $1 AND issue_date > $2 AND issue_date <= $3
                 AND customer_id IN (SELECT customer_id FROM invoices WHERE tenant_id = $1 AND issue_date <= $3)) AS net`,
      [tenant.id, from, AS_OF],
    );
    expect(res.body.netRevenue).toBe(Number(rev!.net).toFixed(2));
    const lifecycle = await t.http
      .get(`/v1/analytics/rfm/movement?by=lifecycle&from=${from}&to=${AS_OF}`)
      .set(tenant.auth)
      .expect(200);
    expect(lifecycle.body.population).toBe(4372);
  });

  it("agrees with itself on receivables: each customer's statement closing balance is its aging net owed", async () => {
    // every aging row (all pages) against the documents' own totals (no payments in this data set)
    const owed = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page: {
        body: {
          data: { customerId: string; netOwed: string }[];
          nextCursor: string | null;
          totals: { netOwed: string };
        };
      } = await t.http
        .get(`/v1/analytics/receivables/aging?asOf=${AS_OF}&limit=500${cursor ? `&cursor=${cursor}` : ''}`)
        .set(tenant.auth)
        .expect(200);
      for (const r of page.body.data) owed.set(r.customerId, r.netOwed);
      cursor = page.body.nextCursor;
    } while (cursor);
    const balances = await t.sql<{ id: string; balance: string }>(
      `SELECT c.external_id AS id,
              (COALESCE((SELECT sum(total) FROM invoices i WHERE i.tenant_id = c.tenant_id AND i.customer_id = c.id), 0)
             - COALESCE((SELECT sum(total) FROM credit_notes n WHERE n.tenant_id = c.tenant_id AND n.customer_id = c.id), 0))::text AS balance
         FROM customers c WHERE c.tenant_id = $1`,
      [tenant.id],
    );
    for (const b of balances) {
      expect([b.id, owed.get(b.id) ?? '0.00']).toEqual([b.id, new Decimal(b.balance).toFixed(2)]);
    }
    // and the statement of every 40th customer closes on the same figure
    for (const b of balances.filter((_x, i) => i % 40 === 0)) {
      const st = await t.http.get(`/v1/customers/${b.id}/statement?to=${AS_OF}`).set(tenant.auth).expect(200);
      expect([b.id, st.body.closingBalance]).toEqual([b.id, owed.get(b.id) ?? '0.00']);
    }
  });

  it('adds the customer profitability rows up to the totals, to the last penny', async () => {
    const fields = ['grossSales', 'returns', 'netRevenue', 'cogs', 'grossProfit', 'contribution'] as const;
    const sums = Object.fromEntries(fields.map((f) => [f, new Decimal(0)])) as Record<
      (typeof fields)[number],
      Decimal
    >;
    let rows = 0;
    let cursor: string | null = null;
    let totals: Record<string, string> = {};
    do {
      const page: {
        body: { data: Record<string, string>[]; nextCursor: string | null; totals: Record<string, string> };
      } = await t.http
        .get(
          `/v1/analytics/profitability?by=customer&asOf=${AS_OF}&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        )
        .set(tenant.auth)
        .expect(200);
      for (const r of page.body.data) for (const f of fields) sums[f] = sums[f].plus(r[f]!);
      rows += page.body.data.length;
      totals = page.body.totals;
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(rows).toBe(4372);
    for (const f of fields) expect([f, sums[f].toFixed(2)]).toEqual([f, totals[f]]);
    // and the tenant's net revenue is the documents' own: invoices − credit notes
    const [doc] = await t.sql<{ net: string }>(
      `SELECT ((SELECT sum(net) FROM invoices WHERE tenant_id = $1) - (SELECT sum(net) FROM credit_notes WHERE tenant_id = $1))::text AS net`,
      [tenant.id],
    );
    expect(totals.netRevenue).toBe(new Decimal(doc!.net).toFixed(2));
  });

  it('puts every customer in exactly one lifecycle stage', async () => {
    const res = await t.http.get(`/v1/analytics/lifecycle?asOf=${AS_OF}`).set(tenant.auth).expect(200);
    expect(res.body.customers).toBe(4372);
    expect(res.body.stages.reduce((n: number, s: { customers: number }) => n + s.customers, 0)).toBe(4372);
  });
});

/** Segment counts at 2011-12-09, recorded from the first run and checked by hand against the invariants. */
const RECORDED_SEGMENTS: Record<string, number> = {
  champions: 862,
  loyal: 674,
  potential_loyalists: 573,
  new: 31,
  promising: 213,
  need_attention: 733,
  about_to_sleep: 149,
  at_risk: 362,
  cant_lose: 51,
  hibernating: 358,
  lost: 333,
};

/** RFM of the raw file, scored by the pure reference implementation (no SQL involved). */
function referenceSegments(data: RetailData, asOf: string): Record<string, number> {
  const byCustomer = new Map<string, { last: string; f: number; m: Decimal }>();
  const lineNet = (d: Record<string, unknown>) =>
    (d.lines as { quantity: string; unitPrice: string }[]).reduce(
      (s, l) => s.plus(new Decimal(l.quantity).times(l.unitPrice)),
      new Decimal(0),
    );
  for (const d of data.invoices) {
    const c = byCustomer.get(d.customerId as string) ?? { last: '0000-00-00', f: 0, m: new Decimal(0) };
    c.f++;
    c.m = c.m.plus(lineNet(d));
    if ((d.issueDate as string) > c.last) c.last = d.issueDate as string;
    byCustomer.set(d.customerId as string, c);
  }
  for (const d of data.creditNotes) {
    const c = byCustomer.get(d.customerId as string);
    if (c) c.m = c.m.minus(lineNet(d));
  }
  const scored = scoreCustomers(
    [...byCustomer.entries()].map(([id, c]) => ({
      id,
      recencyDays: daysBetween(c.last, asOf),
      frequency: c.f,
      monetary: c.m.toString(),
    })),
  );
  const counts: Record<string, number> = {};
  for (const s of scored) counts[s.segment] = (counts[s.segment] ?? 0) + 1;
  return counts;
}
