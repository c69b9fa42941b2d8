import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshot customer rows carry the days-to-pay facts of the "paying slower" flag (mean days to pay of
 * the last 3 settled invoices and over the lifetime, null below 4 settled invoices); a snapshot records
 * how long each step of its recompute took (ADR 0010).
 */
export class AddSnapshotPayDaysAndSteps1764205000000 implements MigrationInterface {
  name = 'AddSnapshotPayDaysAndSteps1764205000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE snapshot_customers
        ADD COLUMN pay_days_recent numeric,
        ADD COLUMN pay_days_lifetime numeric`);
    await q.query(`ALTER TABLE analytics_snapshots ADD COLUMN step_ms jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics_snapshots DROP COLUMN step_ms`);
    await q.query(
      `ALTER TABLE snapshot_customers DROP COLUMN pay_days_recent, DROP COLUMN pay_days_lifetime`,
    );
  }
}
