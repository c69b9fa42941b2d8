import { Injectable, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queryable } from '../../database/database';
import { TenantSettings } from '../../settings/settings';
import { Label, ReportDocument, ReportLanguage, ReportType } from '../report-types';

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
 * The services of the analytics engines (as their modules export them), for providers that take
 * their content from an engine rather than from SQL of their own, so a report says what the API says.
 */
export interface Engines {
  get<T>(service: Type<T>): T;
}

/**
 * One per report type. A provider reads the database (set-based SQL, tenant $1) or calls an engine
 * and returns a report document; it never writes, never sends, and never reads the clock
 * (generatedAt is given).
 */
export interface ReportContentProvider {
  readonly type: ReportType;
  /** filter keys this type accepts (the DTO has validated their values) */
  readonly filterKeys: readonly string[];
  /** called when the provider is registered: an engine-backed provider keeps `engines` */
  attach?(engines: Engines): void;
  generate(ctx: ReportContext): Promise<ReportDocument>;
}

/**
 * A provider whose content comes from an analytics engine: it keeps the engine lookup `use` hands it
 * and answers the engine's service.
 */
export abstract class EngineReport implements ReportContentProvider {
  abstract readonly type: ReportType;
  abstract readonly filterKeys: readonly string[];
  private engines: Engines | null = null;

  attach(engines: Engines): void {
    this.engines = engines;
  }

  protected engine<T>(service: Type<T>): T {
    if (!this.engines) throw new Error(`${this.type} report: not attached to the engines`);
    return this.engines.get(service);
  }

  abstract generate(ctx: ReportContext): Promise<ReportDocument>;
}

/** The fields every report document takes from its run. */
export function reportHeader(ctx: ReportContext, type: ReportType, title: Label, source: string) {
  return {
    type,
    title,
    language: ctx.language,
    asOf: ctx.asOf,
    generatedAt: ctx.generatedAt.toISOString(),
    currency: ctx.tenant.currency,
    runId: ctx.runId,
    scheduleId: ctx.scheduleId,
    source,
  };
}

/**
 * The provider of each type. `use` swaps one in: the churn-risk engine replaces the interim RFM
 * provider this way when it lands, and tests wrap a provider to stop a run half-way.
 */
@Injectable()
export class ReportContent {
  private readonly providers = new Map<ReportType, ReportContentProvider>();
  /** any module's exported providers, looked up when a provider asks (the engines are not our imports) */
  private readonly engines: Engines;

  constructor(moduleRef: ModuleRef) {
    this.engines = { get: (service) => moduleRef.get(service, { strict: false }) };
  }

  use(provider: ReportContentProvider): void {
    provider.attach?.(this.engines);
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
