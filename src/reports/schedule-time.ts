import { CronTime } from 'cron';
import { isValidTimeZone } from '../shared/dates';

/**
 * Cron expressions and due times. Standard five-field cron (minute hour day-of-month month
 * day-of-week), or @hourly/@daily/@weekly/@monthly/@yearly, evaluated in an IANA time zone by the
 * `cron` package (bundled with @nestjs/schedule). No clock here: `now` is always a parameter.
 *
 * Missed due times (the service was down): those within CATCH_UP_WINDOW_MS before `now` are all
 * run, the latest CATCH_UP_LIMIT of them at most; older ones are skipped (and counted).
 */
export const CATCH_UP_WINDOW_MS = 24 * 3600 * 1000;
export const CATCH_UP_LIMIT = 60;

const PRESETS = ['@hourly', '@daily', '@weekly', '@monthly', '@yearly'];

/** The problem with a cron expression, or null when it is usable. */
export function cronProblem(cron: string, timeZone = 'UTC'): string | null {
  const text = cron.trim();
  if (text.startsWith('@')) {
    if (!PRESETS.includes(text)) return `cron preset must be one of ${PRESETS.join(', ')}`;
  } else if (text.split(/\s+/).length !== 5) {
    return 'cron must have 5 fields: minute hour day-of-month month day-of-week (e.g. "0 8 * * 0")';
  }
  try {
    // a valid expression that never fires (30 February) throws here too
    new CronTime(text).getNextDateFrom(new Date(Date.UTC(2024, 0, 1)), timeZone);
    return null;
  } catch (err) {
    return `cron is not valid: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
}

export function timeZoneProblem(timeZone: string): string | null {
  return isValidTimeZone(timeZone) && timeZone.trim() !== ''
    ? null
    : 'timezone must be an IANA time zone such as Asia/Riyadh';
}

/** The first due time strictly after `after`. */
export function nextDue(cron: string, timeZone: string, after: Date): Date {
  return new CronTime(cron.trim()).getNextDateFrom(after, timeZone).toJSDate();
}

export interface DuePlan {
  /** due times to run now, oldest first */
  due: Date[];
  /** when due times were skipped (older than the window, or beyond the limit): the first of them */
  skippedFrom: Date | null;
  /** the schedule's next due time, strictly after `now` */
  next: Date;
}

/**
 * Every due time from `from` (the stored next_run_at, itself a due time) up to and including `now`,
 * within the catch-up window and limit. Never walks more than the window, so a schedule that was
 * off for a year costs no more than one that was off for a day.
 */
export function duePlan(cron: string, timeZone: string, from: Date, now: Date): DuePlan {
  const windowStart = new Date(now.getTime() - CATCH_UP_WINDOW_MS);
  let skippedFrom: Date | null = null;
  let t = from;
  if (t < windowStart) {
    skippedFrom = from;
    t = nextDue(cron, timeZone, new Date(windowStart.getTime() - 1));
  }
  const due: Date[] = [];
  while (t <= now) {
    due.push(t);
    t = nextDue(cron, timeZone, t);
  }
  if (due.length > CATCH_UP_LIMIT) {
    skippedFrom ??= due[0]!;
    due.splice(0, due.length - CATCH_UP_LIMIT);
  }
  return { due, skippedFrom, next: t };
}
