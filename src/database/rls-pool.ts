import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_ROLE, contextStatement, currentDbContext, DbContext } from './tenant-context';

type Client = { query: (sql: string, params?: unknown[]) => Promise<unknown> };
type ConnectCallback = (err: unknown, client?: Client, release?: (err?: unknown) => void) => void;
type Pool = { connect: (cb: ConnectCallback) => void; __harakahContext?: boolean };

const contextKey = (ctx: DbContext) => (ctx.system ? 'system' : `tenant:${ctx.tenantId ?? ''}`);

/**
 * Wraps the pool's connect so that every checked-out connection is put in the current async
 * context's tenant or system mode before its first statement (tenant-context.ts). One round trip
 * per checkout, skipped when the connection is already in that context (PGlite's single
 * connection, a pooled connection reused by the same tenant).
 */
export async function installTenantContext(ds: DataSource): Promise<{ switchRole: boolean }> {
  const driver = ds.driver as unknown as { master?: Pool };
  const pool = driver.master;
  if (!pool || pool.__harakahContext) return { switchRole: false };
  const switchRole = await canSwitchRole(ds);
  if (!switchRole) {
    new Logger('Database').warn(
      `the database role cannot SET ROLE ${APP_ROLE}: row-level security then holds only if the service ` +
        `connects as a non-owner role (docs/deployment.md)`,
    );
  }
  const applied = new WeakMap<object, string>();
  const connect = pool.connect.bind(pool);
  pool.connect = (cb: ConnectCallback) => {
    const ctx = currentDbContext();
    connect((err, client, release) => {
      if (err || !client) return cb(err, client, release);
      const key = contextKey(ctx);
      if (applied.get(client) === key) return cb(null, client, release);
      const { sql, params } = contextStatement(ctx, switchRole);
      client.query(sql, params).then(
        () => {
          applied.set(client, key);
          cb(null, client, release);
        },
        (e: unknown) => {
          applied.delete(client);
          release?.(e);
          cb(e);
        },
      );
    });
  };
  pool.__harakahContext = true;
  return { switchRole };
}

async function canSwitchRole(ds: DataSource): Promise<boolean> {
  const rows = await ds.query<{ ok: boolean }[]>(
    `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)
            AND pg_has_role(current_user, (SELECT oid FROM pg_roles WHERE rolname = $1), 'MEMBER') AS ok`,
    [APP_ROLE],
  );
  return rows[0]?.ok === true;
}
