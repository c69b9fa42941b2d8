import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { WorkerIdentity } from '../reports/worker-identity';

/**
 * The lifecycle of an import run row while it runs (ADR 0016). A run holds a lease in PostgreSQL —
 * owner and lease_expires_at, renewed every third of IMPORT_LEASE_MS while the import works — so:
 * - a run whose request failed on our side is marked failed and its Idempotency-Key released at once;
 * - a run whose process died keeps its lease only until it lapses: then the retry with the same key
 *   takes it over, and the reaper (at start-up and every IMPORT_LEASE_MS) marks it failed
 *   "interrupted", so GET /v1/import/runs never shows a dead run as running.
 * The database clock (now()) decides expiry, so instances with skewed clocks agree.
 */
@Injectable()
export class ImportRuns implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('ImportRuns');
  private readonly owner = new WorkerIdentity().name;
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.reapSafely();
    this.reaper = setInterval(() => void this.reapSafely(), this.config.importLeaseMs);
    this.reaper.unref();
  }

  onApplicationShutdown(): void {
    if (this.reaper) clearInterval(this.reaper);
  }

  /**
   * Inserts the running row with its lease; false when `key` is already held by another run (the
   * caller looks at that run). Without a key there is never a conflict.
   */
  async start(
    tenantId: string,
    runId: string,
    resource: string,
    format: string,
    apiKeyId: string | null,
    key: string | null,
    requestHash: string,
    startedAt: Date,
  ): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO import_runs (tenant_id, id, resource, format, status, api_key_id, idempotency_key, request_hash,
                                started_at, owner, lease_expires_at)
       VALUES ($1, $2, $3, $4, 'running', $5, $6, $7, $8, $9, now() + make_interval(secs => $10::int / 1000.0))
       ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
       RETURNING id`,
      [
        tenantId,
        runId,
        resource,
        format,
        apiKeyId,
        key,
        requestHash,
        startedAt,
        this.owner,
        this.config.importLeaseMs,
      ],
    );
    return rows.length > 0;
  }

  /** Renews the run's lease until stop() (one renewal in flight at a time). */
  keepAlive(tenantId: string, runId: string): { stop: () => void } {
    let busy = false;
    const timer = setInterval(
      () => {
        if (busy) return;
        busy = true;
        this.db
          .query(
            `UPDATE import_runs SET lease_expires_at = now() + make_interval(secs => $3::int / 1000.0)
              WHERE tenant_id = $1 AND id = $2 AND status = 'running'`,
            [tenantId, runId, this.config.importLeaseMs],
          )
          .catch((err: unknown) =>
            this.log.warn(`lease renewal of import run ${runId} failed: ${String(err)}`),
          )
          .finally(() => (busy = false));
      },
      Math.max(50, Math.floor(this.config.importLeaseMs / 3)),
    );
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  /** Our own failure: the run is failed and its key released so a retry runs again. */
  async fail(tenantId: string, runId: string, error: string): Promise<void> {
    await this.finishFailed(`tenant_id = $1 AND id = $2`, [tenantId, runId], error).catch((err: unknown) =>
      this.log.error(`could not mark import run ${runId} failed: ${String(err)}`),
    );
  }

  /** A run whose lease lapsed (its process died): failed "interrupted", key released. */
  async interrupt(tenantId: string, runId: string): Promise<void> {
    await this.finishFailed(
      `tenant_id = $1 AND id = $2 AND lease_expires_at < now()`,
      [tenantId, runId],
      'interrupted',
    );
  }

  /** Every tenant's runs whose lease lapsed; the number marked. */
  async reapExpired(): Promise<number> {
    return this.finishFailed(`lease_expires_at < now()`, [], 'interrupted');
  }

  private async reapSafely(): Promise<void> {
    try {
      const n = await this.reapExpired();
      if (n > 0) this.log.warn(`marked ${n} import run(s) interrupted: their process stopped mid-import`);
    } catch (err) {
      this.log.warn(`looking for interrupted import runs failed: ${String(err)}`);
    }
  }

  private async finishFailed(where: string, params: unknown[], error: string): Promise<number> {
    const rows = await this.db.query(
      `UPDATE import_runs
          SET status = 'failed', error = $${params.length + 1}, released_key = idempotency_key,
              idempotency_key = NULL, owner = NULL, lease_expires_at = NULL, finished_at = now(),
              duration_ms = (extract(epoch FROM now() - started_at) * 1000)::int
        WHERE status = 'running' AND ${where}
        RETURNING id`,
      [...params, error],
    );
    return rows.length;
  }
}
