import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { asSystem } from '../database/tenant-context';
import { DomainError, ValidationFailed } from '../shared/errors';
import { suspendedError, Tenant } from '../tenancy/tenants.service';
import { LoginThrottle, throttleAddress } from './login-throttle';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { Role, SessionsService, SessionUser } from './sessions.service';
import type { RequestAuth } from './request-auth';

/** What login and GET /v1/auth/me answer. */
export interface Me {
  user: SessionUser | null;
  role: Role;
  tenant: { id: string; name: string; currency: string; timezone: string };
  csrfToken: string | null;
}

export interface MeChange {
  locale?: 'ar' | 'en' | null;
  name?: string;
  currentPassword?: string;
  newPassword?: string;
}

export const invalidCredentials = () =>
  new DomainError('invalid_credentials', 'the email or password is not correct');

interface LoginRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: Role;
  locale: 'ar' | 'en' | null;
  password_hash: string;
  disabled: boolean;
  tenant_name: string;
  currency: string;
  timezone: string;
  suspended: boolean;
}

const tenantView = (t: Pick<Tenant, 'id' | 'name' | 'currency' | 'timezone'>) => ({
  id: t.id,
  name: t.name,
  currency: t.currency.trim(),
  timezone: t.timezone,
});

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * Checks the email and password and opens a session. A wrong password, an unknown email and a
   * disabled user get the same 401 after the same work (a dummy hash is verified when there is no
   * user to verify against); each is recorded for the throttle, which is checked first.
   */
  async login(email: string, password: string, ip: string): Promise<{ me: Me; token: string }> {
    const account = email.trim().toLowerCase();
    const address = throttleAddress(ip);
    await this.throttle.check(account, address);
    const row = await asSystem(async () => {
      const [r] = await this.db.query<LoginRow>(
        `SELECT u.id, u.tenant_id, u.email, u.name, u.role, u.locale, u.password_hash,
                u.disabled_at IS NOT NULL AS disabled,
                t.name AS tenant_name, t.currency, t.timezone, t.suspended_at IS NOT NULL AS suspended
           FROM users u JOIN tenants t ON t.id = u.tenant_id
          WHERE lower(u.email) = $1`,
        [account],
      );
      return r;
    });
    const usable = row !== undefined && !row.disabled;
    const ok = await verifyPassword(password, usable ? row.password_hash : await dummyHash());
    if (!usable || !ok) {
      await this.throttle.record(account, address);
      throw invalidCredentials();
    }
    if (row.suspended) throw suspendedError();
    await this.throttle.clear(account);
    const session = await asSystem(() =>
      this.db.transaction(async (tx) => {
        // sessions past their absolute expiry that nobody presented again go here
        await tx.query(`DELETE FROM sessions WHERE expires_at <= now()`);
        await tx.query(`UPDATE users SET last_login_at = now() WHERE tenant_id = $1 AND id = $2`, [
          row.tenant_id,
          row.id,
        ]);
        return this.sessions.create(tx, row.tenant_id, row.id);
      }),
    );
    return {
      token: session.token,
      me: {
        user: { id: row.id, email: row.email, name: row.name, role: row.role, locale: row.locale },
        role: row.role,
        tenant: tenantView({
          id: row.tenant_id,
          name: row.tenant_name,
          currency: row.currency,
          timezone: row.timezone,
        }),
        csrfToken: session.csrfToken,
      },
    };
  }

  /** The caller as GET /v1/auth/me shows it: an API key acts as an admin without a user. */
  async me(auth: RequestAuth): Promise<Me> {
    let user: SessionUser | null = null;
    if (auth.userId) {
      const [row] = await this.db.query<SessionUser>(
        `SELECT id, email, name, role, locale FROM users WHERE tenant_id = $1 AND id = $2`,
        [auth.tenant.id, auth.userId],
      );
      user = row ? { ...row, locale: row.locale ?? null } : null;
    }
    return { user, role: auth.role, tenant: tenantView(auth.tenant), csrfToken: auth.csrfToken };
  }

  /**
   * The user's own preferences: locale, name, and the password (with the current one, which is
   * checked and throttled like a login). A new password ends the user's other sessions.
   */
  async updateMe(auth: RequestAuth, change: MeChange, ip: string): Promise<Me> {
    const address = throttleAddress(ip);
    if (!auth.userId || !auth.sessionId) {
      throw new DomainError(
        'forbidden',
        'an API key has no user: log in with an email and password to change your own preferences',
      );
    }
    const tenantId = auth.tenant.id;
    const userId = auth.userId;
    let passwordHash: string | null = null;
    if (change.newPassword !== undefined) {
      if (change.currentPassword === undefined) {
        throw new ValidationFailed([
          { field: 'currentPassword', message: 'is required to change the password' },
        ]);
      }
      const [row] = await this.db.query<{ email: string; password_hash: string }>(
        `SELECT email, password_hash FROM users WHERE tenant_id = $1 AND id = $2`,
        [tenantId, userId],
      );
      if (!row) throw new DomainError('unauthorized', 'the session has ended: log in again');
      const account = row.email.toLowerCase();
      await this.throttle.check(account, address);
      if (!(await verifyPassword(change.currentPassword, row.password_hash))) {
        await this.throttle.record(account, address);
        throw new ValidationFailed([{ field: 'currentPassword', message: 'is not correct' }]);
      }
      passwordHash = await hashPassword(change.newPassword);
    }
    await this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE users
            SET locale = CASE WHEN $3::boolean THEN $4 ELSE locale END,
                name = coalesce($5, name),
                password_hash = coalesce($6, password_hash)
          WHERE tenant_id = $1 AND id = $2`,
        [
          tenantId,
          userId,
          change.locale !== undefined,
          change.locale ?? null,
          change.name?.trim() ?? null,
          passwordHash,
        ],
      );
      if (passwordHash !== null) await this.sessions.endForUser(tx, tenantId, userId, auth.sessionId);
    });
    return this.me(auth);
  }
}
