import { Injectable } from '@nestjs/common';
import { Database } from '../../database/database';
import { addDays } from '../../shared/dates';
import { DomainError } from '../../shared/errors';
import { formatMoney, Money } from '../../shared/money';
import { JsonReply, PreparedJson } from '../../shared/prepared-json';
import { Tenant } from '../../tenancy/tenants.service';
import { Lang, STAGES, stageLabel } from '../lifecycle/lifecycle.math';
import { RFM_SEGMENTS } from '../rfm/rfm.math';
import { asOfParam, dateParam, enumParam, intParam } from '../shared/as-of';
import { PublishedQueries } from '../snapshots/published-queries';
import { SnapshotService, sourceOf } from '../snapshots/snapshot.service';
import {
  LIFECYCLE_MOVEMENT,
  LIFECYCLE_SUMMARY,
  RFM_MOVEMENT,
  RFM_SCORE_DISTRIBUTION,
  RFM_SEGMENT_COUNTS,
} from './segments.queries';

type Query = Record<string, unknown>;
type RfmResponse = Awaited<ReturnType<SegmentsService['rfmResponse']>>;
type LifecycleResponse = Awaited<ReturnType<SegmentsService['lifecycleResponse']>>;

const share = (part: Money, whole: Money) =>
  whole.isZero() ? null : part.div(whole).times(100).toDecimalPlaces(2).toFixed(2);

export function segmentLabel(key: string, lang: Lang): string {
  const s = RFM_SEGMENTS.find((x) => x.key === key);
  return s
    ? lang === 'ar'
      ? s.labelAr
      : s.labelEn
    : key === 'none'
      ? lang === 'ar'
        ? 'لا شيء'
        : 'None'
      : key;
}

/** RFM segments, customer movement and lifecycle stages (DOMAIN.md §3–4), computed in SQL on request. */
@Injectable()
export class SegmentsService {
  constructor(
    private readonly db: Database,
    private readonly snapshots: SnapshotService,
    private readonly published: PublishedQueries,
  ) {
    // the overview's and /segments' movement: the last 90 days
    published.register({ name: 'rfm.movement', read: (t) => this.movement(t, {}, 'en') });
  }

  private async windowDays(tenant: Tenant, q: Query): Promise<number | null> {
    if (q.windowDays !== undefined && q.windowDays !== '')
      return intParam(q.windowDays, 'windowDays', 0, 1, 3650);
    return (await this.snapshots.settingsFor(tenant.id)).rfmWindowDays;
  }

  /** The published snapshot for (tenant, asOf) when the request uses the tenant's own settings. */
  private async snapshot(tenant: Tenant, asOf: string, custom: boolean) {
    if (custom) return null;
    return this.snapshots.usable(tenant.id, asOf, await this.snapshots.settingsFor(tenant.id));
  }

  /** From a snapshot: the response serialized once per (snapshot, language, currency), then from memory. */
  async rfm(tenant: Tenant, q: Query, lang: Lang): Promise<JsonReply<RfmResponse>> {
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const windowDays = await this.windowDays(tenant, q);
    const snap = await this.snapshot(tenant, asOf, q.windowDays !== undefined && q.windowDays !== '');
    if (snap) {
      return this.snapshots.memo(tenant.id, snap.id, `rfm.json:${lang}:${tenant.currency}`, async () =>
        PreparedJson.of(
          await this.rfmResponse(tenant, asOf, windowDays, snap, lang),
          sourceOf(tenant.id, snap),
        ),
      );
    }
    return this.rfmResponse(tenant, asOf, windowDays, null, lang);
  }

  private async rfmResponse(
    tenant: Tenant,
    asOf: string,
    windowDays: number | null,
    snap: { id: string } | null,
    lang: Lang,
  ) {
    type SegRow = { segment: string; customers: number; net_revenue: string };
    type DistRow = { dim: string; score: number; customers: number };
    const rows =
      (snap && (await this.snapshots.result<SegRow[]>(tenant.id, snap.id, 'rfm.segments'))) ??
      (await this.db.query<SegRow>(RFM_SEGMENT_COUNTS, [tenant.id, asOf, windowDays]));
    const dist =
      (snap && (await this.snapshots.result<DistRow[]>(tenant.id, snap.id, 'rfm.distribution'))) ??
      (await this.db.query<DistRow>(RFM_SCORE_DISTRIBUTION, [tenant.id, asOf, windowDays]));
    const population = rows.reduce((n, r) => n + Number(r.customers), 0);
    const revenue = rows.reduce((s, r) => s.plus(r.net_revenue), new Money(0));
    const by = new Map(rows.map((r) => [r.segment, r]));
    const scores = (dim: string) =>
      [1, 2, 3, 4, 5].map((score) => ({
        score,
        customers: Number(dist.find((d) => d.dim === dim && Number(d.score) === score)?.customers ?? 0),
      }));
    return {
      asOf,
      windowDays,
      snapshotId: snap?.id ?? null,
      currency: tenant.currency,
      population,
      netRevenue: formatMoney(revenue),
      segments: RFM_SEGMENTS.map((s) => {
        const r = by.get(s.key);
        const customers = Number(r?.customers ?? 0);
        const net = new Money(r?.net_revenue ?? 0);
        return {
          segment: s.key,
          label: lang === 'ar' ? s.labelAr : s.labelEn,
          labelAr: s.labelAr,
          cells: s.cells.map(([rr, fm]) => `${rr}${fm}`),
          customers,
          netRevenue: formatMoney(net),
          customerShare: share(new Money(customers), new Money(population)),
          revenueShare: share(net, revenue),
        };
      }),
      scoreDistribution: { r: scores('r'), f: scores('f'), m: scores('m'), fm: scores('fm') },
    };
  }

  async movement(tenant: Tenant, q: Query, lang: Lang) {
    const by = enumParam(q.by, 'by', ['rfm', 'lifecycle'] as const, 'rfm');
    const to = asOfParam(q.to, tenant.timezone);
    const from = dateParam(q.from, 'from', tenant.timezone) ?? addDays(to, -90);
    if (from >= to) throw new DomainError('bad_request', 'from must be before to', { field: 'from' });
    let rows: { from_key: string; to_key: string; customers: number; net_revenue: string }[];
    let keys: string[];
    if (by === 'rfm') {
      rows = await this.published.query(tenant, RFM_MOVEMENT, [
        tenant.id,
        from,
        to,
        await this.windowDays(tenant, q),
      ]);
      keys = RFM_SEGMENTS.map((s) => s.key);
    } else {
      const s = await this.snapshots.settingsFor(tenant.id);
      rows = await this.published.query(tenant, LIFECYCLE_MOVEMENT, [
        tenant.id,
        from,
        to,
        s.newDays,
        s.lapseDays,
        s.paymentTermsDays,
      ]);
      keys = STAGES.map((x) => x.key);
    }
    const label = (k: string) =>
      by === 'rfm' ? segmentLabel(k, lang) : k === 'none' ? segmentLabel(k, lang) : stageLabel(k, lang);
    const cell = new Map(rows.map((r) => [`${r.from_key}→${r.to_key}`, r]));
    const cells = ['none', ...keys].flatMap((f) =>
      keys.map((t) => {
        const r = cell.get(`${f}→${t}`);
        return {
          from: f,
          to: t,
          fromLabel: label(f),
          toLabel: label(t),
          customers: Number(r?.customers ?? 0),
          netRevenue: formatMoney(r?.net_revenue ?? 0),
        };
      }),
    );
    return {
      by,
      from,
      to,
      currency: tenant.currency,
      population: cells.reduce((n, c) => n + c.customers, 0),
      netRevenue: formatMoney(rows.reduce((s, r) => s.plus(r.net_revenue), new Money(0))),
      cells,
    };
  }

  /** From a snapshot: the response serialized once per (snapshot, language), then from memory. */
  async lifecycle(tenant: Tenant, q: Query, lang: Lang): Promise<JsonReply<LifecycleResponse>> {
    const asOf = asOfParam(q.asOf, tenant.timezone);
    const snap = await this.snapshot(tenant, asOf, false);
    if (snap) {
      return this.snapshots.memo(tenant.id, snap.id, `lifecycle.json:${lang}`, async () =>
        PreparedJson.of(await this.lifecycleResponse(tenant, asOf, snap, lang), sourceOf(tenant.id, snap)),
      );
    }
    return this.lifecycleResponse(tenant, asOf, null, lang);
  }

  private async lifecycleResponse(tenant: Tenant, asOf: string, snap: { id: string } | null, lang: Lang) {
    const s = await this.snapshots.settingsFor(tenant.id);
    type StageRow = {
      stage: string;
      customers: number;
      in30: number;
      out30: number;
      in90: number;
      out90: number;
    };
    const rows =
      (snap && (await this.snapshots.result<StageRow[]>(tenant.id, snap.id, 'lifecycle'))) ??
      (await this.db.query<StageRow>(LIFECYCLE_SUMMARY, [
        tenant.id,
        asOf,
        addDays(asOf, -30),
        addDays(asOf, -90),
        s.newDays,
        s.lapseDays,
        s.paymentTermsDays,
      ]));
    return {
      asOf,
      snapshotId: snap?.id ?? null,
      customers: rows.reduce((n, r) => n + Number(r.customers), 0),
      stages: rows.map((r) => ({
        stage: r.stage,
        label: stageLabel(r.stage, lang),
        customers: Number(r.customers),
        flows: {
          last30Days: { in: Number(r.in30), out: Number(r.out30) },
          last90Days: { in: Number(r.in90), out: Number(r.out90) },
        },
      })),
    };
  }
}
