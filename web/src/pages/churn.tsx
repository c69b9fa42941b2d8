import { get } from '../api';
import { date, displayName, isoDay, money, num, pct, share } from '../format';
import { Key, t } from '../i18n';
import { Churn, Holdout } from '../types';
import { Figure, Link, PageTitle, Section, Show, Table, useLoad } from '../ui';

/** /churn: customers at risk with their reasons, and how the score did on a holdout. */
export function ChurnPage() {
  const churn = useLoad(() => get<Churn>('/v1/analytics/churn', { limit: 50 }), []);
  const holdoutAt = isoDay(new Date(), -91);
  const holdout = useLoad(
    () => get<Holdout>('/v1/analytics/churn/holdout', { asOf: holdoutAt, days: 90 }),
    [],
  );
  return (
    <>
      <PageTitle title={t('churn.title')} />
      <Show s={churn}>
        {(c) => (
          <>
            <div className="figures">
              <Figure label={t('churn.scored')} value={num(c.summary.customersScored)} />
              <Figure label={t('churn.atRisk')} value={num(c.summary.atRisk)} />
              <Figure label={t('churn.valueAtRisk')} value={money(c.summary.valueAtRisk)} />
            </div>
            <Section title={t('churn.list')}>
              <Table
                caption={t('churn.list')}
                rows={c.data}
                columns={[
                  {
                    key: 'name',
                    label: 'common.customer',
                    render: (r) => (
                      <Link href={`/customers/${encodeURIComponent(r.customerId)}`}>{displayName(r)}</Link>
                    ),
                  },
                  { key: 'score', label: 'churn.score', numeric: true, render: (r) => num(r.riskScore) },
                  { key: 'band', label: 'churn.band', render: (r) => t(`band.${r.band}` as Key) },
                  { key: 'palive', label: 'customer.pAlive', numeric: true, render: (r) => share(r.pAlive) },
                  {
                    key: 'value',
                    label: 'churn.valueAtRisk',
                    numeric: true,
                    render: (r) => money(r.valueAtRisk),
                  },
                  { key: 'last', label: 'churn.lastPurchase', render: (r) => date(r.lastPurchase) },
                  {
                    key: 'reasons',
                    label: 'churn.reasons',
                    render: (r) => (
                      <ul className="reasons compact">
                        {r.flags.map((f) => (
                          <li key={f.flag}>{f.reason}</li>
                        ))}
                      </ul>
                    ),
                  },
                ]}
              />
            </Section>
          </>
        )}
      </Show>
      <Section title={t('churn.holdout')}>
        <Show s={holdout}>
          {(h) => (
            <>
              <p className="muted">
                {t('churn.holdoutText', {
                  from: date(h.asOf),
                  to: date(h.holdoutEnd),
                  rate: pct(h.all.repeatRate),
                })}
              </p>
              <Table
                caption={t('churn.holdout')}
                rows={h.bands}
                columns={[
                  { key: 'band', label: 'churn.band', render: (b) => t(`band.${b.band}` as Key) },
                  {
                    key: 'customers',
                    label: 'common.customers',
                    numeric: true,
                    render: (b) => num(b.customers),
                  },
                  { key: 'buyers', label: 'churn.buyers', numeric: true, render: (b) => num(b.buyers) },
                  { key: 'rate', label: 'churn.repeatRate', numeric: true, render: (b) => pct(b.repeatRate) },
                ]}
              />
            </>
          )}
        </Show>
      </Section>
    </>
  );
}
