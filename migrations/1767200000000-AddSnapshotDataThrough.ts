import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Freshness of the published state (issue 13): a snapshot records the moment its data was read
 * (data_through: every import committed before it is in the snapshot), so that a read served from it
 * while a refresh is pending can say how far its data goes, and when it was published. A settings
 * change queues a refresh of its own (reason 'settings').
 */
export class AddSnapshotDataThrough1767200000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics_snapshots ADD COLUMN data_through timestamptz`);
    await q.query(`UPDATE analytics_snapshots SET data_through = created_at`);
    await q.query(`ALTER TABLE analytics_snapshots ALTER COLUMN data_through SET NOT NULL`);
    await q.query(`ALTER TABLE analytics_snapshots ALTER COLUMN data_through SET DEFAULT now()`);
    await q.query(`ALTER TABLE analytics_snapshots ADD COLUMN published_at timestamptz`);
    await q.query(`UPDATE analytics_snapshots s SET published_at = s.created_at`);
    await q.query(`ALTER TABLE analytics_jobs DROP CONSTRAINT ck_analytics_jobs_reason`);
    await q.query(
      `ALTER TABLE analytics_jobs ADD CONSTRAINT ck_analytics_jobs_reason
         CHECK (reason IN ('manual', 'import', 'nightly', 'settings'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM analytics_jobs WHERE reason = 'settings'`);
    await q.query(`ALTER TABLE analytics_jobs DROP CONSTRAINT ck_analytics_jobs_reason`);
    await q.query(
      `ALTER TABLE analytics_jobs ADD CONSTRAINT ck_analytics_jobs_reason CHECK (reason IN ('manual', 'import', 'nightly'))`,
    );
    await q.query(`ALTER TABLE analytics_snapshots DROP COLUMN published_at`);
    await q.query(`ALTER TABLE analytics_snapshots DROP COLUMN data_through`);
  }
}
