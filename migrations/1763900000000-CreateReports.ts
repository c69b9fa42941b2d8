import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scheduled reports (ADR 0007): schedules, runs (which are also the work queue), webhook deliveries
 * and every delivery attempt. tenant_id comes first in every primary and unique key.
 *   uq_report_runs_due (tenant_id, schedule_id, scheduled_for) makes "one run per due time" a database
 *   guarantee across instances (manual runs have no due time: NULLs never conflict).
 *   uq_report_deliveries_run (tenant_id, run_id) makes "one delivery per run" one too.
 * Workers claim rows with FOR UPDATE SKIP LOCKED and hold them by a lease (lease_token,
 * lease_expires_at); an expired lease is reclaimed by any instance.
 */
export class CreateReports1763900000000 implements MigrationInterface {
  name = 'CreateReports1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE report_schedules (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        type text NOT NULL,
        cron text NOT NULL,
        timezone text NOT NULL,
        format text NOT NULL,
        language text NOT NULL,
        filters jsonb NOT NULL DEFAULT '{}'::jsonb,
        webhook_url text,
        webhook_secret text,
        status text NOT NULL DEFAULT 'active',
        next_run_at timestamptz,
        last_scheduled_for timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_report_schedules PRIMARY KEY (tenant_id, id),
        CONSTRAINT fk_report_schedules_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_report_schedules_type CHECK (type IN ('churn-risk', 'receivables-aging', 'restock')),
        CONSTRAINT ck_report_schedules_format CHECK (format IN ('json', 'csv', 'html')),
        CONSTRAINT ck_report_schedules_language CHECK (language IN ('en', 'ar')),
        CONSTRAINT ck_report_schedules_status CHECK (status IN ('active', 'paused')),
        CONSTRAINT ck_report_schedules_webhook CHECK (webhook_url IS NULL OR webhook_secret IS NOT NULL),
        CONSTRAINT ck_report_schedules_next_run CHECK (status = 'paused' OR next_run_at IS NOT NULL)
      )`);
    await q.query(
      `CREATE INDEX ix_report_schedules_due ON report_schedules (next_run_at) WHERE status = 'active'`,
    );
    await q.query(`CREATE INDEX ix_report_schedules_created ON report_schedules (tenant_id, created_at, id)`);

    await q.query(`
      CREATE TABLE report_runs (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        schedule_id uuid NOT NULL,
        trigger text NOT NULL,
        scheduled_for timestamptz,
        as_of date NOT NULL,
        type text NOT NULL,
        format text NOT NULL,
        language text NOT NULL,
        filters jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'queued',
        attempts integer NOT NULL DEFAULT 0,
        available_at timestamptz NOT NULL,
        lease_token uuid,
        lease_owner text,
        lease_expires_at timestamptz,
        queued_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        duration_ms integer,
        row_count integer,
        summary jsonb,
        data jsonb,
        body text,
        content_type text,
        error text,
        CONSTRAINT pk_report_runs PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_report_runs_due UNIQUE (tenant_id, schedule_id, scheduled_for),
        CONSTRAINT fk_report_runs_schedule FOREIGN KEY (tenant_id, schedule_id)
          REFERENCES report_schedules (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_report_runs_trigger CHECK (trigger IN ('schedule', 'manual')),
        CONSTRAINT ck_report_runs_due CHECK (trigger = 'manual' OR scheduled_for IS NOT NULL),
        CONSTRAINT ck_report_runs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        CONSTRAINT ck_report_runs_format CHECK (format IN ('json', 'csv', 'html')),
        CONSTRAINT ck_report_runs_language CHECK (language IN ('en', 'ar'))
      )`);
    await q.query(
      `CREATE INDEX ix_report_runs_pending ON report_runs (available_at) WHERE status IN ('queued', 'running')`,
    );
    await q.query(
      `CREATE INDEX ix_report_runs_schedule ON report_runs (tenant_id, schedule_id, queued_at DESC, id)`,
    );
    await q.query(`CREATE INDEX ix_report_runs_queued ON report_runs (tenant_id, queued_at DESC, id)`);
    await q.query(
      `CREATE INDEX ix_report_runs_finished ON report_runs (finished_at) WHERE finished_at IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE report_deliveries (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        run_id uuid NOT NULL,
        schedule_id uuid NOT NULL,
        target_url text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        lease_token uuid,
        lease_owner text,
        lease_expires_at timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        CONSTRAINT pk_report_deliveries PRIMARY KEY (tenant_id, id),
        CONSTRAINT uq_report_deliveries_run UNIQUE (tenant_id, run_id),
        CONSTRAINT fk_report_deliveries_run FOREIGN KEY (tenant_id, run_id)
          REFERENCES report_runs (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_report_deliveries_status CHECK (status IN ('pending', 'delivering', 'delivered', 'failed')),
        CONSTRAINT ck_report_deliveries_max_attempts CHECK (max_attempts >= 1)
      )`);
    await q.query(
      `CREATE INDEX ix_report_deliveries_pending ON report_deliveries (next_attempt_at)
        WHERE status IN ('pending', 'delivering')`,
    );

    await q.query(`
      CREATE TABLE report_delivery_attempts (
        tenant_id uuid NOT NULL,
        delivery_id uuid NOT NULL,
        attempt_no integer NOT NULL,
        outcome text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        error text,
        worker text,
        CONSTRAINT pk_report_delivery_attempts PRIMARY KEY (tenant_id, delivery_id, attempt_no),
        CONSTRAINT fk_report_delivery_attempts_delivery FOREIGN KEY (tenant_id, delivery_id)
          REFERENCES report_deliveries (tenant_id, id) ON DELETE CASCADE,
        CONSTRAINT ck_report_delivery_attempts_outcome CHECK (outcome IN ('succeeded', 'failed', 'abandoned'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'report_delivery_attempts',
      'report_deliveries',
      'report_runs',
      'report_schedules',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
