import { newVsReturning, sumDecimals } from '../derive';
import { get } from '../api';
import { axes, Chart, grid } from '../chart';
import { isoDay, money, month, num } from '../format';
import { getLang, t } from '../i18n';
import { Aging, Churn, Cohorts, Dso, Lifecycle, Movement, Profitability, Rfm } from '../types';
import { Figure, PageTitle, Section, Show, useLoad } from '../ui';

export function segmentName(s: { label: string; labelAr?: string }): string {
  return getLang() === 'ar' && s.labelAr ? s.labelAr : s.label;
}

/** A from × to matrix of customers (heatmap) from a movement answer. */
export function MovementMatrix({ m, label }: { m: Movement; label: string }) {
  const froms = [...new Map(m.cells.map((c) => [c.from, c.fromLabel])).entries()];
  const tos = [...new Map(m.cells.map((c) => [c.to, c.toLabel])).entries()];
  const data = m.cells.map((c) => [
    tos.findIndex(([k]) => k === c.to),
    froms.findIndex(([k]) => k === c.from),
    c.customers,
  ]);
  const max = Math.max(1, ...m.cells.map((c) => c.customers));
  const rtl = getLang() === 'ar';
  return (
    <Chart
      label={label}
      height={420}
      option={{
        grid: { ...grid, top: 16, bottom: 48 },
        xAxis: {
          type: 'category',
          data: tos.map(([, l]) => l),
          inverse: rtl,
          name: t('chart.to'),
          nameLocation: 'middle',
          nameGap: 90,
          axisLabel: { rotate: 45, interval: 0 },
        },
        yAxis: {
          type: 'category',
          data: froms.map(([, l]) => l),
          inverse: true,
          position: rtl ? 'right' : 'left',
          axisLabel: { interval: 0 },
        },
        visualMap: { min: 0, max, show: false, inRange: { color: ['#f4f7f6', '#0f5c4d'] } },
        series: [{ type: 'heatmap', data, label: { show: true, fontSize: 10 } }],
      }}
    />
  );
}

export function OverviewPage() {
  const today = new Date();
  const from = isoDay(today, -364);
  const life = useLoad(() => get<Lifecycle>('/v1/analytics/lifecycle'), []);
  const prof = useLoad(() => get<Profitability>('/v1/analytics/profitability', { from, limit: 1 }), []);
  const aging = useLoad(() => get<Aging>('/v1/analytics/receivables/aging', { limit: 1 }), []);
  const dso = useLoad(() => get<Dso>('/v1/analytics/receivables/dso'), []);
  const cohorts = useLoad(() => get<Cohorts>('/v1/analytics/cohorts', { months: 12 }), []);
  const rfm = useLoad(() => get<Rfm>('/v1/analytics/rfm'), []);
  const movement = useLoad(() => get<Movement>('/v1/analytics/rfm/movement'), []);
  const churn = useLoad(() => get<Churn>('/v1/analytics/churn', { limit: 1 }), []);
  const stage = (l: Lifecycle, key: string) => num(l.stages.find((s) => s.stage === key)?.customers ?? 0);
  const overdue = (a: Aging) =>
    sumDecimals(a.buckets.filter((b) => b.key !== 'notYetDue').map((b) => a.totals.buckets[b.key]));
  return (
    <>
      <PageTitle title={t('overview.title')} />
      <div className="figures">
        <Show s={life}>
          {(l) => (
            <>
              <Figure label={t('overview.customers')} value={num(l.customers)} />
              <Figure label={t('stage.active')} value={stage(l, 'active')} />
              <Figure label={t('stage.at_risk')} value={stage(l, 'at_risk')} />
              <Figure label={t('stage.lapsed')} value={stage(l, 'lapsed')} />
            </>
          )}
        </Show>
        <Show s={prof}>
          {(p) => (
            <>
              <Figure
                label={t('overview.netRevenue')}
                value={money(p.totals.netRevenue)}
                hint={t('overview.last12')}
              />
              <Figure
                label={t('overview.grossProfit')}
                value={money(p.totals.grossProfit)}
                hint={t('overview.last12')}
              />
            </>
          )}
        </Show>
        <Show s={aging}>
          {(a) => (
            <>
              <Figure label={t('overview.current')} value={money(a.totals.buckets.notYetDue ?? '0')} />
              <Figure label={t('overview.overdue')} value={money(overdue(a))} />
            </>
          )}
        </Show>
        <Show s={dso}>
          {(d) => <Figure label={t('overview.dso')} value={t('unit.days', { n: num(d.dso, 1) })} />}
        </Show>
      </div>
      <div className="grid2">
        <Section title={t('overview.revenueChart')}>
          <Show s={cohorts}>
            {(c) => {
              const r = newVsReturning(c);
              return (
                <Chart
                  label={t('overview.revenueChart')}
                  option={{
                    grid,
                    legend: { top: 0 },
                    ...axes(r.months.map(month)),
                    series: [
                      { name: t('overview.newCustomers'), type: 'bar', stack: 'r', data: r.fresh },
                      { name: t('overview.returningCustomers'), type: 'bar', stack: 'r', data: r.returning },
                    ],
                  }}
                />
              );
            }}
          </Show>
        </Section>
        <Section title={t('overview.segmentChart')}>
          <Show s={rfm}>
            {(r) => (
              <Chart
                label={t('overview.segmentChart')}
                option={{
                  grid,
                  ...axes(r.segments.map(segmentName), { horizontal: true }),
                  series: [
                    { name: t('common.customers'), type: 'bar', data: r.segments.map((s) => s.customers) },
                  ],
                }}
              />
            )}
          </Show>
        </Section>
        <Section title={t('overview.churnChart')}>
          <Show s={churn}>
            {(c) => (
              <Chart
                label={t('overview.churnChart')}
                option={{
                  legend: { bottom: 0 },
                  series: [
                    {
                      type: 'pie',
                      radius: ['40%', '70%'],
                      label: { show: false },
                      data: c.summary.bands.map((b) => ({
                        name: t(`band.${b.band}` as 'band.none'),
                        value: b.customers,
                      })),
                    },
                  ],
                }}
              />
            )}
          </Show>
        </Section>
        <Section title={t('overview.agingChart')}>
          <Show s={aging}>
            {(a) => (
              <Chart
                label={t('overview.agingChart')}
                option={{
                  grid,
                  ...axes(a.buckets.map((b) => t(`bucket.${b.key}` as 'bucket.notYetDue'))),
                  series: [
                    {
                      name: t('common.amount'),
                      type: 'bar',
                      data: a.buckets.map((b) => Number(a.totals.buckets[b.key] ?? 0)),
                    },
                  ],
                }}
              />
            )}
          </Show>
        </Section>
      </div>
      <Section title={t('overview.movementChart')}>
        <Show s={movement}>
          {(m) => (
            <>
              <p className="muted">{t('segments.movementRange', { from: m.from, to: m.to })}</p>
              <MovementMatrix m={m} label={t('overview.movementChart')} />
            </>
          )}
        </Show>
      </Section>
    </>
  );
}
