import { Decimal } from 'decimal.js';
import { RFM_SEGMENTS } from '../../analytics/rfm/rfm.math';
import { formatMoney, sum } from '../../shared/money';
import { Cell, Column, Label, ReportDocument, ReportLanguage } from '../report-types';
import { AT_RISK_SEGMENTS, CHURN_RISK_ROWS } from './churn-risk.queries';
import { ReportContentProvider, ReportContext } from './content-provider';
import { listChange } from './list-change';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

/**
 * Interim churn risk score 0–100 from the RFM recency score alone, until the churn-risk engine
 * (DOMAIN §4) lands: score = 20 × (6 − R). The at-risk segments all have R ≤ 2, so a customer in
 * the longest-silent fifth (R = 1) scores 100 and the next fifth (R = 2) scores 80.
 */
export function interimScore(rScore: number): number {
  return 20 * (6 - rScore);
}

const SEGMENT_LABELS: Record<string, Label> = Object.fromEntries(
  RFM_SEGMENTS.filter((s) => (AT_RISK_SEGMENTS as readonly string[]).includes(s.key)).map((s) => [
    s.key,
    { en: s.labelEn, ar: s.labelAr },
  ]),
);

const COLUMNS: Column[] = [
  { key: 'customerId', label: { en: 'Customer', ar: 'العميل' }, kind: 'text' },
  { key: 'name', label: { en: 'Name', ar: 'الاسم' }, kind: 'text' },
  { key: 'nameAr', label: { en: 'Arabic name', ar: 'الاسم بالعربية' }, kind: 'text' },
  { key: 'score', label: { en: 'Risk score', ar: 'درجة الخطر' }, kind: 'number' },
  { key: 'valueAtRisk', label: { en: 'Value at risk', ar: 'القيمة المعرضة للخطر' }, kind: 'money' },
  { key: 'segment', label: { en: 'Segment', ar: 'الشريحة' }, kind: 'text', valueLabels: SEGMENT_LABELS },
  { key: 'lastPurchase', label: { en: 'Last purchase', ar: 'آخر شراء' }, kind: 'date' },
  { key: 'daysSinceLastPurchase', label: { en: 'Days since', ar: 'أيام منذ آخر شراء' }, kind: 'number' },
  { key: 'balanceOwed', label: { en: 'Balance owed', ar: 'الرصيد المستحق' }, kind: 'money' },
  { key: 'reasons', label: { en: 'Reasons', ar: 'الأسباب' }, kind: 'list' },
  { key: 'email', label: { en: 'E-mail', ar: 'البريد الإلكتروني' }, kind: 'text' },
  { key: 'phone', label: { en: 'Phone', ar: 'الهاتف' }, kind: 'text' },
  { key: 'city', label: { en: 'City', ar: 'المدينة' }, kind: 'text' },
];

/**
 * Churn-risk report, interim source: the RFM at-risk segments (at_risk, cant_lose, about_to_sleep,
 * hibernating). Filters: minScore (keep score ≥ it), segment (keep one segment).
 */
export class ChurnRiskFromRfm implements ReportContentProvider {
  readonly type = 'churn-risk' as const;
  readonly filterKeys = ['minScore', 'segment'] as const;

  async generate(ctx: ReportContext): Promise<ReportDocument> {
    const rows = await ctx.db.query<Row>(CHURN_RISK_ROWS, [
      ctx.tenant.id,
      ctx.asOf,
      ctx.settings.rfmWindowDays,
    ]);
    const minScore = typeof ctx.filters.minScore === 'number' ? ctx.filters.minScore : 0;
    const segment = typeof ctx.filters.segment === 'string' ? ctx.filters.segment : null;
    const lang = ctx.language;
    const cur = ctx.tenant.currency;
    const out: Record<string, Cell>[] = rows
      .map((r) => ({ r, score: interimScore(Number(r.r_score)) }))
      .filter(({ r, score }) => score >= minScore && (segment === null || r.segment === segment))
      .map(({ r, score }) => ({
        customerId: r.external_id,
        name: r.name,
        nameAr: r.name_ar ?? null,
        score,
        valueAtRisk: formatMoney(r.value_at_risk),
        segment: r.segment,
        lastPurchase: r.last_date,
        daysSinceLastPurchase: Number(r.recency_days),
        balanceOwed: formatMoney(r.balance),
        reasons: reasons(r, lang, cur),
        email: r.email ?? null,
        phone: r.phone ?? null,
        city: r.city ?? null,
      }));

    const entries = out.map((r) => ({ id: String(r.customerId), name: String(r.name) }));
    const valueAtRisk = sum(out.map((r) => String(r.valueAtRisk)));
    const balanceOwed = sum(out.map((r) => String(r.balanceOwed)));
    const bySegment = Object.fromEntries(
      AT_RISK_SEGMENTS.map((s) => [s, out.filter((r) => r.segment === s).length]),
    );
    const prev = ctx.previous;
    let change: Record<string, unknown> | null = null;
    const sections: ReportDocument['sections'] = [];
    if (prev) {
      const prevRows = prev.document.rows;
      const { newOnList, leftList } = listChange(
        prevRows.map((r) => ({ id: String(r.customerId), name: String(r.name) })),
        entries,
      );
      const prevValue = sum(prevRows.map((r) => String(r.valueAtRisk ?? '0')));
      change = {
        previousRunId: prev.runId,
        previousAsOf: prev.asOf,
        customers: out.length - prevRows.length,
        valueAtRisk: formatMoney(valueAtRisk.minus(prevValue)),
        newOnList: newOnList.map((e) => ({ customerId: e.id, name: e.name })),
        leftList: leftList.map((e) => ({ customerId: e.id, name: e.name })),
      };
      sections.push(
        { key: 'newOnList', title: { en: 'New on the list', ar: 'جدد في القائمة' }, items: newOnList },
        { key: 'leftList', title: { en: 'Left the list', ar: 'خرجوا من القائمة' }, items: leftList },
      );
    }

    return {
      type: this.type,
      title: { en: 'Customers at risk of churning', ar: 'العملاء المعرضون لخطر الانقطاع' },
      language: lang,
      asOf: ctx.asOf,
      generatedAt: ctx.generatedAt.toISOString(),
      currency: cur,
      runId: ctx.runId,
      scheduleId: ctx.scheduleId,
      source: 'rfm-at-risk-segments',
      columns: COLUMNS,
      rows: out,
      summary: {
        customers: out.length,
        valueAtRisk: formatMoney(valueAtRisk),
        balanceOwed: formatMoney(balanceOwed),
        bySegment,
        change,
      },
      summaryLines: summaryLines(out.length, valueAtRisk, balanceOwed, cur, change),
      sections,
    };
  }
}

function reasons(r: Row, lang: ReportLanguage, cur: string): string[] {
  const label = SEGMENT_LABELS[String(r.segment)] ?? { en: String(r.segment), ar: String(r.segment) };
  const days = Number(r.recency_days);
  const owes = new Decimal(r.balance as string).greaterThan(0);
  if (lang === 'ar') {
    return [
      `لا مشتريات منذ ${days} يومًا (آخر شراء ${r.last_date})`,
      `شريحة RFM: ${label.ar} (R ${r.r_score}، FM ${r.fm})`,
      ...(owes ? [`رصيد مستحق ${formatMoney(r.balance)} ${cur}`] : []),
    ];
  }
  return [
    `No purchase for ${days} days (last ${r.last_date})`,
    `RFM segment ${label.en} (R ${r.r_score}, FM ${r.fm})`,
    ...(owes ? [`Owes ${formatMoney(r.balance)} ${cur}`] : []),
  ];
}

function summaryLines(
  n: number,
  value: Decimal,
  owed: Decimal,
  cur: string,
  change: Record<string, unknown> | null,
): ReportDocument['summaryLines'] {
  const lines: ReportDocument['summaryLines'] = [
    { label: { en: 'Customers at risk', ar: 'عدد العملاء المعرضين للخطر' }, value: String(n) },
    { label: { en: 'Value at risk', ar: 'القيمة المعرضة للخطر' }, value: `${formatMoney(value)} ${cur}` },
    { label: { en: 'Balance owed', ar: 'الرصيد المستحق' }, value: `${formatMoney(owed)} ${cur}` },
  ];
  if (change) {
    const signed = (v: string | number) => (String(v).startsWith('-') ? String(v) : `+${v}`);
    lines.push(
      {
        label: { en: 'Previous run', ar: 'التقرير السابق' },
        value: String(change.previousAsOf),
      },
      {
        label: { en: 'Change in customers', ar: 'التغير في عدد العملاء' },
        value: signed(change.customers as number),
      },
      {
        label: { en: 'Change in value at risk', ar: 'التغير في القيمة المعرضة للخطر' },
        value: `${signed(change.valueAtRisk as string)} ${cur}`,
      },
    );
  }
  return lines;
}
