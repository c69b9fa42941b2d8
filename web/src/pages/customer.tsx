import { monthlyNet } from '../derive';
import { apiUrl, get, Page } from '../api';
import { axes, Chart, grid } from '../chart';
import { date, dateTime, isoDay, money, month, num, share } from '../format';
import { getLang, Key, t } from '../i18n';
import { CustomerProfile, Invoice, Statement } from '../types';
import { Figure, Link, PageTitle, Section, Show, Table, useLoad } from '../ui';

/** /customers/:externalId: everything known of one customer. */
export function CustomerPage({ externalId }: { externalId: string }) {
  const id = encodeURIComponent(externalId);
  const profile = useLoad(() => get<CustomerProfile>(`/v1/customers/${id}`), [id]);
  const clv = useLoad(
    () => get<{ fittedAt: string | null; model: { name: string } }>('/v1/analytics/clv'),
    [],
  );
  const from = isoDay(new Date(), -730);
  const invoices = useLoad(
    () => get<Page<Invoice & { net: string }>>('/v1/invoices', { customerId: externalId, from, limit: 500 }),
    [id],
  );
  const statement = useLoad(
    () => get<Statement>(`/v1/customers/${id}/statement`, { from: isoDay(new Date(), -365) }),
    [id],
  );
  return (
    <Show s={profile}>
      {(c) => (
        <>
          <PageTitle title={getLang() === 'ar' && c.nameAr ? c.nameAr : c.name}>
            <p className="muted">
              <Link href="/customers">{t('nav.customers')}</Link> · {c.customerId}
              {c.email ? ` · ${c.email}` : ''}
              {c.city ? ` · ${c.city}` : ''}
            </p>
          </PageTitle>
          <div className="figures">
            <Figure label={t('common.segment')} value={c.rfm?.segmentLabel ?? '—'} />
            <Figure
              label={t('common.stage')}
              value={c.lifecycle.label}
              hint={t('customer.since', { date: date(c.lifecycle.since) })}
            />
            <Figure
              label={t('customer.rfmScores')}
              value={c.rfm ? `R${num(c.rfm.rScore)} F${num(c.rfm.fScore)} M${num(c.rfm.mScore)}` : '—'}
              hint={
                c.rfm
                  ? t('customer.rfmHint', { r: num(c.rfm.r), f: num(c.rfm.f), m: money(c.rfm.m) })
                  : undefined
              }
            />
            <Figure label={t('customer.historicClv')} value={money(c.clv?.historicalClv ?? c.netRevenue)} />
            <Figure
              label={t('customer.predictedClv')}
              value={money(c.clv?.predictedClv)}
              hint={
                clv.data?.fittedAt ? t('customer.fitted', { date: dateTime(clv.data.fittedAt) }) : undefined
              }
            />
            <Figure label={t('customer.pAlive')} value={share(c.clv?.pAlive)} />
            <Figure
              label={t('customer.churnProbability')}
              value={c.clv?.pAlive === null || c.clv?.pAlive === undefined ? '—' : share(1 - c.clv.pAlive)}
            />
            <Figure
              label={t('customer.nextOrder')}
              value={date(c.cadence.expectedNextPurchase ?? c.clv?.nextExpectedPurchase)}
              hint={c.cadence.nextPurchaseOverdue ? t('customer.nextOverdue') : undefined}
            />
          </div>
          <div className="grid2">
            <Section title={t('customer.reasons')}>
              {c.riskFlags.length === 0 ? (
                <p className="empty">{t('customer.noRisk')}</p>
              ) : (
                <ul className="reasons">
                  {c.riskFlags.map((f) => (
                    <li key={f.flag}>
                      <strong>{t(`flag.${f.flag}` as Key)}</strong>: {f.reason}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={t('customer.margin')}>
              <dl className="facts">
                <dt>{t('common.netRevenue')}</dt>
                <dd>{money(c.netRevenue)}</dd>
                <dt>{t('common.grossProfit')}</dt>
                <dd>{money(c.profitability.grossProfit)}</dd>
                <dt>{t('customer.costOfCredit')}</dt>
                <dd>{money(c.profitability.costOfCredit)}</dd>
                <dt>{t('customer.contribution')}</dt>
                <dd>{money(c.profitability.contribution)}</dd>
              </dl>
            </Section>
          </div>
          <Section title={t('customer.history')}>
            <Show s={invoices}>
              {(p) => {
                const h = monthlyNet(p.data);
                return h.months.length === 0 ? (
                  <p className="empty">{t('common.empty')}</p>
                ) : (
                  <Chart
                    label={t('customer.history')}
                    option={{
                      grid,
                      ...axes(h.months.map(month)),
                      series: [{ type: 'bar', name: t('common.netRevenue'), data: h.values }],
                    }}
                  />
                );
              }}
            </Show>
          </Section>
          <div className="grid2">
            <Section title={t('customer.aging')}>
              <dl className="facts">
                <dt>{t('customer.open')}</dt>
                <dd>{money(c.receivables.open)}</dd>
                <dt>{t('bucket.notYetDue')}</dt>
                <dd>{money(Number(c.receivables.open) - Number(c.receivables.overdue))}</dd>
                <dt>{t('overview.overdue')}</dt>
                <dd>{money(c.receivables.overdue)}</dd>
                <dt>{t('customer.daysToPay')}</dt>
                <dd>
                  {c.receivables.meanDaysToPay === null
                    ? '—'
                    : t('unit.days', { n: num(c.receivables.meanDaysToPay, 1) })}
                </dd>
              </dl>
            </Section>
            <Section title={t('customer.topProducts')}>
              <Table
                caption={t('customer.topProducts')}
                rows={c.topProducts}
                columns={[
                  { key: 'name', label: 'common.product', render: (p) => p.name },
                  { key: 'qty', label: 'common.quantity', numeric: true, render: (p) => num(p.quantity, 2) },
                  {
                    key: 'rev',
                    label: 'common.netRevenue',
                    numeric: true,
                    render: (p) => money(p.netRevenue),
                  },
                ]}
              />
            </Section>
          </div>
          <Section
            title={t('customer.statement')}
            actions={
              <a
                className="button"
                href={apiUrl(`/v1/customers/${id}/statement`, {
                  from: isoDay(new Date(), -365),
                  format: 'csv',
                })}
                download
              >
                {t('common.downloadCsv')}
              </a>
            }
          >
            <Show s={statement}>
              {(s) => (
                <>
                  <dl className="facts inline">
                    <dt>{t('customer.opening', { date: date(s.from) })}</dt>
                    <dd>{money(s.openingBalance)}</dd>
                    <dt>{t('customer.closing', { date: date(s.to) })}</dt>
                    <dd>
                      {money(s.closingBalance ?? s.lines[s.lines.length - 1]?.balance ?? s.openingBalance)}
                    </dd>
                  </dl>
                  <Table
                    caption={t('customer.statement')}
                    rows={s.lines.slice(-50)}
                    columns={[
                      { key: 'date', label: 'common.date', render: (l) => date(l.date) },
                      { key: 'ref', label: 'common.reference', render: (l) => l.reference },
                      { key: 'type', label: 'common.type', render: (l) => t(`doc.${l.type}` as Key) },
                      { key: 'debit', label: 'common.debit', numeric: true, render: (l) => money(l.debit) },
                      {
                        key: 'credit',
                        label: 'common.credit',
                        numeric: true,
                        render: (l) => money(l.credit),
                      },
                      {
                        key: 'balance',
                        label: 'common.balance',
                        numeric: true,
                        render: (l) => money(l.balance),
                      },
                    ]}
                  />
                </>
              )}
            </Show>
          </Section>
        </>
      )}
    </Show>
  );
}
