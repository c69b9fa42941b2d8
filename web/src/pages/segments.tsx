import { useState } from 'react';
import { get } from '../api';
import { Chart } from '../chart';
import { isoDay, money, num, pct } from '../format';
import { t } from '../i18n';
import { Movement, Rfm } from '../types';
import { MovementMatrix, segmentName } from './overview';
import { PageTitle, Section, Show, Table, useLoad } from '../ui';

/** /segments: the RFM segments (treemap and table with revenue), movement between two chosen dates. */
export function SegmentsPage() {
  const rfm = useLoad(() => get<Rfm>('/v1/analytics/rfm'), []);
  const [range, setRange] = useState({ from: isoDay(new Date(), -90), to: isoDay(new Date()) });
  const [draft, setDraft] = useState(range);
  const movement = useLoad(() => get<Movement>('/v1/analytics/rfm/movement', range), [range.from, range.to]);
  return (
    <>
      <PageTitle title={t('segments.title')} />
      <Show s={rfm}>
        {(r) => (
          <div className="grid2">
            <Section title={t('segments.treemap')}>
              <Chart
                label={t('segments.treemap')}
                height={340}
                option={{
                  series: [
                    {
                      type: 'treemap',
                      roam: false,
                      nodeClick: false,
                      animation: false,
                      breadcrumb: { show: false },
                      label: { show: true, formatter: '{b}\n{c}' },
                      data: r.segments.map((s) => ({ name: segmentName(s), value: s.customers })),
                    },
                  ],
                }}
              />
            </Section>
            <Section title={t('segments.table')}>
              <Table
                caption={t('segments.table')}
                rows={r.segments}
                columns={[
                  { key: 'segment', label: 'common.segment', render: (s) => segmentName(s) },
                  { key: 'cells', label: 'segments.cells', render: (s) => s.cells.join(' ') },
                  {
                    key: 'customers',
                    label: 'common.customers',
                    numeric: true,
                    render: (s) => num(s.customers),
                  },
                  {
                    key: 'share',
                    label: 'segments.customerShare',
                    numeric: true,
                    render: (s) => pct(s.customerShare),
                  },
                  {
                    key: 'revenue',
                    label: 'common.netRevenue',
                    numeric: true,
                    render: (s) => money(s.netRevenue),
                  },
                  {
                    key: 'rshare',
                    label: 'segments.revenueShare',
                    numeric: true,
                    render: (s) => pct(s.revenueShare),
                  },
                ]}
              />
            </Section>
          </div>
        )}
      </Show>
      <Section title={t('segments.movement')}>
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setRange(draft);
          }}
        >
          <div className="field">
            <label htmlFor="m-from">{t('common.from')}</label>
            <input
              id="m-from"
              type="date"
              value={draft.from}
              onChange={(e) => setDraft({ ...draft, from: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor="m-to">{t('common.to')}</label>
            <input
              id="m-to"
              type="date"
              value={draft.to}
              onChange={(e) => setDraft({ ...draft, to: e.target.value })}
            />
          </div>
          <button type="submit">{t('common.apply')}</button>
        </form>
        <Show s={movement}>
          {(m) => (
            <>
              <MovementMatrix m={m} label={t('segments.movement')} />
              <Table
                caption={t('segments.movementRevenue')}
                rows={m.cells
                  .filter((c) => c.customers > 0)
                  .sort((a, b) => b.customers - a.customers)
                  .slice(0, 20)}
                columns={[
                  { key: 'from', label: 'common.from', render: (c) => c.fromLabel },
                  { key: 'to', label: 'common.to', render: (c) => c.toLabel },
                  {
                    key: 'customers',
                    label: 'common.customers',
                    numeric: true,
                    render: (c) => num(c.customers),
                  },
                  {
                    key: 'revenue',
                    label: 'common.netRevenue',
                    numeric: true,
                    render: (c) => money(c.netRevenue),
                  },
                ]}
              />
            </>
          )}
        </Show>
      </Section>
    </>
  );
}
