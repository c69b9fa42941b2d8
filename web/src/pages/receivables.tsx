import { monthEnds } from '../derive';
import { apiUrl, get } from '../api';
import { axes, Chart, grid } from '../chart';
import { date, displayName, money, num } from '../format';
import { Key, t } from '../i18n';
import { Aging, Dso } from '../types';
import { Figure, Link, PageTitle, Section, Show, Table, useLoad } from '../ui';

/** /receivables: aging buckets, DSO trend, top overdue customers with statement downloads. */
export function ReceivablesPage() {
  const aging = useLoad(() => get<Aging>('/v1/analytics/receivables/aging', { limit: 25 }), []);
  const trend = useLoad(
    () => Promise.all(monthEnds(6).map((asOf) => get<Dso>('/v1/analytics/receivables/dso', { asOf }))),
    [],
  );
  return (
    <>
      <PageTitle title={t('receivables.title')} />
      <Show s={aging}>
        {(a) => (
          <>
            <div className="figures">
              <Figure label={t('receivables.totalOpen')} value={money(a.totals.totalOpen)} />
              <Figure label={t('receivables.netOwed')} value={money(a.totals.netOwed)} />
              <Figure label={t('receivables.customersOwing')} value={num(a.totals.customers)} />
            </div>
            <div className="grid2">
              <Section title={t('overview.agingChart')}>
                <Chart
                  label={t('overview.agingChart')}
                  option={{
                    grid,
                    ...axes(a.buckets.map((b) => t(`bucket.${b.key}` as Key))),
                    series: [
                      {
                        type: 'bar',
                        name: t('common.amount'),
                        data: a.buckets.map((b) => Number(a.totals.buckets[b.key] ?? 0)),
                      },
                    ],
                  }}
                />
              </Section>
              <Section title={t('receivables.dsoTrend')}>
                <Show s={trend}>
                  {(ds) => (
                    <Chart
                      label={t('receivables.dsoTrend')}
                      option={{
                        grid,
                        ...axes(ds.map((d) => date(d.asOf))),
                        series: [
                          {
                            type: 'line',
                            name: t('overview.dso'),
                            data: ds.map((d) => (d.dso === null ? null : Number(d.dso))),
                          },
                        ],
                      }}
                    />
                  )}
                </Show>
              </Section>
            </div>
            <Section title={t('receivables.top')}>
              <Table
                caption={t('receivables.top')}
                rows={a.data}
                columns={[
                  {
                    key: 'name',
                    label: 'common.customer',
                    render: (r) => (
                      <Link href={`/customers/${encodeURIComponent(r.customerId)}`}>{displayName(r)}</Link>
                    ),
                  },
                  ...a.buckets.map((b) => ({
                    key: b.key,
                    label: `bucket.${b.key}` as Key,
                    numeric: true,
                    render: (r: (typeof a.data)[number]) => money(r.buckets[b.key]),
                  })),
                  {
                    key: 'owed',
                    label: 'receivables.netOwed',
                    numeric: true,
                    render: (r) => money(r.netOwed),
                  },
                  {
                    key: 'days',
                    label: 'receivables.oldest',
                    numeric: true,
                    render: (r) => num(r.oldestOverdueDays),
                  },
                  {
                    key: 'statement',
                    label: 'customer.statement',
                    render: (r) => (
                      <a
                        href={apiUrl(`/v1/customers/${encodeURIComponent(r.customerId)}/statement`, {
                          format: 'csv',
                        })}
                        download
                      >
                        {t('common.downloadCsv')}
                        <span className="sr-only"> {displayName(r)}</span>
                      </a>
                    ),
                  },
                ]}
              />
            </Section>
          </>
        )}
      </Show>
    </>
  );
}
