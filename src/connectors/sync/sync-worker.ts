import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { Database } from '../../database/database';
import { asSystem, withTenant } from '../../database/tenant-context';
import { ImportService } from '../../ingestion/import.service';
import { jsonbText } from '../../shared/json-guard';
import { WorkerIdentity } from '../../reports/worker-identity';
import { SourceAuthError, StreamName } from '../adapter';
import { ConnectorRuntime } from '../connector-runtime';
import { Q } from '../connectors.queries';
import type { Sealed } from '../secrets';
import { errorText, LeaseLost, SyncEngine, SyncRunState } from './sync-engine';
import { emptyCounts, StreamProgress, SyncCounts, SyncError } from './sync-state';

interface ClaimRow {
  tenant_id: string;
  id: string;
  connector_id: string;
  mode: 'incremental' | 'full';
  started_at: Date | string;
  progress: Partial<Record<StreamName, StreamProgress>>;
  counts: Partial<SyncCounts>;
  errors: SyncError[];
  error_count: number;
}

/** A page committed: for the CLI's progress bar and for tests that stop a sync at a chosen point. */
export type PageHook = (syncId: string, stream: StreamName, progress: StreamProgress) => void | Promise<void>;

/**
 * Claims queued syncs (or ones whose lease lapsed: their instance died) and runs them. The lease is
 * renewed every third of CONNECTOR_LEASE_MS; every batch's commit checks it is still held, so two
 * instances never write for one sync. abandon() drops in-flight syncs exactly as a crash would.
 */
@Injectable()
export class SyncWorker {
  private readonly log = new Logger('SyncWorker');
  private readonly inflight = new Set<AbortController>();
  private hooks: PageHook[] = [];

  constructor(
    private readonly db: Database,
    private readonly imports: ImportService,
    private readonly runtime: ConnectorRuntime,
    private readonly identity: WorkerIdentity,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onPage(hook: PageHook): () => void {
    this.hooks.push(hook);
    return () => {
      this.hooks = this.hooks.filter((h) => h !== hook);
    };
  }

  /** Stops every sync this worker runs, writing nothing more (as if the process died). */
  abandon(): void {
    for (const c of this.inflight) c.abort(new LeaseLost('abandoned'));
  }

  /**
   * Claims and runs one sync; false when none was waiting. `owner` lets tests play a second
   * instance, `onlyTenant` keeps a test to its own tenant's syncs (e2e files share one database).
   */
  async processNext(owner = this.identity.name, onlyTenant?: string): Promise<boolean> {
    const [claim] = await asSystem(() =>
      this.db.query<ClaimRow>(Q.claimSync, [owner, this.config.connectorLeaseMs, onlyTenant ?? null]),
    );
    if (!claim) return false;
    await withTenant(claim.tenant_id, () => this.run(claim, owner));
    return true;
  }

  private async run(claim: ClaimRow, owner: string): Promise<void> {
    const abort = new AbortController();
    this.inflight.add(abort);
    const beat = setInterval(
      () => {
        void withTenant(claim.tenant_id, () =>
          this.db.query(Q.heartbeat, [claim.tenant_id, claim.id, owner, this.config.connectorLeaseMs]),
        )
          .then((rows) => {
            if (rows.length === 0) abort.abort(new LeaseLost('lease lost'));
          })
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(this.config.connectorLeaseMs / 3)),
    );
    const state: SyncRunState = {
      tenantId: claim.tenant_id,
      syncId: claim.id,
      connectorId: claim.connector_id,
      owner,
      mode: claim.mode,
      startedAt: new Date(claim.started_at).toISOString(),
      progress: claim.progress ?? {},
      counts: { ...emptyCounts(), ...(claim.counts ?? {}) },
      errors: claim.errors ?? [],
      errorCount: Number(claim.error_count ?? 0),
    };
    let status: 'succeeded' | 'failed' = 'succeeded';
    let error: string | null = null;
    try {
      const [c] = await this.db.query<{
        kind: string;
        credentials_encrypted: Sealed;
        cursors: Record<string, string>;
        currency: string;
        timezone: string;
      }>(Q.connectorForSync, [claim.tenant_id, claim.connector_id]);
      if (!c) throw new LeaseLost('the connector was deleted');
      const adapter = await this.runtime.adapterFromSealed(c.kind, c.credentials_encrypted);
      const client = this.runtime.client(adapter, claim.connector_id, {
        signal: abort.signal,
        onRequest: () => {
          state.counts.requests += 1;
        },
        onSourceTime: (ms) => {
          state.counts.sourceMs += ms;
        },
      });
      const engine = new SyncEngine(
        {
          transaction: (work) => this.db.transaction(work),
          query: (sql, params) => this.db.query(sql, params),
          imports: this.imports,
          client,
          adapter,
          ctx: { tenantId: claim.tenant_id, currency: c.currency, timeZone: c.timezone },
          cursors: { ...(c.cursors ?? {}) },
          signal: abort.signal,
          onPage: async (stream, progress) => {
            for (const h of this.hooks) await h(claim.id, stream, progress);
          },
        },
        state,
      );
      await engine.run();
    } catch (err) {
      if (err instanceof LeaseLost || abort.signal.aborted) {
        clearInterval(beat);
        this.inflight.delete(abort);
        return; // abandoned: whoever holds the sync now (or nobody, the connector being gone) decides
      }
      status = 'failed';
      error =
        err instanceof SourceAuthError
          ? `the source refused the credentials: ${err.message}; update them with PATCH /v1/connectors/{id}`
          : errorText(err);
      if (!(err instanceof SourceAuthError)) this.log.warn(`sync ${claim.id} failed: ${error}`);
    }
    clearInterval(beat);
    this.inflight.delete(abort);
    await this.db.transaction(async (tx) => {
      const done = await tx.query(Q.finishSync, [
        claim.tenant_id,
        claim.id,
        owner,
        status,
        jsonbText(state.progress),
        jsonbText(state.counts),
        jsonbText(state.errors),
        state.errorCount,
        error,
      ]);
      if (done.length) await tx.query(Q.setLastError, [claim.tenant_id, claim.connector_id, error]);
    });
  }
}
