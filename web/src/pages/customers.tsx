import { FormEvent, useState } from 'react';
import { apiUrl, get, Page } from '../api';
import { displayName, money, num } from '../format';
import { Key, t } from '../i18n';
import { CustomerRow } from '../types';
import { Column, Link, PageTitle, Show, Table, useLoad } from '../ui';

export const SEGMENTS = [
  'champions',
  'loyal',
  'potential_loyalists',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const;
export const STAGES = ['prospect', 'new', 'active', 'at_risk', 'lapsed', 'reactivated'] as const;
export const RISKS = ['any', 'overdue', 'spend_decline', 'returns_rising', 'paying_slower'] as const;
const SORTS = ['netRevenue', 'grossProfit', 'recency', 'frequency', 'balance', 'predictedClv'] as const;
const PAGE = 50;

export const customerColumns: Column<CustomerRow>[] = [
  {
    key: 'name',
    label: 'common.customer',
    render: (c) => <Link href={`/customers/${encodeURIComponent(c.customerId)}`}>{displayName(c)}</Link>,
  },
  { key: 'id', label: 'common.externalId', render: (c) => c.customerId },
  { key: 'segment', label: 'common.segment', render: (c) => c.rfm?.segmentLabel ?? '—' },
  { key: 'stage', label: 'common.stage', render: (c) => c.lifecycle.label },
  { key: 'revenue', label: 'common.netRevenue', numeric: true, render: (c) => money(c.netRevenue) },
  {
    key: 'gp',
    label: 'common.grossProfit',
    numeric: true,
    render: (c) => money(c.profitability.grossProfit),
  },
  { key: 'balance', label: 'common.balance', numeric: true, render: (c) => money(c.balance) },
  { key: 'recency', label: 'customers.recency', numeric: true, render: (c) => (c.rfm ? num(c.rfm.r) : '—') },
  {
    key: 'risk',
    label: 'common.risk',
    render: (c) => c.riskFlags.map((f) => t(`flag.${f.flag}` as Key)).join('، ') || '—',
  },
];

/** /customers: server-side search, filters, sorts and cursor pages (never all customers at once). */
export function CustomersPage() {
  const initial = new URLSearchParams(location.search);
  const [q, setQ] = useState(initial.get('q') ?? '');
  const [filters, setFilters] = useState({
    q: initial.get('q') ?? '',
    segment: initial.get('segment') ?? '',
    stage: initial.get('stage') ?? '',
    risk: initial.get('risk') ?? '',
    sort: initial.get('sort') ?? 'netRevenue',
  });
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const list = useLoad(
    () => get<Page<CustomerRow>>('/v1/customers', { ...filters, limit: PAGE, cursor }),
    [JSON.stringify(filters), cursor],
  );
  const change = (patch: Partial<typeof filters>) => {
    const next = { ...filters, ...patch };
    setFilters(next);
    setCursors([]);
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v && !(k === 'sort' && v === 'netRevenue')) p.set(k, v);
    const qs = p.toString();
    history.replaceState(null, '', `/customers${qs ? `?${qs}` : ''}`);
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    change({ q: q.trim() });
  };
  const { sort: _sort, ...exportFilters } = filters;
  void _sort;
  return (
    <>
      <PageTitle title={t('customers.title')}>
        <a
          className="button"
          href={apiUrl('/v1/customers', { ...exportFilters, sort: filters.sort, format: 'csv' })}
          download
        >
          {t('common.exportCsv')}
        </a>
      </PageTitle>
      <form className="toolbar" role="search" onSubmit={search}>
        <div className="field">
          <label htmlFor="customer-search">{t('customers.search')}</label>
          <input
            id="customer-search"
            type="search"
            value={q}
            placeholder={t('customers.searchHint')}
            onChange={(e) => setQ(e.target.value)}
          />
        </div>
        <button type="submit">{t('common.search')}</button>
        <Select
          id="f-segment"
          label="common.segment"
          value={filters.segment}
          onChange={(v) => change({ segment: v })}
          options={SEGMENTS.map((s) => [s, t(`segment.${s}` as Key)])}
          all
        />
        <Select
          id="f-stage"
          label="common.stage"
          value={filters.stage}
          onChange={(v) => change({ stage: v })}
          options={STAGES.map((s) => [s, t(`stage.${s}` as Key)])}
          all
        />
        <Select
          id="f-risk"
          label="common.risk"
          value={filters.risk}
          onChange={(v) => change({ risk: v })}
          options={RISKS.map((s) => [s, t(`flag.${s}` as Key)])}
          all
        />
        <Select
          id="f-sort"
          label="common.sort"
          value={filters.sort}
          onChange={(v) => change({ sort: v })}
          options={SORTS.map((s) => [s, t(`sort.${s}` as Key)])}
        />
      </form>
      <Show s={list}>
        {(page) => (
          <>
            <Table rows={page.data} columns={customerColumns} caption={t('customers.title')} />
            <div className="pager">
              <button
                type="button"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                {t('common.previous')}
              </button>
              <span>{t('common.pageN', { n: num(cursors.length + 1) })}</span>
              <button
                type="button"
                disabled={!page.nextCursor}
                onClick={() => page.nextCursor && setCursors([...cursors, page.nextCursor])}
              >
                {t('common.next')}
              </button>
            </div>
          </>
        )}
      </Show>
    </>
  );
}

export function Select(props: {
  id: string;
  label: Key;
  value: string;
  onChange: (v: string) => void;
  options: [string, string][];
  all?: boolean;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{t(props.label)}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.all && <option value="">{t('common.all')}</option>}
        {props.options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
