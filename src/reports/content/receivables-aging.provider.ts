import { AGING_BUCKETS } from '../../analytics/receivables/receivables.math';
import { AgingCustomer, ReceivablesService } from '../../analytics/receivables/receivables.service';
import { formatMoney, sum } from '../../shared/money';
import { Cell, Column, Label, ReportDocument } from '../report-types';
import { EngineReport, ReportContext, reportHeader } from './content-provider';

const BUCKETS = AGING_BUCKETS.map((b) => ({ key: b.key, label: { en: b.label, ar: b.labelAr } }));

const COLUMNS: Column[] = [
  { key: 'customerId', label: { en: 'Customer', ar: 'العميل' }, kind: 'text' },
  { key: 'name', label: { en: 'Name', ar: 'الاسم' }, kind: 'text' },
  { key: 'nameAr', label: { en: 'Arabic name', ar: 'الاسم بالعربية' }, kind: 'text' },
  ...BUCKETS.map(({ key, label }): Column => ({ key, label, kind: 'money' })),
  { key: 'totalOpen', label: { en: 'Total open', ar: 'إجمالي المفتوح' }, kind: 'money' },
  { key: 'unappliedCredits', label: { en: 'Unapplied credits', ar: 'أرصدة دائنة غير مخصصة' }, kind: 'money' },
  { key: 'netOwed', label: { en: 'Net owed', ar: 'صافي المستحق' }, kind: 'money' },
  {
    key: 'oldestOverdueDays',
    label: { en: 'Oldest overdue (days)', ar: 'أقدم تأخير (أيام)' },
    kind: 'number',
  },
  { key: 'openInvoices', label: { en: 'Open invoices', ar: 'الفواتير المفتوحة' }, kind: 'number' },
  {
    key: 'meanDaysToPay',
    label: { en: 'Mean days to pay', ar: 'متوسط أيام السداد' },
    kind: 'number',
  },
  { key: 'email', label: { en: 'E-mail', ar: 'البريد الإلكتروني' }, kind: 'text' },
  { key: 'phone', label: { en: 'Phone', ar: 'الهاتف' }, kind: 'text' },
];

/** Money totals of the summary: the buckets, then open, unapplied and net owed. */
const TOTAL_KEYS = [...BUCKETS.map((b) => b.key), 'totalOpen', 'unappliedCredits', 'netOwed'] as const;
const TOTAL_LABELS: Record<(typeof TOTAL_KEYS)[number], Label> = {
  ...(Object.fromEntries(BUCKETS.map((b) => [b.key, b.label])) as Record<
    (typeof BUCKETS)[number]['key'],
    Label
  >),
  totalOpen: { en: 'Total open', ar: 'إجمالي المفتوح' },
  unappliedCredits: { en: 'Unapplied credits', ar: 'أرصدة دائنة غير مخصصة' },
  netOwed: { en: 'Net owed', ar: 'صافي المستحق' },
};

/** An aging row of the engine as a flat report row (bucket keys as the API's `buckets`). */
export function agingReportRow(c: AgingCustomer): Record<string, Cell> {
  return {
    customerId: c.customerId,
    name: c.name,
    nameAr: c.nameAr,
    ...c.buckets,
    totalOpen: c.totalOpen,
    unappliedCredits: c.unappliedCredits,
    netOwed: c.netOwed,
    oldestOverdueDays: c.oldestOverdueDays,
    openInvoices: c.openInvoices,
    meanDaysToPay: c.daysToPay.mean,
    email: c.email,
    phone: c.phone,
  };
}

/**
 * Receivables aging per customer from the receivables engine (DOMAIN §7): the rows of
 * GET /v1/analytics/receivables/aging at the run's as-of date, every page, in its order (net owed
 * descending): open amounts by bucket, unapplied credits, net owed. Filter minDaysOverdue: keep
 * customers whose oldest overdue open invoice is at least that many days overdue (a customer with
 * nothing overdue counts as 0 days, so 0 keeps everyone). The summary totals the listed rows (without
 * a filter: the API's totals).
 */
export class ReceivablesAgingReport extends EngineReport {
  readonly type = 'receivables-aging' as const;
  readonly filterKeys = ['minDaysOverdue'] as const;

  async generate(ctx: ReportContext): Promise<ReportDocument> {
    const aging = await this.engine(ReceivablesService).agingAll(ctx.tenant.id, ctx.asOf);
    const minDays = typeof ctx.filters.minDaysOverdue === 'number' ? ctx.filters.minDaysOverdue : null;
    const listed =
      minDays === null ? aging.rows : aging.rows.filter((r) => (r.oldestOverdueDays ?? 0) >= minDays);
    const totals = sumTotals(listed);
    const cur = ctx.tenant.currency;
    return {
      ...reportHeader(
        ctx,
        this.type,
        { en: 'Receivables aging', ar: 'أعمار الذمم المدينة' },
        'receivables-engine',
      ),
      columns: COLUMNS,
      rows: listed.map(agingReportRow),
      summary: { customers: listed.length, paymentTermsDays: aging.paymentTermsDays, ...totals },
      summaryLines: [
        { label: { en: 'Customers', ar: 'العملاء' }, value: String(listed.length) },
        {
          label: { en: 'Payment terms (days)', ar: 'مدة السداد (أيام)' },
          value: String(aging.paymentTermsDays),
        },
        ...TOTAL_KEYS.map((key) => ({ label: TOTAL_LABELS[key], value: `${totals[key]} ${cur}` })),
      ],
      sections: [],
    };
  }
}

type Totals = Record<(typeof TOTAL_KEYS)[number], string>;

function sumTotals(rows: AgingCustomer[]): Totals {
  const flat: Totals[] = rows.map((r) => ({
    ...r.buckets,
    totalOpen: r.totalOpen,
    unappliedCredits: r.unappliedCredits,
    netOwed: r.netOwed,
  }));
  return Object.fromEntries(
    TOTAL_KEYS.map((key) => [key, formatMoney(sum(flat.map((r) => r[key])))]),
  ) as Totals;
}
