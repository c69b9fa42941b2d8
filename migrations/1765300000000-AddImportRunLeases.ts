import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Import runs hold a lease while they run (ADR 0016): the instance that runs one renews
 * lease_expires_at; a run whose lease has lapsed belonged to a process that died and is marked
 * failed ("interrupted"), which also frees its Idempotency-Key (moved to released_key) so the
 * client's retry runs again.
 */
export class AddImportRunLeases1765300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE import_runs DROP CONSTRAINT ck_import_runs_status`);
    await q.query(`
      ALTER TABLE import_runs
        ADD COLUMN owner text,
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN error text,
        ADD COLUMN released_key text,
        ADD CONSTRAINT ck_import_runs_status CHECK (status IN ('running', 'succeeded', 'rejected', 'failed'))`);
    // runs left running by a version without leases: their process is gone (this runs at start-up)
    await q.query(`
      UPDATE import_runs
         SET status = 'failed', error = 'interrupted', released_key = idempotency_key, idempotency_key = NULL,
             finished_at = now()
       WHERE status = 'running'`);
    await q.query(
      `CREATE INDEX ix_import_runs_running ON import_runs (lease_expires_at) WHERE status = 'running'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_import_runs_running`);
    await q.query(
      `UPDATE import_runs SET idempotency_key = released_key WHERE status = 'failed' AND idempotency_key IS NULL`,
    );
    await q.query(`DELETE FROM import_runs WHERE status = 'failed'`);
    await q.query(`ALTER TABLE import_runs DROP CONSTRAINT ck_import_runs_status`);
    await q.query(`
      ALTER TABLE import_runs
        DROP COLUMN owner, DROP COLUMN lease_expires_at, DROP COLUMN error, DROP COLUMN released_key,
        ADD CONSTRAINT ck_import_runs_status CHECK (status IN ('running', 'succeeded', 'rejected'))`);
  }
}
