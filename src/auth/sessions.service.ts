import { hash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database, Queryable } from '../database/database';
import { asSystem, bindTenant } from '../database/tenant-context';
import { suspendedError, Tenant } from '../tenancy/tenants.service';

export type Role = 'admin' | 'viewer';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: 'ar' | 'en' | null;
}

export interface AuthenticatedSession {
  tenant: Tenant;
  user: SessionUser;
  /** sessions.id: the SHA-256 of the token */
  sessionId: string;
  csrfToken: string;
}

/** A session's id is the SHA-256 (hex) of its token: a database read never yields a usable cookie. */
export function sessionIdOf(token: string): string {
  return hash('sha256', token, 'hex');
}

/** last_seen_at is written at most once a minute per session. */
const SEEN_EVERY = `interval '1 minute'`;

/** $1 session id, $2 idle minutes. */
const SESSION_BY_ID = `
  SELECT s.tenant_id, s.user_id, s.csrf_token,
         s.expires_at <= now() OR s.last_seen_at + make_interval(mins => $2::int) <= now() AS expired,
         s.last_seen_at < now() - ${SEEN_EVERY} AS stale,
         u.email, u.name, u.role, u.locale, u.disabled_at IS NOT NULL AS disabled,
         t.name AS tenant_name, t.currency, t.timezone, t.settings, t.suspended_at IS NOT NULL AS suspended
    FROM sessions s
    JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
    JOIN tenants t ON t.id = s.tenant_id
   WHERE s.id = $1`;

interface SessionRow {
  tenant_id: string;
  user_id: string;
  csrf_token: string;
  expired: boolean;
  stale: boolean;
  email: string;
  name: string;
  role: Role;
  locale: 'ar' | 'en' | null;
  disabled: boolean;
  tenant_name: string;
  currency: string;
  timezone: string;
  settings: Record<string, unknown>;
  suspended: boolean;
}

/**
 * Browser sessions in the database (ADR 0015). Nothing is cached: a logout, a disabled or deleted
 * user and a suspended tenant end or refuse the session at once, in every instance. One query per
 * request (plus a last_seen_at write at most once a minute).
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly db: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A new session for the user; the token (for the cookie) is returned once and never stored. */
  async create(
    q: Queryable,
    tenantId: string,
    userId: string,
  ): Promise<{ token: string; csrfToken: string; sessionId: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const sessionId = sessionIdOf(token);
    await q.query(
      `INSERT INTO sessions (tenant_id, id, user_id, csrf_token, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5::int))`,
      [tenantId, sessionId, userId, csrfToken, this.config.sessionMaxHours],
    );
    return { token, csrfToken, sessionId };
  }

  /**
   * The session behind a token, with its user and tenant, and the request bound to that tenant; null
   * when the token is unknown, expired (idle or absolute), or its user disabled. An expired session's
   * row is deleted. A suspended tenant's session is refused with 403 tenant_suspended (and kept).
   */
  async authenticate(token: string): Promise<AuthenticatedSession | null> {
    const sessionId = sessionIdOf(token);
    const row = await asSystem(async () => {
      const [r] = await this.db.query<SessionRow>(SESSION_BY_ID, [sessionId, this.config.sessionIdleMinutes]);
      if (!r) return undefined;
      if (r.expired || r.disabled) {
        await this.db.query(`DELETE FROM sessions WHERE tenant_id = $1 AND id = $2`, [
          r.tenant_id,
          sessionId,
        ]);
      } else if (r.stale && !r.suspended) {
        await this.db.query(
          `UPDATE sessions SET last_seen_at = now()
            WHERE tenant_id = $1 AND id = $2 AND last_seen_at < now() - ${SEEN_EVERY}`,
          [r.tenant_id, sessionId],
        );
      }
      return r;
    });
    if (!row || row.expired || row.disabled) return null;
    if (row.suspended) throw suspendedError();
    bindTenant(row.tenant_id);
    return {
      tenant: {
        id: row.tenant_id,
        name: row.tenant_name,
        currency: row.currency.trim(),
        timezone: row.timezone,
        settings: row.settings,
      },
      user: { id: row.user_id, email: row.email, name: row.name, role: row.role, locale: row.locale },
      sessionId,
      csrfToken: row.csrf_token,
    };
  }

  /** Ends the session of this token now (logout); nothing when there is none. */
  async end(token: string): Promise<void> {
    await asSystem(() => this.db.query(`DELETE FROM sessions WHERE id = $1`, [sessionIdOf(token)]));
  }

  /** Ends every session of a user, but `keep` (the session changing its own password). */
  async endForUser(
    q: Queryable,
    tenantId: string,
    userId: string,
    keep: string | null = null,
  ): Promise<void> {
    await q.query(
      `DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND ($3::text IS NULL OR id <> $3)`,
      [tenantId, userId, keep],
    );
  }
}
