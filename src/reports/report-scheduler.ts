import { Injectable, Logger } from '@nestjs/common';
import { Database } from '../database/database';
import { Clock } from './clock';
import { WORK } from './reports.queries';
import { duePlan } from './schedule-time';

interface DueRow {
  tenant_id: string;
  id: string;
  cron: string;
  timezone: string;
  next_run_at: Date;
}

/** Schedules looked at per tick; the rest wait for the next tick. */
const SCHEDULES_PER_TICK = 100;

/**
 * Turns due schedules into queued runs. The due times are computed outside any transaction (cron
 * evaluation can take a moment); then, per schedule, one short transaction takes the row with
 * FOR UPDATE SKIP LOCKED (skipped if another instance holds it, or if it changed since it was
 * read), inserts one run per due time, and moves next_run_at past now. The unique key
 * (tenant_id, schedule_id, scheduled_for) makes a second run for the same due time impossible
 * whatever the instances do.
 */
@Injectable()
export class ReportScheduler {
  private readonly log = new Logger('ReportScheduler');

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** Returns how many runs it queued. */
  async enqueueDue(): Promise<number> {
    const now = this.clock.now();
    const due = await this.db.query<DueRow>(WORK.dueSchedules, [now, SCHEDULES_PER_TICK]);
    let queued = 0;
    for (const s of due) {
      const plan = duePlan(s.cron, s.timezone, new Date(s.next_run_at), now);
      if (plan.skippedFrom) {
        this.log.warn(
          `schedule ${s.id}: due times from ${plan.skippedFrom.toISOString()} were missed by more than the catch-up ` +
            `window or limit and are skipped`,
        );
      }
      queued += await this.db.transaction(async (tx) => {
        const held = await tx.query(WORK.lockSchedule, [
          s.tenant_id,
          s.id,
          s.next_run_at,
          s.cron,
          s.timezone,
        ]);
        if (held.length === 0) return 0;
        const inserted = plan.due.length
          ? await tx.query(WORK.insertDueRuns, [s.tenant_id, s.id, plan.due.map((d) => d.toISOString()), now])
          : [];
        await tx.query(WORK.advanceSchedule, [s.tenant_id, s.id, plan.next, plan.due.at(-1) ?? null]);
        return inserted.length;
      });
    }
    return queued;
  }
}
