import { Decimal } from 'decimal.js';
import { SCORE_BANDS } from '../../analytics/churn/churn.math';
import { ChurnService } from '../../analytics/churn/churn.service';
import { STAGES } from '../../analytics/lifecycle/lifecycle.math';
import { RFM_SEGMENTS } from '../../analytics/rfm/rfm.math';
import { formatMoney, sum } from '../../shared/money';
import { Tenant } from '../../tenancy/tenants.service';
import { Cell, Column, Label, ReportDocument } from '../report-types';
import { EngineReport, ReportContext, reportHeader } from './content-provider';
import { listChange } from './list-change';

const labels = (xs: readonly { key: string; labelEn: string; labelAr: string }[]): Record<string, Label> =>
  Object.fromEntries(xs.map((s) => [s.key, { en: s.labelEn, ar: s.labelAr }]));

const COLUMNS: Column[] = [
  { key: 'customerId', label: { en: 'Customer', ar: 'العميل' }, kind: 'text' },
  { key: 'name', label: { en: 'Name', ar: 'الاسم' }, kind: 'text' },
  { key: 'nameAr', label: { en: 'Arabic name', ar: 'الاسم بالعربية' }, kind: 'text' },
  { key: 'score', label: { en: 'Risk score', ar: 'درجة الخطر' }, kind: 'number' },
  { key: 'band', label: { en: 'Risk', ar: 'مستوى الخطر' }, kind: 'text', valueLabels: labels(SCORE_BANDS) },
  { key: 'valueAtRisk', label: { en: 'Value at risk', ar: 'القيمة المعرضة للخطر' }, kind: 'money' },
  { key: 'pAlive', label: { en: 'P(active)', ar: 'احتمال النشاط' }, kind: 'number' },
  {
    key: 'segment',
    label: { en: 'Segment', ar: 'الشريحة' },
    kind: 'text',
    valueLabels: labels(RFM_SEGMENTS),
  },
  { key: 'stage', label: { en: 'Stage', ar: 'المرحلة' }, kind: 'text', valueLabels: labels(STAGES) },
  { key: 'lastPurchase', label: { en: 'Last purchase', ar: 'آخر شراء' }, kind: 'date' },
  { key: 'daysSinceLastPurchase', label: { en: 'Days since', ar: 'أيام منذ آخر شراء' }, kind: 'number' },
  { key: 'balanceOwed', label: { en: 'Balance owed', ar: 'الرصيد المستحق' }, kind: 'money' },
  { key: 'reasons', label: { en: 'Reasons', ar: 'الأسباب' }, kind: 'list' },
  { key: 'email', label: { en: 'E-mail', ar: 'البريد الإلكتروني' }, kind: 'text' },
  { key: 'phone', label: { en: 'Phone', ar: 'الهاتف' }, kind: 'text' },
  { key: 'city', label: { en: 'City', ar: 'المدينة' }, kind: 'text' },
];

/**
 * Churn-risk report: the churn engine's at-risk list (GET /v1/analytics/churn at the run's asOf,
 * every page), sorted by value at risk, with its summary and the change since the previous run.
 * Filters: minScore (default 1: any scored flag), segment (one RFM segment).
 */
export class ChurnRiskReport extends EngineReport {
  readonly type = 'churn-risk' as const;
  readonly filterKeys = ['minScore', 'segment'] as const;

  async generate(ctx: ReportContext): Promise<ReportDocument> {
    const minScore = typeof ctx.filters.minScore === 'number' ? Math.ceil(ctx.filters.minScore) : 1;
    const segment = typeof ctx.filters.segment === 'string' ? ctx.filters.segment : null;
    const lang = ctx.language;
    const cur = ctx.tenant.currency;
    const result = await this.engine(ChurnService).atRisk(
      ctx.tenant as unknown as Tenant,
      ctx.asOf,
      minScore,
      segment,
      lang,
    );
    const out: Record<string, Cell>[] = result.rows.map((r) => ({
      customerId: r.customerId,
      name: r.name,
      nameAr: (r.contact.nameAr as string | null) ?? null,
      score: r.riskScore,
      band: r.band,
      valueAtRisk: r.valueAtRisk,
      pAlive: r.pAlive,
      segment: r.segment?.key ?? null,
      stage: r.stage.key,
      lastPurchase: r.lastPurchase,
      daysSinceLastPurchase: r.daysSinceLastPurchase,
      balanceOwed: r.balance,
      reasons: r.flags.map((f) => f.reason),
      email: (r.contact.email as string | null) ?? null,
      phone: (r.contact.phone as string | null) ?? null,
      city: (r.contact.city as string | null) ?? null,
    }));

    const entries = out.map((r) => ({ id: String(r.customerId), name: String(r.name) }));
    const valueAtRisk = sum(out.map((r) => String(r.valueAtRisk)));
    const balanceOwed = sum(out.map((r) => String(r.balanceOwed)));
    const byBand = Object.fromEntries(
      SCORE_BANDS.map((b) => [b.key, out.filter((r) => r.band === b.key).length]),
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
      ...reportHeader(
        ctx,
        this.type,
        { en: 'Customers at risk of churning', ar: 'العملاء المعرضون لخطر الانقطاع' },
        'churn-engine',
      ),
      columns: COLUMNS,
      rows: out,
      summary: {
        customers: out.length,
        valueAtRisk: formatMoney(valueAtRisk),
        balanceOwed: formatMoney(balanceOwed),
        byBand,
        byFlag: result.summary.flags,
        customersScored: result.summary.customersScored,
        model: result.model,
        change,
      },
      summaryLines: summaryLines(out.length, valueAtRisk, balanceOwed, cur, change),
      sections,
    };
  }
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
      { label: { en: 'Previous run', ar: 'التقرير السابق' }, value: String(change.previousAsOf) },
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
