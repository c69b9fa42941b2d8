import { DataSource, EntityManager } from 'typeorm';

/** The least pool that `Database.concurrent` lends to work on several connections at once. */
const CONCURRENT_POOL_SIZE = 4;

/** A unit of work: the queries of one transaction, or of one auto-committed statement. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/**
 * Thin access to the shared DataSource for hand-written SQL. Positional parameters only; never
 * interpolate values into SQL text.
 */
export class Database implements Queryable {
  constructor(readonly dataSource: DataSource) {}

  /**
   * Whether transactions on several connections can run at once: PostgreSQL with a pool of at least
   * CONCURRENT_POOL_SIZE; not the embedded PGlite, which has one connection.
   */
  get concurrent(): boolean {
    const options = this.dataSource.options as { url?: string; poolSize?: number };
    return Boolean(options.url) && (options.poolSize ?? 10) >= CONCURRENT_POOL_SIZE;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return runOn(this.dataSource.manager, sql, params);
  }

  /** Runs `work` in one transaction; everything it does commits or rolls back together. */
  async transaction<T>(work: (tx: Queryable & { manager: EntityManager }) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) =>
      work({ manager, query: (sql, params = []) => runOn(manager, sql, params) }),
    );
  }
}

async function runOn<T>(manager: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  const own = manager.queryRunner === undefined;
  try {
    const result = await runner.query(sql, params, true);
    return (result.records ?? []) as T[];
  } finally {
    if (own) await runner.release();
  }
}

/** The first `n` of `values`, n = the highest placeholder $n that `sql` uses. */
export function placeholders(sql: string, values: unknown[]): unknown[] {
  const n = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  return values.slice(0, n);
}
