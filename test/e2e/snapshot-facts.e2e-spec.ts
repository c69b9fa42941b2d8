import { CLV_SUMMARY } from '../../src/analytics/clv/clv.queries';
import {
  CUSTOMER_MARGINS,
  customerProfitabilitySql,
} from '../../src/analytics/profitability/profitability.queries';
import { receivablesSnapshotSql } from '../../src/analytics/receivables/receivables.queries';
import { AnalyticsWorker } from '../../src/analytics/snapshots/analytics-worker';
import { bootApp, createTenant, TestApp, TestTenant } from '../support/app';
import { importAwkwardDocuments } from '../support/awkward-documents';

/**
 * A recompute stages the document facts once and derives profitability and receivables per customer
 * from them (ADR 0010); the engines' endpoints still run their own queries. This holds the two to the
 * same exact numbers on the awkward cases: foreign-currency invoices, payments and credit notes (in
 * the invoice's currency and not), a payment and a credit note of one customer applied to an invoice
 * that was re-sent as another customer's, partial payments, an over-credited invoice, unlinked and
 * non-restocking returns,
 * costs from the line, from inventory snapshots (two warehouses on one day) and from the product, and
 * a credit rate — at two dates.
 */

const PROFIT = ['gross_profit', 'cogs', 'covered_revenue', 'cost_of_credit', 'contribution'] as const;

describe('snapshot rows agree with the engines’ own queries', () => {
  let t: TestApp;
  let tenant: TestTenant;

  beforeAll(async () => {
    t = await bootApp({ ANALYTICS_DEBOUNCE_MS: '86400000' });
    tenant = await createTenant(t);
    await importAwkwardDocuments(t, tenant);
  });
  afterAll(() => t.close());

  for (const asOf of ['2024-03-15', '2024-06-30']) {
    it(`as of ${asOf}`, async () => {
      await t.http.post('/v1/analytics/recompute').set(tenant.auth).send({ asOf }).expect(202);
      await t.app.get(AnalyticsWorker).tick(new Date(), tenant.id);
      const snap = await t.sql<Record<string, unknown>>(
        `SELECT sc.* FROM snapshot_customers sc
           JOIN tenants tn ON tn.id = sc.tenant_id AND tn.current_snapshot_id = sc.snapshot_id
          WHERE sc.tenant_id = $1 ORDER BY sc.customer_id`,
        [tenant.id],
      );
      expect(snap.map((r) => r.external_id)).toEqual(['A', 'B', 'C']);
      // numeric values as the driver returns them (strings on PostgreSQL), compared as text
      const text = (v: unknown) =>
        v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v);
      const prof = new Map(
        (await t.sql<Record<string, unknown>>(customerProfitabilitySql(), [tenant.id, asOf, '0.12'])).map(
          (r) => [String(r.customer_id), r],
        ),
      );
      const recv = new Map(
        (
          await t.sql<Record<string, unknown>>(receivablesSnapshotSql('$2::date', '$3::int'), [
            tenant.id,
            asOf,
            30,
          ])
        ).map((r) => [String(r.customer_id), r]),
      );
      const [money] = await t.sql<{ a: unknown; b: unknown }>(
        `SELECT (SELECT sum(net * exchange_rate) FROM invoices WHERE tenant_id = $1 AND customer_id = $2 AND issue_date <= $4)
              - (SELECT COALESCE(sum(net * exchange_rate), 0) FROM credit_notes WHERE tenant_id = $1 AND customer_id = $2 AND issue_date <= $4) AS a,
                (SELECT sum(net * exchange_rate) FROM invoices WHERE tenant_id = $1 AND customer_id = $3 AND issue_date <= $4)
              - (SELECT COALESCE(sum(net * exchange_rate), 0) FROM credit_notes WHERE tenant_id = $1 AND customer_id = $3 AND issue_date <= $4) AS b`,
        [tenant.id, snap[0]!.customer_id, snap[1]!.customer_id, asOf],
      );
      for (const row of snap) {
        const id = String(row.customer_id);
        const p = prof.get(id);
        const r = recv.get(id);
        expect({ id, ...Object.fromEntries(PROFIT.map((k) => [k, text(row[k])])) }).toEqual({
          id,
          ...Object.fromEntries(PROFIT.map((k) => [k, p ? text(p[k]) : '0'])),
        });
        expect({
          id,
          total_open: text(row.total_open),
          balance: text(row.balance),
          overdue: text(row.overdue),
          mean_days_to_pay: text(row.mean_days_to_pay),
        }).toEqual({
          id,
          total_open: r ? text(r.total_open) : '0',
          balance: r ? text(r.net_owed) : '0',
          overdue: r ? text(r.overdue) : '0',
          mean_days_to_pay: r ? text(r.mean_days_to_pay) : null,
        });
      }
      // the CLV step's summary reads the staged facts (the same rows as CLV_SUMMARY on the documents)
      // and its margins the staged profitability: margin CLV's margin is profitability's gross profit,
      // as the on-demand margins query gives it
      const predictions = await t.sql<Record<string, unknown>>(
        `SELECT p.* FROM customer_predictions p JOIN clv_models m ON m.tenant_id = p.tenant_id AND m.id = p.model_id
          WHERE p.tenant_id = $1 AND m.as_of = $2 ORDER BY p.customer_id`,
        [tenant.id, asOf],
      );
      const columns = (r: Record<string, unknown>, keys: string[]) => keys.map((k) => text(r[k]));
      const summary = ['customer_id', 'frequency', 'recency', 'age', 'monetary', 'historical_clv'];
      const onDemand = await t.sql<Record<string, unknown>>(`${CLV_SUMMARY} ORDER BY customer_id`, [
        tenant.id,
        asOf,
        1,
      ]);
      expect(predictions.map((r) => columns(r, summary))).toEqual(onDemand.map((r) => columns(r, summary)));
      const margin = ['customer_id', 'historical_margin', 'margin_ratio'];
      const margins = await t.sql<Record<string, unknown>>(`${CUSTOMER_MARGINS} ORDER BY customer_id`, [
        tenant.id,
        asOf,
      ]);
      expect(predictions.map((r) => columns(r, margin))).toEqual(margins.map((r) => columns(r, margin)));
      expect(predictions.map((r) => text(r.historical_margin))).toEqual(
        predictions.map((r) => text(prof.get(String(r.customer_id))!.gross_profit)),
      );
      expect(predictions.length).toBe(2);
      expect(Number(snap[0]!.net_revenue)).toBeCloseTo(Number(money!.a), 10);
      expect(Number(snap[1]!.net_revenue)).toBeCloseTo(Number(money!.b), 10);
      // the facts this scenario is about are really there: a cost of credit, an overdue amount, and
      // (at the end) an invoice over-credited by another customer's credit note
      expect(snap.some((r) => Number(r.cost_of_credit) > 0)).toBe(true);
      expect(snap.some((r) => Number(r.overdue) > 0)).toBe(true);
    });
  }
});
