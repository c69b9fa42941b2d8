import { createHash, randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Database, Queryable } from '../../database/database';
import { TenantSettings, withDefaults } from '../../settings/settings';
import { ModelTimeUnit } from './clv.math';
import {
  ClvKey,
  ClvModelName,
  finite,
  Fits,
  fitModels,
  MIN_REPEAT_BUYERS,
  predictionRows,
  SummaryRow,
  toSummary,
  TransactionParams,
  UNIT_DAYS,
} from './clv-fit';
import {
  CUSTOMER_MARGINS,
  customerMarginsFrom,
  StagedDocuments,
} from '../profitability/profitability.queries';
import {
  CLV_SUMMARY,
  clvSummarySql,
  FIND_FIT,
  FIND_MODEL,
  INSERT_MODEL,
  INSERT_PREDICTIONS,
  PRUNE_MODELS,
  TENANT_VERSION,
} from './clv.queries';
import { GammaGammaParams } from './gamma-gamma.math';

/** Current models kept per tenant (older dates are refitted on request). */
export const MODELS_KEPT = 10;

/** A row of clv_models (snake_case as stored). */
export interface ModelRow {
  id: string;
  as_of: string;
  time_unit: ModelTimeUnit;
  model: ClvModelName;
  horizon_months: number;
  discount_rate: string;
  status: 'fitted' | 'insufficient_data';
  params: TransactionParams | null;
  log_likelihood: number | null;
  converged: boolean | null;
  iterations: number | null;
  customers: number;
  repeat_buyers: number;
  distinct_tuples: number | null;
  spend_params: GammaGammaParams | null;
  spend_log_likelihood: number | null;
  spend_converged: boolean | null;
  spend_iterations: number | null;
  spend_customers: number | null;
  data_version: number | string;
  settings_hash: string;
  fit_ms: number;
  created_at: string | Date;
}

export interface EnsureResult {
  model: ModelRow;
  /** true when served from a stored model (nothing refitted or rewritten) */
  stored: boolean;
  timings: { summaryMs: number; fitMs: number; predictMs: number; writeMs: number; totalMs: number };
}

type Db = Database | Queryable;

const log = new Logger('Clv');

/**
 * Ensures the model and per-customer predictions of (tenant, key) exist for the tenant's current data
 * version and settings, and returns the model row. A stored match is returned as is (no refit, no
 * rewrite). Otherwise: the summary SQL, the fit (or the parameters of a stored fit of the same data
 * that differs only in horizon/discount), predictions per distinct tuple, and one INSERT of all
 * customers' predictions (a JSON recordset) with the model row, in one transaction (or inside `db`
 * when it is already a transaction, e.g. a snapshot recompute). With fewer than MIN_REPEAT_BUYERS
 * repeat buyers the model is stored with status 'insufficient_data', no parameters, and predictions
 * holding only historical CLV. The margins are profitability's gross profit per customer
 * (CUSTOMER_MARGINS). A recompute passes what it has staged for the same asOf (StagedClvInputs): the
 * summary reads the staged facts instead of the documents, the margins the staged profitability
 * without another pass over the lines — the same figures either way.
 */
/**
 * What a recompute has staged for its asOf: the document facts, the customers' profitability (with
 * known_costs), and the data version and settings they were staged at — the model is stored under
 * those, not under the tenant's version of the moment, which an import may have moved on since.
 */
export interface StagedClvInputs {
  facts: StagedDocuments;
  profitability: string;
  dataVersion: number;
  settings: TenantSettings;
}

export async function ensureClvPredictions(
  db: Db,
  tenantId: string,
  key: ClvKey,
  staged?: StagedClvInputs,
): Promise<EnsureResult> {
  const started = Date.now();
  const [tenant] = staged
    ? [{ data_version: staged.dataVersion, settings: staged.settings }]
    : (
        await db.query<{ data_version: number | string; settings: Record<string, unknown> }>(TENANT_VERSION, [
          tenantId,
        ])
      ).map((t) => ({ data_version: t.data_version, settings: withDefaults(t.settings) }));
  if (!tenant) throw new Error(`tenant ${tenantId} not found`);
  const version = Number(tenant.data_version);
  // the snapshot's settings hash (snapshot.service settingsHash), computed here to keep imports one-way
  const hash = createHash('sha256').update(JSON.stringify(tenant.settings)).digest('hex').slice(0, 32);
  const found = await findModel(db, tenantId, key, version, hash);
  const zero = { summaryMs: 0, fitMs: 0, predictMs: 0, writeMs: 0 };
  if (found) return { model: found, stored: true, timings: { ...zero, totalMs: Date.now() - started } };

  // The margin query is only needed for the write: it runs on its own connection while the summary
  // is read, fitted and predicted (inside a transaction everything runs in turn on one connection).
  const t0 = Date.now();
  const pooled = 'transaction' in db;
  const marginsQuery = () =>
    staged
      ? db.query<MarginRow>(customerMarginsFrom(staged.profitability))
      : db.query<MarginRow>(CUSTOMER_MARGINS, [tenantId, key.asOf]);
  const marginsPending = pooled ? settle(marginsQuery()) : null;
  const rows = await db.query<SummaryRow>(staged ? clvSummarySql(staged.facts) : CLV_SUMMARY, [
    tenantId,
    key.asOf,
    UNIT_DAYS[key.unit],
  ]);
  let summaryMs = Date.now() - t0;

  const t1 = Date.now();
  const summaries = rows.map(toSummary);
  const repeatBuyers = summaries.reduce((n, s) => n + (s.x > 0 ? 1 : 0), 0);
  let fits: Fits | null = null;
  if (repeatBuyers >= MIN_REPEAT_BUYERS) {
    fits = (await reusedFit(db, tenantId, key, version, hash)) ?? fitModels(key.model, summaries);
    if (fits.spendProblem) log.warn(`tenant ${tenantId} ${key.asOf}: ${fits.spendProblem}`);
  }
  const fitMs = Date.now() - t1;

  const t2 = Date.now();
  const predictions = predictionRows(rows, summaries, key, fits);
  const predictMs = Date.now() - t2;

  const t4 = Date.now();
  const margins = marginsPending ? unwrap(await marginsPending) : await marginsQuery();
  summaryMs += Date.now() - t4;
  const margin = new Map(margins.map((m) => [Number(m.customer_id), m]));
  for (const p of predictions) {
    const m = margin.get(p.c);
    p.mr = m?.margin_ratio ?? null;
    p.hm = m?.historical_margin ?? null;
  }

  const t3 = Date.now();
  const id = randomUUID();
  const modelArgs = [
    tenantId,
    id,
    key.asOf,
    key.unit,
    key.model,
    key.horizonMonths,
    key.discountRate,
    fits ? 'fitted' : 'insufficient_data',
    fits ? JSON.stringify(fits.transaction.params) : null,
    fits ? finite(fits.transaction.logLikelihood) : null,
    fits ? fits.transaction.converged : null,
    fits ? fits.transaction.iterations : null,
    fits ? fits.transaction.customers : rows.length,
    repeatBuyers,
    fits ? fits.transaction.distinctTuples : null,
    fits?.spend ? JSON.stringify(fits.spend.params) : null,
    fits?.spend ? finite(fits.spend.logLikelihood) : null,
    fits?.spend ? fits.spend.converged : null,
    fits?.spend ? fits.spend.iterations : null,
    fits?.spend ? fits.spend.customers : null,
    version,
    hash,
    fitMs,
  ];
  const write = async (q: Queryable): Promise<boolean> => {
    const inserted = await q.query(INSERT_MODEL, modelArgs);
    if (inserted.length === 0) return false; // a concurrent request stored the same key first
    await q.query(INSERT_PREDICTIONS, [tenantId, id, JSON.stringify(predictions)]);
    return true;
  };
  const mine = 'transaction' in db ? await db.transaction(write) : await write(db);
  const writeMs = Date.now() - t3;
  if (mine && !pooled) {
    // inside the caller's transaction: a failure must abort it, not be swallowed
    await db.query(PRUNE_MODELS, [tenantId, version, hash, MODELS_KEPT]);
  } else if (mine) {
    try {
      await db.query(PRUNE_MODELS, [tenantId, version, hash, MODELS_KEPT]);
    } catch (err) {
      log.warn(`pruning CLV models of tenant ${tenantId} failed: ${String(err)}`);
    }
  }
  const model = await findModel(db, tenantId, key, version, hash);
  if (!model) throw new Error(`CLV model ${id} vanished after it was stored`);
  return {
    model,
    stored: !mine,
    timings: { summaryMs, fitMs, predictMs, writeMs, totalMs: Date.now() - started },
  };
}

interface MarginRow {
  customer_id: number | string;
  historical_margin: string | null;
  margin_ratio: string | null;
}

/**
 * The model stored for (key, data version, settings hash) — a snapshot's own (its recompute fitted
 * it): a read served from a snapshot while a refresh is pending uses the predictions of the data
 * the snapshot holds, not a new fit of the tenant's newer data. Null when there is none.
 */
export async function findModel(db: Db, tenantId: string, key: ClvKey, version: number, hash: string) {
  const [row] = await db.query<ModelRow>(FIND_MODEL, [
    tenantId,
    key.asOf,
    key.unit,
    key.model,
    key.horizonMonths,
    key.discountRate,
    version,
    hash,
  ]);
  return row ?? null;
}

/** The parameters of a stored fit of the same data (other horizon or discount rate): no refit. */
async function reusedFit(db: Db, tenantId: string, key: ClvKey, version: number, hash: string) {
  const [row] = await db.query<ModelRow>(FIND_FIT, [tenantId, key.asOf, key.unit, key.model, version, hash]);
  if (!row || row.status !== 'fitted' || row.params === null) return null;
  return storedFits(row);
}

/** A stored model row as Fits (for predictions from stored parameters). */
export function storedFits(row: ModelRow): Fits {
  const fit = <P>(params: P, ll: number | null, converged: boolean | null, it: number | null, n: number) => ({
    params,
    logLikelihood: ll ?? NaN,
    converged: converged ?? false,
    iterations: it ?? 0,
    evaluations: 0,
    customers: n,
    distinctTuples: row.distinct_tuples ?? 0,
  });
  return {
    transaction: fit(
      row.params as TransactionParams,
      row.log_likelihood,
      row.converged,
      row.iterations,
      row.customers,
    ),
    spend:
      row.spend_params === null
        ? null
        : fit(
            row.spend_params,
            row.spend_log_likelihood,
            row.spend_converged,
            row.spend_iterations,
            row.spend_customers ?? 0,
          ),
    spendProblem: null,
  };
}

/** A promise that never rejects (so an early failure is not unhandled while other work runs). */
function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (r.ok) return r.value;
  throw r.error;
}
