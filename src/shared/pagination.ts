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

export function decodeCursor(v: unknown, arity: number): unknown[] | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    if (typeof v !== 'string') throw new Error('cursor must be a string');
    const key = JSON.parse(Buffer.from(v, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity) return key;
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
