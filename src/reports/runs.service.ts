import { optionalText } from '../shared/query-params';
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { dateInZone } from '../shared/dates';
import { DomainError, notFound } from '../shared/errors';
import { decodeCursor, Page, parseLimit, toPage } from '../shared/pagination';
import { Clock } from './clock';
import { renderReport } from './render/render';
import { CONTENT_TYPES, REPORT_FORMATS, ReportDocument, ReportFormat, RUN_STATUSES } from './report-types';
import { ReportsLoop } from './reports-loop';
import { iso, SchedulesService, UUID } from './schedules.service';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

const RUN_COLUMNS = `r.id, r.schedule_id, r.trigger, r.scheduled_for, r.as_of, r.type, r.format, r.language, r.filters,
  r.status, r.attempts, r.queued_at, r.started_at, r.finished_at, r.duration_ms, r.row_count, r.summary, r.error,
  d.id AS delivery_id, d.status AS delivery_status, d.attempts AS delivery_attempts, d.target_url,
  d.delivered_at, d.last_status_code, d.last_error, d.next_attempt_at`;

const RUN_FROM = `report_runs r
  LEFT JOIN report_deliveries d ON d.tenant_id = r.tenant_id AND d.run_id = r.id`;

export interface Download {
  body: string;
  contentType: string;
  filename: string;
}

/** Runs: trigger one now, list, read (with delivery attempts), download. */
@Injectable()
export class RunsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly schedules: SchedulesService,
    private readonly loop: ReportsLoop,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Queues a manual run (as of today in the schedule's time zone) and wakes the worker. */
  async trigger(tenantId: string, scheduleId: string) {
    const s = await this.schedules.row(tenantId, scheduleId);
    const id = randomUUID();
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO report_runs (tenant_id, id, schedule_id, trigger, scheduled_for, as_of, type, format, language,
                                filters, status, available_at, queued_at)
       VALUES ($1, $2, $3, 'manual', NULL, $4, $5, $6, $7, $8::jsonb, 'queued', $9, $9)`,
      [
        tenantId,
        id,
        scheduleId,
        dateInZone(now, s.timezone),
        s.type,
        s.format,
        s.language,
        JSON.stringify(s.filters),
        now,
      ],
    );
    this.loop.kick();
    return this.get(tenantId, id);
  }

  async list(tenantId: string, query: Record<string, unknown>): Promise<Page<unknown>> {
    const limit = parseLimit(query.limit);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const scheduleId = optionalText(query.scheduleId, 'scheduleId');
    if (scheduleId !== null && !UUID.test(scheduleId)) {
      throw new DomainError('bad_request', 'scheduleId must be a schedule id (a UUID)', {
        field: 'scheduleId',
      });
    }
    const status = optionalText(query.status, 'status');
    if (status !== null && !(RUN_STATUSES as readonly string[]).includes(status)) {
      throw new DomainError('bad_request', `status must be one of ${RUN_STATUSES.join(', ')}`, {
        field: 'status',
      });
    }
    const rows = await this.db.query<Row>(
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM}
        WHERE r.tenant_id = $1 AND ($2::uuid IS NULL OR r.schedule_id = $2) AND ($3::text IS NULL OR r.status = $3)
          AND ($4::timestamptz IS NULL OR (r.queued_at, r.id) < ($4::timestamptz, $5::uuid))
        ORDER BY r.queued_at DESC, r.id DESC
        LIMIT $6`,
      [tenantId, scheduleId, status, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return toPage(
      rows,
      limit,
      (r) => [iso(r.queued_at), r.id],
      (r) => this.view(r),
    );
  }

  async get(tenantId: string, id: string) {
    const r = await this.row(tenantId, id);
    const attempts = r.delivery_id
      ? await this.db.query<Row>(
          `SELECT attempt_no, outcome, started_at, finished_at, duration_ms, status_code, error
             FROM report_delivery_attempts WHERE tenant_id = $1 AND delivery_id = $2 ORDER BY attempt_no`,
          [tenantId, r.delivery_id],
        )
      : [];
    const v = this.view(r);
    return {
      ...v,
      delivery: v.delivery && {
        ...v.delivery,
        history: attempts.map((a) => ({
          attempt: Number(a.attempt_no),
          outcome: a.outcome,
          startedAt: iso(a.started_at),
          finishedAt: iso(a.finished_at),
          durationMs: Number(a.duration_ms),
          statusCode: a.status_code === null ? null : Number(a.status_code),
          error: a.error,
        })),
      },
    };
  }

  /** The run's report in its own format, or re-rendered in another (?format=). */
  async download(tenantId: string, id: string, format: unknown): Promise<Download> {
    if (!UUID.test(id)) throw notFound('run');
    const [r] = await this.db.query<Row>(
      `SELECT id, type, as_of, status, format, body, data FROM report_runs WHERE tenant_id = $1 AND id = $2`,
      [tenantId, id],
    );
    if (!r) throw notFound('run');
    if (r.status !== 'succeeded') {
      throw new DomainError('conflict', `run is ${r.status}: only a succeeded run can be downloaded`, {
        status: r.status,
      });
    }
    const wanted = optionalText(format, 'format') ?? r.format;
    if (!(REPORT_FORMATS as readonly string[]).includes(wanted)) {
      throw new DomainError('bad_request', `format must be one of ${REPORT_FORMATS.join(', ')}`, {
        field: 'format',
      });
    }
    const f = wanted as ReportFormat;
    const body = f === r.format ? (r.body as string) : renderReport(r.data as ReportDocument, f);
    return {
      body,
      contentType: CONTENT_TYPES[f],
      filename: `${r.type}-${r.as_of}-${String(r.id).slice(0, 8)}.${f}`,
    };
  }

  private async row(tenantId: string, id: string): Promise<Row> {
    if (!UUID.test(id)) throw notFound('run');
    const [r] = await this.db.query<Row>(
      `SELECT ${RUN_COLUMNS} FROM ${RUN_FROM} WHERE r.tenant_id = $1 AND r.id = $2`,
      [tenantId, id],
    );
    if (!r) throw notFound('run');
    return r;
  }

  private view(r: Row) {
    const finished = r.finished_at ? new Date(r.finished_at as string) : null;
    return {
      id: r.id as string,
      scheduleId: r.schedule_id as string,
      type: r.type as string,
      format: r.format as string,
      language: r.language as string,
      filters: r.filters ?? {},
      trigger: r.trigger as string,
      status: r.status as string,
      scheduledFor: r.scheduled_for ? iso(r.scheduled_for) : null,
      asOf: r.as_of as string,
      queuedAt: iso(r.queued_at),
      startedAt: r.started_at ? iso(r.started_at) : null,
      finishedAt: finished ? finished.toISOString() : null,
      durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
      attempts: Number(r.attempts),
      rowCount: r.row_count === null ? null : Number(r.row_count),
      summary: r.summary ?? null,
      error: r.error ?? null,
      expiresAt: finished
        ? new Date(finished.getTime() + this.config.reportRetentionDays * 86_400_000).toISOString()
        : null,
      delivery: r.delivery_id
        ? {
            id: r.delivery_id as string,
            status: r.delivery_status as string,
            attempts: Number(r.delivery_attempts),
            webhookUrl: r.target_url as string,
            deliveredAt: r.delivered_at ? iso(r.delivered_at) : null,
            nextAttemptAt:
              r.delivery_status === 'pending' && r.next_attempt_at ? iso(r.next_attempt_at) : null,
            lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
            lastError: r.last_error ?? null,
          }
        : null,
    };
  }
}
