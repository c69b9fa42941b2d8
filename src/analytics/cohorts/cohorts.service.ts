import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { Tenant } from '../../tenancy/tenants.service';
import { asOfParam, intParam } from '../shared/as-of';
import { CohortGridRow, CohortsShape, shapeCohorts } from './cohorts.math';
import { COHORT_GRID } from './cohorts.queries';

export const DEFAULT_COHORT_MONTHS = 12;
export const MAX_COHORT_MONTHS = 120;

export interface CohortsReport extends CohortsShape {
  asOf: string;
  months: number;
  currency: string;
}

/** Acquisition cohorts at asOf: monthly retention, net revenue and the LTV curve per cohort. */
@Injectable()
export class CohortsService {
  constructor(private readonly db: Database) {}

  async cohorts(tenant: Tenant, query: Record<string, unknown>): Promise<CohortsReport> {
    const asOf = asOfParam(query.asOf, tenant.timezone);
    const months = intParam(query.months, 'months', DEFAULT_COHORT_MONTHS, 1, MAX_COHORT_MONTHS);
    const rows = await this.db.query<CohortGridRow>(COHORT_GRID, [tenant.id, asOf, months]);
    return { asOf, months, currency: tenant.currency, ...shapeCohorts(rows) };
  }
}
