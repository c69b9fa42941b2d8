import { get } from '../api';
import { Chart, grid } from '../chart';
import { money, pct } from '../format';
import { getLang, t } from '../i18n';
import { Profitability } from '../types';
import { Figure, Link, PageTitle, Section, Show, Table, useLoad } from '../ui';

interface Whale {
  customers: number;
  totalContribution: string;
  points: { rank: number; customerShare: string; contributionShare: string }[];
  peak: { customerShare: string; contributionShare: string } | null;
}

/** /profitability: the whale curve, customers and products by margin. */
export function ProfitabilityPage() {
  const whale = useLoad(() => get<Whale>('/v1/analytics/profitability/whale-curve'), []);
  const customers = useLoad(
    () => get<Profitability>('/v1/analytics/profitability', { by: 'customer', limit: 20 }),
    [],
  );
  const products = useLoad(
    () => get<Profitability>('/v1/analytics/profitability', { by: 'product', limit: 20 }),
    [],
  );
  const rtl = getLang() === 'ar';
  const name = (r: { name: string; nameAr?: string | null }) => (rtl && r.nameAr ? r.nameAr : r.name);
  return (
    <>
      <PageTitle title={t('profitability.title')} />
      <Show s={customers}>
        {(p) => (
          <div className="figures">
            <Figure label={t('common.netRevenue')} value={money(p.totals.netRevenue)} />
            <Figure label={t('common.grossProfit')} value={money(p.totals.grossProfit)} />
            <Figure label={t('profitability.margin')} value={pct(p.totals.marginPct)} />
            <Figure label={t('customer.contribution')} value={money(p.totals.contribution)} />
          </div>
        )}
      </Show>
      <Section title={t('profitability.whale')}>
        <Show s={whale}>
          {(w) => (
            <Chart
              label={t('profitability.whale')}
              option={{
                grid,
                xAxis: {
                  type: 'value',
                  max: 100,
                  inverse: rtl,
                  name: t('profitability.customerShare'),
                  nameLocation: 'middle',
                  nameGap: 28,
                },
                yAxis: {
                  type: 'value',
                  position: rtl ? 'right' : 'left',
                  name: t('profitability.contributionShare'),
                },
                series: [
                  {
                    type: 'line',
                    showSymbol: false,
                    name: t('profitability.contributionShare'),
                    data: [
                      [0, 0],
                      ...w.points.map((p) => [Number(p.customerShare), Number(p.contributionShare)]),
                    ],
                  },
                ],
              }}
            />
          )}
        </Show>
      </Section>
      <div className="grid2">
        <Section title={t('profitability.customers')}>
          <Show s={customers}>
            {(p) => (
              <Table
                caption={t('profitability.customers')}
                rows={p.data}
                columns={[
                  {
                    key: 'name',
                    label: 'common.customer',
                    render: (r) => <Link href={`/customers/${encodeURIComponent(r.key)}`}>{name(r)}</Link>,
                  },
                  {
                    key: 'rev',
                    label: 'common.netRevenue',
                    numeric: true,
                    render: (r) => money(r.netRevenue),
                  },
                  {
                    key: 'gp',
                    label: 'common.grossProfit',
                    numeric: true,
                    render: (r) => money(r.grossProfit),
                  },
                  { key: 'm', label: 'profitability.margin', numeric: true, render: (r) => pct(r.marginPct) },
                ]}
              />
            )}
          </Show>
        </Section>
        <Section title={t('profitability.products')}>
          <Show s={products}>
            {(p) => (
              <Table
                caption={t('profitability.products')}
                rows={p.data}
                columns={[
                  { key: 'name', label: 'common.product', render: (r) => name(r) },
                  {
                    key: 'rev',
                    label: 'common.netRevenue',
                    numeric: true,
                    render: (r) => money(r.netRevenue),
                  },
                  {
                    key: 'gp',
                    label: 'common.grossProfit',
                    numeric: true,
                    render: (r) => money(r.grossProfit),
                  },
                  { key: 'm', label: 'profitability.margin', numeric: true, render: (r) => pct(r.marginPct) },
                ]}
              />
            )}
          </Show>
        </Section>
      </div>
    </>
  );
}
