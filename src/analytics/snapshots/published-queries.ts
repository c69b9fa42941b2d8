import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Database } from '../../database/database';
import { asSystem } from '../../database/tenant-context';
import { dateInZone } from '../../shared/dates';
import { Tenant, TenantsService } from '../../tenancy/tenants.service';
import { SnapshotService } from './snapshot.service';

/**
 * A read an engine's page makes by default (the dashboard's first screen of it): run once after every
 * publish so that its expensive queries are stored with the snapshot (see PublishedQueries.warm).
 */
export interface DefaultRead {
  name: string;
  read: (tenant: Tenant) => Promise<unknown>;
  /** a past date the read needs the customers of: a snapshot of it is made first (not published) */
  pastAsOf?: (tenant: Tenant) => string;
}

type Runner<T> = (sql: string, params: unknown[]) => Promise<T[]>;

/** Dates (timestamptz columns) survive the jsonb round trip as {"$date": iso}. */
const DATE_TAG = '$date';

function encodeRows(rows: unknown[]): string {
  return JSON.stringify(rows, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = key === '' ? value : this[key];
    return raw instanceof Date ? { [DATE_TAG]: raw.toISOString() } : value;
  });
}

function decodeRows<T>(payload: unknown): T[] {
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && keys[0] === DATE_TAG) return new Date(o[DATE_TAG] as string);
      return Object.fromEntries(keys.map((k) => [k, revive(o[k])]));
    }
    return v;
  };
  return revive(payload) as T[];
}

/**
 * Stores a payload unless the tenant's data moved past the snapshot's version (nothing stale is
 * stored). Under a steady stream of imports a refresh therefore stores nothing: storing the default
 * reads anyway made each refresh wait for all of them (minutes at 100,000 customers, so no change
 * showed within two minutes of load — docs/benchmarks.md), where skipping them publishes the change
 * after the recompute and computes those reads once per snapshot while it is pending.
 */
const STORE = `
  INSERT INTO snapshot_results (tenant_id, snapshot_id, kind, payload)
  SELECT $1, $2, $3, $4::jsonb
   WHERE EXISTS (SELECT 1 FROM tenants t JOIN analytics_snapshots s ON s.tenant_id = t.id AND s.id = $2
                  WHERE t.id = $1 AND t.data_version = s.data_version)
  ON CONFLICT DO NOTHING`;

const STORED = `SELECT payload FROM snapshot_results WHERE tenant_id = $1 AND snapshot_id = $2 AND kind = $3`;

/**
 * Query results of the published state (ADR 0019). The rows of a read that no snapshot table holds —
 * a movement between two dates, profitability of a period or by product, DSO at a past month end, the
 * churn holdout, restock — are a function of (the tenant's data version, settings, the SQL and its
 * parameters). While the tenant's published snapshot serves today (usable()), `query()` serves such
 * rows from the snapshot: stored with it (warm(), before each publish, for the reads the engines
 * registered as their pages' defaults) or, while the snapshot is of the tenant's current data,
 * computed once and kept in memory by snapshot id. Otherwise the query runs on demand.
 *
 * One copy of each result's SQL: what is stored is what the engine's own query returned, so a stored
 * read and an on-demand one cannot differ (test/e2e/published-queries.e2e-spec.ts).
 */
@Injectable()
export class PublishedQueries {
  private readonly log = new Logger('PublishedQueries');
  private readonly reads: DefaultRead[] = [];
  private readonly warming = new AsyncLocalStorage<{ snapshotId: string }>();

  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
    private readonly tenants: TenantsService,
  ) {}

  /** An engine's default read, warmed after each publish. */
  register(read: DefaultRead): void {
    if (!this.reads.some((r) => r.name === read.name)) this.reads.push(read);
  }

  /** The rows of `sql`, from the published state when it is current (see the class comment). */
  async query<T>(tenant: Tenant, sql: string, params: unknown[], run?: Runner<T>): Promise<T[]> {
    const exec: Runner<T> = run ?? ((s, p) => this.db.query<T>(s, p));
    const kind = `query:${createHash('sha256')
      .update(JSON.stringify([sql, params]))
      .digest('hex')
      .slice(0, 40)}`;
    const warm = this.warming.getStore();
    if (warm) {
      const [hit] = await this.db.query<{ payload: unknown }>(STORED, [tenant.id, warm.snapshotId, kind]);
      if (hit) return decodeRows<T>(hit.payload);
      const rows = await exec(sql, params);
      await this.db.query(STORE, [tenant.id, warm.snapshotId, kind, encodeRows(rows)]);
      return rows;
    }
    const snap = await this.current(tenant);
    if (!snap) return exec(sql, params);
    const stored = async () => {
      const [hit] = await this.db.query<{ payload: unknown }>(STORED, [tenant.id, snap.id, kind]);
      return hit ? decodeRows<T>(hit.payload) : null;
    };
    // a snapshot serving while a refresh is pending answers with what was stored with it; anything
    // else is computed once from the tenant's data then (never kept as the snapshot's own rows) and
    // served until the next publish: concurrent readers never each run an on-demand query
    if (snap.pending) {
      const rows = await this.snapshots.memo(tenant.id, snap.id, kind, stored);
      return rows ?? this.snapshots.memo(tenant.id, snap.id, `${kind}:pending`, () => exec(sql, params));
    }
    return this.snapshots.memo(tenant.id, snap.id, kind, async () => (await stored()) ?? exec(sql, params));
  }

  /**
   * A value shaped from such rows (a response of `key`: the request's parameters and language), kept in
   * memory by snapshot while the published state is current; computed each time otherwise.
   */
  async memo<T>(tenant: Tenant, key: string, compute: () => Promise<T>): Promise<T> {
    const warming = this.warming.getStore()?.snapshotId;
    const snap = warming ? null : await this.current(tenant);
    const id = warming ?? snap?.id;
    // while a refresh is pending the rows query() gives are fixed until the next publish too (the
    // stored ones, or those computed once then), but they are not all the snapshot's own: kept apart
    const memoKey = snap?.pending ? `memo:${key}:pending` : `memo:${key}`;
    return id ? this.snapshots.memo(tenant.id, id, memoKey, compute) : compute();
  }

  /** The tenant's published snapshot when it is today's, of its current data and settings. */
  private async current(tenant: Tenant) {
    const today = dateInZone(new Date(), tenant.timezone);
    return this.snapshots.usable(tenant.id, today, await this.snapshots.settingsFor(tenant.id));
  }

  /**
   * The worker's refresh of today's snapshot `snapshotId`: runs registered default reads with the
   * snapshot serving as if published (SnapshotService.asPublished), storing the rows of the queries
   * they make with it. `today`: the reads of today, before the snapshot is published — publishing then
   * never leaves a page's first screen to be computed on demand. `past`: the reads that need a snapshot
   * of a past date (the churn holdout), after it is published — that snapshot is made again first
   * unless one of the tenant's current data exists; meanwhile the previous one serves (pending). A read
   * that fails is logged and skipped: the page then computes it on demand.
   */
  async warm(
    tenantId: string,
    snapshotId: string,
    which: 'today' | 'past' = 'today',
  ): Promise<{ reads: number; ms: number; readMs: Record<string, number> }> {
    const started = Date.now();
    const [snap] = await this.db.query<{ ok: boolean; as_of: string; timezone: string }>(
      `SELECT t.data_version = s.data_version AS ok, s.as_of, t.timezone
         FROM tenants t JOIN analytics_snapshots s ON s.tenant_id = t.id AND s.id = $2 WHERE t.id = $1`,
      [tenantId, snapshotId],
    );
    // only today's snapshot serves the default reads (query() reads it for today), and only what is
    // of its data is stored (STORE)
    if (!snap?.ok || snap.as_of !== dateInZone(new Date(), snap.timezone)) {
      return { reads: 0, ms: Date.now() - started, readMs: {} };
    }
    const tenant = await this.tenants.get(tenantId);
    let reads = 0;
    const readMs: Record<string, number> = {};
    for (const r of this.reads) {
      if ((which === 'past') !== (r.pastAsOf !== undefined)) continue;
      const t0 = Date.now();
      try {
        const past = r.pastAsOf?.(tenant);
        if (past) {
          const kept = await this.snapshots.usable(
            tenantId,
            past,
            await this.snapshots.settingsFor(tenantId),
          );
          // as the worker's recomputes run: system work (it creates the snapshot's partition)
          if (!kept || kept.pending) {
            await asSystem(() => this.snapshots.recompute(tenantId, past, { publish: false }));
          }
        }
        await this.snapshots.asPublished(tenantId, snapshotId, () =>
          this.warming.run({ snapshotId }, () => r.read(tenant)),
        );
        reads++;
        readMs[r.name] = Date.now() - t0;
      } catch (err) {
        this.log.warn(`warming ${r.name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return { reads, ms: Date.now() - started, readMs };
  }
}
