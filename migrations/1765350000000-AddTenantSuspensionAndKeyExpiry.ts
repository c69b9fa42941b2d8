import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A suspended tenant keeps its data but its keys and sessions are refused and its schedules do not
 * run; an API key replaced by rotation keeps working until expires_at (the overlap), then stops.
 */
export class AddTenantSuspensionAndKeyExpiry1765350000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN suspended_at timestamptz`);
    await q.query(`ALTER TABLE api_keys ADD COLUMN expires_at timestamptz, ADD COLUMN replaced_by uuid`);
    await q.query(`CREATE INDEX ix_tenants_created ON tenants (created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_tenants_created`);
    await q.query(`ALTER TABLE api_keys DROP COLUMN expires_at, DROP COLUMN replaced_by`);
    await q.query(`ALTER TABLE tenants DROP COLUMN suspended_at`);
  }
}
