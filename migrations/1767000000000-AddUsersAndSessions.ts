import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * User accounts and browser sessions (ADR 0015).
 *
 * - users: one person of one tenant. The email is unique over lower(email) across ALL tenants, the
 *   one unique key without tenant_id: login takes only an email and a password, so the email alone
 *   must say whose account it is.
 * - sessions: id is the SHA-256 (hex) of the random token in the cookie; the token itself is never
 *   stored. Idle expiry from last_seen_at, absolute expiry at expires_at.
 * - login_failures: refused logins, keyed by lower(email) and by client address, for throttling;
 *   no tenant_id (an unknown email has no tenant), pruned once older than the throttle window.
 * users and sessions get the tenant_isolation policy like every tenant table (ADR 0014).
 */
export class AddUsersAndSessions1767000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        tenant_id uuid NOT NULL,
        id uuid NOT NULL,
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL,
        password_hash text NOT NULL,
        locale text,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_login_at timestamptz,
        CONSTRAINT pk_users PRIMARY KEY (tenant_id, id),
        CONSTRAINT fk_users_tenant FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
        CONSTRAINT ck_users_role CHECK (role IN ('admin', 'viewer')),
        CONSTRAINT ck_users_locale CHECK (locale IS NULL OR locale IN ('ar', 'en'))
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_users_email ON users (lower(email))`);
    await q.query(`
      CREATE TABLE sessions (
        tenant_id uuid NOT NULL,
        id text NOT NULL,
        user_id uuid NOT NULL,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        CONSTRAINT pk_sessions PRIMARY KEY (tenant_id, id),
        CONSTRAINT fk_sessions_user FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
          ON DELETE CASCADE
      )`);
    await q.query(`CREATE UNIQUE INDEX ux_sessions_id ON sessions (id)`);
    await q.query(`CREATE INDEX ix_sessions_user ON sessions (tenant_id, user_id)`);
    await q.query(`CREATE INDEX ix_sessions_expires ON sessions (expires_at)`);
    await q.query(`
      CREATE TABLE login_failures (
        id bigint GENERATED ALWAYS AS IDENTITY,
        email text NOT NULL,
        address text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_login_failures PRIMARY KEY (id)
      )`);
    await q.query(`CREATE INDEX ix_login_failures_email ON login_failures (email, failed_at)`);
    await q.query(`CREATE INDEX ix_login_failures_address ON login_failures (address, failed_at)`);
    await q.query(`CREATE INDEX ix_login_failures_failed ON login_failures (failed_at)`);
    await q.query(`SELECT harakah_enable_rls('users'), harakah_enable_rls('sessions')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE login_failures`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE users`);
  }
}
