import { apiUrl, get } from '../api';
import { date, money, num } from '../format';
import { t } from '../i18n';
import { Figure, PageTitle, Section, Show, Table, useLoad } from '../ui';

interface Suggestion {
  productId: string;
  name: string;
  warehouseId: string;
  onHand: string;
  suggestedQuantity: string;
  orderValue: string | null;
  stockOutDate: string | null;
  explanation: string;
}
interface Dead {
  productId: string;
  name: string;
  warehouseId: string;
  onHand: string;
  valueTiedUp: string | null;
  lastSaleDate: string | null;
  daysSinceLastSale: number | null;
}

/** /restock: what to order and why, and stock that does not sell; both as CSV. */
export function RestockPage() {
  const restock = useLoad(
    () =>
      get<{ rows: number; data: Suggestion[] }>('/v1/analytics/restock', { onlyActionable: true, limit: 50 }),
    [],
  );
  const dead = useLoad(
    () => get<{ rows: number; totalValueTiedUp: string; data: Dead[] }>('/v1/analytics/restock/dead-stock'),
    [],
  );
  return (
    <>
      <PageTitle title={t('restock.title')} />
      <Section
        title={t('restock.suggestions')}
        actions={
          <a
            className="button"
            href={apiUrl('/v1/analytics/restock', { onlyActionable: true, format: 'csv' })}
            download
          >
            {t('common.exportCsv')}
          </a>
        }
      >
        <Show s={restock}>
          {(r) => (
            <Table
              caption={t('restock.suggestions')}
              rows={r.data}
              columns={[
                { key: 'name', label: 'common.product', render: (s) => s.name },
                { key: 'wh', label: 'restock.warehouse', render: (s) => s.warehouseId },
                { key: 'onhand', label: 'restock.onHand', numeric: true, render: (s) => num(s.onHand) },
                {
                  key: 'qty',
                  label: 'restock.order',
                  numeric: true,
                  render: (s) => num(s.suggestedQuantity),
                },
                {
                  key: 'value',
                  label: 'restock.orderValue',
                  numeric: true,
                  render: (s) => money(s.orderValue),
                },
                { key: 'out', label: 'restock.stockOut', render: (s) => date(s.stockOutDate) },
                {
                  key: 'why',
                  label: 'restock.why',
                  render: (s) => <span className="explain">{s.explanation}</span>,
                },
              ]}
            />
          )}
        </Show>
      </Section>
      <Section
        title={t('restock.dead')}
        actions={
          <a className="button" href={apiUrl('/v1/analytics/restock/dead-stock', { format: 'csv' })} download>
            {t('common.exportCsv')}
          </a>
        }
      >
        <Show s={dead}>
          {(d) => (
            <>
              <div className="figures">
                <Figure label={t('restock.tiedUp')} value={money(d.totalValueTiedUp)} />
                <Figure label={t('restock.deadRows')} value={num(d.rows)} />
              </div>
              <Table
                caption={t('restock.dead')}
                rows={d.data.slice(0, 50)}
                columns={[
                  { key: 'name', label: 'common.product', render: (s) => s.name },
                  { key: 'wh', label: 'restock.warehouse', render: (s) => s.warehouseId },
                  { key: 'onhand', label: 'restock.onHand', numeric: true, render: (s) => num(s.onHand) },
                  {
                    key: 'value',
                    label: 'restock.tiedUp',
                    numeric: true,
                    render: (s) => money(s.valueTiedUp),
                  },
                  { key: 'last', label: 'restock.lastSale', render: (s) => date(s.lastSaleDate) },
                ]}
              />
            </>
          )}
        </Show>
      </Section>
    </>
  );
}
