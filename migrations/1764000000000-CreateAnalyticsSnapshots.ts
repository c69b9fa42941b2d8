import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analytics snapshots (ADR 0008): the results of a recompute for one (tenant, asOf), written whole
 * inside one transaction and published by flipping tenants.current_snapshot_id, so a reader sees the
 * previous snapshot or the new one, never half of one. tenants.data_version counts imports that
 * changed data: a snapshot is only served while its data_version is the tenant's.
 */
export class CreateAnalyticsSnapshots1764000000000 implements MigrationInterface {
  name = 'CreateAnalyticsSnapshots1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tenants ADD COLUMN data_version bigint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE tenants ADD COLUMN current_snapshot_id uuid`);
    await q.query(`
      CREATE TABLE analytics_snapshots (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        as_of date NOT NULL,
        data_version bigint NOT NULL,
        settings_hash text NOT NULL,
        customers integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        duration_ms integer NOT NULL,
        CONSTRAINT pk_analytics_snapshots PRIMARY KEY (tenant_id, id),
        CONSTRAINT fk_analytics_snapshots_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE snapshot_results (
        tenant_id uuid NOT NULL,
        snapshot_id uuid NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        CONSTRAINT pk_snapshot_results PRIMARY KEY (tenant_id, snapshot_id, kind),
        CONSTRAINT fk_snapshot_results_snapshot FOREIGN KEY (tenant_id, snapshot_id)
          REFERENCES analytics_snapshots (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE snapshot_customers (
        tenant_id uuid NOT NULL,
        snapshot_id uuid NOT NULL,
        customer_id bigint NOT NULL,
        external_id text NOT NULL,
        name text NOT NULL,
        name_ar text, email text, phone text, city text, country text,
        recency_days integer, frequency integer, monetary numeric,
        r_score integer, f_score integer, m_score integer, fm integer, segment text,
        stage text NOT NULL, stage_since date, first_date date, last_date date, purchase_days integer,
        median_gap numeric, lapse_days numeric, reactivated_on date, days_since_last integer,
        expected_gap numeric, overdue_basis text, next_expected_date date,
        flag_overdue boolean NOT NULL, flag_spend_decline boolean NOT NULL,
        flag_returns_rising boolean NOT NULL, flag_paying_slower boolean NOT NULL,
        spend_recent numeric, spend_prior numeric, returns_recent_share numeric, returns_lifetime_share numeric,
        max_days_overdue integer,
        net_revenue numeric NOT NULL, balance numeric NOT NULL,
        CONSTRAINT pk_snapshot_customers PRIMARY KEY (tenant_id, snapshot_id, customer_id),
        CONSTRAINT uq_snapshot_customers_external_id UNIQUE (tenant_id, snapshot_id, external_id),
        CONSTRAINT fk_snapshot_customers_snapshot FOREIGN KEY (tenant_id, snapshot_id)
          REFERENCES analytics_snapshots (tenant_id, id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE INDEX ix_snapshot_customers_revenue ON snapshot_customers (tenant_id, snapshot_id, net_revenue DESC, external_id DESC)`,
    );
    await q.query(`
      CREATE TABLE analytics_jobs (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        kind text NOT NULL DEFAULT 'recompute',
        reason text NOT NULL,
        as_of date,
        status text NOT NULL DEFAULT 'queued',
        not_before timestamptz NOT NULL DEFAULT now(),
        requested_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        lease_expires_at timestamptz,
        snapshot_id uuid,
        error text,
        CONSTRAINT pk_analytics_jobs PRIMARY KEY (tenant_id, id),
        CONSTRAINT fk_analytics_jobs_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_analytics_jobs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        CONSTRAINT ck_analytics_jobs_reason CHECK (reason IN ('manual', 'import', 'nightly'))
      )`);
    // one pending automatic recompute per tenant: imports push its start back (debounce)
    await q.query(
      `CREATE UNIQUE INDEX uq_analytics_jobs_pending ON analytics_jobs (tenant_id) WHERE status = 'queued' AND reason <> 'manual'`,
    );
    await q.query(
      `CREATE INDEX ix_analytics_jobs_due ON analytics_jobs (not_before) WHERE status IN ('queued', 'running')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS analytics_jobs`);
    await q.query(`DROP TABLE IF EXISTS snapshot_customers`);
    await q.query(`DROP TABLE IF EXISTS snapshot_results`);
    await q.query(`DROP TABLE IF EXISTS analytics_snapshots`);
    await q.query(`ALTER TABLE tenants DROP COLUMN IF EXISTS current_snapshot_id`);
    await q.query(`ALTER TABLE tenants DROP COLUMN IF EXISTS data_version`);
  }
}
