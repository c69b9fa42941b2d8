import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { dateInZone } from '../../shared/dates';
import { notFound } from '../../shared/errors';
import { SnapshotService } from './snapshot.service';

export interface JobView {
  id: string;
  kind: string;
  reason: string;
  asOf: string | null;
  status: string;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  snapshotId: string | null;
  error: string | null;
}

const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : null);

/**
 * Recompute jobs, kept in PostgreSQL so any instance can run them and none runs one twice
 * (claimed with FOR UPDATE SKIP LOCKED under a lease). Automatic jobs are debounced: one pending
 * job per tenant whose start each import pushes back, up to a bound (debounce()).
 */
@Injectable()
export class AnalyticsJobsService {
  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
  ) {}

  async requestNow(tenantId: string, asOf: string | null): Promise<JobView> {
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO analytics_jobs (tenant_id, id, reason, as_of, not_before) VALUES ($1, $2, 'manual', $3, now())`,
      [tenantId, id, asOf],
    );
    return this.get(tenantId, id);
  }

  /**
   * After an import that changed the tenant's data (its data version is already bumped): this
   * instance re-reads the tenant's published state at once (its reads say a refresh is pending), and
   * the tenant's pending automatic refresh is (re)started `delayMs` from now — but never later than
   * `maxDelayMs` after the job was first requested, so that a steady stream of imports is refreshed
   * every few seconds instead of never.
   */
  async debounce(
    tenantId: string,
    delayMs: number,
    maxDelayMs = delayMs,
    reason: 'import' | 'settings' = 'import',
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO analytics_jobs (tenant_id, id, reason, not_before)
       VALUES ($1, $2, $5, now() + make_interval(secs => $3::double precision / 1000))
       ON CONFLICT (tenant_id) WHERE status = 'queued' AND reason <> 'manual'
       DO UPDATE SET reason = EXCLUDED.reason,
         not_before = GREATEST(analytics_jobs.not_before, LEAST(EXCLUDED.not_before,
           analytics_jobs.requested_at + make_interval(secs => GREATEST($4::double precision, $3::double precision) / 1000)))`,
      [tenantId, randomUUID(), delayMs, maxDelayMs, reason],
    );
    // after the job is queued: the published state read again sees it (SnapshotService.settingsFor)
    this.snapshots.forget(tenantId);
  }

  /** The tenant's refresh that is queued or running, if any (the freshness endpoint). */
  async pending(tenantId: string): Promise<JobView | null> {
    const [r] = await this.db.query<{ id: string }>(
      `SELECT id FROM analytics_jobs WHERE tenant_id = $1 AND status IN ('queued', 'running')
        ORDER BY status DESC, not_before LIMIT 1`,
      [tenantId],
    );
    return r ? this.get(tenantId, r.id) : null;
  }

  /** Nightly: tenants with data whose published snapshot is older than today in their time zone. */
  async enqueueNightly(now: Date): Promise<number> {
    const tenants = await this.db.query<{ id: string; timezone: string; as_of: string | null }>(
      `SELECT t.id, t.timezone, s.as_of FROM tenants t
         LEFT JOIN analytics_snapshots s ON s.tenant_id = t.id AND s.id = t.current_snapshot_id
        WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.tenant_id = t.id)`,
    );
    let n = 0;
    for (const t of tenants) {
      if (t.as_of !== null && t.as_of >= dateInZone(now, t.timezone)) continue;
      const r = await this.db.query(
        `INSERT INTO analytics_jobs (tenant_id, id, reason) VALUES ($1, $2, 'nightly')
         ON CONFLICT (tenant_id) WHERE status = 'queued' AND reason <> 'manual' DO NOTHING RETURNING id`,
        [t.id, randomUUID()],
      );
      n += r.length;
    }
    return n;
  }

  /** Claims the next due job (or one whose lease expired) for this worker. */
  async claim(
    leaseMs: number,
    onlyTenant?: string,
  ): Promise<{
    tenant_id: string;
    id: string;
    as_of: string | null;
    timezone: string;
    reason: string;
  } | null> {
    return this.db.transaction(async (tx) => {
      const [job] = await tx.query<{
        tenant_id: string;
        id: string;
        as_of: string | null;
        timezone: string;
        reason: string;
      }>(
        `SELECT j.tenant_id, j.id, j.as_of, t.timezone, j.reason FROM analytics_jobs j JOIN tenants t ON t.id = j.tenant_id
          WHERE ((j.status = 'queued' AND j.not_before <= now()) OR (j.status = 'running' AND j.lease_expires_at < now()))
            AND ($1::uuid IS NULL OR j.tenant_id = $1)
            -- one refresh of a tenant at a time, across instances: the next waits for the running one
            AND NOT EXISTS (SELECT 1 FROM analytics_jobs r
                             WHERE r.tenant_id = j.tenant_id AND r.id <> j.id AND r.status = 'running'
                               AND r.lease_expires_at >= now())
          ORDER BY j.not_before
          LIMIT 1
          FOR UPDATE OF j SKIP LOCKED`,
        [onlyTenant ?? null],
      );
      if (!job) return null;
      await tx.query(
        `UPDATE analytics_jobs SET status = 'running', started_at = now(),
                lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
          WHERE tenant_id = $1 AND id = $2`,
        [job.tenant_id, job.id, leaseMs],
      );
      return job;
    });
  }

  /** Extends a running job's lease (its worker is alive); false when the job is no longer this worker's. */
  async renew(tenantId: string, id: string, leaseMs: number): Promise<boolean> {
    const r = await this.db.query(
      `UPDATE analytics_jobs SET lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
        WHERE tenant_id = $1 AND id = $2 AND status = 'running' RETURNING id`,
      [tenantId, id, leaseMs],
    );
    return r.length > 0;
  }

  async finish(tenantId: string, id: string, result: { snapshotId?: string; error?: string }): Promise<void> {
    await this.db.query(
      `UPDATE analytics_jobs SET status = $3, finished_at = now(), snapshot_id = $4, error = $5, lease_expires_at = NULL
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id, result.error ? 'failed' : 'succeeded', result.snapshotId ?? null, result.error ?? null],
    );
    // what serves depends on whether a refresh is pending (SnapshotService.usable, settingsFor)
    this.snapshots.forget(tenantId);
  }

  async get(tenantId: string, id: string): Promise<JobView> {
    const [r] = await this.db.query<Record<string, unknown>>(
      `SELECT * FROM analytics_jobs WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    if (!r) throw notFound('job');
    return {
      id: r.id as string,
      kind: r.kind as string,
      reason: r.reason as string,
      asOf: (r.as_of as string | null) ?? null,
      status: r.status as string,
      requestedAt: iso(r.requested_at)!,
      startedAt: iso(r.started_at),
      finishedAt: iso(r.finished_at),
      snapshotId: (r.snapshot_id as string | null) ?? null,
      error: (r.error as string | null) ?? null,
    };
  }
}
