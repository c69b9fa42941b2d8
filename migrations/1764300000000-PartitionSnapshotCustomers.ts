import { MigrationInterface, QueryRunner } from 'typeorm';

/** The keys and sort indexes of snapshot_customers (as in recompute's SNAPSHOT_CUSTOMER_INDEXES). */
const KEYS = `
  CONSTRAINT pk_snapshot_customers PRIMARY KEY (tenant_id, snapshot_id, customer_id),
  CONSTRAINT uq_snapshot_customers_external_id UNIQUE (tenant_id, snapshot_id, external_id),
  CONSTRAINT fk_snapshot_customers_snapshot FOREIGN KEY (tenant_id, snapshot_id)
    REFERENCES analytics_snapshots (tenant_id, id) ON DELETE CASCADE`;
const SORT_INDEXES: Record<string, string> = {
  revenue: `(tenant_id, snapshot_id, (COALESCE(net_revenue, '-Infinity'::numeric)) DESC, external_id DESC)`,
  balance: `(tenant_id, snapshot_id, (COALESCE(balance, '-Infinity'::numeric)) DESC, external_id DESC)`,
  frequency: `(tenant_id, snapshot_id, (COALESCE(frequency::numeric, '-Infinity'::numeric)) DESC, external_id DESC)`,
  recency: `(tenant_id, snapshot_id, (COALESCE(recency_days::numeric, 'Infinity'::numeric)), external_id)`,
  gross_profit: `(tenant_id, snapshot_id, (COALESCE(gross_profit, '-Infinity'::numeric)) DESC, external_id DESC)`,
};

/**
 * snapshot_customers becomes a table partitioned by snapshot (ADR 0011): a recompute loads its rows
 * into a table of their own with no index to maintain, builds the indexes once over the loaded rows
 * and attaches the table as the snapshot's partition; an old snapshot's rows go with DROP TABLE
 * instead of a delete of every row. Existing snapshots keep their rows, one partition each.
 */
export class PartitionSnapshotCustomers1764300000000 implements MigrationInterface {
  name = 'PartitionSnapshotCustomers1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await this.rebuild(q, true);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.rebuild(q, false);
  }

  /** Moves the rows into a new snapshot_customers, partitioned by snapshot or plain. */
  private async rebuild(q: QueryRunner, partitioned: boolean): Promise<void> {
    await q.query(`ALTER TABLE snapshot_customers RENAME TO snapshot_customers_old`);
    await q.query(`ALTER TABLE snapshot_customers_old DROP CONSTRAINT pk_snapshot_customers,
      DROP CONSTRAINT uq_snapshot_customers_external_id, DROP CONSTRAINT fk_snapshot_customers_snapshot`);
    for (const k of Object.keys(SORT_INDEXES)) await q.query(`DROP INDEX ix_snapshot_customers_sort_${k}`);
    await q.query(`
      CREATE TABLE snapshot_customers (LIKE snapshot_customers_old INCLUDING DEFAULTS, ${KEYS})
      ${partitioned ? 'PARTITION BY LIST (snapshot_id)' : ''}`);
    for (const [k, cols] of Object.entries(SORT_INDEXES)) {
      await q.query(`CREATE INDEX ix_snapshot_customers_sort_${k} ON snapshot_customers ${cols}`);
    }
    if (partitioned) {
      await q.query(`
        DO $$
        DECLARE s uuid;
        BEGIN
          FOR s IN SELECT DISTINCT snapshot_id FROM snapshot_customers_old LOOP
            EXECUTE format('CREATE TABLE %I PARTITION OF snapshot_customers FOR VALUES IN (%L)',
                           'snapshot_customers_' || replace(s::text, '-', ''), s);
          END LOOP;
        END $$`);
    }
    await q.query(`INSERT INTO snapshot_customers SELECT * FROM snapshot_customers_old`);
    await q.query(`DROP TABLE snapshot_customers_old CASCADE`);
  }
}
