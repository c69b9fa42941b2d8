import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { SnapshotService } from '../analytics/snapshots/snapshot.service';
import { Clock } from './clock';
import { ReportContent } from './content/content-provider';
import { renderReport } from './render/render';
import { CONTENT_TYPES, ReportDocument, ReportFormat, ReportLanguage, ReportType } from './report-types';
import { WORK } from './reports.queries';
import { WorkerIdentity } from './worker-identity';

/** A run is tried this many times (crashes and errors alike) before it is failed for good. */
export const RUN_MAX_ATTEMPTS = 3;
/** Delay before an errored run is tried again: 5 s, then 10 s, … */
const RUN_RETRY_BASE_MS = 5000;

interface ClaimedRun {
  tenant_id: string;
  id: string;
  schedule_id: string;
  trigger: string;
  scheduled_for: Date | null;
  queued_at: Date;
  as_of: string;
  type: ReportType;
  format: ReportFormat;
  language: ReportLanguage;
  filters: Record<string, unknown>;
  attempts: number;
}

/**
 * Takes queued runs off the report_runs table and produces them (ADR 0007):
 *  1. claim: one short statement, FOR UPDATE SKIP LOCKED, sets a lease token and expiry;
 *  2. produce: content provider + renderer, no transaction held, the lease kept alive by a heartbeat;
 *  3. complete: one transaction stores the result and creates the run's one delivery, only if this
 *     worker's lease token is still the run's (a worker that lost its lease cannot complete).
 * A crash anywhere before 3 commits leaves the run 'running' with an expiring lease; any instance
 * claims it again after expiry, up to RUN_MAX_ATTEMPTS.
 */
@Injectable()
export class RunWorker {
  private readonly log = new Logger('ReportRuns');
  private stopped = false;
  private readonly heartbeats = new Set<NodeJS.Timeout>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly content: ReportContent,
    private readonly snapshots: SnapshotService,
    private readonly identity: WorkerIdentity,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Stops heartbeats and forbids completing anything: in-flight runs are left to their leases. */
  stop(): void {
    this.stopped = true;
    for (const t of this.heartbeats) clearInterval(t);
    this.heartbeats.clear();
  }

  /** Claims and produces one run; false when there was nothing to do. */
  async processNext(): Promise<boolean> {
    if (this.stopped) return false;
    const now = this.clock.now();
    await this.db.query(WORK.giveUpRuns, [now, RUN_MAX_ATTEMPTS]);
    const token = randomUUID();
    const [run] = await this.db.query<ClaimedRun>(WORK.claimRun, [
      now,
      token,
      this.identity.name,
      this.config.reportLeaseMs,
      RUN_MAX_ATTEMPTS,
    ]);
    if (!run) return false;
    await this.produce(run, token);
    return true;
  }

  private async produce(run: ClaimedRun, token: string): Promise<void> {
    let lost = false;
    const beat = setInterval(
      () => {
        if (this.stopped) return;
        this.db
          .query(WORK.heartbeatRun, [
            run.tenant_id,
            run.id,
            token,
            this.clock.now(),
            this.config.reportLeaseMs,
          ])
          .then((rows) => {
            if (rows.length === 0) lost = true;
          })
          .catch(() => undefined);
      },
      Math.max(50, Math.floor(this.config.reportLeaseMs / 3)),
    );
    beat.unref();
    this.heartbeats.add(beat);
    try {
      const doc = await this.generate(run);
      const body = renderReport(doc, run.format);
      if (this.stopped || lost) return;
      const finishedAt = this.clock.now();
      const delivery = await this.db.transaction(async (tx) => {
        const done = await tx.query(WORK.completeRun, [
          run.tenant_id,
          run.id,
          token,
          finishedAt,
          doc.rows.length,
          JSON.stringify(doc.summary),
          JSON.stringify(doc),
          body,
          CONTENT_TYPES[run.format],
        ]);
        if (done.length === 0) return null; // lease lost to another instance: its result counts
        const created = await tx.query<{ id: string }>(WORK.createDelivery, [
          run.tenant_id,
          run.id,
          run.schedule_id,
          this.config.webhookMaxAttempts,
          finishedAt,
        ]);
        return created[0]?.id ?? 'none';
      });
      if (delivery === null) this.log.warn(`run ${run.id}: lease lost before completion; result discarded`);
    } catch (err) {
      if (this.stopped) return;
      const message = err instanceof Error ? err.message : String(err);
      this.log.error(`run ${run.id} attempt ${run.attempts} failed: ${message}`);
      await this.db
        .query(WORK.retryOrFailRun, [
          run.tenant_id,
          run.id,
          token,
          this.clock.now(),
          RUN_RETRY_BASE_MS * 2 ** (run.attempts - 1),
          RUN_MAX_ATTEMPTS,
          message.slice(0, 2000),
        ])
        .catch(() => undefined);
    } finally {
      clearInterval(beat);
      this.heartbeats.delete(beat);
    }
  }

  private async generate(run: ClaimedRun): Promise<ReportDocument> {
    const [tenant] = await this.db.query<{ currency: string; timezone: string }>(WORK.tenantOf, [
      run.tenant_id,
    ]);
    if (!tenant) throw new Error('tenant not found');
    // the settings the dashboard's analytics answer with now (a change applies once its refresh is published)
    const settings = await this.snapshots.settingsFor(run.tenant_id);
    const [prev] = await this.db.query<{ id: string; as_of: string; data: ReportDocument | null }>(
      WORK.previousRun,
      [run.tenant_id, run.schedule_id, run.id, run.scheduled_for ?? run.queued_at],
    );
    return this.content.get(run.type).generate({
      db: this.db,
      tenant: { id: run.tenant_id, currency: tenant.currency.trim(), timezone: tenant.timezone },
      settings,
      asOf: run.as_of,
      language: run.language,
      filters: run.filters ?? {},
      runId: run.id,
      scheduleId: run.schedule_id,
      generatedAt: this.clock.now(),
      previous: prev?.data ? { runId: prev.id, asOf: prev.as_of, document: prev.data } : null,
    });
  }
}
