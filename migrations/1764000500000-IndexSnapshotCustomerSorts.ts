import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer list reads a snapshot's rows sorted by one of four keys (customerListSql): these
 * indexes hold exactly those sort expressions, so a page is an index range scan instead of a sort
 * of every customer of the tenant.
 */
export class IndexSnapshotCustomerSorts1764000500000 implements MigrationInterface {
  name = 'IndexSnapshotCustomerSorts1764000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_snapshot_customers_revenue`);
    await q.query(`CREATE INDEX ix_snapshot_customers_sort_revenue ON snapshot_customers
      (tenant_id, snapshot_id, (COALESCE(net_revenue, '-Infinity'::numeric)) DESC, external_id DESC)`);
    await q.query(`CREATE INDEX ix_snapshot_customers_sort_balance ON snapshot_customers
      (tenant_id, snapshot_id, (COALESCE(balance, '-Infinity'::numeric)) DESC, external_id DESC)`);
    await q.query(`CREATE INDEX ix_snapshot_customers_sort_frequency ON snapshot_customers
      (tenant_id, snapshot_id, (COALESCE(frequency, '-Infinity'::numeric)) DESC, external_id DESC)`);
    await q.query(`CREATE INDEX ix_snapshot_customers_sort_recency ON snapshot_customers
      (tenant_id, snapshot_id, (COALESCE(recency_days, 'Infinity'::numeric)), external_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const k of ['revenue', 'balance', 'frequency', 'recency']) {
      await q.query(`DROP INDEX IF EXISTS ix_snapshot_customers_sort_${k}`);
    }
    await q.query(
      `CREATE INDEX ix_snapshot_customers_revenue ON snapshot_customers (tenant_id, snapshot_id, net_revenue DESC, external_id DESC)`,
    );
  }
}
