import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { dateInZone } from '../../shared/dates';
import { AnalyticsJobsService } from './analytics-jobs.service';
import { withTenant } from '../../database/tenant-context';
import { PublishedQueries } from './published-queries';
import { durations, SnapshotService } from './snapshot.service';

const INTERVAL = 'analytics-tick';
/**
 * A running refresh's lease, renewed every third of it while its worker lives: a worker that died
 * (kill -9) leaves a lease that lapses within this, and another tick (of any instance) runs the job
 * again. Until then the last published snapshot keeps serving.
 */
const LEASE_MS = 60_000;

/**
 * Runs recompute jobs: every ANALYTICS_POLL_MS (an interval in @nestjs/schedule's registry) it
 * enqueues the nightly recomputes that are due and runs queued jobs one at a time. Ticks never
 * overlap within an instance; instances coordinate through the jobs table.
 */
@Injectable()
export class AnalyticsWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('AnalyticsWorker');
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(
    private readonly jobs: AnalyticsJobsService,
    private readonly snapshots: SnapshotService,
    private readonly published: PublishedQueries,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.analyticsWorkerEnabled) return;
    const timer = setInterval(
      () => void this.tick().catch((e: unknown) => this.log.error(String(e))),
      this.config.analyticsPollMs,
    );
    this.registry.addInterval(INTERVAL, timer);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.registry.doesExist('interval', INTERVAL)) this.registry.deleteInterval(INTERVAL);
  }

  /**
   * One pass: enqueue nightly work, then run every due job. Returns the number of jobs run.
   * `onlyTenant` limits the pass to one tenant's jobs (tests that share a database use it).
   */
  tick(now = new Date(), onlyTenant?: string): Promise<number> {
    this.running ??= this.pass(now, onlyTenant).finally(() => (this.running = null));
    return this.running;
  }

  private async pass(now: Date, onlyTenant?: string): Promise<number> {
    if (!onlyTenant) await this.jobs.enqueueNightly(now);
    let done = 0;
    while (!this.stopped) {
      const job = await this.jobs.claim(LEASE_MS, onlyTenant);
      if (!job) break;
      const renewal = setInterval(
        () => void this.jobs.renew(job.tenant_id, job.id, LEASE_MS).catch(() => undefined),
        LEASE_MS / 3,
      );
      try {
        const asOf = job.as_of ?? dateInZone(now, job.timezone);
        const today = asOf === dateInZone(new Date(), job.timezone);
        // an automatic refresh whose changes an earlier one already published: each change once
        const upToDate = job.reason === 'manual' ? null : await this.snapshots.current(job.tenant_id, asOf);
        if (upToDate) {
          await this.jobs.finish(job.tenant_id, job.id, { snapshotId: upToDate });
          done++;
          continue;
        }
        // today's snapshot is computed, its pages' default reads stored with it, then published: the
        // previous one serves every read until then (refresh pending), never a half-ready one
        const snap = await this.snapshots.recompute(job.tenant_id, asOf, { publish: !today });
        if (today) {
          const warm = (which: 'today' | 'past') =>
            withTenant(job.tenant_id, () => this.published.warm(job.tenant_id, snap.id, which)).catch(
              (err: unknown) => {
                this.log.warn(`warming snapshot ${snap.id} failed: ${String(err)}`);
                return { reads: 0, ms: 0, readMs: {} };
              },
            );
          const warmed = await warm('today');
          const published = await this.snapshots.publish(job.tenant_id, snap.id);
          // the reads of past dates after the publish: the change shows without waiting for them
          const past = published ? await warm('past') : { reads: 0, ms: 0, readMs: {} };
          this.log.log(
            `snapshot ${snap.id}: ${warmed.reads} default reads stored in ${warmed.ms} ms (${durations(warmed.readMs)})` +
              (published
                ? `, published, then ${past.reads} of past dates in ${past.ms} ms (${durations(past.readMs)})`
                : ', not published (a newer one was)'),
          );
        }
        await this.jobs.finish(job.tenant_id, job.id, { snapshotId: snap.id });
      } catch (err) {
        this.log.error(`recompute ${job.id} failed: ${err instanceof Error ? err.message : String(err)}`);
        await this.jobs.finish(job.tenant_id, job.id, {
          error: err instanceof Error ? err.message : String(err),
        });
      } finally {
        clearInterval(renewal);
      }
      done++;
    }
    return done;
  }
}
