import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { DomainError, notFound } from '../shared/errors';
import { decodeCursor, Page, parseLimit, toPage } from '../shared/pagination';
import { TenantsService } from './tenants.service';

export interface TenantCounts {
  customers: number;
  products: number;
  invoices: number;
  payments: number;
  creditNotes: number;
  apiKeys: number;
}

export interface TenantView {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  createdAt: string;
  suspendedAt: string | null;
  status: 'active' | 'suspended';
  counts: TenantCounts;
  lastImportAt: string | null;
}

/** One page of tenants (or one tenant) with their counts; $1 id or null, $2/$3 the keyset cursor, $4 limit. */
const TENANTS_WITH_COUNTS = `
  SELECT t.id, t.name, t.currency, t.timezone, t.created_at, t.suspended_at,
         (SELECT count(*) FROM customers c WHERE c.tenant_id = t.id) AS customers,
         (SELECT count(*) FROM products p WHERE p.tenant_id = t.id) AS products,
         (SELECT count(*) FROM invoices i WHERE i.tenant_id = t.id) AS invoices,
         (SELECT count(*) FROM payments p WHERE p.tenant_id = t.id) AS payments,
         (SELECT count(*) FROM credit_notes n WHERE n.tenant_id = t.id) AS credit_notes,
         (SELECT count(*) FROM api_keys k WHERE k.tenant_id = t.id AND k.revoked_at IS NULL
             AND (k.expires_at IS NULL OR k.expires_at > now())) AS api_keys,
         (SELECT max(r.started_at) FROM import_runs r WHERE r.tenant_id = t.id) AS last_import_at
    FROM tenants t
   WHERE ($1::uuid IS NULL OR t.id = $1)
     AND ($2::timestamptz IS NULL OR (t.created_at, t.id) > ($2::timestamptz, $3::uuid))
   ORDER BY t.created_at, t.id
   LIMIT $4`;

/**
 * Every table holding a tenant's rows (a tenant_id column, partitions left to their parent), with the
 * tables each one references, so a tenant's rows can be deleted children first. Read from the
 * catalog, so a table added by a later migration is covered without a list to keep.
 */
const TENANT_TABLES = `
  SELECT c.relname AS table_name,
         coalesce(array_agg(DISTINCT r.relname) FILTER (WHERE r.relname IS NOT NULL AND r.relname <> c.relname),
                  '{}') AS references
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    LEFT JOIN pg_constraint f ON f.conrelid = c.oid AND f.contype = 'f'
    LEFT JOIN pg_class r ON r.oid = f.confrelid
   WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
   GROUP BY c.relname`;

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : (v instanceof Date ? v : new Date(v as string)).toISOString();

/** The operator's view of tenants: list with counts, suspend and resume, delete with all data. */
@Injectable()
export class TenantAdminService {
  constructor(
    private readonly db: Database,
    private readonly tenants: TenantsService,
  ) {}

  async list(query: { limit?: unknown; cursor?: unknown }): Promise<Page<TenantView>> {
    const limit = parseLimit(query.limit);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows = await this.db.query<Record<string, unknown>>(TENANTS_WITH_COUNTS, [
      null,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit + 1,
    ]);
    return toPage(rows, limit, (r) => [iso(r.created_at), r.id], view);
  }

  async get(id: string): Promise<TenantView> {
    const [row] = await this.db.query<Record<string, unknown>>(TENANTS_WITH_COUNTS, [id, null, null, 1]);
    if (!row) throw notFound('tenant');
    return view(row);
  }

  async suspend(id: string, suspended: boolean): Promise<TenantView> {
    const rows = await this.db.query(
      suspended
        ? `UPDATE tenants SET suspended_at = coalesce(suspended_at, now()) WHERE id = $1 RETURNING id`
        : `UPDATE tenants SET suspended_at = NULL WHERE id = $1 RETURNING id`,
      [id],
    );
    if (rows.length === 0) throw notFound('tenant');
    this.tenants.forgetKeys();
    return this.get(id);
  }

  /**
   * Deletes the tenant and every row of it, in one transaction: each table with a tenant_id, rows
   * that reference others first, then the tenant. Either all of it goes or nothing does.
   */
  async delete(id: string): Promise<{ deletedRows: Record<string, number> }> {
    const deletedRows: Record<string, number> = {};
    await this.db.transaction(async (tx) => {
      const [tenant] = await tx.query(`SELECT id FROM tenants WHERE id = $1 FOR UPDATE`, [id]);
      if (!tenant) throw notFound('tenant');
      const tables = await tx.query<{ table_name: string; references: string[] | string }>(TENANT_TABLES);
      for (const table of deletionOrder(tables)) {
        const rows = await tx.query<{ n: string }>(
          `WITH gone AS (DELETE FROM "${table.replace(/"/g, '""')}" WHERE tenant_id = $1 RETURNING 1)
           SELECT count(*) AS n FROM gone`,
          [id],
        );
        const n = Number(rows[0]?.n ?? 0);
        if (n > 0) deletedRows[table] = n;
      }
      await tx.query(`DELETE FROM tenants WHERE id = $1`, [id]);
    });
    this.tenants.forgetKeys();
    return { deletedRows };
  }
}

/** Tables ordered so that a table comes before every table it references (children first). */
export function deletionOrder(tables: { table_name: string; references: string[] | string }[]): string[] {
  const refs = new Map(tables.map((t) => [t.table_name, new Set(pgArray(t.references))]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  // a table can be deleted once every table referencing it is: visit the referencing ones first
  const referencedBy = new Map<string, string[]>();
  for (const [table, targets] of refs) {
    for (const target of targets) {
      if (!refs.has(target)) continue;
      referencedBy.set(target, [...(referencedBy.get(target) ?? []), table]);
    }
  }
  const visit = (table: string) => {
    if (state.get(table) === 'done') return;
    if (state.get(table) === 'visiting') {
      throw new DomainError('conflict', `tables reference each other in a cycle through ${table}`);
    }
    state.set(table, 'visiting');
    for (const child of (referencedBy.get(table) ?? []).sort()) visit(child);
    state.set(table, 'done');
    order.push(table);
  };
  for (const table of [...refs.keys()].sort()) visit(table);
  return order;
}

/** node-postgres parses text[] into an array; PGlite may hand the literal `{a,b}` over. */
function pgArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map((s) => s.replace(/^"|"$/g, ''));
}

function view(r: Record<string, unknown>): TenantView {
  return {
    id: r.id as string,
    name: r.name as string,
    currency: String(r.currency).trim(),
    timezone: r.timezone as string,
    createdAt: iso(r.created_at)!,
    suspendedAt: iso(r.suspended_at),
    status: r.suspended_at ? 'suspended' : 'active',
    counts: {
      customers: Number(r.customers),
      products: Number(r.products),
      invoices: Number(r.invoices),
      payments: Number(r.payments),
      creditNotes: Number(r.credit_notes),
      apiKeys: Number(r.api_keys),
    },
    lastImportAt: iso(r.last_import_at),
  };
}
