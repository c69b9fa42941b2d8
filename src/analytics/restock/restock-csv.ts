import { csvField } from '../receivables/receivables.math';
import type { DeadStockView, RestockView } from './restock.service';

/**
 * CSV of the restock and dead-stock lists for a buyer's spreadsheet: RFC 4180, UTF-8 with a
 * byte-order mark (so Excel reads Arabic as UTF-8), CRLF line ends, formula-like text prefixed with
 * ' (csvField). Pure: a header and the rows as strings (null → empty cell).
 */
export type CsvCell = string | number | boolean | null;

/** What csvField would change: a quote, comma or line break, or a formula-like first character. */
const NEEDS_CSV_FIELD = /[",\r\n]|^[=+\-@\t]/;

function cell(v: CsvCell): string {
  if (v === null) return '';
  const text = String(v);
  return NEEDS_CSV_FIELD.test(text) ? csvField(text) : text;
}

function line(r: readonly CsvCell[]): string {
  let text = r.length > 0 ? cell(r[0] ?? null) : '';
  for (let i = 1; i < r.length; i++) text += ',' + cell(r[i] ?? null);
  return text + '\r\n';
}

export function renderCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  let out = '\uFEFF' + line(header);
  for (const r of rows) out += line(r);
  return out;
}

export const RESTOCK_CSV_HEADER = {
  en: [
    'product',
    'name',
    'warehouse',
    'demand_class',
    'rate_method',
    'daily_rate',
    'sigma',
    'lead_time_days',
    'safety_stock',
    'reorder_point',
    'target',
    'on_hand',
    'on_order',
    'pack_size',
    'min_order_qty',
    'suggested_qty',
    'unit_cost',
    'order_value',
    'days_of_cover',
    'stock_out_date',
    'below_reorder_point',
    'revenue_at_risk',
    'champions_pct',
    'loyal_pct',
    'at_risk_pct',
    'priority_pct',
    'lapsed_pct',
    'missing',
    'explanation',
  ],
  ar: [
    'المنتج',
    'الاسم',
    'المستودع',
    'نمط الطلب',
    'طريقة التقدير',
    'المعدل اليومي',
    'الانحراف المعياري',
    'مدة التوريد (يوم)',
    'مخزون الأمان',
    'نقطة إعادة الطلب',
    'المستوى المستهدف',
    'المتوفر',
    'قيد الطلب',
    'حجم العبوة',
    'الحد الأدنى للطلب',
    'الكمية المقترحة',
    'تكلفة الوحدة',
    'قيمة الطلب',
    'أيام التغطية',
    'تاريخ النفاد المتوقع',
    'تحت نقطة إعادة الطلب',
    'الإيراد المعرض للخطر',
    'الأبطال %',
    'المخلصون %',
    'المعرضون للخسارة %',
    'العملاء ذوو الأولوية %',
    'المنقطعون %',
    'الناقص',
    'الشرح',
  ],
} as const;

export const DEAD_STOCK_CSV_HEADER = {
  en: [
    'product',
    'name',
    'warehouse',
    'stock_as_of',
    'on_hand',
    'unit_cost',
    'value_tied_up',
    'last_sale',
    'days_since_last_sale',
    'missing',
  ],
  ar: [
    'المنتج',
    'الاسم',
    'المستودع',
    'تاريخ الجرد',
    'المتوفر',
    'تكلفة الوحدة',
    'القيمة المجمدة',
    'آخر بيع',
    'أيام منذ آخر بيع',
    'الناقص',
  ],
} as const;

export function restockCsv(rows: readonly RestockView[], lang: 'en' | 'ar'): string {
  return renderCsv(
    RESTOCK_CSV_HEADER[lang],
    rows.map((r) => [
      r.productId,
      r.name,
      r.warehouseId,
      r.demandClass,
      r.rateMethod,
      r.dailyRate,
      r.sigma,
      r.leadTimeDays,
      r.safetyStock,
      r.reorderPoint,
      r.target,
      r.onHand,
      r.onOrder,
      r.packSize,
      r.minOrderQty,
      r.suggestedQuantity,
      r.unitCost,
      r.orderValue,
      r.daysOfCover,
      r.stockOutDate,
      r.belowReorderPoint,
      r.revenueAtRisk,
      r.demandShares.champions,
      r.demandShares.loyal,
      r.demandShares.atRisk,
      r.demandShares.priority,
      r.demandShares.lapsed,
      r.missing.join(' '),
      r.explanation,
    ]),
  );
}

export function deadStockCsv(rows: readonly DeadStockView[], lang: 'en' | 'ar'): string {
  return renderCsv(
    DEAD_STOCK_CSV_HEADER[lang],
    rows.map((r) => [
      r.productId,
      r.name,
      r.warehouseId,
      r.stockAsOf,
      r.onHand,
      r.unitCost,
      r.valueTiedUp,
      r.lastSaleDate,
      r.daysSinceLastSale,
      r.missing.join(' '),
    ]),
  );
}
