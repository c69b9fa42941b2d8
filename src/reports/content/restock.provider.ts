import { countingCreditNotes, countingInvoices } from '../../analytics/shared/documents.sql';
import { formatDecimal, formatMoney, Money } from '../../shared/money';
import { Cell, Column, ReportDocument } from '../report-types';
import { ReportContentProvider, ReportContext } from './content-provider';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL, mapped field by field
type Row = Record<string, any>;

/**
 * Products to reorder at $2, by a simple mean-demand rule (the full DOMAIN §8 engine, with demand
 * classes and safety stock, is the restock engine's job). $1 tenant, $3 window days
 * (restockWindowDays), $4 default lead time (leadTimeDays), $5 cover days (coverDays).
 *   stock: the latest snapshot ≤ $2 of each warehouse, summed per product (products without a
 *     snapshot are left out: their stock is unknown).
 *   rate = (units on counting invoices − restocked returned units) in ($2 − $3, $2] / $3, ≥ 0.
 *   L = the product's lead time, else $4.   reorder point = rate × L.   target = rate × (L + $5).
 *   listed when rate > 0 and on hand + on order ≤ reorder point; services never.
 *   suggested = target − on hand − on order, rounded up to the pack size, at least the minimum order.
 */
export const RESTOCK_ROWS = `
  WITH stock AS (
    SELECT DISTINCT ON (s.product_id, s.warehouse_id) s.product_id, s.as_of, s.on_hand, s.on_order
      FROM inventory_snapshots s
     WHERE s.tenant_id = $1 AND s.as_of <= $2::date
     ORDER BY s.product_id, s.warehouse_id, s.as_of DESC
  ),
  stock_p AS (
    SELECT product_id, sum(on_hand) AS on_hand, sum(on_order) AS on_order, max(as_of) AS as_of
      FROM stock GROUP BY product_id
  ),
  units AS (
    SELECT u.product_id, sum(u.qty) AS qty
      FROM (
        SELECT l.product_id, l.quantity AS qty
          FROM invoice_lines l JOIN (${countingInvoices('$2::date')}) i ON i.id = l.invoice_id
         WHERE l.tenant_id = $1 AND i.issue_date > $2::date - $3::int AND l.product_id IS NOT NULL
        UNION ALL
        SELECT l.product_id, -l.quantity
          FROM credit_note_lines l JOIN (${countingCreditNotes('$2::date')}) n ON n.id = l.credit_note_id
         WHERE l.tenant_id = $1 AND n.restock AND n.issue_date > $2::date - $3::int AND l.product_id IS NOT NULL
      ) u
     GROUP BY u.product_id
  ),
  plan AS (
    SELECT p.external_id, p.name, p.name_ar, p.category, sp.on_hand, sp.on_order, sp.as_of AS stock_as_of,
           GREATEST(COALESCE(u.qty, 0), 0) / $3::numeric AS rate,
           COALESCE(p.lead_time_days, $4::int) AS lead_time, p.pack_size, p.min_order_qty
      FROM products p
      JOIN stock_p sp ON sp.product_id = p.id
      LEFT JOIN units u ON u.product_id = p.id
     WHERE p.tenant_id = $1 AND NOT p.is_service
  )
  SELECT q.*, GREATEST(q.target - q.on_hand - q.on_order, 0) AS shortfall
    FROM (SELECT plan.*, rate * lead_time AS reorder_point, rate * (lead_time + $5::int) AS target FROM plan) q
   WHERE q.rate > 0 AND q.on_hand + q.on_order <= q.reorder_point
   ORDER BY (q.on_hand + q.on_order) / q.rate, q.external_id`;

const COLUMNS: Column[] = [
  { key: 'productId', label: { en: 'Product', ar: 'المنتج' }, kind: 'text' },
  { key: 'name', label: { en: 'Name', ar: 'الاسم' }, kind: 'text' },
  { key: 'nameAr', label: { en: 'Arabic name', ar: 'الاسم بالعربية' }, kind: 'text' },
  { key: 'category', label: { en: 'Category', ar: 'الفئة' }, kind: 'text' },
  { key: 'onHand', label: { en: 'On hand', ar: 'المتوفر' }, kind: 'number' },
  { key: 'onOrder', label: { en: 'On order', ar: 'قيد الطلب' }, kind: 'number' },
  { key: 'dailyDemand', label: { en: 'Daily demand', ar: 'الطلب اليومي' }, kind: 'money' },
  { key: 'leadTimeDays', label: { en: 'Lead time (days)', ar: 'مدة التوريد (أيام)' }, kind: 'number' },
  { key: 'reorderPoint', label: { en: 'Reorder point', ar: 'نقطة إعادة الطلب' }, kind: 'money' },
  { key: 'suggestedQuantity', label: { en: 'Suggested quantity', ar: 'الكمية المقترحة' }, kind: 'number' },
  { key: 'stockAsOf', label: { en: 'Stock counted', ar: 'تاريخ الجرد' }, kind: 'date' },
];

/** Restock list, the products closest to running out first. Filter: category. */
export class RestockReport implements ReportContentProvider {
  readonly type = 'restock' as const;
  readonly filterKeys = ['category'] as const;

  async generate(ctx: ReportContext): Promise<ReportDocument> {
    const s = ctx.settings;
    const rows = await ctx.db.query<Row>(RESTOCK_ROWS, [
      ctx.tenant.id,
      ctx.asOf,
      s.restockWindowDays,
      s.leadTimeDays,
      s.coverDays,
    ]);
    const category = typeof ctx.filters.category === 'string' ? ctx.filters.category : null;
    const out: Record<string, Cell>[] = rows
      .filter((r) => category === null || r.category === category)
      .map((r) => ({
        productId: r.external_id,
        name: r.name,
        nameAr: r.name_ar ?? null,
        category: r.category ?? null,
        onHand: formatDecimal(r.on_hand),
        onOrder: formatDecimal(r.on_order),
        dailyDemand: formatMoney(r.rate),
        leadTimeDays: Number(r.lead_time),
        reorderPoint: formatMoney(r.reorder_point),
        suggestedQuantity: formatDecimal(suggested(r.shortfall, r.pack_size, r.min_order_qty)),
        stockAsOf: r.stock_as_of,
      }));
    return {
      type: this.type,
      title: { en: 'Products to restock', ar: 'منتجات تحتاج إلى إعادة طلب' },
      language: ctx.language,
      asOf: ctx.asOf,
      generatedAt: ctx.generatedAt.toISOString(),
      currency: ctx.tenant.currency,
      runId: ctx.runId,
      scheduleId: ctx.scheduleId,
      source: 'restock-mean-demand',
      columns: COLUMNS,
      rows: out,
      summary: { products: out.length, windowDays: s.restockWindowDays, coverDays: s.coverDays },
      summaryLines: [
        {
          label: { en: 'Products below reorder point', ar: 'منتجات دون نقطة إعادة الطلب' },
          value: String(out.length),
        },
        {
          label: { en: 'Demand window (days)', ar: 'فترة الطلب (أيام)' },
          value: String(s.restockWindowDays),
        },
      ],
      sections: [],
    };
  }
}

/** Shortfall rounded up to whole packs (pack size 1 when unknown), and at least the minimum order. */
export function suggested(shortfall: string, packSize: string | null, minOrder: string | null): string {
  const need = new Money(shortfall);
  if (need.lessThanOrEqualTo(0)) return '0';
  const pack = new Money(packSize ?? 1);
  const packs = need.dividedBy(pack).ceil().times(pack);
  const min = new Money(minOrder ?? 0);
  return (packs.lessThan(min) ? min : packs).toString();
}
