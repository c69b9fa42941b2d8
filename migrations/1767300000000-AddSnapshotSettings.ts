import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A snapshot records the settings it was computed with (issue 13): after a settings change the
 * analytics keep serving the published state with those settings until the refresh with the new ones
 * is published. Snapshots made before this migration have none (their settings are then unknown,
 * and reads use the tenant's current settings, as before).
 */
export class AddSnapshotSettings1767300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics_snapshots ADD COLUMN settings jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics_snapshots DROP COLUMN settings`);
  }
}
