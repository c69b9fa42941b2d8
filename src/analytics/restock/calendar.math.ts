/**
 * Calendar arithmetic on ISO dates without Date (pure, no time zone), for the stock-out date of a
 * restock row: days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant,
 * "chrono-Compatible Low-Level Date Algorithms", days_from_civil / civil_from_days).
 */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

const LAST_DAY = daysFromCivil(9999, 12, 31);

/** Days since 1970-01-01 of an ISO date (YYYY-MM-DD); RangeError when it is not a real date. */
export function isoDayNumber(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const n = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
  if (civilFromDays(n) !== iso) throw new RangeError(`not a calendar date: ${iso}`);
  return n;
}

/** asOf + ⌊days⌋; null when days is null or the result is after 9999-12-31. */
export function stockOutDate(asOf: string, cover: number | null): string | null {
  const start = isoDayNumber(asOf);
  if (cover === null) return null;
  if (!Number.isFinite(cover) || cover < 0) throw new RangeError('days of cover must be ≥ 0');
  const day = start + Math.floor(cover);
  return day > LAST_DAY ? null : civilFromDays(day);
}
