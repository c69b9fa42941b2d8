import { DataSource, EntityManager } from 'typeorm';

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
