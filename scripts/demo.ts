/**
 * `npm run demo`: starts the service on the embedded database (or DATABASE_URL), creates the demo
 * tenant on first run and loads a generated business into it through the import API, then prints an
 * API key and a few requests to try, and the demo users' login (an admin and a viewer, password
 * DEMO_PASSWORD, put back on every start). The service keeps running until Ctrl-C.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app.factory';
import { importFile } from '../src/cli/import-file';
import { loadConfig } from '../src/config/config';
import { installShutdown } from '../src/ops/shutdown';
import { Database } from '../src/database/database';
import { describeDatabase } from '../src/database/data-source';
import { DEMO_DEFAULTS, FILE_NAMES, Manifest, writeBusiness } from '../src/demo/generator';
import { verifyPassword } from '../src/auth/passwords';
import { UsersService } from '../src/auth/users.service';
import { TenantsService } from '../src/tenancy/tenants.service';

const DEMO_TENANT = 'Harakah Demo Trading Co.';
const DEMO_PASSWORD = 'harakah-demo-2026';
const DEMO_USERS = [
  { email: 'admin@demo.harakah.local', role: 'admin', name: 'Demo Admin' },
  { email: 'viewer@demo.harakah.local', role: 'viewer', name: 'Demo Viewer' },
] as const;
const ORDER = [
  ['customers', FILE_NAMES.customer],
  ['products', FILE_NAMES.product],
  ['invoices', FILE_NAMES.invoice],
  ['payments', FILE_NAMES.payment],
  ['credit-notes', FILE_NAMES['credit-note']],
  ['inventory', FILE_NAMES.inventory],
] as const;

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'warn', ...process.env });
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  installShutdown(app, config.shutdownTimeoutMs);
  const url = `http://localhost:${config.port}`;
  console.log(`Harakah is running at ${url} on ${describeDatabase(config)}`);

  const tenants = app.get(TenantsService);
  const db = app.get(Database);
  const [existing] = await db.query<{ id: string }>(
    `SELECT id FROM tenants WHERE name = $1 ORDER BY created_at LIMIT 1`,
    [DEMO_TENANT],
  );
  const { id, apiKey } = existing
    ? { id: existing.id, apiKey: (await tenants.issueKey(existing.id, 'demo')).apiKey }
    : await tenants.create({ name: DEMO_TENANT, currency: 'SAR', timezone: 'Asia/Riyadh' });

  await ensureDemoUsers(app.get(UsersService), db, id);
  const login = `Log in at ${url}/login as ${DEMO_USERS.map((u) => `${u.email} (${u.role})`).join(' or ')}, password ${DEMO_PASSWORD}`;
  console.log(login);

  const [{ n } = { n: 0 }] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM invoices WHERE tenant_id = $1`,
    [id],
  );
  if (Number(n) === 0) {
    const dir = join(config.dataDir === 'memory://' ? 'data' : config.dataDir, 'demo');
    const manifest: Manifest = existsSync(join(dir, 'manifest.json'))
      ? (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest)
      : await writeBusiness(dir, DEMO_DEFAULTS);
    console.log(
      `Loading the demo business: ${manifest.counts.customers} customers, ${manifest.counts.invoices} invoices ` +
        `(${manifest.counts.invoiceLines} lines) over ${manifest.parameters.years} years…`,
    );
    for (const [resource, file] of ORDER) {
      const s = await importFile({
        url: `http://127.0.0.1:${config.port}`,
        apiKey,
        resource,
        file: join(dir, file),
        batchLines: 5000,
      });
      console.log(
        `  ${resource.padEnd(13)} ${String(s.received).padStart(7)} records in ${s.seconds.toFixed(1)} s`,
      );
      if (s.failed)
        throw new Error(`demo import of ${resource} failed: ${JSON.stringify(s.failed.body).slice(0, 2000)}`);
    }
  }

  console.log(`
Demo tenant: ${DEMO_TENANT} (${id})
API key (shown once): ${apiKey}

Try:
  curl -H "Authorization: Bearer ${apiKey}" "${url}/v1/invoices?limit=2"
  curl -H "Authorization: Bearer ${apiKey}" "${url}/v1/customers/C000001"
  curl -H "Authorization: Bearer ${apiKey}" "${url}/v1/import/runs"
API documentation: ${url}/docs        Stop with Ctrl-C.
${login}`);
}

/** The demo admin and viewer exist, enabled, with DEMO_PASSWORD (put back if it was changed). */
async function ensureDemoUsers(users: UsersService, db: Database, tenantId: string): Promise<void> {
  for (const u of DEMO_USERS) {
    const [row] = await db.query<{ id: string; tenant_id: string; password_hash: string; disabled: boolean }>(
      `SELECT id, tenant_id, password_hash, disabled_at IS NOT NULL AS disabled FROM users WHERE lower(email) = $1`,
      [u.email],
    );
    if (!row) {
      await users.create(tenantId, { ...u, password: DEMO_PASSWORD });
    } else if (
      row.tenant_id === tenantId &&
      (row.disabled || !(await verifyPassword(DEMO_PASSWORD, row.password_hash)))
    ) {
      await users.update(
        tenantId,
        row.id,
        { password: DEMO_PASSWORD, disabled: false, role: u.role },
        'operator',
      );
    }
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
