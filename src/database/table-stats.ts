import { Queryable } from './database';

/**
 * Keeps planner statistics fresh after imports. PostgreSQL's autovacuum gets there eventually (and
 * only once 10 % of a table changed); the embedded PGlite has no autovacuum at all. Analytics queries
 * planned without statistics that know a tenant's rows — a new tenant's first import into tables
 * other tenants already fill — estimate it at a row or two and fall back to nested loops that are
 * orders of magnitude slower (a restock query over 461 invoices ran for more than ten minutes).
 * So the rows imports change are counted per table, and a table is ANALYZEd once `minRows` have
 * changed since its last ANALYZE — at most once every `minIntervalMs`; a table due within that
 * interval is analysed when it ends (a timer), so the last import of a burst is not left out.
 */
export class TableStats {
  private readonly last = new Map<string, number>();
  private readonly pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly minRows = 100,
    private readonly minIntervalMs = 10_000,
  ) {}

  async refresh(
    db: Queryable,
    tables: readonly string[],
    changedRows: number,
    now = Date.now(),
  ): Promise<void> {
    if (changedRows <= 0) return;
    for (const t of tables) this.pending.set(t, (this.pending.get(t) ?? 0) + changedRows);
    const due = [...this.pending].filter(([, n]) => n >= this.minRows).map(([t]) => t);
    const now_ = due.filter((t) => this.free(t, now));
    if (now_.length) await this.analyze(db, now_, now);
    if (due.length > now_.length) this.later(db, now);
  }

  /** Stops the deferred ANALYZE (the service is shutting down). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Whether table `t` may be analysed at `now` (never yet, or its interval since the last ended). */
  private free(t: string, now: number): boolean {
    const last = this.last.get(t);
    return last === undefined || now - last >= this.minIntervalMs;
  }

  private async analyze(db: Queryable, tables: string[], now: number): Promise<void> {
    for (const t of tables) {
      this.last.set(t, now);
      this.pending.delete(t);
    }
    await db.query(`ANALYZE ${tables.join(', ')}`);
  }

  /** One ANALYZE of the tables still due, when the earliest of their intervals ends. */
  private later(db: Queryable, now: number): void {
    if (this.timer) return;
    const waits = [...this.pending]
      .filter(([, n]) => n >= this.minRows)
      .map(([t]) => (this.last.get(t) ?? 0) + this.minIntervalMs - now);
    if (waits.length === 0) return;
    const wait = Math.max(0, Math.min(...waits));
    this.timer = setTimeout(() => {
      this.timer = null;
      const at = Date.now();
      const due = [...this.pending].filter(([t, n]) => n >= this.minRows && this.free(t, at)).map(([t]) => t);
      // a failure (the service stopped, the pool ended) leaves it to the next import
      if (due.length) this.analyze(db, due, at).catch(() => undefined);
      this.later(db, at);
    }, wait);
    this.timer.unref();
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
