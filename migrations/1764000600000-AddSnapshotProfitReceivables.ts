import { MigrationInterface, QueryRunner } from 'typeorm';

/** Snapshot customer rows carry profitability and receivables too (and can be sorted by gross profit). */
export class AddSnapshotProfitReceivables1764000600000 implements MigrationInterface {
  name = 'AddSnapshotProfitReceivables1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE snapshot_customers
        ADD COLUMN gross_profit numeric NOT NULL DEFAULT 0,
        ADD COLUMN cogs numeric NOT NULL DEFAULT 0,
        ADD COLUMN covered_revenue numeric NOT NULL DEFAULT 0,
        ADD COLUMN cost_of_credit numeric NOT NULL DEFAULT 0,
        ADD COLUMN contribution numeric NOT NULL DEFAULT 0,
        ADD COLUMN total_open numeric NOT NULL DEFAULT 0,
        ADD COLUMN overdue numeric NOT NULL DEFAULT 0,
        ADD COLUMN mean_days_to_pay numeric`);
    await q.query(`CREATE INDEX ix_snapshot_customers_sort_gross_profit ON snapshot_customers
      (tenant_id, snapshot_id, (COALESCE(gross_profit, '-Infinity'::numeric)) DESC, external_id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_snapshot_customers_sort_gross_profit`);
    await q.query(`
      ALTER TABLE snapshot_customers
        DROP COLUMN gross_profit, DROP COLUMN cogs, DROP COLUMN covered_revenue, DROP COLUMN cost_of_credit,
        DROP COLUMN contribution, DROP COLUMN total_open, DROP COLUMN overdue, DROP COLUMN mean_days_to_pay`);
  }
}
