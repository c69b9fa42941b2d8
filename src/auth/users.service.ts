import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '../database/database';
import { DomainError, notFound } from '../shared/errors';
import { TenantsService } from '../tenancy/tenants.service';
import { hashPassword } from './passwords';
import { Role, SessionsService } from './sessions.service';

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: 'ar' | 'en' | null;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  name: string;
}

export interface UserChange {
  name?: string;
  role?: Role;
  disabled?: boolean;
  password?: string;
}

/**
 * Who manages users: the operator (admin token, any tenant, no limits) or the tenant's own admins,
 * who may not take away the tenant's last enabled admin (they would lock themselves out).
 */
export type UserManager = 'operator' | 'tenant';

const COLUMNS = `id, email, name, role, locale, disabled_at, created_at, last_login_at`;

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : (v instanceof Date ? v : new Date(v as string)).toISOString();

function view(r: Record<string, unknown>): UserView {
  return {
    id: r.id as string,
    email: r.email as string,
    name: r.name as string,
    role: r.role as Role,
    locale: (r.locale as 'ar' | 'en' | null) ?? null,
    disabled: r.disabled_at !== null && r.disabled_at !== undefined,
    disabledAt: iso(r.disabled_at),
    createdAt: iso(r.created_at)!,
    lastLoginAt: iso(r.last_login_at),
  };
}

/** PostgreSQL's unique_violation, as node-postgres and PGlite report it (TypeORM wraps it). */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; driverError?: { code?: string } };
  return err?.code === '23505' || err?.driverError?.code === '23505';
}

export const emailTaken = () => new DomainError('email_taken', 'a user with this email already exists');

/** One user service behind the admin routes and the tenant's own /v1/users. Never returns a hash. */
@Injectable()
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly tenants: TenantsService,
    private readonly sessions: SessionsService,
  ) {}

  async list(tenantId: string): Promise<UserView[]> {
    await this.tenants.get(tenantId);
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM users WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows.map(view);
  }

  async get(tenantId: string, userId: string): Promise<UserView> {
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`,
      [tenantId, userId],
    );
    if (!row) throw notFound('user');
    return view(row);
  }

  async create(tenantId: string, input: NewUser): Promise<UserView> {
    await this.tenants.get(tenantId);
    const passwordHash = await hashPassword(input.password);
    try {
      const [row] = await this.db.query<Record<string, unknown>>(
        `INSERT INTO users (tenant_id, id, email, name, role, password_hash)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
        [tenantId, randomUUID(), input.email.trim(), input.name.trim(), input.role, passwordHash],
      );
      return view(row!);
    } catch (e) {
      if (isUniqueViolation(e)) throw emailTaken();
      throw e;
    }
  }

  /** Changes a user; disabling or a new password ends the user's sessions at once. */
  async update(tenantId: string, userId: string, change: UserChange, by: UserManager): Promise<UserView> {
    const passwordHash = change.password !== undefined ? await hashPassword(change.password) : null;
    await this.db.transaction(async (tx) => {
      const [current] = await tx.query<{ role: Role; disabled: boolean }>(
        `SELECT role, disabled_at IS NOT NULL AS disabled FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, userId],
      );
      if (!current) throw notFound('user');
      const losesAdmin =
        current.role === 'admin' &&
        !current.disabled &&
        (change.role === 'viewer' || change.disabled === true);
      if (by === 'tenant' && losesAdmin) await this.keepAnAdmin(tx, tenantId, userId);
      await tx.query(
        `UPDATE users
            SET name = coalesce($3, name),
                role = coalesce($4, role),
                disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at
                                   WHEN $5::boolean THEN coalesce(disabled_at, now()) ELSE NULL END,
                password_hash = coalesce($6, password_hash)
          WHERE tenant_id = $1 AND id = $2`,
        [
          tenantId,
          userId,
          change.name?.trim() ?? null,
          change.role ?? null,
          change.disabled ?? null,
          passwordHash,
        ],
      );
      if (change.disabled === true || passwordHash !== null) {
        await this.sessions.endForUser(tx, tenantId, userId);
      }
    });
    return this.get(tenantId, userId);
  }

  /** Deletes a user; their sessions go with them. */
  async remove(tenantId: string, userId: string, by: UserManager): Promise<void> {
    await this.db.transaction(async (tx) => {
      const [current] = await tx.query<{ role: Role; disabled: boolean }>(
        `SELECT role, disabled_at IS NOT NULL AS disabled FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
        [tenantId, userId],
      );
      if (!current) throw notFound('user');
      if (by === 'tenant' && current.role === 'admin' && !current.disabled) {
        await this.keepAnAdmin(tx, tenantId, userId);
      }
      await this.sessions.endForUser(tx, tenantId, userId);
      await tx.query(`DELETE FROM users WHERE tenant_id = $1 AND id = $2`, [tenantId, userId]);
    });
  }

  private async keepAnAdmin(tx: Queryable, tenantId: string, userId: string): Promise<void> {
    const [other] = await tx.query(
      `SELECT 1 FROM users WHERE tenant_id = $1 AND id <> $2 AND role = 'admin' AND disabled_at IS NULL LIMIT 1`,
      [tenantId, userId],
    );
    if (!other) {
      throw new DomainError(
        'conflict',
        'this is the last enabled admin of the tenant: make another user an admin first',
      );
    }
  }
}
