import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { asSystem } from '../database/tenant-context';
import { Q } from './connectors.queries';
import { nextFullSyncAt } from './schedule';
import { SyncWorker } from './sync/sync-worker';

const INTERVAL = 'connectors-tick';
const SYNCS_PER_TICK = 5;
const DUE_PER_TICK = 100;

export interface ConnectorsTick {
  queued: number;
  syncs: number;
}

/**
 * The connectors' clock (like the reports loop, ADR 0007): every CONNECTOR_POLL_MS one tick queues
 * the syncs that schedules made due (incremental every N minutes, full nightly at
 * CONNECTOR_FULL_SYNC_HOUR in the tenant's time zone) and runs queued syncs. Instances coordinate
 * only through the database. With CONNECTORS_ENABLED=false nothing runs here (tests call tick()).
 */
@Injectable()
export class ConnectorsLoop implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('ConnectorsLoop');
  private running: Promise<ConnectorsTick> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly worker: SyncWorker,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.connectorsEnabled) return;
    const timer = setInterval(() => this.kick(), this.config.connectorPollMs);
    this.registry.addInterval(INTERVAL, timer);
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.registry.doesExist('interval', INTERVAL)) this.registry.deleteInterval(INTERVAL);
    this.worker.abandon();
  }

  kick(): void {
    if (!this.config.connectorsEnabled || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void asSystem(() => this.tick()).catch((err: unknown) => {
      if (!this.stopped)
        this.log.error(`connectors tick failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** One tick (or the one under way); `onlyTenant` (tests) runs only that tenant's syncs. */
  tick(onlyTenant?: string): Promise<ConnectorsTick> {
    if (this.running) return this.running;
    this.running = asSystem(() => this.work(onlyTenant)).finally(() => {
      this.running = null;
      if (this.again && !this.stopped) {
        this.again = false;
        this.kick();
      }
    });
    return this.running;
  }

  private async work(onlyTenant?: string): Promise<ConnectorsTick> {
    const result: ConnectorsTick = { queued: 0, syncs: 0 };
    if (this.stopped) return result;
    result.queued = await this.enqueueDue(onlyTenant);
    while (
      !this.stopped &&
      result.syncs < SYNCS_PER_TICK &&
      (await this.worker.processNext(undefined, onlyTenant))
    ) {
      result.syncs += 1;
    }
    return result;
  }

  /** Queues the syncs schedules made due; a connector with a sync under way skips its incremental turn. */
  async enqueueDue(onlyTenant?: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const due = await tx.query<{
        tenant_id: string;
        id: string;
        schedule_every_minutes: number;
        run_due: boolean;
        full_due: boolean;
        timezone: string;
      }>(Q.dueConnectors, [DUE_PER_TICK, onlyTenant ?? null]);
      let queued = 0;
      for (const c of due) {
        const mode = c.full_due ? 'full' : 'incremental';
        const inserted = await tx.query(Q.queueSync, [c.tenant_id, randomUUID(), c.id, mode, 'schedule']);
        queued += inserted.length;
        if (c.full_due && inserted.length) {
          await tx.query(Q.advanceFull, [
            c.tenant_id,
            c.id,
            nextFullSyncAt(new Date(), c.timezone, this.config.connectorFullSyncHour),
          ]);
        }
        // a full sync also counts as this period's incremental one
        if (c.run_due || (c.full_due && inserted.length)) {
          await tx.query(Q.advanceRun, [c.tenant_id, c.id, Number(c.schedule_every_minutes)]);
        }
      }
      return queued;
    });
  }
}
