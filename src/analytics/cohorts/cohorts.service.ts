import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { Tenant } from '../../tenancy/tenants.service';
import { JsonReply, PreparedJson } from '../../shared/prepared-json';
import { SnapshotService, sourceOf } from '../snapshots/snapshot.service';
import { asOfParam, intParam } from '../shared/as-of';
import { CohortGridRow, CohortsShape, shapeCohorts } from './cohorts.math';
import { COHORT_GRID, DEFAULT_COHORT_MONTHS, MAX_COHORT_MONTHS } from './cohorts.queries';

export { DEFAULT_COHORT_MONTHS, MAX_COHORT_MONTHS } from './cohorts.queries';

export interface CohortsReport extends CohortsShape {
  asOf: string;
  months: number;
  currency: string;
  /** the snapshot the grid was read from, null when computed on demand */
  snapshotId: string | null;
}

/** Acquisition cohorts at asOf: monthly retention, net revenue and the LTV curve per cohort. */
@Injectable()
export class CohortsService {
  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
  ) {}

  /** From a snapshot: the grid shaped and serialized once per (snapshot, currency). */
  async cohorts(tenant: Tenant, query: Record<string, unknown>): Promise<JsonReply<CohortsReport>> {
    const asOf = asOfParam(query.asOf, tenant.timezone);
    const months = intParam(query.months, 'months', DEFAULT_COHORT_MONTHS, 1, MAX_COHORT_MONTHS);
    // the published snapshot stores the grid of the default months (result-steps.ts)
    const snap =
      months === DEFAULT_COHORT_MONTHS
        ? await this.snapshots.usable(tenant.id, asOf, await this.snapshots.settingsFor(tenant.id))
        : null;
    const report = async (): Promise<CohortsReport> => {
      const stored = snap && (await this.snapshots.result<CohortGridRow[]>(tenant.id, snap.id, 'cohorts'));
      const rows = stored ?? (await this.db.query<CohortGridRow>(COHORT_GRID, [tenant.id, asOf, months]));
      return {
        asOf,
        months,
        currency: tenant.currency,
        snapshotId: stored ? snap.id : null,
        ...shapeCohorts(rows),
      };
    };
    // a snapshot never changes: its report is shaped and serialized once, then served from memory
    return snap
      ? this.snapshots.memo(tenant.id, snap.id, `cohorts.report.json:${tenant.currency}`, async () =>
          PreparedJson.of(await report(), sourceOf(tenant.id, snap)),
        )
      : report();
  }
}
