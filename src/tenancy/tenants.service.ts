import { hash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { asSystem, bindTenant } from '../database/tenant-context';
import { isValidTimeZone } from '../shared/dates';
import { DomainError, notFound, ValidationFailed } from '../shared/errors';
import { TtlCache } from './ttl-cache';

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
  /** the tenant is suspended: its keys are refused (403) */
  suspended?: boolean;
}

export function suspendedError(): DomainError {
  return new DomainError(
    'tenant_suspended',
    'this tenant is suspended: its data is kept but it cannot be used until an administrator resumes it',
  );
}

/**
 * How long this instance trusts what it read about a key, a tenant's settings or its published
 * snapshot (TtlCache): a write in another instance (a revoked key, new settings, an import) shows here
 * within this time; a write in this instance shows at once.
 */
export const READ_CACHE_TTL_MS = 2_000;

/** last_used_at of a key is written at most once a minute. */
const KEY_TOUCH_MS = 60_000;

/** API keys are shown once and stored as SHA-256 hashes (they are 192-bit random, so no slow hash is needed). */
export function hashKey(key: string): string {
  // one-shot: the same digest as createHash().update().digest(), without a Hash object per request
  return hash('sha256', key, 'hex');
}

function newKey(): string {
  return `hk_${randomBytes(24).toString('base64url')}`;
}

@Injectable()
export class TenantsService {
  /** key hash → its tenant and key id (null: unknown or revoked) */
  private readonly keys = new TtlCache<string, AuthenticatedKey | null>(READ_CACHE_TTL_MS);
  /** key id → when this instance last wrote its last_used_at */
  private readonly touched = new Map<string, number>();

  constructor(private readonly db: Database) {}

  /** Forgets what this instance knows about keys (after a key or a tenant's settings changed). */
  forgetKeys(): void {
    this.keys.invalidate();
  }

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
      `SELECT id, name, prefix, created_at, revoked_at, last_used_at, expires_at, replaced_by FROM api_keys
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
      expiresAt: r.expires_at ?? null,
      replacedBy: r.replaced_by ?? null,
    }));
  }

  /**
   * Replaces a key: a new key (same name) is issued and shown once; the old one keeps working for
   * `overlapSeconds` (so clients can be switched without downtime), then stops.
   */
  async rotateKey(
    tenantId: string,
    keyId: string,
    overlapSeconds: number,
  ): Promise<{ id: string; apiKey: string; previousKeyId: string; previousKeyExpiresAt: string }> {
    const result = await this.db.transaction(async (tx) => {
      const [old] = await tx.query<{ name: string | null }>(
        `SELECT name FROM api_keys
          WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
          FOR UPDATE`,
        [tenantId, keyId],
      );
      if (!old) throw notFound('API key');
      const fresh = await this.insertKey(tx, tenantId, old.name);
      const [expiry] = await tx.query<{ expires_at: Date | string }>(
        `UPDATE api_keys
            SET expires_at = LEAST(coalesce(expires_at, 'infinity'), now() + make_interval(secs => $3::int)),
                replaced_by = $4
          WHERE tenant_id = $1 AND id = $2
          RETURNING expires_at`,
        [tenantId, keyId, overlapSeconds, fresh.id],
      );
      return {
        ...fresh,
        previousKeyId: keyId,
        previousKeyExpiresAt: new Date(expiry!.expires_at).toISOString(),
      };
    });
    this.forgetKeys();
    return result;
  }

  async revokeKey(tenantId: string, keyId: string): Promise<void> {
    const rows = await this.db.query(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
        WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      [tenantId, keyId],
    );
    this.forgetKeys();
    if (rows.length === 0) throw notFound('API key');
  }

  /**
   * The tenant behind a presented key, or null when the key is unknown or revoked: one query per key
   * per READ_CACHE_TTL_MS, and a last_used_at write at most once a minute.
   */
  async authenticate(presented: string): Promise<AuthenticatedKey | null> {
    const hash = hashKey(presented);
    // the key says which tenant this is: looked up across tenants, then the request is bound to it
    const auth = await asSystem(() => this.lookup(hash));
    if (auth?.suspended) throw suspendedError();
    if (auth) {
      bindTenant(auth.tenant.id);
      await asSystem(() => this.touch(auth));
    }
    return auth;
  }

  private lookup(hash: string): Promise<AuthenticatedKey | null> {
    return this.keys.get(hash, async () => {
      const [row] = await this.db.query<Tenant & { key_id: string; suspended: boolean }>(
        `SELECT t.id, t.name, t.currency, t.timezone, t.settings, k.id AS key_id,
                t.suspended_at IS NOT NULL AS suspended
           FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
          WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())`,
        [hash],
      );
      if (!row) return null;
      const { key_id, suspended, ...tenant } = row;
      return { tenant: { ...tenant, currency: tenant.currency.trim() }, apiKeyId: key_id, suspended };
    });
  }

  private async touch(auth: AuthenticatedKey): Promise<void> {
    const now = Date.now();
    if (now - (this.touched.get(auth.apiKeyId) ?? 0) < KEY_TOUCH_MS) return;
    if (this.touched.size >= 10_000) this.touched.clear();
    this.touched.set(auth.apiKeyId, now);
    await this.db.query(
      `UPDATE api_keys SET last_used_at = now()
        WHERE tenant_id = $1 AND id = $2 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [auth.tenant.id, auth.apiKeyId],
    );
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
