import { DataSource } from 'typeorm';

/** Arbitrary constant: the advisory lock that serialises migration runs across instances. */
const MIGRATION_LOCK = 727_001;

/**
 * Runs pending migrations under a session-level advisory lock, so several instances (or several
 * test workers) starting together apply each migration exactly once.
 */
export async function runMigrations(ds: DataSource): Promise<string[]> {
  const embedded = !('url' in ds.options && ds.options.url);
  // The embedded database has one session and one process: nothing to coordinate, and holding
  // its only connection for the lock would block the migrations themselves.
  if (embedded) return (await ds.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      const done = await ds.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    await runner.release();
  }
}
