import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { isValidTimeZone } from '../shared/dates';
import { notFound, ValidationFailed } from '../shared/errors';

export interface Tenant {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  settings: Record<string, unknown>;
}

export interface AuthenticatedKey {
  tenant: Tenant;
  apiKeyId: string;
}

/** API keys are shown once and stored as SHA-256 hashes (they are 192-bit random, so no slow hash is needed). */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function newKey(): string {
  return `hk_${randomBytes(24).toString('base64url')}`;
}

@Injectable()
export class TenantsService {
  constructor(private readonly db: Database) {}

  async create(input: {
    name: string;
    currency?: string;
    timezone?: string;
  }): Promise<{ id: string; apiKey: string; apiKeyId: string }> {
    const currency = (input.currency ?? 'SAR').toUpperCase();
    const timezone = input.timezone ?? 'Asia/Riyadh';
    if (!isValidTimeZone(timezone)) {
      throw new ValidationFailed([
        { field: 'timezone', message: 'must be an IANA time zone such as Asia/Riyadh' },
      ]);
    }
    const id = randomUUID();
    return this.db.transaction(async (tx) => {
      await tx.query(`INSERT INTO tenants (id, name, currency, timezone) VALUES ($1, $2, $3, $4)`, [
        id,
        input.name.trim(),
        currency,
        timezone,
      ]);
      const key = await this.insertKey(tx, id, 'default');
      return { id, apiKey: key.apiKey, apiKeyId: key.id };
    });
  }

  async get(id: string): Promise<Tenant> {
    const [row] = await this.db.query<Tenant>(
      `SELECT id, name, currency, timezone, settings FROM tenants WHERE id = $1`,
      [id],
    );
    if (!row) throw notFound('tenant');
    return row;
  }

  async issueKey(tenantId: string, name: string | null): Promise<{ id: string; apiKey: string }> {
    await this.get(tenantId);
    return this.insertKey(this.db, tenantId, name);
  }

  async listKeys(tenantId: string) {
    await this.get(tenantId);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT id, name, prefix, created_at, revoked_at, last_used_at FROM api_keys
        WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
      lastUsedAt: r.last_used_at,
    }));
  }

  async revokeKey(tenantId: string, keyId: string): Promise<void> {
    const rows = await this.db.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
        WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, keyId],
    );
    if (rows.length === 0) throw notFound('API key');
  }

  /** The tenant behind a presented key, or null when the key is unknown or revoked. */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    const [row] = await this.db.query<Tenant & { key_id: string; stale: boolean }>(
      `SELECT t.id, t.name, t.currency, t.timezone, t.settings, k.id AS key_id,
              (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute') AS stale
         FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hashKey(presented)],
    );
    if (!row) return null;
    if (row.stale) {
      await this.db.query(`UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = $2`, [
        row.id,
        row.key_id,
      ]);
    }
    const { key_id, stale: _stale, ...tenant } = row;
    return { tenant: { ...tenant, currency: tenant.currency.trim() }, apiKeyId: key_id };
  }

  private async insertKey(q: { query: Database['query'] }, tenantId: string, name: string | null) {
    const apiKey = newKey();
    const id = randomUUID();
    await q.query(
      `INSERT INTO api_keys (tenant_id, id, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5)`,
      [tenantId, id, name, apiKey.slice(0, 10), hashKey(apiKey)],
    );
    return { id, apiKey };
  }
}
