import type Decimal from 'decimal.js';
import { createHash } from 'node:crypto';
import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import type { GroupedCsv } from './csv-grouping';

export const RESOURCES = [
  'customers',
  'products',
  'invoices',
  'payments',
  'credit-notes',
  'inventory',
] as const;
export type ResourceName = (typeof RESOURCES)[number];

export interface ImportContext {
  tenantId: string;
  /** the tenant's base currency */
  currency: string;
  timeZone: string;
}

export interface ImportCounts {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
}

/**
 * One importable resource: `normalize` checks each record's shape and computes derived amounts
 * (pure, no database); `write` resolves references and upserts in the caller's transaction, adding
 * reference errors to `errors` and writing nothing when there are any.
 */
export interface ResourceHandler<T> {
  normalize(records: unknown[], ctx: ImportContext, errors: FieldError[]): T[];
  write(tx: Queryable, ctx: ImportContext, rows: T[], errors: FieldError[]): Promise<ImportCounts>;
  /** CSV: how rows become records (documents with lines group their rows). */
  fromCsv?(rows: Record<string, string>[], lines: number[], errors: FieldError[]): GroupedCsv;
}

/**
 * A stable fingerprint of a normalized record: equal content → equal hash → "unchanged".
 * Decimals serialise through their own toJSON as normalised strings, so "12.50" and 12.5 agree.
 */
export function contentHash(value: unknown): string {
  return createHash('md5').update(JSON.stringify(value)).digest('base64');
}

export const dec = (d: Decimal | null): string | null => (d === null ? null : d.toString());

/** Upsert counts from `RETURNING inserted` rows: rows not returned were unchanged. */
export function countsFrom(received: number, returned: { inserted: boolean }[]): ImportCounts {
  const created = returned.filter((r) => r.inserted).length;
  const updated = returned.length - created;
  return { received, created, updated, unchanged: received - created - updated };
}

/** Looks up internal ids for external ids of one table, tenant-scoped. */
export async function resolveIds(
  tx: Queryable,
  table: 'customers' | 'products' | 'invoices',
  tenantId: string,
  externalIds: Iterable<string>,
): Promise<Map<string, number>> {
  const ids = [...new Set(externalIds)];
  const map = new Map<string, number>();
  if (ids.length === 0) return map;
  const rows = await tx.query<{ external_id: string; id: number }>(
    `SELECT external_id, id FROM ${table} WHERE tenant_id = $1 AND external_id = ANY($2::text[])`,
    [tenantId, ids],
  );
  for (const r of rows) map.set(r.external_id, Number(r.id));
  return map;
}
