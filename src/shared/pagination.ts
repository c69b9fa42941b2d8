import { DomainError } from './errors';

/**
 * Cursor pagination: the cursor is an opaque base64url JSON of the last row's sort key. Clients
 * pass it back unchanged; a tampered or foreign cursor is a 400, never a 500.
 */
export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 100;

export function parseLimit(v: unknown): number {
  if (v === undefined || v === '') return DEFAULT_LIMIT;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new DomainError('bad_request', `limit must be a whole number from 1 to ${MAX_LIMIT}`, {
      field: 'limit',
    });
  }
  return n;
}

export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * What each element of a cursor must be, checked before it reaches SQL (a cursor is client input: a
 * well-formed key of the wrong types would otherwise fail in the database's casts as a 500).
 * int: a 32-bit integer; id: a bigint identity (a safe integer); numeric: an exact decimal string
 * (or ±Infinity, the sort keys' COALESCE of absent values); date: a calendar date; timestamp: an ISO
 * instant as toISOString writes it; uuid; text: any string without NUL (PostgreSQL rejects it).
 */
export type CursorPart = 'int' | 'id' | 'numeric' | 'date' | 'timestamp' | 'uuid' | 'text';

const PART_OK: Record<CursorPart, (v: unknown) => boolean> = {
  int: (v) => Number.isInteger(v) && Math.abs(v as number) <= 2_147_483_647,
  id: (v) => Number.isSafeInteger(v),
  numeric: (v) => typeof v === 'string' && /^([+-]?\d+(\.\d+)?|[+-]?Infinity)$/.test(v),
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && realDate(v),
  timestamp: (v) =>
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v) &&
    realDate(v.slice(0, 10)) &&
    !Number.isNaN(Date.parse(v)),
  uuid: (v) =>
    typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  text: (v) => typeof v === 'string' && !v.includes('\u0000'),
};

function realDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The cursor's key, each element checked against `parts` (or only its length when a number). */
export function decodeCursor(v: unknown, parts: number | readonly CursorPart[]): unknown[] | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    if (typeof v !== 'string') throw new Error('cursor must be a string');
    const key = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown;
    const arity = typeof parts === 'number' ? parts : parts.length;
    if (
      Array.isArray(key) &&
      key.length === arity &&
      (typeof parts === 'number' || parts.every((p, i) => PART_OK[p](key[i])))
    ) {
      return key;
    }
  } catch {
    /* falls through to the error below */
  }
  throw new DomainError('bad_request', 'cursor is not valid: pass back the nextCursor of a previous page', {
    field: 'cursor',
  });
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Rows fetched with limit + 1: the extra row only tells whether there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, key: (r: R) => unknown[], map: (r: R) => T): Page<T> {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    data: page.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}
