/**
 * The SQL of the scheduler and the workers (ADR 0007). These statements work across tenants (the
 * queue is global); every row they touch is then addressed by (tenant_id, id). `$now` is always the
 * reports clock (Clock), passed in, never the database's now(), so tests can drive time.
 */
export const WORK = {
  /** schedules whose next due time has come ($1 now, $2 limit), read without locks */
  dueSchedules: `
    SELECT tenant_id, id, cron, timezone, next_run_at FROM report_schedules
     WHERE status = 'active' AND next_run_at <= $1
       AND NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = report_schedules.tenant_id AND t.suspended_at IS NOT NULL)
     ORDER BY next_run_at
     LIMIT $2`,

  /** takes the schedule row if nobody else holds it and it is still as read (same next run, cron, zone) */
  lockSchedule: `
    SELECT id FROM report_schedules
     WHERE tenant_id = $1 AND id = $2 AND status = 'active' AND date_trunc('milliseconds', next_run_at) = $3
       AND cron = $4 AND timezone = $5
       FOR UPDATE SKIP LOCKED`,

  /** one queued run per due time ($3 array); the unique key drops any that already exist */
  insertDueRuns: `
    INSERT INTO report_runs (tenant_id, id, schedule_id, trigger, scheduled_for, as_of, type, format, language,
                             filters, status, available_at, queued_at)
    SELECT s.tenant_id, gen_random_uuid(), s.id, 'schedule', t.due, (t.due AT TIME ZONE s.timezone)::date,
           s.type, s.format, s.language, s.filters, 'queued', $4, $4
      FROM report_schedules s CROSS JOIN unnest($3::timestamptz[]) AS t(due)
     WHERE s.tenant_id = $1 AND s.id = $2
    ON CONFLICT ON CONSTRAINT uq_report_runs_due DO NOTHING
    RETURNING id`,

  advanceSchedule: `
    UPDATE report_schedules SET next_run_at = $3, last_scheduled_for = COALESCE($4, last_scheduled_for)
     WHERE tenant_id = $1 AND id = $2`,

  /** runs whose worker vanished too often: failed for good ($1 now, $2 max attempts) */
  giveUpRuns: `
    UPDATE report_runs
       SET status = 'failed', finished_at = $1, lease_token = NULL, lease_expires_at = NULL,
           duration_ms = (extract(epoch FROM ($1::timestamptz - started_at)) * 1000)::int,
           error = 'the instance running it stopped ' || attempts || ' times; given up'
     WHERE status = 'running' AND lease_expires_at <= $1 AND attempts >= $2`,

  /** claims one queued run, or one whose lease expired ($1 now, $2 token, $3 owner, $4 lease ms, $5 max attempts) */
  claimRun: `
    WITH c AS (
      SELECT tenant_id, id FROM report_runs
       WHERE (status = 'queued' AND available_at <= $1)
          OR (status = 'running' AND lease_expires_at <= $1 AND attempts < $5)
       ORDER BY available_at, COALESCE(scheduled_for, queued_at), id
       LIMIT 1
       FOR UPDATE SKIP LOCKED
    )
    UPDATE report_runs r
       SET status = 'running', attempts = r.attempts + 1, lease_token = $2, lease_owner = $3,
           lease_expires_at = $1::timestamptz + $4::int * interval '1 millisecond',
           started_at = COALESCE(r.started_at, $1)
      FROM c
     WHERE r.tenant_id = c.tenant_id AND r.id = c.id
    RETURNING r.tenant_id, r.id, r.schedule_id, r.trigger, r.scheduled_for, r.queued_at, r.as_of, r.type, r.format,
              r.language, r.filters, r.attempts`,

  /** extends a held lease; no row back = the lease was lost */
  heartbeatRun: `
    UPDATE report_runs SET lease_expires_at = $4::timestamptz + $5::int * interval '1 millisecond'
     WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND status = 'running'
    RETURNING id`,

  tenantOf: `SELECT currency, timezone FROM tenants WHERE id = $1`,

  /** the schedule's latest succeeded run due before this one ($3 this run's id, $4 its due or queue time) */
  previousRun: `
    SELECT id, as_of, data FROM report_runs
     WHERE tenant_id = $1 AND schedule_id = $2 AND status = 'succeeded' AND id <> $3
       AND COALESCE(scheduled_for, queued_at) < $4
     ORDER BY COALESCE(scheduled_for, queued_at) DESC, id DESC
     LIMIT 1`,

  completeRun: `
    UPDATE report_runs
       SET status = 'succeeded', finished_at = $4, lease_token = NULL, lease_expires_at = NULL, error = NULL,
           duration_ms = (extract(epoch FROM ($4::timestamptz - started_at)) * 1000)::int,
           row_count = $5, summary = $6::jsonb, data = $7::jsonb, body = $8, content_type = $9
     WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND status = 'running'
    RETURNING schedule_id`,

  /** the run's one delivery, if its schedule has a webhook ($4 max attempts, $5 now) */
  createDelivery: `
    INSERT INTO report_deliveries (tenant_id, id, run_id, schedule_id, target_url, status, attempts, max_attempts,
                                   next_attempt_at, created_at)
    SELECT s.tenant_id, gen_random_uuid(), $2, s.id, s.webhook_url, 'pending', 0, $4, $5, $5
      FROM report_schedules s
     WHERE s.tenant_id = $1 AND s.id = $3 AND s.webhook_url IS NOT NULL
    ON CONFLICT ON CONSTRAINT uq_report_deliveries_run DO NOTHING
    RETURNING id`,

  /** after an error: queued again after $5 ms, or failed for good when attempts reach $6 */
  retryOrFailRun: `
    UPDATE report_runs
       SET status = CASE WHEN attempts >= $6 THEN 'failed' ELSE 'queued' END,
           available_at = $4::timestamptz + $5::int * interval '1 millisecond',
           finished_at = CASE WHEN attempts >= $6 THEN $4::timestamptz END,
           duration_ms = CASE WHEN attempts >= $6
                              THEN (extract(epoch FROM ($4::timestamptz - started_at)) * 1000)::int END,
           lease_token = NULL, lease_expires_at = NULL, error = $7
     WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND status = 'running'
    RETURNING status`,

  /** finished runs past retention ($1 cut-off) with no delivery still in flight, 500 at a time */
  purgeRuns: `
    DELETE FROM report_runs r
     WHERE (r.tenant_id, r.id) IN (
       SELECT x.tenant_id, x.id FROM report_runs x
        WHERE x.status IN ('succeeded', 'failed') AND x.finished_at < $1
          AND NOT EXISTS (SELECT 1 FROM report_deliveries d
                           WHERE d.tenant_id = x.tenant_id AND d.run_id = x.id
                             AND d.status IN ('pending', 'delivering'))
        LIMIT 500)`,
};

export const DELIVERY = {
  /** deliveries whose worker vanished on the last allowed attempt: failed, the lost attempt recorded */
  giveUp: `
    WITH g AS (
      UPDATE report_deliveries
         SET status = 'failed', lease_token = NULL, lease_expires_at = NULL,
             last_error = 'the instance sending it stopped during the last attempt'
       WHERE status = 'delivering' AND lease_expires_at <= $1 AND attempts >= max_attempts
      RETURNING tenant_id, id, attempts, lease_owner
    )
    INSERT INTO report_delivery_attempts (tenant_id, delivery_id, attempt_no, outcome, started_at, finished_at,
                                          duration_ms, error, worker)
    SELECT tenant_id, id, attempts, 'abandoned', $1, $1, 0, 'the instance stopped before the attempt finished', lease_owner
      FROM g
    ON CONFLICT ON CONSTRAINT pk_report_delivery_attempts DO NOTHING`,

  /**
   * claims one due delivery, or one whose lease expired (its lost attempt is recorded as abandoned)
   * ($1 now, $2 token, $3 owner, $4 lease ms)
   */
  claim: `
    WITH c AS (
      SELECT tenant_id, id, status AS prev_status, attempts AS prev_attempts, lease_owner AS prev_owner
        FROM report_deliveries
       WHERE (status = 'pending' AND next_attempt_at <= $1)
          OR (status = 'delivering' AND lease_expires_at <= $1 AND attempts < max_attempts)
       ORDER BY next_attempt_at, id
       LIMIT 1
       FOR UPDATE SKIP LOCKED
    ), u AS (
      UPDATE report_deliveries d
         SET status = 'delivering', attempts = d.attempts + 1, lease_token = $2, lease_owner = $3,
             lease_expires_at = $1::timestamptz + $4::int * interval '1 millisecond'
        FROM c
       WHERE d.tenant_id = c.tenant_id AND d.id = c.id
      RETURNING d.tenant_id, d.id, d.run_id, d.schedule_id, d.target_url, d.attempts, d.max_attempts,
                c.prev_status, c.prev_attempts, c.prev_owner
    ), lost AS (
      INSERT INTO report_delivery_attempts (tenant_id, delivery_id, attempt_no, outcome, started_at, finished_at,
                                            duration_ms, error, worker)
      SELECT tenant_id, id, prev_attempts, 'abandoned', $1, $1, 0, 'the instance stopped before the attempt finished',
             prev_owner
        FROM u WHERE prev_status = 'delivering'
      ON CONFLICT ON CONSTRAINT pk_report_delivery_attempts DO NOTHING
    )
    SELECT * FROM u`,

  payload: `
    SELECT r.body, r.content_type, s.webhook_secret
      FROM report_runs r
      JOIN report_schedules s ON s.tenant_id = r.tenant_id AND s.id = r.schedule_id
     WHERE r.tenant_id = $1 AND r.id = $2`,

  recordAttempt: `
    INSERT INTO report_delivery_attempts (tenant_id, delivery_id, attempt_no, outcome, started_at, finished_at,
                                          duration_ms, status_code, error, worker)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT ON CONSTRAINT pk_report_delivery_attempts DO NOTHING`,

  /** $4 status, $5 next attempt, $6 status code, $7 error, $8 delivered at */
  settle: `
    UPDATE report_deliveries
       SET status = $4, next_attempt_at = COALESCE($5, next_attempt_at), last_status_code = $6, last_error = $7,
           delivered_at = $8, lease_token = NULL, lease_expires_at = NULL
     WHERE tenant_id = $1 AND id = $2 AND lease_token = $3 AND status = 'delivering'
    RETURNING id`,
};
