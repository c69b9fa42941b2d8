import { Queryable } from '../../database/database';
import { CLV_DEFAULTS } from '../clv/clv-fit';
import { ensureClvPredictions } from '../clv/clv-store';
import { TenantSettings } from '../../settings/settings';
import { customerAccountsSql, METRICS } from '../customers/customer-metrics.queries';
import { lifecycleSummarySql } from '../customers/segments.queries';
import { lifecycleAtDatesSql } from '../lifecycle/lifecycle.queries';
import { customerProfitabilitySql } from '../profitability/profitability.queries';
import { rfmScoresSql } from '../rfm/rfm.queries';
import { documentFacts, FACTS } from './document-facts.queries';
import { RESULT_STEPS } from './result-steps';
import {
  insertSnapshotCustomers,
  PARTITION_SCHEMA,
  SNAPSHOT_CUSTOMER_KEYS,
  SNAPSHOT_CUSTOMER_SORT_INDEXES,
  SNAPSHOT_RFM_DISTRIBUTION,
  SNAPSHOT_RFM_SEGMENTS,
  snapshotPartition,
} from './snapshot.queries';

/** What every step of a recompute sees: the open transaction and the snapshot being written. */
export interface RecomputeContext {
  tx: Queryable;
  tenantId: string;
  snapshotId: string;
  asOf: string;
  settings: TenantSettings;
  workspace: Workspace;
  /** statements to run once the snapshot is committed (maintenance that must not hold locks in it) */
  afterCommit: string[];
}

/** The result kinds stored with a snapshot: the rows the summary endpoints shape. */
export type SnapshotKind =
  | 'rfm.segments'
  | 'rfm.distribution'
  | 'lifecycle'
  // result-steps.ts
  | 'profitability.customer'
  | `profitability.customer#${number}`
  | 'profitability.segment'
  | 'profitability.whale'
  | 'receivables.aging'
  | `receivables.aging#${number}`
  | 'receivables.dso'
  | 'cohorts';

export interface RecomputeStep {
  name: string;
  run: (ctx: RecomputeContext) => Promise<void>;
}

/** The first `n` of `values`, n = the highest placeholder $n that `sql` uses. */
function placeholders(sql: string, values: unknown[]): unknown[] {
  const n = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  return values.slice(0, n);
}

/**
 * Where a recompute's staged tables live: a schema of their own, created inside its transaction and
 * put first on its search_path (so the SQL names them plainly), dropped before it commits (a failed
 * recompute rolls it back with everything else). They are unlogged tables there, not temporary ones,
 * because PostgreSQL scans temporary tables only in the leader process, never in parallel workers.
 * A database user that may not create schemas gets temporary tables instead (slower, same results).
 */
export interface Workspace {
  schema: string | null;
}

export async function openWorkspace(tx: Queryable, snapshotId: string): Promise<Workspace> {
  const schema = `recompute_${snapshotId.replace(/-/g, '')}`;
  await tx.query(`SAVEPOINT workspace`);
  try {
    await tx.query(`CREATE SCHEMA ${schema}`);
  } catch {
    await tx.query(`ROLLBACK TO SAVEPOINT workspace`);
    return { schema: null };
  }
  await tx.query(`RELEASE SAVEPOINT workspace`);
  await tx.query(`SELECT set_config('search_path', $1 || ', ' || current_setting('search_path'), true)`, [
    schema,
  ]);
  return { schema };
}

export async function closeWorkspace(tx: Queryable, workspace: Workspace): Promise<void> {
  if (workspace.schema) await tx.query(`DROP SCHEMA ${workspace.schema} CASCADE`);
}

/**
 * A staged table of the recompute (in its workspace). The facts get statistics for the plans that
 * aggregate them; the per-customer parts are only joined by customer id, for which the table's size
 * is estimate enough.
 */
async function stage(
  { tx, workspace }: RecomputeContext,
  name: string,
  sql: string,
  params: unknown[],
  analyze = false,
): Promise<void> {
  const table = workspace.schema ? `UNLOGGED TABLE ${name}` : `TEMPORARY TABLE ${name} ON COMMIT DROP`;
  await tx.query(`CREATE ${table} AS ${sql}`, params);
  if (analyze) await tx.query(`ANALYZE ${name}`);
}

/** The dates of the lifecycle flows: the stage at asOf and at 30 and 90 days before. */
const flowDates = (asOf: string) => [asOf, `(${asOf} - 30)`, `(${asOf} - 90)`];

/**
 * A recompute, step by step (ADR 0010). The first steps stage the document facts and the
 * per-customer parts as tables of the recompute's workspace (openWorkspace); `customers` writes
 * the snapshot rows from them and `summaries` the stored results. Allocations are read once, by
 * `facts`; payments also by `accounts` (credits per customer); invoices by `facts` and again where a
 * parallel join pays (profitability's lines) or an engine keeps its own query (RFM); the lifecycle
 * at its three dates, receivables and cost of credit read only the staged facts. A step that
 * adds columns to the snapshot rows (say, predictions and churn scores) runs after `customers` and
 * updates them from its own staged relation (and its columns join SNAPSHOT_CUSTOMER_COLUMNS).
 */
export const RECOMPUTE_STEPS: RecomputeStep[] = [
  {
    name: 'facts',
    run: async (ctx) => {
      const { tenantId, asOf, settings } = ctx;
      for (const f of documentFacts('$2::date', '$3::int')) {
        // a fact's SQL uses the first few of $1 tenant, $2 asOf, $3 terms
        await stage(
          ctx,
          f.name,
          f.sql,
          placeholders(f.sql, [tenantId, asOf, settings.paymentTermsDays]),
          true,
        );
      }
    },
  },
  {
    name: 'lifecycle',
    run: async (ctx) => {
      const sql = lifecycleAtDatesSql(flowDates('$2::date'), '$3::int', '$4::int');
      const { tenantId, asOf, settings } = ctx;
      await stage(ctx, METRICS.lifecycle, sql, [tenantId, asOf, settings.newDays, settings.lapseDays]);
    },
  },
  {
    name: 'rfm',
    // over the staged facts only: no tenant placeholder
    run: (ctx) =>
      stage(ctx, METRICS.rfm, rfmScoresSql('$1::date', '$2::int', FACTS), [
        ctx.asOf,
        ctx.settings.rfmWindowDays,
      ]),
  },
  {
    name: 'profitability',
    run: (ctx) =>
      stage(
        ctx,
        METRICS.profitability,
        customerProfitabilitySql(
          { asOf: '$2::date', from: 'NULL::date', end: '$2::date', rate: '$3::numeric' },
          { invoices: FACTS.invoices, creditNotes: FACTS.creditNotes },
        ),
        [ctx.tenantId, ctx.asOf, ctx.settings.annualCreditRate],
      ),
  },
  {
    name: 'accounts',
    run: (ctx) => stage(ctx, METRICS.accounts, customerAccountsSql('$2::date'), [ctx.tenantId, ctx.asOf]),
  },
  {
    // the snapshot's own table (ADR 0011): loaded without indexes, indexed once, then attached as
    // its partition of snapshot_customers (the keys and indexes built here are adopted, not rebuilt)
    name: 'customers',
    run: async ({ tx, tenantId, snapshotId, asOf }) => {
      const [{ schema } = { schema: 'public' }] = await tx.query<{ schema: string }>(PARTITION_SCHEMA);
      const table = snapshotPartition(schema, snapshotId);
      await tx.query(`CREATE TABLE ${table} (LIKE snapshot_customers INCLUDING DEFAULTS)`);
      await tx.query(insertSnapshotCustomers(table), [tenantId, snapshotId, asOf]);
      await tx.query(`ALTER TABLE ${table} ${SNAPSHOT_CUSTOMER_KEYS.map((k) => `ADD ${k}`).join(', ')}`);
      for (const columns of SNAPSHOT_CUSTOMER_SORT_INDEXES)
        await tx.query(`CREATE INDEX ON ${table} ${columns}`);
      // statistics for the list's filters (reads are index scans on the keys above)
      await tx.query(`ANALYZE ${table} (segment, stage)`);
      await tx.query(
        `ALTER TABLE snapshot_customers ATTACH PARTITION ${table} FOR VALUES IN ('${snapshotId}')`,
      );
    },
  },
  {
    // the CLV model and per-customer predictions of asOf (default key), so the customer list, churn
    // and reports read them without a fit; stored in clv_models, keyed by the data version
    name: 'clv',
    run: async ({ tx, tenantId, asOf, afterCommit }) => {
      const { stored } = await ensureClvPredictions(
        tx,
        tenantId,
        { ...CLV_DEFAULTS, asOf },
        {
          facts: { invoices: FACTS.invoices, creditNotes: FACTS.creditNotes },
          profitability: METRICS.profitability,
        },
      );
      // a tenant's predictions were just written (all its customers at once): the readers that join
      // them (churn, CLV sorts, reports) get statistics that know it, without waiting for autoanalyze;
      // after the commit, since ANALYZE's lock would hold off other tenants' recomputes until then
      if (!stored) afterCommit.push(`ANALYZE customer_predictions`);
    },
  },
  {
    name: 'summaries',
    run: async ({ tx, tenantId, snapshotId, asOf }) => {
      const put = async (kind: SnapshotKind, rows: unknown) => {
        await tx.query(
          `INSERT INTO snapshot_results (tenant_id, snapshot_id, kind, payload) VALUES ($1, $2, $3, $4::jsonb)`,
          [tenantId, snapshotId, kind, JSON.stringify(rows)],
        );
      };
      // the RFM summaries come from the rows just written: the same numbers, computed once
      await put('rfm.segments', await tx.query(SNAPSHOT_RFM_SEGMENTS, [tenantId, snapshotId]));
      await put('rfm.distribution', await tx.query(SNAPSHOT_RFM_DISTRIBUTION, [tenantId, snapshotId]));
      // the stages at asOf, asOf − 30 and asOf − 90, staged by the lifecycle step
      const [now, d30, d90] = flowDates('$1::date').map(
        (d) => `(SELECT * FROM ${METRICS.lifecycle} WHERE at = ${d})`,
      );
      await put('lifecycle', await tx.query(lifecycleSummarySql(now!, d30!, d90!), [asOf]));
    },
  },
  // the stored results of the paged and summary endpoints (result-steps.ts)
  ...RESULT_STEPS,
];
