import { lapsedLookbackDays } from '../src/analytics/restock/restock.math';
import {
  DEAD_STOCK_SQL,
  RESTOCK_ROWS_SQL,
  RESTOCK_SHARES_SQL,
} from '../src/analytics/restock/restock.queries';
import { DEFAULT_SETTINGS } from '../src/settings/settings';
import { benchTenantEnv, seconds as s, timed } from './support';

/**
 * Restock benchmark (issue: restock suggestions): the generated business (10,000 products × 3
 * warehouses, ~1,000,000 invoice lines) imported through the API, then at asOf = the dataset's end
 * date with the default settings (window 90 days, lapsed-share lookback 365 days): the row and shares
 * SQL alone, and the endpoints over HTTP — every row as CSV (the buyer's download: SQL + Croston/SBA
 * per product + explanations + CSV), the first JSON page, the actionable rows, and dead stock.
 * Target: under 5 s.
 */
export async function restockBenchmark(): Promise<void> {
  const env = await benchTenantEnv('bench-restock', [
    'customers',
    'products',
    'inventory',
    'invoices',
    'credit-notes',
  ]);
  const { asOf, manifest, service, tenant, database } = env;
  try {
    const d = DEFAULT_SETTINGS;
    const lookback = lapsedLookbackDays(d.restockWindowDays, d.lapseDays);
    const params: unknown[] = [tenant.id, asOf, d.restockWindowDays, d.rfmWindowDays, d.lapseDays, lookback];
    // the session settings of RestockService.rows
    const noJit = (text: string, p: unknown[]) =>
      database.transaction(async (tx) => {
        await tx.query(`SELECT set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
        return tx.query(text, p);
      });
    const sql = await timed(() =>
      noJit(RESTOCK_ROWS_SQL, [tenant.id, asOf, d.restockWindowDays, null, lookback]),
    );
    const sharesSql = await timed(() => noJit(RESTOCK_SHARES_SQL, params));
    const deadSql = await timed(() => noJit(DEAD_STOCK_SQL, [tenant.id, asOf, d.restockWindowDays]));

    const get = (path: string) =>
      timed(async () => {
        const res = await fetch(`${service.url}${path}`, {
          headers: { Authorization: `Bearer ${tenant.apiKey}` },
        });
        if (res.status !== 200)
          throw new Error(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
        return res.text();
      });
    const csv = await get(`/v1/analytics/restock?asOf=${asOf}&format=csv`);
    const again = await get(`/v1/analytics/restock?asOf=${asOf}&format=csv&warehouseId=`);
    const page = await get(`/v1/analytics/restock?asOf=${asOf}&limit=100`);
    const actionable = await get(`/v1/analytics/restock?asOf=${asOf}&onlyActionable=true&limit=500`);
    const dead = await get(`/v1/analytics/restock/dead-stock?asOf=${asOf}`);
    const rows = csv.value.trimEnd().split('\r\n').length - 1;
    const pageBody = JSON.parse(page.value) as { rows: number };
    const actionableBody = JSON.parse(actionable.value) as { rows: number };
    const deadBody = JSON.parse(dead.value) as { rows: number; totalValueTiedUp: string };
    const worst = Math.max(csv.ms, again.ms, page.ms, actionable.ms, dead.ms);
    console.log(`
## restock (${new Date().toISOString().slice(0, 10)})
dataset: ${manifest.counts.customers} customers, ${manifest.counts.invoices} invoices, ${manifest.counts.creditNotes} credit notes; asOf ${asOf}, window ${d.restockWindowDays} days
rows: ${rows} (product × warehouse), ${actionableBody.rows} at or below their reorder point; dead stock ${deadBody.rows} rows, ${deadBody.totalValueTiedUp} tied up
row SQL alone:            ${s(sql.ms)} (${sql.value.length} rows); shares SQL (RFM + lapsed over ${lookback} days) alone: ${s(sharesSql.ms)} (run in parallel with it); dead-stock SQL alone: ${s(deadSql.ms)}
GET restock CSV (all):    ${s(csv.ms)} (${(csv.value.length / 1e6).toFixed(1)} MB); again: ${s(again.ms)}
GET restock JSON page:    ${s(page.ms)} (${pageBody.rows} rows ranked, 100 returned)
GET onlyActionable:       ${s(actionable.ms)}
GET dead-stock:           ${s(dead.ms)}
slowest endpoint:         ${s(worst)} (target < 5 s) → ${worst < 5000 ? 'PASS' : 'FAIL'}`);
  } finally {
    await env.close();
  }
}
