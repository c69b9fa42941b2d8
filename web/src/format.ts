import { getLang } from './i18n';

/** Numbers, money, dates and shares in the page's language with Intl; amounts arrive as decimal strings. */
let currency = 'SAR';
export function setCurrency(c: string): void {
  currency = c;
}
export function getCurrency(): string {
  return currency;
}

const locale = () => (getLang() === 'ar' ? 'ar-SA-u-nu-arab' : 'en-US');

/** A customer's or product's name in the page's language: the Arabic one in Arabic when it has one. */
export function displayName(r: {
  name: string;
  nameAr?: string | null;
  contact?: { nameAr?: string | null };
}): string {
  const ar = r.nameAr ?? r.contact?.nameAr;
  return getLang() === 'ar' && ar ? ar : r.name;
}

export function num(v: string | number | null | undefined, digits = 0): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(
    n,
  );
}

export function money(v: string | number | null | undefined, compact = false): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return '—';
  // a decimal string is formatted from its text (Intl.NumberFormat v3 takes numeric strings exactly,
  // its lib typings predate that): no float rounding of an amount
  const exact = (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? v : n) as number;
  return new Intl.NumberFormat(locale(), {
    style: 'currency',
    currency,
    notation: compact ? 'compact' : 'standard',
    maximumFractionDigits: compact ? 1 : 2,
  }).format(exact);
}

export function pct(v: string | number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = Number(v);
  if (!Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(n / 100);
}

/** A share 0…1 (P(alive), probabilities). */
export function share(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : pct(v * 100, 1);
}

export function date(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) return v;
  return new Intl.DateTimeFormat(locale(), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(d);
}

export function dateTime(v: string | null | undefined): string {
  if (!v) return '—';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return v;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function month(v: string): string {
  const d = new Date(`${v}-01T00:00:00Z`);
  return new Intl.DateTimeFormat(locale(), { year: '2-digit', month: 'short', timeZone: 'UTC' }).format(d);
}

/** YYYY-MM-DD of `d` shifted by `days` (UTC). */
export function isoDay(d: Date, days = 0): string {
  return new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
