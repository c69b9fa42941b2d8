/**
 * Calendar helpers for the generator. A day is an integer: days since 1970-01-01 (UTC), so date
 * arithmetic is integer arithmetic and formatting is memoised. Saudi weekend is Friday–Saturday.
 */
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const FRIDAY = 5;
export const SATURDAY = 6;

/** Parses "YYYY-MM-DD" into a day number; throws on anything that is not a real calendar date. */
export function parseDay(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new Error(`not an ISO date (YYYY-MM-DD): ${iso}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new Error(`not a calendar date: ${iso}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

const isoCache = new Map<number, string>();

export function isoDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function dayOfMonth(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCDate();
}

export function isMonthEnd(day: number): boolean {
  return dayOfMonth(day + 1) === 1;
}

export function dayFromParts(year: number, month1: number, date: number): number {
  return Math.round(Date.UTC(year, month1 - 1, date) / MS_PER_DAY);
}

export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/**
 * The first day of data for a span of `years` ending on `endDay`: the day after the same calendar
 * date `years` earlier (2026-10-31, 2 years → 2024-11-01).
 */
export function spanStart(endDay: number, years: number): number {
  const end = new Date(endDay * MS_PER_DAY);
  const ms = Date.UTC(end.getUTCFullYear() - years, end.getUTCMonth(), end.getUTCDate());
  return Math.round(ms / MS_PER_DAY) + 1;
}

/**
 * 1 Ramadan of a Hijri year, from the tabular mean year (354.367 days) anchored on
 * 1 Ramadan 1446 = 2025-03-01. Good to a day or two, which is all a demand season needs.
 */
const RAMADAN_1446 = parseDay('2025-03-01');
const HIJRI_YEAR_DAYS = 354.36708;

export function ramadanStart(hijriYear: number): number {
  return Math.round(RAMADAN_1446 + (hijriYear - 1446) * HIJRI_YEAR_DAYS);
}

export type SeasonName =
  'ramadan' | 'eid_al_fitr' | 'eid_al_adha' | 'back_to_school' | 'national_day' | 'white_friday';

/** Categories (CategorySpec.key) whose demand peaks in each season. */
export const SEASON_CATEGORIES: Record<SeasonName, readonly string[]> = {
  ramadan: ['dates', 'coffee', 'groceries'],
  eid_al_fitr: ['perfumes', 'textiles', 'dates'],
  eid_al_adha: ['perfumes', 'textiles', 'household'],
  back_to_school: ['stationery', 'textiles'],
  national_day: ['electronics', 'textiles'],
  white_friday: ['electronics', 'household'],
};

export interface SeasonWindow {
  name: SeasonName;
  from: number;
  to: number;
}

/** Demand seasons of a Saudi retailer overlapping [fromDay, toDay], ordered by start. */
export function seasonWindows(fromDay: number, toDay: number): SeasonWindow[] {
  const windows: SeasonWindow[] = [];
  const firstHijri = 1446 + Math.floor((fromDay - RAMADAN_1446) / HIJRI_YEAR_DAYS) - 1;
  const lastHijri = 1446 + Math.ceil((toDay - RAMADAN_1446) / HIJRI_YEAR_DAYS) + 1;
  for (let h = firstHijri; h <= lastHijri; h++) {
    const r = ramadanStart(h);
    const fitr = r + 29;
    const adha = fitr + 68;
    windows.push({ name: 'ramadan', from: r - 7, to: r + 19 });
    windows.push({ name: 'eid_al_fitr', from: r + 20, to: fitr + 2 });
    windows.push({ name: 'eid_al_adha', from: adha - 12, to: adha + 2 });
  }
  for (let y = yearOf(fromDay) - 1; y <= yearOf(toDay) + 1; y++) {
    const add = (name: SeasonName, m: number, d1: number, d2: number): void => {
      windows.push({ name, from: dayFromParts(y, m, d1), to: dayFromParts(y, m, d2) });
    };
    add('back_to_school', 8, 8, 31);
    add('national_day', 9, 14, 24);
    add('white_friday', 11, 17, 30);
  }
  return windows
    .filter((w) => w.to >= fromDay && w.from <= toDay)
    .sort((x, y) => x.from - y.from || x.to - y.to);
}

/** The season in force on each day of [fromDay, toDay] (the later-starting one where two overlap). */
export function seasonByDay(fromDay: number, toDay: number): (SeasonName | null)[] {
  const out: (SeasonName | null)[] = new Array<SeasonName | null>(toDay - fromDay + 1).fill(null);
  for (const w of seasonWindows(fromDay, toDay)) {
    for (let d = Math.max(w.from, fromDay); d <= Math.min(w.to, toDay); d++) out[d - fromDay] = w.name;
  }
  return out;
}

/**
 * Moves most Friday and half the Saturday activity to the working days around the weekend
 * (Wednesday to Thursday, Sunday to Tuesday), so the weekend is lighter without a Sunday spike.
 * `u` is a uniform draw in [0, 1).
 */
export function lighterWeekend(day: number, u: number): number {
  const wd = weekday(day);
  if (wd === FRIDAY && u < 0.8) return day + [-2, -1, 2, 3, 4][Math.floor(u * 6.25)]!;
  if (wd === SATURDAY && u < 0.5) return day + [-3, -2, 1, 2, 3][Math.floor(u * 10)]!;
  return day;
}

/** The first day on or after `day` that is the `date`-th of its month (date ≤ 28). */
export function nextDateOfMonth(day: number, date: number): number {
  const d = dayOfMonth(day);
  if (d <= date) return day + (date - d);
  const firstOfNext = day - d + 1 + daysInMonth(day);
  return firstOfNext + date - 1;
}

export function daysInMonth(day: number): number {
  const t = new Date(day * MS_PER_DAY);
  return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + 1, 0)).getUTCDate();
}
