import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { notFound } from '../shared/errors';
import { READ_CACHE_TTL_MS, TenantsService } from '../tenancy/tenants.service';
import { TtlCache } from '../tenancy/ttl-cache';
import { TenantSettings, withDefaults } from './settings';
import { UpdateSettingsDto } from './settings.dto';

/**
 * Per-tenant settings. Reads are cached for READ_CACHE_TTL_MS (every analytics request reads them);
 * an update through this instance is seen at once, one through another instance within that time.
 */
@Injectable()
export class SettingsService {
  private readonly cache = new TtlCache<string, TenantSettings>(READ_CACHE_TTL_MS);

  constructor(
    private readonly db: Database,
    private readonly tenants: TenantsService,
  ) {}

  async get(tenantId: string): Promise<TenantSettings> {
    const settings = await this.cache.get(tenantId, async () => {
      const [row] = await this.db.query<{ settings: Record<string, unknown> }>(
        `SELECT settings FROM tenants WHERE id = $1`,
        [tenantId],
      );
      if (!row) throw notFound('tenant');
      return withDefaults(row.settings);
    });
    return { ...settings };
  }

  async update(tenantId: string, patch: UpdateSettingsDto): Promise<TenantSettings> {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await this.db.query(`UPDATE tenants SET settings = settings || $2::jsonb WHERE id = $1`, [
      tenantId,
      JSON.stringify(clean),
    ]);
    this.cache.invalidate(tenantId);
    this.tenants.forgetKeys();
    return this.get(tenantId);
  }
}
