import { Injectable } from '@nestjs/common';
import { Queryable } from '../../database/database';
import { TenantSettings } from '../../settings/settings';
import { ReportDocument, ReportLanguage, ReportType } from '../report-types';

/** Everything a provider may use: the database, the tenant, the run's parameters, the previous run. */
export interface ReportContext {
  db: Queryable;
  tenant: { id: string; currency: string; timezone: string };
  settings: TenantSettings;
  /** the run's as-of date: the due time's calendar date in the schedule's time zone */
  asOf: string;
  language: ReportLanguage;
  filters: Record<string, unknown>;
  runId: string;
  scheduleId: string;
  generatedAt: Date;
  /** the schedule's latest succeeded run before this one, for "change since the last run" */
  previous: { runId: string; asOf: string; document: ReportDocument } | null;
}

/**
 * One per report type. A provider reads the database (set-based SQL, tenant $1) and returns a
 * report document; it never writes, never sends, and never reads the clock (generatedAt is given).
 */
export interface ReportContentProvider {
  readonly type: ReportType;
  /** filter keys this type accepts (the DTO has validated their values) */
  readonly filterKeys: readonly string[];
  generate(ctx: ReportContext): Promise<ReportDocument>;
}

/**
 * The provider of each type. `use` swaps one in: the churn-risk engine replaces the interim RFM
 * provider this way when it lands, and tests wrap a provider to stop a run half-way.
 */
@Injectable()
export class ReportContent {
  private readonly providers = new Map<ReportType, ReportContentProvider>();

  use(provider: ReportContentProvider): void {
    this.providers.set(provider.type, provider);
  }

  /** Registers a provider unless another module has already put one in for its type. */
  useDefault(provider: ReportContentProvider): void {
    if (!this.providers.has(provider.type)) this.use(provider);
  }

  get(type: ReportType): ReportContentProvider {
    const provider = this.providers.get(type);
    if (!provider) throw new Error(`no content provider for report type ${type}`);
    return provider;
  }

  has(type: ReportType): boolean {
    return this.providers.has(type);
  }
}
