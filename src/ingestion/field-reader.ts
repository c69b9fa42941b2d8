import Decimal from 'decimal.js';
import { FieldError } from '../shared/errors';
import { parseClientDate } from '../shared/dates';
import { Money } from '../shared/money';

/**
 * Reads one record's fields, collecting every problem as { index, field, message } instead of
 * stopping at the first, so a rejected batch lists everything that is wrong with it.
 * Values may arrive as JSON numbers/booleans or as strings (CSV): both are accepted.
 */
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const MAX_TEXT = 1000;

export type Bound = 'positive' | 'nonNegative' | 'any';

export class FieldReader {
  constructor(
    private readonly errors: FieldError[],
    readonly index: number,
    readonly timeZone: string,
  ) {}

  fail(field: string, message: string): void {
    this.errors.push({ index: this.index, field, message });
  }

  /** A record must be an object whose keys are all known; unknown keys are listed as errors. */
  object(v: unknown, path: string, known: ReadonlySet<string>): Record<string, unknown> | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      this.fail(path || '(record)', 'must be an object');
      return undefined;
    }
    for (const key of Object.keys(v)) {
      if (!known.has(key)) this.fail(join(path, key), 'is not a known field');
    }
    return v as Record<string, unknown>;
  }

  text(
    o: Record<string, unknown>,
    key: string,
    path: string,
    required = false,
    max = MAX_TEXT,
  ): string | null {
    const v = o[key];
    const field = join(path, key);
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(field, 'is required');
      return null;
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.fail(field, 'must be a string');
      return null;
    }
    const s = String(v).trim();
    if (s.includes('\u0000')) {
      // PostgreSQL cannot store U+0000 in text
      this.fail(field, 'must not contain a NUL character');
      return null;
    }
    if (s === '') {
      if (required) this.fail(field, 'must not be blank');
      return null;
    }
    if (s.length > max) {
      this.fail(field, `must be at most ${max} characters`);
      return null;
    }
    return s;
  }

  decimal(
    o: Record<string, unknown>,
    key: string,
    path: string,
    bound: Bound,
    required = false,
  ): Decimal | null {
    const v = o[key];
    const field = join(path, key);
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(field, 'is required');
      return null;
    }
    let d: Decimal | null = null;
    if (typeof v === 'number' && Number.isFinite(v)) d = new Money(v);
    else if (typeof v === 'string' && DECIMAL_TEXT.test(v.trim())) d = new Money(v.trim());
    if (d === null) {
      this.fail(field, 'must be a decimal number such as "12.50"');
      return null;
    }
    if (bound === 'positive' && !d.gt(0)) {
      this.fail(field, 'must be greater than 0');
      return null;
    }
    if (bound === 'nonNegative' && d.lt(0)) {
      this.fail(field, 'must be 0 or more');
      return null;
    }
    return d;
  }

  integer(o: Record<string, unknown>, key: string, path: string, min: number, max: number): number | null {
    const v = o[key];
    const field = join(path, key);
    if (v === undefined || v === null || v === '') return null;
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : NaN;
    if (!Number.isInteger(n)) {
      this.fail(field, 'must be a whole number');
      return null;
    }
    if (n < min || n > max) {
      this.fail(field, `must be between ${min} and ${max}`);
      return null;
    }
    return n;
  }

  boolean(o: Record<string, unknown>, key: string, path: string, def: boolean): boolean {
    const v = o[key];
    if (v === undefined || v === null || v === '') return def;
    if (typeof v === 'boolean') return v;
    const s = typeof v === 'string' || typeof v === 'number' ? String(v).trim().toLowerCase() : '';
    if (s === 'true' || s === '1' || s === 'yes') return true;
    if (s === 'false' || s === '0' || s === 'no') return false;
    this.fail(join(path, key), 'must be true or false');
    return def;
  }

  date(o: Record<string, unknown>, key: string, path: string, required = false): string | null {
    const v = o[key];
    const field = join(path, key);
    if (v === undefined || v === null || v === '') {
      if (required) this.fail(field, 'is required');
      return null;
    }
    const d = parseClientDate(v, this.timeZone);
    if (d === null) this.fail(field, 'must be a real calendar date (YYYY-MM-DD)');
    return d;
  }

  oneOf<T extends string>(
    o: Record<string, unknown>,
    key: string,
    path: string,
    values: readonly T[],
    def: T,
  ): T {
    const v = o[key];
    if (v === undefined || v === null || v === '') return def;
    if (typeof v === 'string' && (values as readonly string[]).includes(v.trim().toLowerCase())) {
      return v.trim().toLowerCase() as T;
    }
    this.fail(join(path, key), `must be one of ${values.join(', ')}`);
    return def;
  }

  currency(o: Record<string, unknown>, key: string, path: string, def: string): string {
    const v = o[key];
    if (v === undefined || v === null || v === '') return def;
    if (typeof v === 'string' && /^[A-Za-z]{3}$/.test(v.trim())) return v.trim().toUpperCase();
    this.fail(join(path, key), 'must be a 3-letter ISO 4217 currency code such as SAR');
    return def;
  }

  array(o: Record<string, unknown>, key: string, path: string, required: boolean): unknown[] | null {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.fail(join(path, key), 'is required');
      return null;
    }
    if (!Array.isArray(v)) {
      this.fail(join(path, key), 'must be an array');
      return null;
    }
    if (required && v.length === 0) this.fail(join(path, key), 'must have at least one item');
    return v;
  }
}

export function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Flags every externalId (or other key) that occurs more than once in a batch. */
export function duplicateKeys(
  keys: (string | null)[],
  field: string,
  errors: FieldError[],
  describe = 'externalId',
): void {
  const first = new Map<string, number>();
  keys.forEach((k, i) => {
    if (k === null) return;
    const at = first.get(k);
    if (at === undefined) first.set(k, i);
    else
      errors.push({ index: i, field, message: `duplicate ${describe} in this batch (first at index ${at})` });
  });
}
