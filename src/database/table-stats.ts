import { Queryable } from './database';

/**
 * Keeps planner statistics fresh after bulk imports. PostgreSQL's autovacuum gets there eventually;
 * the embedded PGlite has no autovacuum at all, and analytics queries planned without statistics
 * fall back to nested loops that are orders of magnitude slower. An import that changed many rows
 * therefore ANALYZEs its tables, at most once per table every `minIntervalMs`.
 */
export class TableStats {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly minRows = 500,
    private readonly minIntervalMs = 10_000,
  ) {}

  async refresh(
    db: Queryable,
    tables: readonly string[],
    changedRows: number,
    now = Date.now(),
  ): Promise<void> {
    if (changedRows < this.minRows) return;
    const due = tables.filter((t) => now - (this.last.get(t) ?? 0) >= this.minIntervalMs);
    if (due.length === 0) return;
    for (const t of due) this.last.set(t, now);
    await db.query(`ANALYZE ${due.join(', ')}`);
  }
}

/** The tables an import of each resource writes. */
export const IMPORT_TABLES: Record<string, readonly string[]> = {
  customers: ['customers'],
  products: ['products'],
  invoices: ['invoices', 'invoice_lines'],
  payments: ['payments', 'payment_allocations'],
  'credit-notes': ['credit_notes', 'credit_note_lines'],
  inventory: ['inventory_snapshots'],
};
