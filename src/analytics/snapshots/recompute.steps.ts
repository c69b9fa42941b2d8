import { placeholders, Queryable } from '../../database/database';
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
  /** the tenant's data version the snapshot is of (what the staged facts were read at) */
  dataVersion: number;
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

/**
 * Where a recompute's staged tables live: a schema of their own, put first on the search_path of the
 * transactions that use it (so the SQL names them plainly) and dropped when the recompute ends. They
 * are unlogged tables there, not temporary ones, because PostgreSQL scans temporary tables only in the
 * leader process, never in parallel workers, and because staging lanes on other connections
 * (STAGING_PHASES) must see them. A database user that may not create schemas gets temporary tables
 * in the snapshot's transaction instead (slower, same results).
 */
export interface Workspace {
  schema: string | null;
}

/** A workspace's schema: its creation time (base 36) and the snapshot, so stale ones can be found. */
export function workspaceName(snapshotId: string, now = Date.now()): string {
  return `recompute_${now.toString(36)}_${snapshotId.replace(/-/g, '')}`;
}

/** The workspace `schema` (already created) first on the search_path of transaction `tx`. */
export async function useWorkspace(tx: Queryable, schema: string): Promise<Workspace> {
  await tx.query(`SELECT set_config('search_path', $1 || ', ' || current_setting('search_path'), true)`, [
    schema,
  ]);
  return { schema };
}

/** A workspace created inside transaction `tx` (rolled back with it), or none without the right to. */
export async function openWorkspace(tx: Queryable, snapshotId: string): Promise<Workspace> {
  const schema = workspaceName(snapshotId);
  await tx.query(`SAVEPOINT workspace`);
  try {
    await tx.query(`CREATE SCHEMA ${schema}`);
  } catch {
    await tx.query(`ROLLBACK TO SAVEPOINT workspace`);
    return { schema: null };
  }
  await tx.query(`RELEASE SAVEPOINT workspace`);
  return useWorkspace(tx, schema);
}

export async function closeWorkspace(tx: Queryable, workspace: Workspace): Promise<void> {
  if (workspace.schema) await tx.query(`DROP SCHEMA ${workspace.schema} CASCADE`);
}

/** A recompute that runs longer than this is gone: its workspace may be dropped (dropStaleWorkspaces). */
export const WORKSPACE_MAX_AGE_MS = 60 * 60_000;

/**
 * Drops the workspaces of recomputes that ended without dropping their own (the process died while
 * staging lanes had committed tables): every `recompute_<time>_…` schema older than
 * WORKSPACE_MAX_AGE_MS. Returns the schemas dropped.
 */
export async function dropStaleWorkspaces(db: Queryable, now = Date.now()): Promise<string[]> {
  const schemas = await db.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace WHERE nspname ~ '^recompute_[0-9a-z]+_[0-9a-f]{32}$'`,
  );
  const stale = schemas
    .map((s) => s.name)
    .filter((name) => now - parseInt(name.split('_')[1]!, 36) > WORKSPACE_MAX_AGE_MS);
  for (const name of stale) await db.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  return stale;
}

/** Settings of a recompute's transactions (SET LOCAL): see RECOMPUTE_WORK_MEM. */
export async function prepareRecomputeTransaction(tx: Queryable): Promise<void> {
  // sorts and hashes over the staged facts fit in memory instead of spilling, and no JIT compilation
  // (seconds per statement here, for no gain on these plans)
  await tx.query(`SET LOCAL work_mem = '${RECOMPUTE_WORK_MEM}'`);
  await tx.query(`SET LOCAL jit = off`);
}

/** work_mem of a recompute transaction (SET LOCAL): its sorts and hashes run over ~1M staged rows. */
const RECOMPUTE_WORK_MEM = '256MB';

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
    run: async ({ tx, tenantId, asOf, dataVersion, settings, afterCommit }) => {
      const { stored } = await ensureClvPredictions(
        tx,
        tenantId,
        { ...CLV_DEFAULTS, asOf },
        {
          facts: { invoices: FACTS.invoices, creditNotes: FACTS.creditNotes },
          profitability: METRICS.profitability,
          dataVersion,
          settings,
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

/**
 * The steps that only stage workspace tables (from the documents and what earlier steps staged), in
 * phases of lanes. On a database with connections to spare (PostgreSQL, `Database.concurrent`) a
 * recompute runs them before its snapshot transaction: the lanes of a phase at once, each lane's
 * steps in turn in a transaction of its own, a phase after the one before has committed (ADR 0012).
 * The other steps then run in the snapshot's transaction, in RECOMPUTE_STEPS order.
 */
export const STAGING_PHASES: readonly (readonly string[])[][] = [
  [['facts']],
  [['lifecycle'], ['rfm', 'profitability', 'accounts']],
];

/** The step called `name`. */
export function recomputeStep(name: string): RecomputeStep {
  const step = RECOMPUTE_STEPS.find((s) => s.name === name);
  if (!step) throw new Error(`no recompute step ${name}`);
  return step;
}
