import { EventEmitter } from 'node:events';
import { PGlite, types } from '@electric-sql/pglite';

/**
 * A node-postgres-shaped pool over one embedded PGlite database, for TypeORM's postgres driver.
 *
 * PGlite is a single session. Handing that session to two callers at once would interleave their
 * transactions, so this pool has exactly one connection: `connect` waits until the previous holder
 * has released it. That gives the same isolation a real pool gives (a transaction sees only its
 * own statements), at the price of running one unit of work at a time — fine for an embedded,
 * single-process deployment. Production runs PostgreSQL.
 */
export const PGLITE_PARSERS = {
  [types.DATE]: (v: string) => v,
  [types.INT8]: (v: string) => Number(v),
  [types.NUMERIC]: (v: string) => v,
};

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
}

let shared: { dataDir: string; db: Promise<PGlite> } | undefined;

function openDatabase(dataDir: string): Promise<PGlite> {
  if (shared && shared.dataDir === dataDir) return shared.db;
  const db = PGlite.create(dataDir === 'memory://' ? undefined : dataDir, { parsers: PGLITE_PARSERS });
  shared = { dataDir, db };
  return db;
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let unlock!: () => void;
    const next = new Promise<void>((resolve) => (unlock = resolve));
    const ready = this.tail.then(() => unlock);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

function commandOf(sql: string): string {
  const m = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*(\w+)/.exec(sql);
  return (m?.[1] ?? '').toUpperCase();
}

class PGliteClient extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, params?: unknown[], cb?: (err: unknown, res?: PgLikeResult) => void) {
    try {
      let res: PgLikeResult;
      if (params && params.length > 0) {
        const r = await this.db.query(sql, params);
        res = { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length, command: commandOf(sql) };
      } else {
        const all = await this.db.exec(sql);
        const last = all[all.length - 1];
        res = {
          rows: last?.rows ?? [],
          rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
          command: commandOf(sql),
        };
      }
      cb?.(null, res);
      return res;
    } catch (err) {
      if (cb) cb(err);
      else throw err;
      return undefined;
    }
  }
}

export function makePGlitePoolClass(dataDir: string) {
  const mutex = new Mutex();
  return class PGlitePool extends EventEmitter {
    constructor(_options: unknown) {
      super();
    }

    connect(cb: (err: unknown, client?: PGliteClient, release?: () => void) => void): void {
      void (async () => {
        const unlock = await mutex.lock();
        try {
          const db = await openDatabase(dataDir);
          let released = false;
          const release = () => {
            if (released) return;
            released = true;
            unlock();
          };
          cb(null, new PGliteClient(db), release);
        } catch (err) {
          unlock();
          cb(err);
        }
      })();
    }

    /** One-off queries outside a query runner also wait for the session. */
    async query(sql: string, params?: unknown[]) {
      const unlock = await mutex.lock();
      try {
        return await new PGliteClient(await openDatabase(dataDir)).query(sql, params);
      } finally {
        unlock();
      }
    }

    end(cb?: (err: unknown) => void): void {
      const current = shared;
      shared = undefined;
      void (async () => {
        try {
          if (current) await (await current.db).close();
          cb?.(null);
        } catch (err) {
          cb?.(err);
        }
      })();
    }
  };
}
