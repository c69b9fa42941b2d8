import { COUNTING_INVOICE } from '../../analytics/shared/documents.sql';
import { formatMoney, sum } from '../../shared/money';
import { Cell, Column, ReportDocument } from '../report-types';
import { ReportContentProvider, ReportContext } from './content-provider';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

/**
 * Aging of open invoices at $2 (DOMAIN §7), per customer, one set-based query. $1 tenant,
 * $3 paymentTermsDays. Open amount of an invoice = total − allocations dated ≤ $2 (payment
 * allocations by payment date, linked issued credit notes by issue date), in document currency,
 * then × exchange rate into base currency. Due date = due_date, else issue date + $3.
 * Buckets by days overdue ($2 − due date): ≤ 0 not yet due, 1–30, 31–60, 61–90, > 90.
 * Unallocated payments and credits age nowhere (they are not in this report).
 */
export const AGING_ROWS = `
  WITH inv AS (
    SELECT i.id, i.customer_id, COALESCE(i.due_date, i.issue_date + $3::int) AS due_date,
           i.total AS doc_total, i.exchange_rate
      FROM invoices i
     WHERE i.tenant_id = $1 AND i.${COUNTING_INVOICE} AND i.issue_date <= $2::date
  ),
  alloc AS (
    SELECT a.invoice_id, sum(a.amount) AS amount
      FROM (
        SELECT pa.invoice_id, pa.amount
          FROM payment_allocations pa
          JOIN payments p ON p.tenant_id = pa.tenant_id AND p.id = pa.payment_id
         WHERE pa.tenant_id = $1 AND p.payment_date <= $2::date
        UNION ALL
        SELECT n.invoice_id, n.total
          FROM credit_notes n
         WHERE n.tenant_id = $1 AND n.status = 'issued' AND n.invoice_id IS NOT NULL AND n.issue_date <= $2::date
      ) a
     GROUP BY a.invoice_id
  ),
  open AS (
    SELECT inv.customer_id, (inv.doc_total - COALESCE(alloc.amount, 0)) * inv.exchange_rate AS amount,
           $2::date - inv.due_date AS overdue
      FROM inv LEFT JOIN alloc ON alloc.invoice_id = inv.id
     WHERE inv.doc_total - COALESCE(alloc.amount, 0) > 0
  )
  SELECT c.external_id, c.name, c.name_ar, c.email, c.phone,
         COALESCE(sum(o.amount) FILTER (WHERE o.overdue <= 0), 0) AS not_due,
         COALESCE(sum(o.amount) FILTER (WHERE o.overdue BETWEEN 1 AND 30), 0) AS d1_30,
         COALESCE(sum(o.amount) FILTER (WHERE o.overdue BETWEEN 31 AND 60), 0) AS d31_60,
         COALESCE(sum(o.amount) FILTER (WHERE o.overdue BETWEEN 61 AND 90), 0) AS d61_90,
         COALESCE(sum(o.amount) FILTER (WHERE o.overdue > 90), 0) AS over_90,
         sum(o.amount) AS total, GREATEST(max(o.overdue), 0) AS max_days_overdue, count(*)::int AS invoices
    FROM open o
    JOIN customers c ON c.tenant_id = $1 AND c.id = o.customer_id
   GROUP BY c.id, c.external_id, c.name, c.name_ar, c.email, c.phone
   ORDER BY sum(o.amount) DESC, c.external_id`;

const BUCKETS = [
  ['notDue', 'not_due', { en: 'Not yet due', ar: 'غير مستحق بعد' }],
  ['days1to30', 'd1_30', { en: '1–30 days', ar: '1–30 يومًا' }],
  ['days31to60', 'd31_60', { en: '31–60 days', ar: '31–60 يومًا' }],
  ['days61to90', 'd61_90', { en: '61–90 days', ar: '61–90 يومًا' }],
  ['over90', 'over_90', { en: 'Over 90 days', ar: 'أكثر من 90 يومًا' }],
] as const;

const COLUMNS: Column[] = [
  { key: 'customerId', label: { en: 'Customer', ar: 'العميل' }, kind: 'text' },
  { key: 'name', label: { en: 'Name', ar: 'الاسم' }, kind: 'text' },
  { key: 'nameAr', label: { en: 'Arabic name', ar: 'الاسم بالعربية' }, kind: 'text' },
  ...BUCKETS.map(([key, , label]): Column => ({ key, label, kind: 'money' })),
  { key: 'total', label: { en: 'Total open', ar: 'إجمالي المفتوح' }, kind: 'money' },
  { key: 'maxDaysOverdue', label: { en: 'Most days overdue', ar: 'أقصى تأخير بالأيام' }, kind: 'number' },
  { key: 'openInvoices', label: { en: 'Open invoices', ar: 'الفواتير المفتوحة' }, kind: 'number' },
  { key: 'email', label: { en: 'E-mail', ar: 'البريد الإلكتروني' }, kind: 'text' },
  { key: 'phone', label: { en: 'Phone', ar: 'الهاتف' }, kind: 'text' },
];

/** Receivables aging per customer, largest open total first. Filter: minDaysOverdue. */
export class ReceivablesAgingReport implements ReportContentProvider {
  readonly type = 'receivables-aging' as const;
  readonly filterKeys = ['minDaysOverdue'] as const;

  async generate(ctx: ReportContext): Promise<ReportDocument> {
    const rows = await ctx.db.query<Row>(AGING_ROWS, [
      ctx.tenant.id,
      ctx.asOf,
      ctx.settings.paymentTermsDays,
    ]);
    const minDays = typeof ctx.filters.minDaysOverdue === 'number' ? ctx.filters.minDaysOverdue : null;
    const out: Record<string, Cell>[] = rows
      .filter((r) => minDays === null || Number(r.max_days_overdue) >= minDays)
      .map((r) => ({
        customerId: r.external_id,
        name: r.name,
        nameAr: r.name_ar ?? null,
        ...Object.fromEntries(BUCKETS.map(([key, col]) => [key, formatMoney(r[col])])),
        total: formatMoney(r.total),
        maxDaysOverdue: Number(r.max_days_overdue),
        openInvoices: Number(r.invoices),
        email: r.email ?? null,
        phone: r.phone ?? null,
      }));
    const totals = Object.fromEntries(
      [...BUCKETS.map(([key]) => key), 'total'].map((key) => [
        key,
        formatMoney(sum(out.map((r) => String(r[key])))),
      ]),
    );
    const cur = ctx.tenant.currency;
    return {
      type: this.type,
      title: { en: 'Receivables aging', ar: 'أعمار الذمم المدينة' },
      language: ctx.language,
      asOf: ctx.asOf,
      generatedAt: ctx.generatedAt.toISOString(),
      currency: cur,
      runId: ctx.runId,
      scheduleId: ctx.scheduleId,
      source: 'receivables-aging',
      columns: COLUMNS,
      rows: out,
      summary: { customers: out.length, ...totals },
      summaryLines: [
        {
          label: { en: 'Customers with open invoices', ar: 'عملاء لديهم فواتير مفتوحة' },
          value: String(out.length),
        },
        ...BUCKETS.map(([key, , label]) => ({ label, value: `${totals[key]} ${cur}` })),
        { label: { en: 'Total open', ar: 'إجمالي المفتوح' }, value: `${totals.total} ${cur}` },
      ],
      sections: [],
    };
  }
}
