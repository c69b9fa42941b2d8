import { dateInZone, parseClientDate } from '../../shared/dates';
import { DomainError } from '../../shared/errors';

/**
 * `asOf` and other date parameters of analytics endpoints. Absent asOf = today in the tenant's time
 * zone (the one place that reads the clock for analytics; `now` is injectable for tests).
 */
export function asOfParam(v: unknown, timeZone: string, now: Date = new Date()): string {
  return dateParam(v, 'asOf', timeZone) ?? dateInZone(now, timeZone);
}

export function dateParam(v: unknown, field: string, timeZone: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  const d = parseClientDate(v, timeZone);
  if (d === null) throw new DomainError('bad_request', `${field} must be a date (YYYY-MM-DD)`, { field });
  return d;
}

export function intParam(v: unknown, field: string, def: number, min: number, max: number): number {
  if (v === undefined || v === null || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new DomainError('bad_request', `${field} must be a whole number from ${min} to ${max}`, { field });
  }
  return n;
}

export function enumParam<T extends string>(v: unknown, field: string, values: readonly T[], def: T): T {
  if (v === undefined || v === null || v === '') return def;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  throw new DomainError('bad_request', `${field} must be one of ${values.join(', ')}`, { field });
}

/** `Accept-Language: ar…` → Arabic labels; anything else → English. */
export function languageOf(acceptLanguage: string | undefined): 'ar' | 'en' {
  return /^\s*ar\b/i.test(acceptLanguage ?? '') ? 'ar' : 'en';
}
