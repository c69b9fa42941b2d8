import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Row-level security's half in the service (ADR 0014). Every connection the service checks out of
 * its pool is first told whose work it does, from the async context the checkout happens in:
 * - a request, once a guard has bound its tenant: role harakah_app (not the tables' owner, so the
 *   tenant_isolation policies apply) and app.tenant_id = the tenant — a query that forgot its
 *   `WHERE tenant_id` still sees only that tenant's rows;
 * - a request no guard has bound (yet): role harakah_app and no tenant — tenant tables look empty;
 * - system work (workers, schedulers, migrations, admin routes, the CLI — anything outside a request,
 *   or inside asSystem): the login role with app.system = on, across tenants.
 */
export interface DbContext {
  tenantId: string | null;
  system: boolean;
}

const storage = new AsyncLocalStorage<DbContext>();

/** Runs `work` (and everything it starts) as one HTTP request: no tenant until bindTenant. */
export function runAsRequest<T>(work: () => T): T {
  return storage.run({ tenantId: null, system: false }, work);
}

/** Binds the current request to its tenant (the guards, once the caller is authenticated). */
export function bindTenant(tenantId: string): void {
  const ctx = storage.getStore();
  if (ctx && !ctx.system) ctx.tenantId = tenantId;
}

/** Marks the current request as system work (admin routes, behind the admin token). */
export function bindSystem(): void {
  const ctx = storage.getStore();
  if (ctx) {
    ctx.system = true;
    ctx.tenantId = null;
  }
}

/** Runs `work` for one tenant, wherever it is called from (a job for one tenant). */
export function withTenant<T>(tenantId: string, work: () => T): T {
  return storage.run({ tenantId, system: false }, work);
}

/** Runs `work` across tenants (a key lookup before the tenant is known, a worker's claim). */
export function asSystem<T>(work: () => T): T {
  return storage.run({ tenantId: null, system: true }, work);
}

/** The context a connection checked out now works in; outside any request, system work. */
export function currentDbContext(): DbContext {
  return storage.getStore() ?? { tenantId: null, system: true };
}

export const APP_ROLE = 'harakah_app';

/**
 * The statement that puts a checked-out connection in `ctx`, with its parameters. `switchRole` is
 * false where the login role cannot become harakah_app (then it is a non-owner role itself, subject
 * to the policies, and app.system decides).
 */
export function contextStatement(ctx: DbContext, switchRole: boolean): { sql: string; params: string[] } {
  const tenant = ctx.system ? '' : (ctx.tenantId ?? '');
  const system = ctx.system ? 'on' : 'off';
  if (!switchRole) {
    return {
      sql: `SELECT set_config('app.tenant_id', $1, false), set_config('app.system', $2, false)`,
      params: [tenant, system],
    };
  }
  return {
    sql: `SELECT set_config('role', $3, false), set_config('app.tenant_id', $1, false), set_config('app.system', $2, false)`,
    params: [tenant, system, ctx.system ? 'none' : APP_ROLE],
  };
}
