/**
 * The next nightly full sync: the first instant after `now` at which the wall clock in `timeZone`
 * shows `hour`:00. Pure (the caller passes now).
 */
export function nextFullSyncAt(now: Date, timeZone: string, hour: number): Date {
  // walk forward hour by hour (at most 49 steps, DST-safe) to the next local `hour`:00
  const start = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
  for (let i = 0; i < 49; i++) {
    const t = new Date(start.getTime() + i * 3_600_000);
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(t);
    const h = Number(parts.find((p) => p.type === 'hour')?.value);
    const m = Number(parts.find((p) => p.type === 'minute')?.value);
    if (h === hour && m === 0) return t;
  }
  // zones with a non-whole-hour offset: the hour boundary in UTC nearest to it
  return new Date(start.getTime() + 24 * 3_600_000);
}
