import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pull connectors (ADR 0018): a connector per tenant and source system with its encrypted
 * credentials and committed cursors; its syncs (a PostgreSQL queue with leases: at most one queued
 * or running sync per connector, by a partial unique index); and what each sync has seen of the
 * source (connector_records: a content hash to skip unchanged records, the last sync that listed a
 * record so a full sync can find deletions, and our record as last imported, to void it).
 */
export class CreateConnectors1767100000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connectors (
        tenant_id uuid NOT NULL REFERENCES tenants (id),
        id uuid NOT NULL,
        kind text NOT NULL,
        name text NOT NULL,
        credentials_encrypted jsonb NOT NULL,
        credentials_public jsonb NOT NULL DEFAULT '{}',
        schedule_every_minutes integer,
        paused boolean NOT NULL DEFAULT false,
        cursors jsonb NOT NULL DEFAULT '{}',
        next_run_at timestamptz,
        next_full_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CONSTRAINT pk_connectors PRIMARY KEY (tenant_id, id),
        CONSTRAINT ck_connectors_schedule CHECK (schedule_every_minutes IS NULL OR schedule_every_minutes > 0)
      )`);
    await q.query(
      `CREATE INDEX ix_connectors_due ON connectors (next_run_at) WHERE deleted_at IS NULL AND NOT paused`,
    );
    await q.query(`
      CREATE TABLE connector_syncs (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        connector_id uuid NOT NULL,
        mode text NOT NULL,
        trigger text NOT NULL,
        status text NOT NULL,
        owner text,
        lease_expires_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        queued_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        progress jsonb NOT NULL DEFAULT '{}',
        counts jsonb NOT NULL DEFAULT '{}',
        errors jsonb NOT NULL DEFAULT '[]',
        error_count integer NOT NULL DEFAULT 0,
        error text,
        CONSTRAINT pk_connector_syncs PRIMARY KEY (tenant_id, id),
        CONSTRAINT fk_connector_syncs_connector FOREIGN KEY (tenant_id, connector_id)
          REFERENCES connectors (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_connector_syncs_mode CHECK (mode IN ('incremental', 'full')),
        CONSTRAINT ck_connector_syncs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed'))
      )`);
    await q.query(`
      CREATE UNIQUE INDEX uq_connector_syncs_active ON connector_syncs (tenant_id, connector_id)
       WHERE status IN ('queued', 'running')`);
    await q.query(
      `CREATE INDEX ix_connector_syncs_list ON connector_syncs (tenant_id, connector_id, queued_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_connector_syncs_work ON connector_syncs (queued_at) WHERE status IN ('queued', 'running')`,
    );
    await q.query(`
      CREATE TABLE connector_records (
        tenant_id uuid NOT NULL,
        connector_id uuid NOT NULL,
        stream text NOT NULL,
        source_id text NOT NULL,
        resource text,
        external_id text,
        content_hash text NOT NULL,
        mapped jsonb NOT NULL DEFAULT '[]',
        last_seen_sync uuid NOT NULL,
        deleted_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_connector_records PRIMARY KEY (tenant_id, connector_id, stream, source_id),
        CONSTRAINT fk_connector_records_connector FOREIGN KEY (tenant_id, connector_id)
          REFERENCES connectors (tenant_id, id) ON DELETE CASCADE
      )`);
    for (const table of ['connectors', 'connector_syncs', 'connector_records']) {
      await q.query(`SELECT harakah_enable_rls($1::regclass)`, [table]);
    }
    // the app role's grants on tables made after ENABLE_RLS come from its default privileges;
    // grant explicitly as well where those were not set (a non-owner deployment, docs/deployment.md)
    await q.query(`
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'harakah_app') THEN
          GRANT SELECT, INSERT, UPDATE, DELETE ON connectors, connector_syncs, connector_records TO harakah_app;
        END IF;
      EXCEPTION WHEN insufficient_privilege THEN NULL;
      END
      $do$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_records`);
    await q.query(`DROP TABLE connector_syncs`);
    await q.query(`DROP TABLE connectors`);
  }
}
