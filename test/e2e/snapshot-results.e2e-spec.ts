import { AGING_PAGE } from '../../src/analytics/receivables/receivables.queries';
import { ReceivablesService } from '../../src/analytics/receivables/receivables.service';
import { Database } from '../../src/database/database';
import { CHUNKING } from '../../src/analytics/snapshots/stored-results';
import { bootApp, createTenant, importBatch, recomputeNow, TestApp, TestTenant } from '../support/app';
import { CREDIT_NOTES, INVENTORY, INVOICES, line, PAYMENTS } from '../support/awkward-documents';

/**
 * Profitability (by customer and segment, whale curve), receivables aging and DSO, and cohorts for
 * the snapshot's asOf are served from the results a recompute stored (result-steps.ts), and those
 * responses are the on-demand responses exactly (but for snapshotId): every page, both languages.
 * The scenario is snapshot-facts.e2e-spec.ts' (foreign currency, partial and cross-customer payments,
 * linked, unlinked and over-crediting credit notes, costs from lines, inventory and products, a
 * credit rate), plus customers that tie on contribution and net owed (keys in binary order).
 */

// customers tying on everything: pages must break ties by key in binary order (D < d < É)
const TIES = ['d', 'É', 'D'].map((c, i) => ({
  externalId: `T${i}`,
  customerId: c,
  issueDate: '2024-03-03',
  lines: [line('P1', '1', '12')],
}));

type Body = Record<string, unknown> & { snapshotId?: string | null; nextCursor?: string | null };

describe('snapshot results equal the on-demand responses', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    // chunks of two rows: pages start and end inside chunks and on their edges
    CHUNKING.rows = 2;
    t = await bootApp({ ANALYTICS_DEBOUNCE_MS: '86400000' });
    tenant = await createTenant(t);
    await importBatch(t, tenant, 'customers', [
      { externalId: 'A', name: 'A', nameAr: 'أ' },
      { externalId: 'B', name: 'B' },
      { externalId: 'C', name: 'C (no documents)' },
      { externalId: 'D', name: 'D' },
      { externalId: 'd', name: 'd' },
      { externalId: 'É', name: 'É', nameAr: 'إ' },
    ]).expect(200);
    await importBatch(t, tenant, 'products', [
      { externalId: 'P1', name: 'P1', unitCost: '5', category: 'tools' },
      { externalId: 'P2', name: 'P2' },
      { externalId: 'P3', name: 'P3', unitCost: '2' },
    ]).expect(200);
    await importBatch(t, tenant, 'inventory', INVENTORY).expect(200);
    await importBatch(t, tenant, 'invoices', [...INVOICES, ...TIES]).expect(200);
    await importBatch(t, tenant, 'payments', PAYMENTS).expect(200);
    await importBatch(t, tenant, 'credit-notes', CREDIT_NOTES).expect(200);
    await importBatch(t, tenant, 'invoices', [{ ...INVOICES[2]!, customerId: 'A' }]).expect(200);
    await t.http.put('/v1/settings').set(tenant.auth).send({ annualCreditRate: '0.12' }).expect(200);
  });
  afterAll(async () => {
    CHUNKING.rows = 1000;
    await t.close();
  });

  /** Every response of `path` (and of the pages its nextCursor leads to) in both languages. */
  const responses = async (path: string): Promise<Body[]> => {
    const out: Body[] = [];
    for (const lang of ['en', 'ar']) {
      let url: string | null = path;
      while (url) {
        const res = await t.http.get(url).set(tenant.auth).set('Accept-Language', lang).expect(200);
        const body = res.body as Body;
        out.push(body);
        url = body.nextCursor ? `${path}&cursor=${encodeURIComponent(body.nextCursor)}` : null;
      }
    }
    return out;
  };

  for (const asOf of ['2024-03-15', '2024-06-30']) {
    it(`as of ${asOf}`, async () => {
      const paths = [
        ...['customer', 'segment'].flatMap((by) => [
          `/v1/analytics/profitability?by=${by}&asOf=${asOf}&limit=1`,
          `/v1/analytics/profitability?by=${by}&asOf=${asOf}&limit=2&to=2030-01-01`,
          `/v1/analytics/profitability?by=${by}&asOf=${asOf}&limit=3`,
          `/v1/analytics/profitability?by=${by}&asOf=${asOf}`,
        ]),
        `/v1/analytics/profitability/whale-curve?asOf=${asOf}`,
        `/v1/analytics/receivables/aging?asOf=${asOf}&limit=1`,
        `/v1/analytics/receivables/aging?asOf=${asOf}&limit=2`,
        `/v1/analytics/receivables/aging?asOf=${asOf}&limit=3`,
        `/v1/analytics/receivables/aging?asOf=${asOf}`,
        `/v1/analytics/receivables/dso?asOf=${asOf}`,
        `/v1/analytics/cohorts?asOf=${asOf}`,
      ];
      // the receivables-aging report's whole list, too
      const agingAll = () => t.app.get(ReceivablesService).agingAll(tenant.id, asOf);
      const liveAll = await agingAll();
      const live = new Map<string, Body[]>();
      for (const p of paths) live.set(p, await responses(p));
      for (const bodies of live.values()) for (const b of bodies) expect(b.snapshotId).toBeNull();

      const snapshotId = await recomputeNow(t, tenant, asOf);

      for (const p of paths) {
        const served = await responses(p);
        for (const b of served)
          expect({ path: p, snapshotId: b.snapshotId }).toEqual({
            path: p,
            snapshotId,
          });
        expect({ path: p, bodies: served.map((b) => ({ ...b, snapshotId: null })) }).toEqual({
          path: p,
          bodies: live.get(p),
        });
      }
      const query = jest.spyOn(t.app.get(Database), 'query');
      const servedAll = await agingAll();
      expect(query.mock.calls.filter(([sql]) => sql === AGING_PAGE)).toEqual([]);
      query.mockRestore();
      expect(servedAll).toEqual(liveAll);
      expect(servedAll.rows.length).toBeGreaterThan(2);
      const chunks = await t.sql<{ kind: string }>(
        `SELECT kind FROM snapshot_results WHERE tenant_id = $1 AND snapshot_id = $2 AND kind LIKE '%#%' ORDER BY kind`,
        [tenant.id, snapshotId],
      );
      expect(chunks.filter((c) => c.kind.startsWith('profitability.customer#')).length).toBe(3);
      expect(chunks.filter((c) => c.kind.startsWith('receivables.aging#')).length).toBeGreaterThan(1);
      // the scenario has what it is about: several pages, ties, a cost of credit, something overdue
      expect(live.get(paths[0]!)!.length).toBeGreaterThan(6);

      // other parameters are still computed on demand
      for (const p of [
        `/v1/analytics/profitability?by=customer&asOf=${asOf}&from=2024-01-01`,
        `/v1/analytics/profitability?by=product&asOf=${asOf}`,
        `/v1/analytics/profitability/whale-curve?asOf=${asOf}&to=2024-03-01`,
        `/v1/analytics/cohorts?asOf=${asOf}&months=6`,
        `/v1/analytics/receivables/aging?asOf=2024-04-01`,
      ]) {
        const res = await t.http.get(p).set(tenant.auth).expect(200);
        expect({ p, snapshotId: res.body.snapshotId ?? null }).toEqual({ p, snapshotId: null });
      }
    });
  }
});
