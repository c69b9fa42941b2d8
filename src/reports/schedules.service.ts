import { randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database, Queryable } from '../database/database';
import { FieldError, notFound, ValidationFailed } from '../shared/errors';
import { decodeCursor, Page, parseLimit, toPage } from '../shared/pagination';
import { Tenant } from '../tenancy/tenants.service';
import { Clock } from './clock';
import { ReportContent } from './content/content-provider';
import { hostOf, WebhookPolicy } from './delivery/webhook-target';
import { ReportType } from './report-types';
import { CreateScheduleDto, UpdateScheduleDto } from './reports.dto';
import { cronProblem, nextDue, timeZoneProblem } from './schedule-time';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ScheduleView {
  id: string;
  type: string;
  cron: string;
  timezone: string;
  format: string;
  language: string;
  filters: Record<string, unknown>;
  delivery: { webhookUrl: string; secretSet: true; secret?: string } | null;
  status: 'active' | 'paused';
  nextRunAt: string | null;
  lastScheduledFor: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Schedules: create, list, read, update, pause/resume, delete. The webhook secret is never shown again. */
@Injectable()
export class SchedulesService {
  private readonly policy: WebhookPolicy;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly content: ReportContent,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = new WebhookPolicy(config.webhookAllowlist);
  }

  async create(tenant: Tenant, dto: CreateScheduleDto): Promise<ScheduleView> {
    const timezone = dto.timezone ?? tenant.timezone;
    const filters = clean(dto.filters);
    const errors = [...timingErrors(dto.cron, timezone), ...this.filterErrors(dto.type, filters)];
    const { webhookUrl, secret, generated } = await this.delivery(dto.delivery, null, errors);
    if (errors.length) throw new ValidationFailed(errors);
    const id = randomUUID();
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO report_schedules (tenant_id, id, type, cron, timezone, format, language, filters, webhook_url,
                                     webhook_secret, status, next_run_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, 'active', $11, $12, $12)`,
      [
        tenant.id,
        id,
        dto.type,
        dto.cron.trim(),
        timezone,
        dto.format ?? 'json',
        dto.language ?? 'en',
        JSON.stringify(filters),
        webhookUrl,
        secret,
        nextDue(dto.cron, timezone, now),
        now,
      ],
    );
    return withSecret(await this.get(tenant.id, id), generated);
  }

  async list(tenantId: string, query: { limit?: unknown; cursor?: unknown }): Promise<Page<ScheduleView>> {
    const limit = parseLimit(query.limit);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows = await this.db.query<Row>(
      `SELECT * FROM report_schedules
        WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) > ($2::timestamptz, $3::uuid))
        ORDER BY created_at, id
        LIMIT $4`,
      [tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    return toPage(rows, limit, (r) => [iso(r.created_at), r.id], view);
  }

  async get(tenantId: string, id: string, q: Queryable = this.db): Promise<ScheduleView> {
    return view(await this.row(tenantId, id, q));
  }

  async update(tenant: Tenant, id: string, dto: UpdateScheduleDto): Promise<ScheduleView> {
    const current = await this.row(tenant.id, id);
    const type = (dto.type ?? current.type) as ReportType;
    const cron = dto.cron ?? current.cron;
    const timezone = dto.timezone ?? current.timezone;
    const filters =
      dto.filters !== undefined ? clean(dto.filters) : (current.filters as Record<string, unknown>);
    const errors = [...timingErrors(cron, timezone), ...this.filterErrors(type, filters)];
    let webhookUrl: string | null = current.webhook_url;
    let secret: string | null = current.webhook_secret;
    let generated: string | null = null;
    if (dto.delivery === null) {
      webhookUrl = null;
      secret = null;
    } else if (dto.delivery !== undefined) {
      ({ webhookUrl, secret, generated } = await this.delivery(dto.delivery, current, errors));
    }
    if (errors.length) throw new ValidationFailed(errors);
    const paused = dto.paused ?? current.status === 'paused';
    const timingChanged = cron !== current.cron || timezone !== current.timezone;
    const now = this.clock.now();
    const next = paused
      ? null
      : timingChanged || current.status === 'paused'
        ? nextDue(cron, timezone, now)
        : current.next_run_at;
    await this.db.query(
      `UPDATE report_schedules
          SET type = $3, cron = $4, timezone = $5, format = $6, language = $7, filters = $8::jsonb, webhook_url = $9,
              webhook_secret = $10, status = $11, next_run_at = $12, updated_at = $13
        WHERE tenant_id = $1 AND id = $2`,
      [
        tenant.id,
        id,
        type,
        cron.trim(),
        timezone,
        dto.format ?? current.format,
        dto.language ?? current.language,
        JSON.stringify(filters),
        webhookUrl,
        secret,
        paused ? 'paused' : 'active',
        next,
        now,
      ],
    );
    return withSecret(await this.get(tenant.id, id), generated);
  }

  pause(tenant: Tenant, id: string): Promise<ScheduleView> {
    return this.update(tenant, id, { paused: true });
  }

  resume(tenant: Tenant, id: string): Promise<ScheduleView> {
    return this.update(tenant, id, { paused: false });
  }

  /** Deletes the schedule with its runs and their deliveries. */
  async remove(tenantId: string, id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound('schedule');
    const rows = await this.db.query(
      `DELETE FROM report_schedules WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, id],
    );
    if (rows.length === 0) throw notFound('schedule');
  }

  async row(tenantId: string, id: string, q: Queryable = this.db): Promise<Row> {
    if (!UUID.test(id)) throw notFound('schedule');
    const [row] = await q.query<Row>(`SELECT * FROM report_schedules WHERE tenant_id = $1 AND id = $2`, [
      tenantId,
      id,
    ]);
    if (!row) throw notFound('schedule');
    return row;
  }

  private filterErrors(type: ReportType, filters: Record<string, unknown>): FieldError[] {
    if (!this.content.has(type)) return [{ field: 'type', message: `${type} reports are not available yet` }];
    const allowed: readonly string[] = this.content.get(type).filterKeys;
    return Object.keys(filters)
      .filter((k) => !allowed.includes(k))
      .map((k) => ({
        field: `filters.${k}`,
        message: `${k} is not a filter of ${type} reports (they take: ${allowed.join(', ') || 'none'})`,
      }));
  }

  /** Validates the webhook (form, and the addresses its host resolves to now); generates a secret if none. */
  private async delivery(
    dto: { webhookUrl?: string; secret?: string } | undefined,
    current: Row | null,
    errors: FieldError[],
  ): Promise<{ webhookUrl: string | null; secret: string | null; generated: string | null }> {
    // on update, an omitted webhookUrl keeps the current one (so a secret can be rotated alone)
    const url = dto?.webhookUrl?.trim() ?? (current?.webhook_url as string | null | undefined) ?? null;
    if (url === null) {
      if (dto?.secret !== undefined) {
        errors.push({ field: 'delivery.webhookUrl', message: 'webhookUrl is required with a secret' });
      }
      return { webhookUrl: null, secret: null, generated: null };
    }
    const problem = this.policy.urlProblem(url) ?? (await this.resolvedProblem(url));
    if (problem) errors.push({ field: 'delivery.webhookUrl', message: problem });
    const kept = (current?.webhook_secret as string | null | undefined) ?? null;
    const generated =
      dto?.secret === undefined && kept === null ? `whsec_${randomBytes(24).toString('base64url')}` : null;
    return { webhookUrl: url, secret: dto?.secret ?? kept ?? generated, generated };
  }

  /** A host that resolves to a refused address is refused now; one that does not resolve is checked on each attempt. */
  private async resolvedProblem(raw: string): Promise<string | null> {
    const host = hostOf(new URL(raw));
    if (isIP(host) !== 0) return null;
    const addresses = await Promise.race([
      lookup(host, { all: true }).catch(() => []),
      new Promise<[]>((resolve) => setTimeout(() => resolve([]), 2000).unref()),
    ]);
    for (const a of addresses) {
      const problem = this.policy.addressProblem(host, a.address);
      if (problem) return problem;
    }
    return null;
  }
}

function timingErrors(cron: string, timezone: string): FieldError[] {
  const errors: FieldError[] = [];
  const tz = timeZoneProblem(timezone);
  if (tz) errors.push({ field: 'timezone', message: tz });
  const c = cronProblem(cron, tz ? 'UTC' : timezone);
  if (c) errors.push({ field: 'cron', message: c });
  return errors;
}

function clean(filters: object | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filters ?? {}).filter(([, v]) => v !== undefined));
}

function withSecret(v: ScheduleView, secret: string | null): ScheduleView {
  return secret && v.delivery ? { ...v, delivery: { ...v.delivery, secret } } : v;
}

function view(r: Row): ScheduleView {
  return {
    id: r.id,
    type: r.type,
    cron: r.cron,
    timezone: r.timezone,
    format: r.format,
    language: r.language,
    filters: r.filters ?? {},
    delivery: r.webhook_url ? { webhookUrl: r.webhook_url, secretSet: true } : null,
    status: r.status,
    nextRunAt: r.next_run_at ? iso(r.next_run_at) : null,
    lastScheduledFor: r.last_scheduled_for ? iso(r.last_scheduled_for) : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export function iso(v: unknown): string {
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
