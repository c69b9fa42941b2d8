import Decimal from 'decimal.js';
import { formatMoney, Money } from '../../shared/money';

/**
 * Pure parts of the receivables engine (DOMAIN.md §7): aging buckets, the DSO formula and the text
 * of a customer statement (descriptions, CSV). No Nest, no database, no clock.
 */

export type Language = 'ar' | 'en';

// ── aging buckets ───────────────────────────────────────────────────────────────────────────────

export type BucketKey = 'notYetDue' | 'd1_30' | 'd31_60' | 'd61_90' | 'over90';

/** Days overdue = asOf − due date; an invoice due on asOf itself is not yet overdue (0 days). */
export interface AgingBucket {
  key: BucketKey;
  /** SQL column name */
  column: string;
  /** inclusive bounds in days overdue; null = unbounded */
  min: number | null;
  max: number | null;
  label: string;
  labelAr: string;
}

export const AGING_BUCKETS: readonly AgingBucket[] = [
  {
    key: 'notYetDue',
    column: 'not_yet_due',
    min: null,
    max: 0,
    label: 'Not yet due',
    labelAr: 'غير مستحق بعد',
  },
  { key: 'd1_30', column: 'd1_30', min: 1, max: 30, label: '1–30 days overdue', labelAr: 'متأخر 1–30 يومًا' },
  {
    key: 'd31_60',
    column: 'd31_60',
    min: 31,
    max: 60,
    label: '31–60 days overdue',
    labelAr: 'متأخر 31–60 يومًا',
  },
  {
    key: 'd61_90',
    column: 'd61_90',
    min: 61,
    max: 90,
    label: '61–90 days overdue',
    labelAr: 'متأخر 61–90 يومًا',
  },
  {
    key: 'over90',
    column: 'over90',
    min: 91,
    max: null,
    label: 'Over 90 days overdue',
    labelAr: 'متأخر أكثر من 90 يومًا',
  },
];

/** The bucket of a whole number of days overdue (negative = due in the future). */
export function bucketOf(daysOverdue: number): BucketKey {
  const b = AGING_BUCKETS.find(
    (x) => (x.min === null || daysOverdue >= x.min) && (x.max === null || daysOverdue <= x.max),
  );
  return b!.key; // the buckets cover every integer
}

/** SQL condition "days overdue falls in this bucket"; bounds are code constants, never input. */
export function bucketConditionSql(daysExpr: string, b: AgingBucket): string {
  const parts: string[] = [];
  if (b.min !== null) parts.push(`${daysExpr} >= ${b.min}`);
  if (b.max !== null) parts.push(`${daysExpr} <= ${b.max}`);
  return parts.join(' AND ');
}

// ── DSO ─────────────────────────────────────────────────────────────────────────────────────────

export const DSO_PERIOD_DAYS = 90;

/**
 * Days sales outstanding (the standard "count-back-free" formula):
 *   DSO = receivables / credit sales of the period × period days.
 * null when there were no credit sales in the period (the ratio is undefined, not infinite).
 */
export function dso(
  receivables: Decimal.Value,
  creditSales: Decimal.Value,
  periodDays = DSO_PERIOD_DAYS,
): Decimal | null {
  const sales = new Money(creditSales);
  if (sales.isZero()) return null;
  return new Money(receivables).div(sales).times(periodDays);
}

export function dsoFormula(lang: Language, periodDays = DSO_PERIOD_DAYS): string {
  return lang === 'ar'
    ? `أيام التحصيل = الذمم المدينة ÷ المبيعات الآجلة لآخر ${periodDays} يومًا × ${periodDays}؛ الذمم المدينة = مجموع المبالغ المفتوحة للفواتير في التاريخ (قبل خصم الأرصدة الدائنة غير المخصصة)؛ المبيعات الآجلة = مجموع إجماليات الفواتير (شاملة الضريبة) المؤرخة من asOf − ${periodDays - 1} إلى asOf`
    : `dso = receivables / creditSales × ${periodDays}; receivables = Σ open amounts of invoices at asOf (before unapplied credits); creditSales = Σ totals (incl. VAT) of invoices dated asOf − ${periodDays - 1} … asOf`;
}

// ── statement text ──────────────────────────────────────────────────────────────────────────────

export type StatementLineType = 'invoice' | 'credit_note' | 'payment';

/** One document of a statement, as the query returns it (amounts already in the base currency). */
export interface StatementDoc {
  type: StatementLineType;
  reference: string;
  /** invoices: effective due date */
  dueDate: string | null;
  /** credit notes: the linked invoice's reference */
  invoiceRef: string | null;
  /** payments: allocations in the payment's currency */
  allocations: { invoice: string; amount: string }[];
  /** payments: amount − Σ allocations, in the payment's currency */
  unallocated: string | null;
  currency: string;
  exchangeRate: string;
  /** the document's own amount in its currency */
  docAmount: string;
}

/** e.g. "Invoice INV-1, due 2024-03-31" / "فاتورة INV-1، تستحق في 2024-03-31". */
export function describe(doc: StatementDoc, baseCurrency: string, lang: Language): string {
  const ar = lang === 'ar';
  let text: string;
  if (doc.type === 'invoice') {
    text = ar ? `فاتورة ${doc.reference}` : `Invoice ${doc.reference}`;
    if (doc.dueDate) text += ar ? `، تستحق في ${doc.dueDate}` : `, due ${doc.dueDate}`;
  } else if (doc.type === 'credit_note') {
    text = ar ? `إشعار دائن ${doc.reference}` : `Credit note ${doc.reference}`;
    if (doc.invoiceRef) text += ar ? ` على الفاتورة ${doc.invoiceRef}` : ` for invoice ${doc.invoiceRef}`;
  } else {
    text = ar ? `دفعة ${doc.reference}` : `Payment ${doc.reference}`;
    const parts = doc.allocations.map((a) => `${a.invoice} (${formatMoney(a.amount)})`);
    if (parts.length) text += ar ? `، مخصصة إلى ${parts.join('، ')}` : `, applied to ${parts.join(', ')}`;
    if (doc.unallocated !== null && !new Money(doc.unallocated).isZero()) {
      const u = formatMoney(doc.unallocated);
      text += ar ? `، غير مخصص ${u}` : `, unallocated ${u}`;
    }
  }
  if (doc.currency !== baseCurrency) {
    text += ` [${doc.currency} ${formatMoney(doc.docAmount)} × ${new Money(doc.exchangeRate).toString()}]`;
  }
  return text;
}

export interface StatementLine {
  date: string;
  type: StatementLineType;
  reference: string;
  description: string;
  debit: string;
  credit: string;
  balance: string;
}

export interface Statement {
  from: string;
  to: string;
  openingBalance: string;
  lines: StatementLine[];
  totals: { debit: string; credit: string };
  closingBalance: string;
}

const CSV_HEADER = {
  en: ['date', 'type', 'reference', 'description', 'debit', 'credit', 'balance'],
  ar: ['التاريخ', 'النوع', 'المرجع', 'البيان', 'مدين', 'دائن', 'الرصيد'],
};
const OPENING = { en: 'Opening balance', ar: 'الرصيد الافتتاحي' };
const CLOSING = { en: 'Closing balance', ar: 'الرصيد الختامي' };

/**
 * RFC 4180 CSV with a UTF-8 byte-order mark (so Excel reads Arabic as UTF-8) and CRLF line ends.
 * Rows: header, opening balance (dated `from`), the lines, closing balance (dated `to`, with the
 * period's debit and credit totals).
 */
export function statementCsv(s: Statement, lang: Language): string {
  const rows: string[][] = [
    CSV_HEADER[lang],
    [s.from, 'opening_balance', '', OPENING[lang], '', '', s.openingBalance],
    ...s.lines.map((l) => [l.date, l.type, l.reference, l.description, l.debit, l.credit, l.balance]),
    [s.to, 'closing_balance', '', CLOSING[lang], s.totals.debit, s.totals.credit, s.closingBalance],
  ];
  return '\uFEFF' + rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * Quotes a field when it holds a comma, quote or line break; a text field starting with = + - @
 * (a spreadsheet formula) is prefixed with ' so Excel shows it instead of evaluating it. Amounts
 * (plain decimals such as -367.50) are left as numbers.
 */
export function csvField(v: string): string {
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A safe file name part: letters, digits, dot, dash, underscore. */
export function fileNamePart(v: string): string {
  return v.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'customer';
}
