import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Database, Queryable } from '../../database/database';
import { TenantSettings, withDefaults } from '../../settings/settings';
import { SettingsService } from '../../settings/settings.service';
import type { SnapshotSource } from '../../shared/prepared-json';
import { READ_CACHE_TTL_MS } from '../../tenancy/tenants.service';
import { TtlCache } from '../../tenancy/ttl-cache';
import { recordFreshness } from './freshness';
import {
  closeWorkspace,
  dropStaleWorkspaces,
  openWorkspace,
  prepareRecomputeTransaction,
  RECOMPUTE_STEPS,
  recomputeStep,
  SnapshotKind,
  STAGING_PHASES,
  useWorkspace,
  workspaceName,
} from './recompute.steps';
import {
  CURRENT_SNAPSHOT,
  HISTORICAL_SNAPSHOT,
  PARTITION_SCHEMA,
  snapshotPartition,
} from './snapshot.queries';

export type { SnapshotKind } from './recompute.steps';

export interface UsableSnapshot {
  id: string;
  asOf: string;
  /** the data version and settings hash the snapshot was computed from (its CLV model's key) */
  dataVersion: number;
  settingsHash: string;
  /**
   * the tenant's data changed since (an import after the snapshot read its data): the snapshot still
   * serves today's reads until the refresh publishes the next one
   */
  pending: boolean;
}

/** What a response read from `snap` names as its source (PreparedJson.of), which makes it replayable. */
export function sourceOf(tenantId: string, snap: Pick<UsableSnapshot, 'id' | 'asOf'>): SnapshotSource {
  return { tenantId, snapshotId: snap.id, asOf: snap.asOf };
}

export function settingsHash(s: TenantSettings): string {
  const json = JSON.stringify(s);
  let hash = recentHashes.get(json);
  if (hash === undefined) {
    hash = createHash('sha256').update(json).digest('hex').slice(0, 32);
    if (recentHashes.size >= 1000) recentHashes.clear();
    recentHashes.set(json, hash);
  }
  return hash;
}

/** settingsHash runs on every snapshot read: the hashes of the settings seen lately. */
const recentHashes = new Map<string, string>();

interface HistoricalState {
  id: string;
  data_version: number;
  tenant_version: number;
  data_through: Date;
}

interface PublishedState {
  id: string;
  as_of: string;
  data_version: number;
  tenant_version: number;
  settings_hash: string;
  /** the settings it was computed with (null for snapshots made before they were recorded) */
  settings: Record<string, unknown> | null;
  /** a refresh of the tenant is queued or running */
  refresh_queued: boolean;
  data_through: Date;
  published_at: Date | null;
}

/** Snapshot-derived values kept in memory (results, list pages): snapshots never change, so only size bounds them. */
const SNAPSHOT_MEMO_ENTRIES = 500;
const SNAPSHOT_MEMO_TTL_MS = 10 * 60_000;
/** Named durations in ms for a log line: `facts 4511, rfm 1069`. */
export function durations(ms: Record<string, number>): string {
  return Object.entries(ms)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** How many snapshots of past dates a tenant keeps beside its published one. */
const HISTORICAL_KEPT = 4;

/**
 * Snapshots (ADR 0008). A recompute writes every result for (tenant, asOf) in one transaction and
 * publishes it by pointing tenants.current_snapshot_id at it; reads for that date use it only while
 * its data version and settings are still the tenant's, and compute on demand otherwise.
 *
 * Reads (ADR 0010): the tenant's published state (snapshot, its version and settings hash, the
 * tenant's data version) is cached for READ_CACHE_TTL_MS and forgotten at once when this instance
 * imports into the tenant (forget(), from the import's debounce) or publishes a snapshot; results and
 * pages read from a snapshot are kept by snapshot id, since a snapshot never changes.
 */
@Injectable()
export class SnapshotService {
  private readonly log = new Logger('Snapshots');
  private readonly published = new TtlCache<string, PublishedState | null>(READ_CACHE_TTL_MS);
  private readonly memos = new TtlCache<string, unknown>(SNAPSHOT_MEMO_TTL_MS, SNAPSHOT_MEMO_ENTRIES);

  constructor(
    private readonly db: Database,
    private readonly settings: SettingsService,
  ) {}

  /** Snapshots of past dates (recompute with publish: false) by `${tenant}/${asOf}/${settings hash}/${stale allowed}`. */
  private readonly historical = new TtlCache<string, HistoricalState | null>(
    READ_CACHE_TTL_MS,
    SNAPSHOT_MEMO_ENTRIES,
  );
  private readonly previewing = new AsyncLocalStorage<{ tenantId: string; snap: UsableSnapshot }>();

  /** The tenant's data changed (an import in this instance): stop trusting the cached published state. */
  forget(tenantId: string): void {
    this.published.invalidate(tenantId);
    this.historical.invalidate();
  }

  private publishedState(tenantId: string): Promise<PublishedState | null> {
    return this.published.get(tenantId, async () => {
      const [row] = await this.db.query<PublishedState>(CURRENT_SNAPSHOT, [tenantId]);
      return row ?? null;
    });
  }

  /**
   * The settings the tenant's analytics are read with: its settings, except after a change whose
   * refresh is still queued or running — then those of the published snapshot, so that every read
   * (today's from the snapshot, other dates on demand) keeps answering as the published state does
   * until the refresh with the new settings is published (ADR 0021). A refresh that failed leaves no
   * job queued: the new settings apply at once then (on demand until a refresh succeeds). Inside
   * asPublished() (the warm-up of a refresh) the tenant's settings, which that refresh computed with.
   */
  async settingsFor(tenantId: string): Promise<TenantSettings> {
    const current = await this.settings.get(tenantId);
    if (this.previewing.getStore()?.tenantId === tenantId) return current;
    const s = await this.publishedState(tenantId);
    if (!s?.settings || !s.refresh_queued || s.settings_hash === settingsHash(current)) return current;
    const old = withDefaults(s.settings);
    // the recorded settings must hash to the snapshot's own hash; otherwise only the current ones hold
    return settingsHash(old) === s.settings_hash ? old : current;
  }

  /**
   * The snapshot to serve (tenant, asOf, settings) from, or null to compute on demand; records the
   * request's freshness (freshness.ts) either way.
   *
   * The published snapshot serves its date with the tenant's settings whatever imports came after it
   * (`pending` then: the refresh that follows an import publishes the next one) — reads of today never
   * fall back to computing on demand while documents arrive. A snapshot of a past date serves while
   * it is of the tenant's current data, and — `pending` — while a refresh of the tenant is queued or
   * running (the refresh makes the snapshots of the pages' past dates again, after publishing today's;
   * until then the pages' past reads, such as the churn holdout, are not computed on demand). Inside
   * `asPublished(snapshot)` (the warm-up of a refresh) that snapshot serves its date.
   */
  async usable(tenantId: string, asOf: string, settings: TenantSettings): Promise<UsableSnapshot | null> {
    const hash = settingsHash(settings);
    const preview = this.previewing.getStore();
    if (
      preview &&
      preview.tenantId === tenantId &&
      preview.snap.asOf === asOf &&
      preview.snap.settingsHash === hash
    ) {
      return preview.snap;
    }
    const s = await this.publishedState(tenantId);
    if (s && s.as_of === asOf && s.settings_hash === hash) {
      const pending =
        Number(s.data_version) !== Number(s.tenant_version) ||
        s.settings_hash !== settingsHash(await this.settings.get(tenantId));
      recordFreshness({
        asOf,
        snapshotId: s.id,
        dataThrough: new Date(s.data_through).toISOString(),
        refreshedAt: new Date(s.published_at ?? s.data_through).toISOString(),
        refreshPending: pending,
      });
      return { id: s.id, asOf, dataVersion: Number(s.data_version), settingsHash: s.settings_hash, pending };
    }
    // a snapshot kept for a past date (the pages' default historical reads, see PublishedQueries.warm);
    // one of older data only while the refresh that makes it again is pending
    const stale = Boolean(s?.refresh_queued && asOf < s.as_of);
    const past = await this.historical.get(`${tenantId}/${asOf}/${hash}/${stale}`, async () => {
      const [row] = await this.db.query<HistoricalState>(HISTORICAL_SNAPSHOT, [tenantId, asOf, hash, stale]);
      return row ?? null;
    });
    const now = new Date().toISOString();
    if (!past) {
      recordFreshness({ asOf, snapshotId: null, dataThrough: now, refreshedAt: now, refreshPending: false });
      return null;
    }
    const through = new Date(past.data_through).toISOString();
    const pending = Number(past.data_version) !== Number(past.tenant_version);
    recordFreshness({
      asOf,
      snapshotId: past.id,
      dataThrough: through,
      refreshedAt: through,
      refreshPending: pending,
    });
    return { id: past.id, asOf, dataVersion: Number(past.data_version), settingsHash: hash, pending };
  }

  /**
   * The published snapshot's id when it is of `asOf`, of the tenant's current data version and
   * settings — a refresh queued for a change that an earlier refresh already included has nothing to do.
   */
  async current(tenantId: string, asOf: string): Promise<string | null> {
    const [row] = await this.db.query<PublishedState & { settings: Record<string, unknown> }>(
      `SELECT s.id, s.as_of, s.data_version, s.settings_hash, t.data_version AS tenant_version, t.settings
         FROM tenants t JOIN analytics_snapshots s ON s.tenant_id = t.id AND s.id = t.current_snapshot_id
        WHERE t.id = $1`,
      [tenantId],
    );
    const fresh =
      row &&
      row.as_of === asOf &&
      Number(row.data_version) === Number(row.tenant_version) &&
      row.settings_hash === settingsHash(withDefaults(row.settings));
    return fresh ? row.id : null;
  }

  /**
   * Runs `work` with `snapshotId` (not yet published) serving its date as if it were published, in
   * this async context only: the warm-up stores the pages' default reads with a snapshot before it
   * is published, so that publishing never leaves those reads to be computed on demand.
   */
  async asPublished<T>(tenantId: string, snapshotId: string, work: () => Promise<T>): Promise<T | null> {
    const [row] = await this.db.query<{ as_of: string; data_version: number; settings_hash: string }>(
      `SELECT as_of, data_version, settings_hash FROM analytics_snapshots WHERE tenant_id = $1 AND id = $2`,
      [tenantId, snapshotId],
    );
    if (!row) return null;
    const snap: UsableSnapshot = {
      id: snapshotId,
      asOf: row.as_of,
      dataVersion: Number(row.data_version),
      settingsHash: row.settings_hash,
      pending: false,
    };
    return this.previewing.run({ tenantId, snap }, work);
  }

  /**
   * Publishes a snapshot computed with `publish: false` for today (the worker's refresh, after its
   * warm-up): the tenant's reads move to it at once, unless a newer snapshot was published meanwhile.
   * Snapshots older than it and the one it replaces are dropped. False when it was not published.
   */
  async publish(tenantId: string, snapshotId: string): Promise<boolean> {
    const done = await this.db.transaction(async (tx) => {
      const [t] = await tx.query<{ current: string | null; newer: boolean; exists: boolean }>(
        `SELECT t.current_snapshot_id AS current,
                EXISTS (SELECT 1 FROM analytics_snapshots c, analytics_snapshots n
                         WHERE c.tenant_id = t.id AND c.id = t.current_snapshot_id AND n.tenant_id = t.id AND n.id = $2
                           AND (c.data_version > n.data_version OR c.data_through > n.data_through)) AS newer,
                EXISTS (SELECT 1 FROM analytics_snapshots n WHERE n.tenant_id = t.id AND n.id = $2) AS exists
           FROM tenants t WHERE t.id = $1 FOR UPDATE`,
        [tenantId, snapshotId],
      );
      if (!t || !t.exists || t.newer) return false;
      await tx.query(`UPDATE analytics_snapshots SET published_at = now() WHERE tenant_id = $1 AND id = $2`, [
        tenantId,
        snapshotId,
      ]);
      await tx.query(`UPDATE tenants SET current_snapshot_id = $2 WHERE id = $1`, [tenantId, snapshotId]);
      await this.dropOldSnapshots(tx, tenantId, [
        snapshotId,
        t.current,
        ...(await this.pastKept(tx, tenantId, t.current)),
      ]);
      return true;
    });
    this.forget(tenantId);
    return done;
  }

  /**
   * The newest few snapshots of past dates a tenant keeps besides `current` and, with `previous`, the
   * one published before `current`.
   */
  private async pastKept(
    tx: Queryable,
    tenantId: string,
    current: string | null,
    previous = false,
  ): Promise<string[]> {
    const kept = await tx.query<{ id: string }>(
      `(SELECT id FROM analytics_snapshots WHERE tenant_id = $1 AND id IS DISTINCT FROM $2
           AND published_at IS NULL
         ORDER BY created_at DESC LIMIT ${HISTORICAL_KEPT})
       UNION ALL
       -- reads in flight may still be on the one published before (ADR 0011)
       (SELECT id FROM analytics_snapshots WHERE $3 AND tenant_id = $1 AND id IS DISTINCT FROM $2
           AND published_at IS NOT NULL
         ORDER BY published_at DESC LIMIT 1)`,
      [tenantId, current, previous],
    );
    return kept.map((k) => k.id);
  }

  /** A stored result of the snapshot (read once, then from memory; treat it as read-only). */
  async result<T>(tenantId: string, snapshotId: string, kind: SnapshotKind): Promise<T | null> {
    return this.memo(tenantId, snapshotId, `result:${kind}`, async () => {
      const [r] = await this.db.query<{ payload: T }>(
        `SELECT payload FROM snapshot_results WHERE tenant_id = $1 AND snapshot_id = $2 AND kind = $3`,
        [tenantId, snapshotId, kind],
      );
      return r ? r.payload : null;
    });
  }

  /**
   * `load()`, a pure function of the snapshot's rows, computed once per (tenant, snapshot, key) and
   * kept in memory (bounded); the value is shared between requests, so callers must not modify it.
   */
  memo<T>(tenantId: string, snapshotId: string, key: string, load: () => Promise<T>): Promise<T> {
    return this.memos.get(`${tenantId}/${snapshotId}/${key}`, load) as Promise<T>;
  }

  /**
   * Computes and publishes the snapshot of (tenant, asOf): RECOMPUTE_STEPS, each step's duration
   * recorded with the snapshot (step_ms). On PostgreSQL the staging steps run first, in lanes on
   * connections of their own (stageConcurrently); the rest, and all of them on PGlite, in the
   * snapshot's transaction. Returns its id.
   */
  async recompute(
    tenantId: string,
    asOf: string,
    { publish = true }: { publish?: boolean } = {},
  ): Promise<{ id: string; customers: number; durationMs: number; stepMs: Record<string, number> }> {
    const started = Date.now();
    const id = randomUUID();
    const stepMs: Record<string, number> = {};
    const afterCommit: string[] = [];
    const dropped = await dropStaleWorkspaces(this.db);
    if (dropped.length)
      this.log.warn(`dropped the workspaces of recomputes that did not end: ${dropped.join(', ')}`);
    const staged = this.db.concurrent ? await this.stageConcurrently(tenantId, id, asOf, stepMs) : null;
    let out: { id: string; customers: number; durationMs: number; stepMs: Record<string, number> };
    try {
      out = await this.db.transaction(async (tx) => {
        // the tenant row lock orders this recompute after any import that already bumped the version
        const [t] = await tx.query<{
          data_version: number;
          settings: Record<string, unknown>;
          current_snapshot_id: string | null;
          read_at: Date;
        }>(
          `SELECT data_version, settings, current_snapshot_id, clock_timestamp() AS read_at FROM tenants
            WHERE id = $1 FOR UPDATE`,
          [tenantId],
        );
        if (!t) throw new Error(`tenant ${tenantId} not found`);
        // staged before this transaction: the version and settings the lanes read, so that an import
        // or a settings change made meanwhile leaves this snapshot unused, never served as current
        const settings = staged?.settings ?? withDefaults(t.settings);
        const dataVersion = staged?.dataVersion ?? Number(t.data_version);
        await prepareRecomputeTransaction(tx);
        await tx.query(
          `INSERT INTO analytics_snapshots
             (tenant_id, id, as_of, data_version, settings_hash, settings, customers, duration_ms, data_through,
              published_at)
           VALUES ($1, $2, $3, $4, $5, $8::jsonb, 0, 0, $6, CASE WHEN $7 THEN clock_timestamp() END)`,
          [
            tenantId,
            id,
            asOf,
            dataVersion,
            settingsHash(settings),
            staged?.readAt ?? t.read_at,
            publish,
            JSON.stringify(settings),
          ],
        );
        const workspace = staged ? await useWorkspace(tx, staged.schema) : await openWorkspace(tx, id);
        for (const step of RECOMPUTE_STEPS) {
          if (staged?.steps.has(step.name)) continue;
          const t0 = Date.now();
          await step.run({
            tx,
            tenantId,
            snapshotId: id,
            asOf,
            dataVersion,
            settings,
            workspace,
            afterCommit,
          });
          stepMs[step.name] = Date.now() - t0;
        }
        await closeWorkspace(tx, workspace);
        const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM snapshot_customers WHERE tenant_id = $1 AND snapshot_id = $2`,
          [tenantId, id],
        );
        const durationMs = Date.now() - started;
        await tx.query(
          `UPDATE analytics_snapshots SET customers = $3, duration_ms = $4, step_ms = $5::jsonb
            WHERE tenant_id = $1 AND id = $2`,
          [tenantId, id, n, durationMs, JSON.stringify(stepMs)],
        );
        if (publish) {
          await tx.query(`UPDATE tenants SET current_snapshot_id = $2 WHERE id = $1`, [tenantId, id]);
          await this.dropOldSnapshots(tx, tenantId, [id, t.current_snapshot_id]);
        } else {
          // not published (yet): a snapshot of a past date, or today's before its warm-up and publish(),
          // kept beside the published one: the newest few of them
          const kept = await this.pastKept(tx, tenantId, t.current_snapshot_id, true);
          await this.dropOldSnapshots(tx, tenantId, [id, t.current_snapshot_id, ...kept]);
        }
        return { id, customers: Number(n), durationMs, stepMs };
      });
    } finally {
      // the transaction dropped the workspace when it committed; not when it failed
      if (staged) await this.dropWorkspace(staged.schema);
    }
    this.forget(tenantId);
    for (const sql of afterCommit) {
      await this.db
        .query(sql)
        .catch((err: unknown) => this.log.warn(`after snapshot ${id}: ${sql}: ${String(err)}`));
    }
    this.log.log(
      `tenant ${tenantId}: snapshot ${asOf} with ${out.customers} customers in ${out.durationMs} ms ` +
        `(${durations(out.stepMs)})`,
    );
    return out;
  }

  /**
   * The staging steps of STAGING_PHASES, phase after phase, the lanes of a phase at once, each lane in
   * a transaction of its own on its own connection, into a workspace schema committed for the
   * snapshot's transaction to read (ADR 0012). The tenant's data version and settings are read first:
   * the snapshot records those. Null when the workspace cannot be created (no right to create
   * schemas): the caller stages in its transaction instead. On failure the workspace is dropped.
   */
  private async stageConcurrently(
    tenantId: string,
    snapshotId: string,
    asOf: string,
    stepMs: Record<string, number>,
  ): Promise<{
    schema: string;
    dataVersion: number;
    settings: TenantSettings;
    steps: Set<string>;
    readAt: Date;
  } | null> {
    const [t] = await this.db.query<{
      data_version: number;
      settings: Record<string, unknown>;
      read_at: Date;
    }>(`SELECT data_version, settings, clock_timestamp() AS read_at FROM tenants WHERE id = $1`, [tenantId]);
    if (!t) throw new Error(`tenant ${tenantId} not found`);
    const settings = withDefaults(t.settings);
    const dataVersion = Number(t.data_version);
    const schema = workspaceName(snapshotId);
    try {
      await this.db.query(`CREATE SCHEMA ${schema}`);
    } catch {
      return null;
    }
    try {
      for (const phase of STAGING_PHASES) {
        const lanes = await Promise.allSettled(
          phase.map((lane) =>
            this.db.transaction(async (tx) => {
              await prepareRecomputeTransaction(tx);
              const workspace = await useWorkspace(tx, schema);
              for (const name of lane) {
                const t0 = Date.now();
                await recomputeStep(name).run({
                  tx,
                  tenantId,
                  snapshotId,
                  asOf,
                  dataVersion,
                  settings,
                  workspace,
                  afterCommit: [],
                });
                stepMs[name] = Date.now() - t0;
              }
            }),
          ),
        );
        const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
        if (failed) throw failed.reason;
      }
    } catch (err) {
      await this.dropWorkspace(schema);
      throw err;
    }
    return {
      schema,
      dataVersion,
      settings,
      steps: new Set(STAGING_PHASES.flat(2)),
      readAt: t.read_at,
    };
  }

  private async dropWorkspace(schema: string): Promise<void> {
    await this.db
      .query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      .catch((err: unknown) => this.log.warn(`dropping workspace ${schema}: ${String(err)}`));
  }

  /**
   * Drops the tenant's snapshots other than `keep` (the new one and the one it replaces, which a
   * reader holding a cached published state may still be reading for up to READ_CACHE_TTL_MS): their
   * partitions of snapshot_customers, then the snapshot rows (their stored results cascade).
   */
  private async dropOldSnapshots(tx: Queryable, tenantId: string, keep: (string | null)[]): Promise<void> {
    const kept = keep.filter((k): k is string => k !== null);
    const old = await tx.query<{ id: string }>(
      `SELECT id FROM analytics_snapshots WHERE tenant_id = $1 AND id <> ALL($2::uuid[])`,
      [tenantId, kept],
    );
    if (!old.length) return;
    const [{ schema } = { schema: 'public' }] = await tx.query<{ schema: string }>(PARTITION_SCHEMA);
    for (const { id } of old) await tx.query(`DROP TABLE IF EXISTS ${snapshotPartition(schema, id)}`);
    await tx.query(`DELETE FROM analytics_snapshots WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [
      tenantId,
      old.map((o) => o.id),
    ]);
  }
}
