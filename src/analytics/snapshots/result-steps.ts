import { METRICS } from '../customers/customer-metrics.queries';
import { cohortGridSql, DEFAULT_COHORT_MONTHS } from '../cohorts/cohorts.queries';
import { NO_SEGMENT, WHALE_MAX_POINTS } from '../profitability/profitability.math';
import { AGING_BUCKETS, bucketConditionSql, DSO_PERIOD_DAYS } from '../receivables/receivables.math';
import { FACTS } from './document-facts.queries';
import type { RecomputeContext, RecomputeStep, SnapshotKind } from './recompute.steps';
import {
  AGING_COLUMNS,
  CHUNKING,
  ChunkedKind,
  PROFIT_COLUMNS,
  PROFIT_SUMMED,
  WHALE_COLUMNS,
} from './stored-results';

/**
 * The stored results of the endpoints that page or summarise over all customers (profitability by
 * customer and segment with the whale curve, receivables aging and DSO, cohorts), for the
 * snapshot's asOf with the tenant's settings, derived from what the recompute already staged
 * (document facts, metric_profitability, metric_accounts, metric_rfm) instead of running each
 * engine's own query again. Each payload holds exactly what the engine's query returns for the
 * default parameters (profitability over all history ≤ asOf, cohorts of DEFAULT_COHORT_MONTHS), in
 * the endpoint's order, numbers as the driver's decimal text (exact; the cursors carry them):
 * test/e2e/snapshot-results.e2e-spec.ts holds every response equal to the on-demand one.
 *
 * Rows are arrays in the order of stored-results.ts' column lists; the per-customer lists are stored
 * in chunks (putChunked) and the reading services page them with the SQL's keyset order, reading
 * (and keeping in memory) only the chunks a page needs.
 */

/** Profitability per customer over all history ≤ asOf (the by=customer rows of profitabilityPageSql). */
const PROFIT_CUSTOMERS = 'res_profit_customers';
/** The aging rows shown (open or unapplied ≠ 0), with the page's extra columns. */
const AGING = 'res_aging';

/**
 * A relation of this recompute's workspace (see openWorkspace in recompute.steps.ts) with `n`, each
 * row's position (from 0) in `order`: the one sort its chunks, index and curve read.
 */
async function stage(
  { tx, workspace }: RecomputeContext,
  name: string,
  sql: string,
  order: string,
  params: unknown[],
) {
  const table = workspace.schema ? `UNLOGGED TABLE ${name}` : `TEMPORARY TABLE ${name} ON COMMIT DROP`;
  await tx.query(
    `CREATE ${table} AS SELECT row_number() OVER (ORDER BY ${order}) - 1 AS n, x.* FROM (${sql}) x`,
    params,
  );
}

/** Stores `payloadSql` (a SELECT of one jsonb column, $1 the tenant and then `params`) as `kind`. */
async function put(ctx: RecomputeContext, kind: SnapshotKind, payloadSql: string, params: unknown[] = []) {
  await ctx.tx.query(
    `INSERT INTO snapshot_results (tenant_id, snapshot_id, kind, payload)
     SELECT $1, '${ctx.snapshotId}'::uuid, '${kind}', (${payloadSql})`,
    [ctx.tenantId, ...params],
  );
}

/**
 * A long list stored in chunks of CHUNKING.rows rows: `<kind>#<i>` holds rows i × CHUNKING.rows… of
 * `from` (a staged relation with its order in n; rowsJson's arrays), and `kind` the index — the totals
 * (`totalsSql`, one jsonb), how many rows, and the first row's (value, key) of each chunk — so a page
 * reads one or two chunks, not the list.
 */
async function putChunked(
  ctx: RecomputeContext,
  kind: ChunkedKind,
  list: { columns: readonly string[]; from: string; value: string; key: string },
  totalsSql: string,
) {
  const { columns, from, value, key } = list;
  await ctx.tx.query(
    `INSERT INTO snapshot_results (tenant_id, snapshot_id, kind, payload)
     SELECT $1, '${ctx.snapshotId}'::uuid, '${kind}#' || (n / ${CHUNKING.rows}),
            jsonb_agg(jsonb_build_array(${columns.map((c) => `${c}::text`).join(', ')}) ORDER BY n)
       FROM ${from}
      GROUP BY n / ${CHUNKING.rows}`,
    [ctx.tenantId],
  );
  await put(
    ctx,
    kind,
    `SELECT jsonb_build_object('totals', (${totalsSql}), 'rows', (SELECT count(*) FROM ${from}),
            'firsts', COALESCE(jsonb_agg(jsonb_build_array(${value}::text, ${key}::text) ORDER BY n), '[]'::jsonb))
       FROM ${from} WHERE n % ${CHUNKING.rows} = 0`,
  );
}

/** jsonb array of `columns` (as text: NUMERIC exactly as the driver returns it) per row of `from`, in `order`. */
function rowsJson(columns: readonly string[], from: string, order: string): string {
  return `SELECT COALESCE(jsonb_agg(jsonb_build_array(${columns.map((c) => `${c}::text`).join(', ')}) ORDER BY ${order}),
                  '[]'::jsonb)
            FROM ${from}`;
}

/**
 * Per customer: metric_profitability's exact figures (the engine's by=customer money, held equal by
 * snapshot-facts.e2e-spec.ts) and its counts — invoices and credit notes with a line, units sold and
 * returned — which that pass over the lines already makes (profitabilityFactsSql's counts).
 */
const PROFIT_CUSTOMERS_SQL = `
  SELECT c.external_id AS key, c.name, c.name_ar, p.customer_id,
         p.gross_sales, p.returns, p.net_revenue, p.covered_revenue, p.cogs, p.gross_profit, p.cost_of_credit,
         p.contribution, p.invoices, p.credit_notes, p.units, p.returned_units
    FROM ${METRICS.profitability} p
    JOIN customers c ON c.tenant_id = $1 AND c.id = p.customer_id`;

const BY_CONTRIBUTION = 'contribution DESC, key COLLATE "C"';

/** The totals row of profitabilityPageSql over `g` (Σ of the groups' exact values; documents counted once). */
const profitTotals = (g: string) => `
  SELECT jsonb_build_object(${PROFIT_SUMMED.map((c) => `'${c}', COALESCE(sum(${c}), 0)::text`).join(', ')},
         'invoices', (SELECT COALESCE(sum(invoices), 0) FROM ${PROFIT_CUSTOMERS})::text,
         'credit_notes', (SELECT COALESCE(sum(credit_notes), 0) FROM ${PROFIT_CUSTOMERS})::text,
         'groups', count(*))
    FROM ${g}`;

/** The RFM segments' rows, rolled up from the customers' as profitabilityPageSql('segment') does. */
const PROFIT_SEGMENTS_SQL = `(
  SELECT COALESCE(s.segment, '${NO_SEGMENT}') AS key, NULL::text AS name, NULL::text AS name_ar,
         ${PROFIT_SUMMED.map((c) => `sum(g.${c}) AS ${c}`).join(', ')},
         sum(g.invoices) AS invoices, sum(g.credit_notes) AS credit_notes
    FROM ${PROFIT_CUSTOMERS} g LEFT JOIN ${METRICS.rfm} s ON s.customer_id = g.customer_id
   GROUP BY 1) seg`;

/** whaleCurveSql over the staged customers; $2 = the most points wanted. */
const WHALE_SQL = `(
  WITH r AS (
    SELECT key, name, contribution, row_number() OVER o AS rank,
           sum(contribution) OVER (o ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative,
           count(*) OVER () AS n, sum(contribution) OVER () AS total
      FROM ${PROFIT_CUSTOMERS}
    WINDOW o AS (ORDER BY n) -- n: the rank in contribution desc, key (binary), as whaleCurveSql orders
  ),
  peak AS (SELECT rank FROM r ORDER BY cumulative DESC, rank LIMIT 1),
  k AS (SELECT GREATEST(1, ceil(count(*)::numeric / $2::int))::int AS step FROM r)
  SELECT r.key, r.name, r.contribution, r.rank, r.cumulative, r.n, r.total, peak.rank AS peak_rank
    FROM r CROSS JOIN k CROSS JOIN peak
   WHERE r.rank % k.step = 0 OR r.rank = r.n OR r.rank = peak.rank) w`;

/**
 * The aging rows of AGING_PAGE, shown ones only: metric_accounts' totals (the engine's total_open,
 * unapplied, net_owed and mean days to pay, held equal by snapshot-facts.e2e-spec.ts) with the buckets,
 * oldest overdue, settled and open invoices counted from the staged invoices (open, due_on, settled_on:
 * the receivables rule). $2 asOf.
 */
const AGING_SQL = `
  WITH b AS (
    SELECT customer_id,
           ${AGING_BUCKETS.map(
             (k) =>
               `COALESCE(sum(open) FILTER (WHERE open > 0 AND ${bucketConditionSql('($2::date - due_on)', k)}), 0) AS ${k.column}`,
           ).join(',\n           ')},
           max($2::date - due_on) FILTER (WHERE open > 0 AND $2::date - due_on > 0) AS oldest_overdue_days,
           count(*) FILTER (WHERE settled_on IS NOT NULL) AS settled_invoices,
           count(*) FILTER (WHERE open > 0) AS open_invoices
      FROM ${FACTS.invoices} GROUP BY customer_id
  )
  SELECT c.external_id, c.name, c.name_ar, c.email, c.phone, a.total_open, a.unapplied, a.net_owed,
         a.mean_days_to_pay, ${AGING_BUCKETS.map((k) => `COALESCE(b.${k.column}, 0) AS ${k.column}`).join(', ')},
         b.oldest_overdue_days, COALESCE(b.settled_invoices, 0) AS settled_invoices,
         COALESCE(b.open_invoices, 0) AS open_invoices
    FROM ${METRICS.accounts} a
    JOIN customers c ON c.tenant_id = $1 AND c.id = a.customer_id
    LEFT JOIN b ON b.customer_id = a.customer_id
   WHERE a.total_open <> 0 OR a.unapplied <> 0`;

const AGING_TOTALS = `
  SELECT jsonb_build_object('t_customers', count(*),
         ${AGING_BUCKETS.map((k) => `'t_${k.column}', COALESCE(sum(${k.column}), 0)::text`).join(', ')},
         't_total_open', COALESCE(sum(total_open), 0)::text, 't_unapplied', COALESCE(sum(unapplied), 0)::text,
         't_net_owed', COALESCE(sum(net_owed), 0)::text)
    FROM ${AGING}`;

/** The DSO row: receivables and days to pay over every customer (not only the shown), credit sales of the period. */
const DSO_SQL = `
  SELECT jsonb_build_object(
           'receivables', (SELECT COALESCE(sum(total_open), 0) FROM ${METRICS.accounts})::text,
           'settled_invoices', count(*) FILTER (WHERE settled_on IS NOT NULL),
           'mean_days_to_pay', (sum((settled_on - issue_date) * total) FILTER (WHERE settled_on IS NOT NULL)
                                / NULLIF(sum(total) FILTER (WHERE settled_on IS NOT NULL), 0))::text,
           'credit_sales', COALESCE(sum(total) FILTER (WHERE issue_date > $2::date - $3::int), 0)::text)
    FROM ${FACTS.invoices}`;

/** The steps that store these results; appended to RECOMPUTE_STEPS (after the metrics are staged). */
export const RESULT_STEPS: RecomputeStep[] = [
  {
    name: 'results.profitability',
    run: async (ctx) => {
      await stage(ctx, PROFIT_CUSTOMERS, PROFIT_CUSTOMERS_SQL, BY_CONTRIBUTION, [ctx.tenantId]);
      await putChunked(
        ctx,
        'profitability.customer',
        {
          columns: PROFIT_COLUMNS,
          from: PROFIT_CUSTOMERS,
          value: 'contribution',
          key: 'key',
        },
        profitTotals(PROFIT_CUSTOMERS),
      );
      await put(
        ctx,
        'profitability.segment',
        `SELECT jsonb_build_object('totals', (${profitTotals(PROFIT_SEGMENTS_SQL)}),
                'rows', (${rowsJson(PROFIT_COLUMNS, PROFIT_SEGMENTS_SQL, BY_CONTRIBUTION)}))`,
      );
      await put(ctx, 'profitability.whale', rowsJson(WHALE_COLUMNS, WHALE_SQL, 'rank'), [WHALE_MAX_POINTS]);
    },
  },
  {
    name: 'results.receivables',
    run: async (ctx) => {
      await stage(ctx, AGING, AGING_SQL, 'net_owed DESC, external_id COLLATE "C"', [ctx.tenantId, ctx.asOf]);
      await putChunked(
        ctx,
        'receivables.aging',
        {
          columns: AGING_COLUMNS,
          from: AGING,
          value: 'net_owed',
          key: 'external_id',
        },
        AGING_TOTALS,
      );
      await put(ctx, 'receivables.dso', DSO_SQL, [ctx.asOf, DSO_PERIOD_DAYS]);
    },
  },
  {
    // the engine's own grid query over the staged counting documents (the same rows as its CTEs)
    name: 'results.cohorts',
    run: (ctx) =>
      put(
        ctx,
        'cohorts',
        `SELECT COALESCE(jsonb_agg(to_jsonb(g) || jsonb_build_object('net', g.net::text, 'cum_net', g.cum_net::text,
                  'total_net', g.total_net::text) ORDER BY g.cohort_idx, g.month_offset), '[]'::jsonb)
           FROM (${cohortGridSql('$2::date', '$3::int', {
             invoices: `SELECT * FROM ${FACTS.invoices} WHERE $1::uuid IS NOT NULL`,
             creditNotes: `SELECT * FROM ${FACTS.creditNotes}`,
           })}) g`,
        [ctx.asOf, DEFAULT_COHORT_MONTHS],
      ),
  },
];
