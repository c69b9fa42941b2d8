import { Injectable } from '@nestjs/common';
import { Database } from '../database/database';
import { notFound } from '../shared/errors';
import { TenantSettings, withDefaults } from './settings';
import { UpdateSettingsDto } from './settings.dto';

@Injectable()
export class SettingsService {
  constructor(private readonly db: Database) {}

  async get(tenantId: string): Promise<TenantSettings> {
    const [row] = await this.db.query<{ settings: Record<string, unknown> }>(
      `SELECT settings FROM tenants WHERE id = $1`,
      [tenantId],
    );
    if (!row) throw notFound('tenant');
    return withDefaults(row.settings);
  }

  async update(tenantId: string, patch: UpdateSettingsDto): Promise<TenantSettings> {
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    await this.db.query(`UPDATE tenants SET settings = settings || $2::jsonb WHERE id = $1`, [
      tenantId,
      JSON.stringify(clean),
    ]);
    return this.get(tenantId);
  }
}
