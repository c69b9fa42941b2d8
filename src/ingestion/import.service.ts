import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AnalyticsJobsService } from '../analytics/snapshots/analytics-jobs.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database, Queryable } from '../database/database';
import { IMPORT_TABLES, TableStats } from '../database/table-stats';
import { asSystem } from '../database/tenant-context';
import { DomainError, FieldError, ValidationFailed } from '../shared/errors';
import { jsonbText } from '../shared/json-guard';
import { decodeCursor, Page, parseLimit, toPage } from '../shared/pagination';
import { ImportRuns } from './import-runs';
import { formatOf, parseRecords, withCsvLines } from './parse-body';
import { creditNotes } from './resources/credit-notes';
import { customers } from './resources/customers';
import { inventory } from './resources/inventory';
import { invoices } from './resources/invoices';
import { payments } from './resources/payments';
import { products } from './resources/products';
import { ImportContext, ImportCounts, ResourceHandler, ResourceName } from './resources/types';

const HANDLERS = {
  customers,
  products,
  invoices,
  payments,
  'credit-notes': creditNotes,
  inventory,
} as Record<ResourceName, ResourceHandler<unknown>>;

export interface ImportRequest {
  ctx: ImportContext;
  apiKeyId: string | null;
  resource: ResourceName;
  body: Buffer;
  contentType: string | undefined;
  idempotencyKey: string | undefined;
}

/** What the endpoint answers; stored with the run so an Idempotency-Key replay is byte-for-byte the same. */
export interface ImportResponse {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

interface RunRow {
  id: string;
  status: string;
  request_hash: string;
  response_status: number | null;
  response_body: Record<string, unknown> | null;
  expired: boolean;
}

export interface ImportRunView {
  id: string;
  resource: string;
  format: string;
  status: string;
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  errorCount: number;
  apiKeyId: string | null;
  idempotencyKey: string | null;
  /** why a failed run failed: "interrupted" (its process died) or "internal_error" */
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

/**
 * Runs one import batch: parse, validate every record, then write everything in one transaction or
 * nothing. Every batch — accepted or rejected — is recorded as an import run.
 */
@Injectable()
export class ImportService {
  private readonly stats = new TableStats();

  constructor(
    private readonly db: Database,
    private readonly jobs: AnalyticsJobsService,
    private readonly runs: ImportRuns,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async import(req: ImportRequest): Promise<ImportResponse> {
    const format = formatOf(req.contentType);
    const requestHash = createHash('sha256')
      .update(`${req.resource}\n${format}\n`)
      .update(req.body)
      .digest('hex');
    const key = req.idempotencyKey?.trim() || null;
    if (key !== null && key.length > 255) {
      throw new DomainError('bad_request', 'Idempotency-Key must be at most 255 characters', {
        field: 'Idempotency-Key',
      });
    }
    const runId = randomUUID();
    const startedAt = new Date();
    const tenantId = req.ctx.tenantId;
    if (key !== null) {
      const replay = await this.claimKey(req, key, runId, format, requestHash, startedAt);
      if (replay) return replay;
    } else {
      await this.runs.start(
        tenantId,
        runId,
        req.resource,
        format,
        req.apiKeyId,
        null,
        requestHash,
        startedAt,
      );
    }
    const lease = this.runs.keepAlive(tenantId, runId);
    let counts: ImportCounts | undefined;
    let response: ImportResponse;
    try {
      counts = await this.apply(req, format);
      const changed = counts.created + counts.updated;
      // ANALYZE is the tables' owner's to run: maintenance, not the tenant's work (ADR 0014)
      await asSystem(() => this.stats.refresh(this.db, IMPORT_TABLES[req.resource] ?? [], changed));
      if (changed > 0)
        await this.jobs.debounce(tenantId, this.config.analyticsDebounceMs, this.config.analyticsMaxDelayMs);
      response = { status: 200, body: { ...counts }, replayed: false };
    } catch (err) {
      if (!(err instanceof ValidationFailed)) {
        lease.stop();
        // a failure of ours, not the client's: the run is failed and its key freed for the retry
        await this.runs.fail(tenantId, runId, 'internal_error');
        throw err;
      }
      response = {
        status: 422,
        body: { error: 'validation_failed', message: err.message, errors: err.errors },
        replayed: false,
      };
    }
    lease.stop();
    try {
      await this.recordRun(req, runId, key, format, requestHash, startedAt, response, counts);
    } catch (err) {
      await this.runs.fail(tenantId, runId, 'internal_error');
      throw err;
    }
    return response;
  }

  private async apply(req: ImportRequest, format: ReturnType<typeof formatOf>): Promise<ImportCounts> {
    const handler = HANDLERS[req.resource];
    const { records, rowLines } = parseRecords(req.body, format, handler);
    const errors: FieldError[] = [];
    const rows = handler.normalize(records, req.ctx, errors);
    if (errors.length) throw new ValidationFailed(sortErrors(withCsvLines(errors, rowLines)));
    if (rows.length === 0) return { received: 0, created: 0, updated: 0, unchanged: 0 };
    // the upserts lock rows in the order of `rows`: batches sent at once that share records must
    // lock them in one order, or PostgreSQL aborts all but one with a deadlock
    const ordered = [...rows].sort((a, b) => compareKeys(lockKey(a), lockKey(b)));
    return this.db.transaction((tx) =>
      this.writeRows(tx, req.ctx, handler, ordered, (e) => withCsvLines(e, rowLines)),
    );
  }

  private async writeRows(
    tx: Queryable,
    ctx: ImportContext,
    handler: ResourceHandler<unknown>,
    ordered: unknown[],
    located: (errors: FieldError[]) => FieldError[] = (e) => e,
  ): Promise<ImportCounts> {
    const errors: FieldError[] = [];
    const counts = await handler.write(tx, ctx, ordered, errors);
    // reference errors found inside the transaction: throwing rolls it back
    if (errors.length) throw new ValidationFailed(sortErrors(located(errors)));
    // published snapshots of this tenant no longer match its data (ADR 0008)
    if (counts.created + counts.updated > 0) {
      await tx.query(`UPDATE tenants SET data_version = data_version + 1 WHERE id = $1`, [ctx.tenantId]);
    }
    return counts;
  }

  /**
   * The push API's validation and write for records that are already parsed — one element each of
   * what /v1/import/<resource> accepts — inside the caller's transaction (pull connectors, ADR 0018:
   * the connector's bookkeeping commits with the data). Throws ValidationFailed when any record is
   * refused; the caller rolls back. Call afterWrite once the transaction committed.
   */
  async writeRecords(
    tx: Queryable,
    ctx: ImportContext,
    resource: ResourceName,
    records: unknown[],
  ): Promise<ImportCounts> {
    const handler = HANDLERS[resource];
    const errors: FieldError[] = [];
    const rows = handler.normalize(records, ctx, errors);
    if (errors.length) throw new ValidationFailed(sortErrors(errors));
    if (rows.length === 0) return { received: 0, created: 0, updated: 0, unchanged: 0 };
    const ordered = [...rows].sort((a, b) => compareKeys(lockKey(a), lockKey(b)));
    return this.writeRows(tx, ctx, handler, ordered);
  }

  /** What a committed import does next: table statistics and the debounced analytics refresh. */
  async afterWrite(tenantId: string, resources: ResourceName[], changed: number): Promise<void> {
    const tables = [...new Set(resources.flatMap((r) => IMPORT_TABLES[r] ?? []))];
    await asSystem(() => this.stats.refresh(this.db, tables, changed));
    if (changed > 0)
      await this.jobs.debounce(tenantId, this.config.analyticsDebounceMs, this.config.analyticsMaxDelayMs);
  }

  /** Claims the key for this run, or answers with the stored response of the run that holds it. */
  private async claimKey(
    req: ImportRequest,
    key: string,
    runId: string,
    format: string,
    requestHash: string,
    startedAt: Date,
  ): Promise<ImportResponse | undefined> {
    const started = await this.runs.start(
      req.ctx.tenantId,
      runId,
      req.resource,
      format,
      req.apiKeyId,
      key,
      requestHash,
      startedAt,
    );
    if (started) return undefined;
    const [prior] = await this.db.query<RunRow>(
      `SELECT id, status, request_hash, response_status, response_body,
              (status = 'running' AND lease_expires_at < now()) AS expired
         FROM import_runs
        WHERE tenant_id = $1 AND idempotency_key = $2`,
      [req.ctx.tenantId, key],
    );
    if (!prior) return this.claimKey(req, key, runId, format, requestHash, startedAt);
    if (prior.expired) {
      // its process died mid-import (the lease lapsed): that run is over, this one takes the key
      await this.runs.interrupt(req.ctx.tenantId, prior.id);
      return this.claimKey(req, key, runId, format, requestHash, startedAt);
    }
    if (prior.request_hash !== requestHash) {
      throw new DomainError(
        'idempotency_key_reused',
        'this Idempotency-Key was already used with a different request body or resource',
        { field: 'Idempotency-Key', runId: prior.id },
      );
    }
    if (prior.status === 'running' || prior.response_status === null) {
      throw new DomainError(
        'idempotency_in_progress',
        'a request with this Idempotency-Key is still running',
        {
          field: 'Idempotency-Key',
          runId: prior.id,
        },
      );
    }
    return { status: prior.response_status, body: prior.response_body ?? {}, replayed: true };
  }

  private async recordRun(
    req: ImportRequest,
    runId: string,
    key: string | null,
    format: string,
    requestHash: string,
    startedAt: Date,
    response: ImportResponse,
    counts: ImportCounts | undefined,
  ): Promise<void> {
    const finishedAt = new Date();
    const errorCount = Array.isArray(response.body.errors) ? response.body.errors.length : 0;
    await this.db.query(
      `INSERT INTO import_runs (tenant_id, id, resource, format, status, received, created, updated, unchanged,
                                error_count, api_key_id, idempotency_key, request_hash, response_status,
                                response_body, started_at, finished_at, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18)
       ON CONFLICT (tenant_id, id) DO UPDATE SET
         status = EXCLUDED.status, received = EXCLUDED.received, created = EXCLUDED.created,
         updated = EXCLUDED.updated, unchanged = EXCLUDED.unchanged, error_count = EXCLUDED.error_count,
         response_status = EXCLUDED.response_status, response_body = EXCLUDED.response_body,
         finished_at = EXCLUDED.finished_at, duration_ms = EXCLUDED.duration_ms,
         owner = NULL, lease_expires_at = NULL`,
      [
        req.ctx.tenantId,
        runId,
        req.resource,
        format,
        response.status === 200 ? 'succeeded' : 'rejected',
        counts?.received ?? 0,
        counts?.created ?? 0,
        counts?.updated ?? 0,
        counts?.unchanged ?? 0,
        errorCount,
        req.apiKeyId,
        key,
        requestHash,
        response.status,
        jsonbText(response.body),
        startedAt,
        finishedAt,
        finishedAt.getTime() - startedAt.getTime(),
      ],
    );
  }

  async listRuns(
    tenantId: string,
    query: { limit?: unknown; cursor?: unknown },
  ): Promise<Page<ImportRunView>> {
    const limit = parseLimit(query.limit);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, resource, format, status, received, created, updated, unchanged, error_count, api_key_id,
              coalesce(idempotency_key, released_key) AS idempotency_key, error, started_at, finished_at,
              duration_ms
         FROM import_runs
        WHERE tenant_id = $1
          AND ($2::timestamptz IS NULL OR (started_at, id) < ($2::timestamptz, $3::uuid))
        ORDER BY started_at DESC, id DESC
        LIMIT $4`,
      [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return toPage(
      rows,
      limit,
      (r) => [iso(r.started_at), r.id],
      (r) => ({
        id: r.id as string,
        resource: r.resource as string,
        format: r.format as string,
        status: r.status as string,
        received: Number(r.received),
        created: Number(r.created),
        updated: Number(r.updated),
        unchanged: Number(r.unchanged),
        errorCount: Number(r.error_count),
        apiKeyId: (r.api_key_id as string | null) ?? null,
        idempotencyKey: (r.idempotency_key as string | null) ?? null,
        error: (r.error as string | null) ?? null,
        startedAt: iso(r.started_at),
        finishedAt: r.finished_at ? iso(r.finished_at) : null,
        durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
      }),
    );
  }
}

function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}

function sortErrors(errors: FieldError[]): FieldError[] {
  return [...errors].sort((a, b) => (a.index ?? -1) - (b.index ?? -1));
}

/** A normalized record's identity: its externalId, or an inventory snapshot's (product, warehouse, date). */
function lockKey(row: unknown): string {
  const r = row as { externalId?: string; productRef?: string; warehouseId?: string; asOf?: string };
  return r.externalId ?? JSON.stringify([r.productRef, r.warehouseId, r.asOf]);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
