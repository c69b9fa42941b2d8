/**
 * The SQL of connectors and their syncs (ADR 0018). Tenant routes filter by tenant_id; the worker's
 * claims work across tenants (system work), then address every row by (tenant_id, id).
 */
export const CONNECTOR_COLUMNS = `c.id, c.kind, c.name, c.credentials_public, c.schedule_every_minutes, c.paused,
  c.next_run_at, c.last_error, c.created_at, c.updated_at`;

export const Q = {
  insertConnector: `
    INSERT INTO connectors (tenant_id, id, kind, name, credentials_encrypted, credentials_public,
                            schedule_every_minutes, next_run_at, next_full_at)
    VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, now(), $8)`,

  /** connectors of a tenant with their latest sync and record counts */
  listConnectors: `
    SELECT ${CONNECTOR_COLUMNS},
           s.id AS sync_id, s.status AS sync_status, s.mode AS sync_mode, s.started_at AS sync_started_at,
           s.finished_at AS sync_finished_at, s.queued_at AS sync_queued_at,
           (SELECT jsonb_object_agg(stream, n) FROM (
              SELECT stream, count(*) AS n FROM connector_records r
               WHERE r.tenant_id = c.tenant_id AND r.connector_id = c.id AND r.deleted_at IS NULL
               GROUP BY stream) x) AS counts
      FROM connectors c
      LEFT JOIN LATERAL (
        SELECT id, status, mode, started_at, finished_at, queued_at FROM connector_syncs s
         WHERE s.tenant_id = c.tenant_id AND s.connector_id = c.id
         ORDER BY s.queued_at DESC, s.id DESC LIMIT 1) s ON true
     WHERE c.tenant_id = $1 AND c.deleted_at IS NULL AND ($2::uuid IS NULL OR c.id = $2)
     ORDER BY c.created_at, c.id`,

  secretOf: `SELECT kind, credentials_encrypted FROM connectors WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,

  deleteConnector: `DELETE FROM connectors WHERE tenant_id = $1 AND id = $2 RETURNING id`,

  /** a manual sync; nothing when one is queued or running ($4 mode) */
  queueSync: `
    INSERT INTO connector_syncs (tenant_id, id, connector_id, mode, trigger, status)
    VALUES ($1, $2, $3, $4, $5, 'queued')
    ON CONFLICT (tenant_id, connector_id) WHERE status IN ('queued', 'running') DO NOTHING
    RETURNING id, status`,

  activeSync: `
    SELECT id, status FROM connector_syncs
     WHERE tenant_id = $1 AND connector_id = $2 AND status IN ('queued', 'running')`,

  listSyncs: `
    SELECT id, mode, trigger, status, queued_at, started_at, finished_at, progress, counts, errors, error_count, error
      FROM connector_syncs
     WHERE tenant_id = $1 AND connector_id = $2
       AND ($3::timestamptz IS NULL OR (queued_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY queued_at DESC, id DESC
     LIMIT $5`,

  getSync: `
    SELECT id, mode, trigger, status, queued_at, started_at, finished_at, progress, counts, errors, error_count, error
      FROM connector_syncs WHERE tenant_id = $1 AND connector_id = $2 AND id = $3`,

  /** connectors whose schedule is due (system work; $1 limit, $2 only this tenant: tests) */
  dueConnectors: `
    SELECT c.tenant_id, c.id, c.schedule_every_minutes, c.next_run_at <= now() AS run_due,
           c.next_full_at <= now() AS full_due, t.timezone
      FROM connectors c JOIN tenants t ON t.id = c.tenant_id
     WHERE c.deleted_at IS NULL AND NOT c.paused AND c.schedule_every_minutes IS NOT NULL
       AND t.suspended_at IS NULL
       AND (c.next_run_at <= now() OR c.next_full_at <= now())
       AND ($2::uuid IS NULL OR c.tenant_id = $2)
     ORDER BY c.next_run_at
     LIMIT $1
       FOR UPDATE OF c SKIP LOCKED`,

  advanceRun: `
    UPDATE connectors SET next_run_at = now() + $3::int * interval '1 minute'
     WHERE tenant_id = $1 AND id = $2`,

  advanceFull: `UPDATE connectors SET next_full_at = $3 WHERE tenant_id = $1 AND id = $2`,

  /** claims one queued sync, or a running one whose lease lapsed ($1 owner, $2 lease ms, $3 only this tenant: tests) */
  claimSync: `
    WITH c AS (
      SELECT s.tenant_id, s.id FROM connector_syncs s
       WHERE (s.status = 'queued' OR (s.status = 'running' AND s.lease_expires_at <= now()))
         AND ($3::uuid IS NULL OR s.tenant_id = $3)
       ORDER BY s.queued_at, s.id
       LIMIT 1
       FOR UPDATE OF s SKIP LOCKED
    )
    UPDATE connector_syncs s
       SET status = 'running', owner = $1, attempts = s.attempts + 1,
           lease_expires_at = now() + $2::int * interval '1 millisecond',
           started_at = COALESCE(s.started_at, now())
      FROM c
     WHERE s.tenant_id = c.tenant_id AND s.id = c.id
    RETURNING s.tenant_id, s.id, s.connector_id, s.mode, s.started_at, s.progress, s.counts, s.errors,
              s.error_count, s.attempts`,

  heartbeat: `
    UPDATE connector_syncs SET lease_expires_at = now() + $4::int * interval '1 millisecond'
     WHERE tenant_id = $1 AND id = $2 AND owner = $3 AND status = 'running'
    RETURNING id`,

  /** a batch's bookkeeping, only while this worker holds the sync */
  saveProgress: `
    UPDATE connector_syncs SET progress = $4::jsonb, counts = $5::jsonb, errors = $6::jsonb, error_count = $7
     WHERE tenant_id = $1 AND id = $2 AND owner = $3 AND status = 'running'
    RETURNING id`,

  finishSync: `
    UPDATE connector_syncs
       SET status = $4, finished_at = now(), owner = NULL, lease_expires_at = NULL,
           progress = $5::jsonb, counts = $6::jsonb, errors = $7::jsonb, error_count = $8, error = $9
     WHERE tenant_id = $1 AND id = $2 AND owner = $3 AND status = 'running'
    RETURNING id`,

  connectorForSync: `
    SELECT c.kind, c.credentials_encrypted, c.cursors, t.currency, t.timezone
      FROM connectors c JOIN tenants t ON t.id = c.tenant_id
     WHERE c.tenant_id = $1 AND c.id = $2 AND c.deleted_at IS NULL`,

  saveCursor: `
    UPDATE connectors SET cursors = jsonb_set(cursors, ARRAY[$3::text], to_jsonb($4::text))
     WHERE tenant_id = $1 AND id = $2`,

  setLastError: `UPDATE connectors SET last_error = $3 WHERE tenant_id = $1 AND id = $2`,

  knownRecords: `
    SELECT source_id, content_hash, deleted_at IS NOT NULL AS deleted FROM connector_records
     WHERE tenant_id = $1 AND connector_id = $2 AND stream = $3 AND source_id = ANY($4::text[])`,

  /** records seen by this sync ($4..$8 arrays: source ids, resources, external ids, hashes, mapped json) */
  upsertRecords: `
    INSERT INTO connector_records (tenant_id, connector_id, stream, source_id, resource, external_id,
                                   content_hash, mapped, last_seen_sync)
    SELECT $1, $2, $3, u.sid, u.res, u.ext, u.hash, u.mapped::jsonb, $9
      FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(sid, res, ext, hash, mapped)
    ON CONFLICT (tenant_id, connector_id, stream, source_id) DO UPDATE SET
      resource = EXCLUDED.resource, external_id = EXCLUDED.external_id, content_hash = EXCLUDED.content_hash,
      mapped = EXCLUDED.mapped, last_seen_sync = EXCLUDED.last_seen_sync, deleted_at = NULL, updated_at = now()`,

  /** listed again unchanged (or refused this time): seen, nothing else */
  markSeen: `
    UPDATE connector_records SET last_seen_sync = $4
     WHERE tenant_id = $1 AND connector_id = $2 AND stream = $3 AND source_id = ANY($5::text[])`,

  /** records of a stream a full listing no longer shows ($4 this sync) */
  unseen: `
    SELECT source_id, resource, external_id, mapped FROM connector_records
     WHERE tenant_id = $1 AND connector_id = $2 AND stream = $3 AND last_seen_sync <> $4 AND deleted_at IS NULL
     ORDER BY source_id`,

  markDeleted: `
    UPDATE connector_records SET deleted_at = now(), updated_at = now()
     WHERE tenant_id = $1 AND connector_id = $2 AND stream = $3 AND source_id = ANY($4::text[])`,
};
