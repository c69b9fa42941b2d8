import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Database, Queryable } from '../../database/database';
import { addDays } from '../../shared/dates';
import { TenantSettings, withDefaults } from '../../settings/settings';
import { LIFECYCLE_SUMMARY } from '../customers/segments.queries';
import {
  CURRENT_SNAPSHOT,
  INSERT_SNAPSHOT_CUSTOMERS,
  SNAPSHOT_RFM_DISTRIBUTION,
  SNAPSHOT_RFM_SEGMENTS,
} from './snapshot.queries';

export interface UsableSnapshot {
  id: string;
  asOf: string;
}

export function settingsHash(s: TenantSettings): string {
  return createHash('sha256').update(JSON.stringify(s)).digest('hex').slice(0, 32);
}

/** The result kinds stored with a snapshot: the rows the summary endpoints shape. */
export type SnapshotKind = 'rfm.segments' | 'rfm.distribution' | 'lifecycle';

/**
 * Snapshots (ADR 0008). A recompute writes every result for (tenant, asOf) in one transaction and
 * publishes it by pointing tenants.current_snapshot_id at it; reads for that date use it only while
 * its data version and settings are still the tenant's, and compute on demand otherwise.
 */
@Injectable()
export class SnapshotService {
  private readonly log = new Logger('Snapshots');

  constructor(private readonly db: Database) {}

  /** The snapshot to serve (tenant, asOf, settings) from, or null to compute on demand. */
  async usable(tenantId: string, asOf: string, settings: TenantSettings): Promise<UsableSnapshot | null> {
    const [s] = await this.db.query<{
      id: string;
      as_of: string;
      data_version: number;
      tenant_version: number;
      settings_hash: string;
    }>(CURRENT_SNAPSHOT, [tenantId]);
    if (
      !s ||
      s.as_of !== asOf ||
      Number(s.data_version) !== Number(s.tenant_version) ||
      s.settings_hash !== settingsHash(settings)
    ) {
      return null;
    }
    return { id: s.id, asOf };
  }

  async result<T>(tenantId: string, snapshotId: string, kind: SnapshotKind): Promise<T | null> {
    const [r] = await this.db.query<{ payload: T }>(
      `SELECT payload FROM snapshot_results WHERE tenant_id = $1 AND snapshot_id = $2 AND kind = $3`,
      [tenantId, snapshotId, kind],
    );
    return r ? r.payload : null;
  }

  /** Computes and publishes the snapshot of (tenant, asOf); returns its id. */
  async recompute(
    tenantId: string,
    asOf: string,
  ): Promise<{ id: string; customers: number; durationMs: number }> {
    const started = Date.now();
    const id = randomUUID();
    const out = await this.db.transaction(async (tx) => {
      // the tenant row lock orders this recompute after any import that already bumped the version
      const [t] = await tx.query<{ data_version: number; settings: Record<string, unknown> }>(
        `SELECT data_version, settings FROM tenants WHERE id = $1 FOR UPDATE`,
        [tenantId],
      );
      if (!t) throw new Error(`tenant ${tenantId} not found`);
      const s = withDefaults(t.settings);
      await tx.query(
        `INSERT INTO analytics_snapshots (tenant_id, id, as_of, data_version, settings_hash, customers, duration_ms)
         VALUES ($1, $2, $3, $4, $5, 0, 0)`,
        [tenantId, id, asOf, t.data_version, settingsHash(s)],
      );
      const metrics = [
        tenantId,
        asOf,
        s.rfmWindowDays,
        s.newDays,
        s.lapseDays,
        s.paymentTermsDays,
        s.annualCreditRate,
      ];
      await tx.query(INSERT_SNAPSHOT_CUSTOMERS, [...metrics, id]);
      await this.storeResults(tx, tenantId, id, asOf, s);
      const [{ n } = { n: 0 }] = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM snapshot_customers WHERE tenant_id = $1 AND snapshot_id = $2`,
        [tenantId, id],
      );
      const durationMs = Date.now() - started;
      await tx.query(
        `UPDATE analytics_snapshots SET customers = $3, duration_ms = $4 WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id, n, durationMs],
      );
      await tx.query(`UPDATE tenants SET current_snapshot_id = $2 WHERE id = $1`, [tenantId, id]);
      await tx.query(`DELETE FROM analytics_snapshots WHERE tenant_id = $1 AND id <> $2`, [tenantId, id]);
      return { id, customers: Number(n), durationMs };
    });
    this.log.log(
      `tenant ${tenantId}: snapshot ${asOf} with ${out.customers} customers in ${out.durationMs} ms`,
    );
    return out;
  }

  private async storeResults(tx: Queryable, tenantId: string, id: string, asOf: string, s: TenantSettings) {
    const put = (kind: SnapshotKind, rows: unknown) =>
      tx.query(
        `INSERT INTO snapshot_results (tenant_id, snapshot_id, kind, payload) VALUES ($1, $2, $3, $4::jsonb)`,
        [tenantId, id, kind, JSON.stringify(rows)],
      );
    // the RFM summaries come from the rows just written: the same numbers, computed once
    await put('rfm.segments', await tx.query(SNAPSHOT_RFM_SEGMENTS, [tenantId, id]));
    await put('rfm.distribution', await tx.query(SNAPSHOT_RFM_DISTRIBUTION, [tenantId, id]));
    await put(
      'lifecycle',
      await tx.query(LIFECYCLE_SUMMARY, [
        tenantId,
        asOf,
        addDays(asOf, -30),
        addDays(asOf, -90),
        s.newDays,
        s.lapseDays,
        s.paymentTermsDays,
      ]),
    );
  }
}
