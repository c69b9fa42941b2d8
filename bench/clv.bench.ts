import { BgNbdParams, fitBgNbd } from '../src/analytics/clv/bg-nbd.math';
import { ensureClvPredictions } from '../src/analytics/clv/clv-store';
import { SummaryRow, toSummary } from '../src/analytics/clv/clv-fit';
import { CLV_SUMMARY } from '../src/analytics/clv/clv.queries';
import { CUSTOMER_MARGINS } from '../src/analytics/profitability/profitability.queries';
import { fitGammaGamma } from '../src/analytics/clv/gamma-gamma.math';
import { benchTenantEnv, seconds as s, timed } from './support';

/**
 * CLV benchmark (issue: predictive CLV): the generated 100,000 customers (customers, products,
 * inventory, invoices, credit notes imported through the API), then for asOf = the dataset's end date,
 * time unit day: the summary SQL, the BG/NBD + Gamma-Gamma fit, per-customer predictions written back,
 * and the whole read end to end (in process, and over HTTP when the service serves /v1/analytics/clv).
 * Targets: fit < 2 s, end to end < 10 s.
 */
export async function clvBenchmark(): Promise<void> {
  const env = await benchTenantEnv('bench-clv', [
    'customers',
    'products',
    'inventory',
    'invoices',
    'credit-notes',
  ]);
  const { asOf, manifest, service, tenant, database } = env;
  try {
    const key = {
      asOf,
      unit: 'day' as const,
      model: 'bg-nbd' as const,
      horizonMonths: 12,
      discountRate: '0.01',
    };

    // the parts on their own
    const summary = await timed(() => database.query<SummaryRow>(CLV_SUMMARY, [tenant.id, asOf, 1]));
    const margins = await timed(() => database.query(CUSTOMER_MARGINS, [tenant.id, asOf]));
    const summaries = summary.value.map(toSummary);
    const bg = await timed(() => fitBgNbd(summaries));
    const gg = await timed(() => fitGammaGamma(summaries));

    // the whole read: summary + margins (in parallel), fit, predictions, write-back
    const full = await timed(() => ensureClvPredictions(database, tenant.id, key));
    const again = await timed(() => ensureClvPredictions(database, tenant.id, key));
    const [{ n } = { n: 0 }] = await database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customer_predictions WHERE tenant_id = $1 AND model_id = $2`,
      [tenant.id, full.value.model.id],
    );

    // over HTTP, a date not fitted yet (only when the service has the CLV module wired in)
    const http = await timed(() =>
      fetch(`${service.url}/v1/analytics/clv?asOf=${asOf}&timeUnit=week`, {
        headers: { Authorization: `Bearer ${tenant.apiKey}` },
      }),
    );
    const httpLine =
      http.value.status === 200
        ? `${s(http.ms)} (GET /v1/analytics/clv, time unit week: a fresh fit)`
        : `not measured (GET /v1/analytics/clv answered ${http.value.status}: module not wired yet)`;
    const t = full.value.timings;
    const p = full.value.model.params as BgNbdParams | null;
    const sp = full.value.model.spend_params;
    const f = (v: number | undefined) => (v === undefined ? '?' : v.toPrecision(5));
    console.log(`
## clv (${new Date().toISOString().slice(0, 10)})
dataset: ${manifest.counts.customers} customers, ${manifest.counts.invoices} invoices, ${manifest.counts.creditNotes} credit notes; asOf ${asOf}, unit day
customers with a purchase: ${summaries.length}, repeat buyers: ${full.value.model.repeat_buyers}, distinct (x, t_x, T): ${full.value.model.distinct_tuples}
summary SQL alone:         ${s(summary.ms)}; margin SQL alone: ${s(margins.ms)}
fit alone:                 BG/NBD ${s(bg.ms)} (${bg.value.iterations} iterations, converged ${bg.value.converged}) + Gamma-Gamma ${s(gg.ms)} (${gg.value.customers} customers) = ${s(bg.ms + gg.ms)} (target < 2 s)
BG/NBD r ${f(p?.r)} α ${f(p?.alpha)} a ${f(p?.a)} b ${f(p?.b)}, LL ${full.value.model.log_likelihood?.toFixed(2)}; Gamma-Gamma p ${f(sp?.p)} q ${f(sp?.q)} v ${f(sp?.v)}
end to end (in process):   ${s(full.ms)} = summary+margins ${s(t.summaryMs)} + fit ${s(t.fitMs)} + predictions ${s(t.predictMs)} + write-back of ${n} rows ${s(t.writeMs)} (target < 10 s)
served again from store:   ${s(again.ms)} (stored: ${again.value.stored})
end to end over HTTP:      ${httpLine}`);
  } finally {
    await env.close();
  }
}
