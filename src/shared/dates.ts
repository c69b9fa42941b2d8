/**
 * Calendar dates as 'YYYY-MM-DD' strings. A document's date is a calendar date in the tenant's
 * time zone; date arithmetic here is on the proleptic Gregorian calendar in UTC, so no time zone
 * or daylight-saving shift can move a date.
 */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isRealDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/**
 * Parses a client date: 'YYYY-MM-DD', or an ISO date-time (its calendar date in `timeZone` when it
 * carries an offset, its own date when it does not). Returns null when it is not a real date.
 */
export function parseClientDate(v: unknown, timeZone: string): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  const d = ISO_DATE.exec(s);
  if (d) return isRealDate(+d[1]!, +d[2]!, +d[3]!) ? s : null;
  const t = ISO_DATETIME.exec(s);
  if (!t || !isRealDate(+t[1]!, +t[2]!, +t[3]!)) return null;
  if (+t[4]! > 23 || +t[5]! > 59 || (t[6] !== undefined && +t[6] > 59)) return null;
  if (!t[7]) return `${t[1]}-${t[2]}-${t[3]}`;
  const instant = new Date(s.replace(' ', 'T'));
  if (Number.isNaN(instant.getTime())) return null;
  return dateInZone(instant, timeZone);
}

/** The calendar date of an instant in a time zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
    .formatToParts(instant)
    .reduce<Record<string, string>>((acc, p) => ((acc[p.type] = p.value), acc), {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function toUtc(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d);
}

export function addDays(date: string, days: number): string {
  return new Date(toUtc(date) + days * 86_400_000).toISOString().slice(0, 10);
}

/** b − a in days. */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / 86_400_000);
}
