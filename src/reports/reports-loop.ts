import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { asSystem } from '../database/tenant-context';
import { Clock } from './clock';
import { DeliveryWorker } from './delivery/delivery-worker';
import { ReportScheduler } from './report-scheduler';
import { WORK } from './reports.queries';
import { RunWorker } from './run-worker';

const INTERVAL = 'reports-tick';
/** Work taken per tick, so one tick never runs for long; the next tick continues. */
const RUNS_PER_TICK = 10;
const DELIVERIES_PER_TICK = 20;

export interface TickResult {
  queued: number;
  runs: number;
  deliveries: number;
}

/**
 * The clock of the reports subsystem: every SCHEDULER_POLL_MS (an interval registered with
 * @nestjs/schedule's SchedulerRegistry) one tick queues due runs, produces queued runs, sends due
 * deliveries and purges expired runs. Ticks of one instance never overlap; instances coordinate
 * only through the database. With SCHEDULER_ENABLED=false nothing runs in the background and
 * tests call tick() themselves.
 */
@Injectable()
export class ReportsLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ReportsLoop');
  private running: Promise<TickResult> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly scheduler: ReportScheduler,
    private readonly runs: RunWorker,
    private readonly deliveries: DeliveryWorker,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.schedulerEnabled) return;
    const timer = setInterval(() => this.kick(), this.config.schedulerPollMs);
    this.registry.addInterval(INTERVAL, timer);
  }

  /**
   * Shutdown: no new ticks; in-flight work is abandoned where it stands (no completion, no
   * heartbeat), exactly as if the process had died, and another instance or the next start takes
   * it over when its lease expires.
   */
  onModuleDestroy(): void {
    this.stopped = true;
    if (this.registry.doesExist('interval', INTERVAL)) this.registry.deleteInterval(INTERVAL);
    this.runs.stop();
    this.deliveries.stop();
  }

  /** Starts a tick now unless one is running, in which case another follows it. Never throws. */
  kick(): void {
    if (!this.config.schedulerEnabled || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // the loop's work spans tenants: system work even when a request (run now) wakes it
    void asSystem(() => this.tick()).catch((err: unknown) => {
      if (!this.stopped)
        this.log.error(`reports tick failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** One tick (or the one already under way). */
  tick(): Promise<TickResult> {
    if (this.running) return this.running;
    this.running = this.work().finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
    return this.running;
  }

  private async work(): Promise<TickResult> {
    const result: TickResult = { queued: 0, runs: 0, deliveries: 0 };
    if (this.stopped) return result;
    result.queued = await this.scheduler.enqueueDue();
    while (!this.stopped && result.runs < RUNS_PER_TICK && (await this.runs.processNext())) result.runs += 1;
    while (
      !this.stopped &&
      result.deliveries < DELIVERIES_PER_TICK &&
      (await this.deliveries.deliverNext())
    ) {
      result.deliveries += 1;
    }
    if (!this.stopped) {
      const cutoff = new Date(this.clock.now().getTime() - this.config.reportRetentionDays * 86_400_000);
      await this.db.query(WORK.purgeRuns, [cutoff]);
    }
    return result;
  }
}
