import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database } from '../database/database';
import { DomainError, notFound, ValidationFailed } from '../shared/errors';
import { jsonbText } from '../shared/json-guard';
import { decodeCursor, Page, parseLimit, toPage } from '../shared/pagination';
import type { Tenant } from '../tenancy/tenants.service';
import { ConnectorFactory, SourceAuthError, SourceFormatError } from './adapter';
import { ConnectorRuntime } from './connector-runtime';
import { CreateConnectorDto, UpdateConnectorDto } from './connectors.dto';
import { ConnectorsLoop } from './connectors-loop';
import { Q } from './connectors.queries';
import { factoryFor } from './registry';
import { nextFullSyncAt } from './schedule';
import { SecretsKeyMissing } from './secrets';
import { SourceUnavailableError } from './source-http';
import { ConnectorView, SyncView, toConnectorView, toSyncView } from './connectors.view';

const DEFAULT_EVERY_MINUTES = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Connectors as tenant resources (ADR 0018): create (credentials checked first), read, change, delete, sync. */
@Injectable()
export class ConnectorsService {
  constructor(
    private readonly db: Database,
    private readonly runtime: ConnectorRuntime,
    private readonly loop: ConnectorsLoop,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(tenant: Tenant, dto: CreateConnectorDto): Promise<ConnectorView> {
    const factory = this.factory(dto.kind);
    const credentials = this.credentials(factory, dto.credentials);
    const sealed = this.seal(credentials);
    await this.check(factory, credentials);
    const id = randomUUID();
    const every = dto.schedule === null ? null : (dto.schedule?.everyMinutes ?? DEFAULT_EVERY_MINUTES);
    await this.db.transaction(async (tx) => {
      await tx.query(Q.insertConnector, [
        tenant.id,
        id,
        factory.kind,
        dto.name.trim(),
        jsonbText(sealed),
        jsonbText(publicPart(factory, credentials)),
        every,
        nextFullSyncAt(new Date(), tenant.timezone, this.config.connectorFullSyncHour),
      ]);
      // the first sync starts at once (a full one: there is no cursor yet)
      await tx.query(Q.queueSync, [tenant.id, randomUUID(), id, 'full', 'create']);
      if (every !== null) await tx.query(Q.advanceRun, [tenant.id, id, every]);
    });
    this.loop.kick();
    return this.get(tenant.id, id);
  }

  async list(tenantId: string): Promise<{ data: ConnectorView[] }> {
    const rows = await this.db.query(Q.listConnectors, [tenantId, null]);
    return { data: rows.map(toConnectorView) };
  }

  async get(tenantId: string, id: string): Promise<ConnectorView> {
    if (!UUID.test(id)) throw notFound('connector');
    const [row] = await this.db.query(Q.listConnectors, [tenantId, id]);
    if (!row) throw notFound('connector');
    return toConnectorView(row);
  }

  async update(tenant: Tenant, id: string, dto: UpdateConnectorDto): Promise<ConnectorView> {
    const [current] = await this.secretRow(tenant.id, id);
    const sets: string[] = [];
    const params: unknown[] = [tenant.id, id];
    const set = (sql: string, value: unknown) => {
      params.push(value);
      sets.push(sql.replace('?', `$${params.length}`));
    };
    if (dto.name !== undefined) set('name = ?', dto.name.trim());
    if (dto.credentials !== undefined) {
      const factory = this.factory(current.kind);
      const credentials = this.credentials(factory, dto.credentials);
      const sealed = this.seal(credentials);
      await this.check(factory, credentials);
      set('credentials_encrypted = ?::jsonb', jsonbText(sealed));
      set('credentials_public = ?::jsonb', jsonbText(publicPart(factory, credentials)));
      sets.push('last_error = NULL');
    }
    if (dto.schedule !== undefined) {
      const every = dto.schedule === null ? null : dto.schedule.everyMinutes;
      set('schedule_every_minutes = ?', every);
      set(`next_run_at = now() + ?::int * interval '1 minute'`, every ?? 0);
    }
    if (dto.paused !== undefined) set('paused = ?', dto.paused);
    if (sets.length) {
      await this.db.query(
        `UPDATE connectors SET ${sets.join(', ')}, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL`,
        params,
      );
    }
    return this.get(tenant.id, id);
  }

  /** Stops syncing and forgets the connector (its syncs and bookkeeping); the imported data stays. */
  async remove(tenantId: string, id: string): Promise<void> {
    if (!UUID.test(id)) throw notFound('connector');
    const rows = await this.db.query(Q.deleteConnector, [tenantId, id]);
    if (rows.length === 0) throw notFound('connector');
  }

  async startSync(tenantId: string, id: string, mode: 'incremental' | 'full' = 'incremental') {
    await this.secretRow(tenantId, id);
    const [queued] = await this.db.query<{ id: string; status: string }>(Q.queueSync, [
      tenantId,
      randomUUID(),
      id,
      mode,
      'manual',
    ]);
    if (!queued) {
      const [active] = await this.db.query<{ id: string; status: string }>(Q.activeSync, [tenantId, id]);
      throw new DomainError('sync_in_progress', 'a sync of this connector is already queued or running', {
        syncId: active?.id ?? null,
        status: active?.status ?? null,
      });
    }
    this.loop.kick();
    return { id: queued.id, status: queued.status };
  }

  async listSyncs(
    tenantId: string,
    id: string,
    query: { limit?: unknown; cursor?: unknown },
  ): Promise<Page<SyncView>> {
    await this.secretRow(tenantId, id);
    const limit = parseLimit(query.limit);
    const after = decodeCursor(query.cursor, ['timestamp', 'uuid']);
    const rows = await this.db.query<Record<string, unknown>>(Q.listSyncs, [
      tenantId,
      id,
      after?.[0] ?? null,
      after?.[1] ?? null,
      limit + 1,
    ]);
    return toPage(rows, limit, (r) => [new Date(r.queued_at as string).toISOString(), r.id], toSyncView);
  }

  async getSync(tenantId: string, id: string, syncId: string): Promise<SyncView> {
    await this.secretRow(tenantId, id);
    if (!UUID.test(syncId)) throw notFound('sync');
    const [row] = await this.db.query<Record<string, unknown>>(Q.getSync, [tenantId, id, syncId]);
    if (!row) throw notFound('sync');
    return toSyncView(row);
  }

  private async secretRow(tenantId: string, id: string): Promise<[{ kind: string }]> {
    if (!UUID.test(id)) throw notFound('connector');
    const [row] = await this.db.query<{ kind: string }>(Q.secretOf, [tenantId, id]);
    if (!row) throw notFound('connector');
    return [row];
  }

  private factory(kind: string): ConnectorFactory {
    const factory = factoryFor(kind);
    if (!factory) {
      throw new ValidationFailed([
        { field: 'kind', message: `connectors of kind "${kind}" are not available in this build` },
      ]);
    }
    return factory;
  }

  private credentials(factory: ConnectorFactory, input: unknown): Record<string, string> {
    const errors = factory.validateCredentials(input);
    if (errors.length) throw new ValidationFailed(errors);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(input as Record<string, unknown>)) out[k] = String(v).trim();
    return out;
  }

  private seal(credentials: Record<string, string>) {
    if (!this.runtime.box.available) {
      throw new DomainError('secrets_key_missing', new SecretsKeyMissing().message);
    }
    return this.runtime.box.seal(credentials);
  }

  /** One cheap call with the credentials: 422 when the source refuses them, 502 when it cannot be reached. */
  private async check(factory: ConnectorFactory, credentials: Record<string, string>): Promise<void> {
    const adapter = await factory.create(credentials, this.runtime.serverConfig);
    const client = this.runtime.client(adapter, `check:${randomUUID()}`, {
      maxAttempts: Math.min(2, this.config.connectorMaxAttempts),
    });
    try {
      await adapter.checkCredentials(client);
    } catch (err) {
      if (err instanceof SourceAuthError) {
        const field =
          factory.secretFields.length === 1 ? `credentials.${factory.secretFields[0]}` : 'credentials';
        throw new ValidationFailed(
          [{ field, message: `${factory.systemName} refused these credentials: ${err.message}` }],
          `${factory.systemName} refused these credentials`,
        );
      }
      if (err instanceof SourceUnavailableError || err instanceof SourceFormatError) {
        throw new DomainError(
          'source_unavailable',
          `could not check the credentials with ${factory.systemName}: ${err.message}; nothing was saved, try again later`,
        );
      }
      throw err;
    }
  }
}

function publicPart(factory: ConnectorFactory, credentials: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(credentials).filter(([k]) => !factory.secretFields.includes(k)));
}
