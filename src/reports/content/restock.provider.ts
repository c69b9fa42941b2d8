import { RestockService, RestockView } from '../../analytics/restock/restock.service';
import { formatMoney, sum } from '../../shared/money';
import { MAX_LIMIT } from '../../shared/pagination';
import { TenantsService } from '../../tenancy/tenants.service';
import { Cell, Column, Label, ReportDocument } from '../report-types';
import { EngineReport, ReportContext, reportHeader } from './content-provider';

/** A JSON page of GET /v1/analytics/restock (RestockService.restock). */
interface RestockPage {
  windowDays: number;
  coverDays: number;
  serviceLevel: number;
  defaultLeadTimeDays: number;
  rows: number;
  data: RestockView[];
  nextCursor: string | null;
}

/** The products' category (the restock rows do not carry it): $2 product external ids. */
export const PRODUCT_CATEGORIES = `
  SELECT external_id, category FROM products WHERE tenant_id = $1 AND external_id = ANY($2::text[])`;

const DEMAND_CLASSES: Record<string, Label> = {
  none: { en: 'No demand', ar: 'لا طلب' },
  smooth: { en: 'Smooth', ar: 'طلب منتظم' },
  erratic: { en: 'Erratic', ar: 'طلب متقلب' },
  intermittent: { en: 'Intermittent', ar: 'طلب متقطع' },
  lumpy: { en: 'Lumpy', ar: 'طلب متكتل' },
};

const COLUMNS: Column[] = [
  { key: 'productId', label: { en: 'Product', ar: 'المنتج' }, kind: 'text' },
  { key: 'name', label: { en: 'Name', ar: 'الاسم' }, kind: 'text' },
  { key: 'category', label: { en: 'Category', ar: 'الفئة' }, kind: 'text' },
  { key: 'warehouseId', label: { en: 'Warehouse', ar: 'المستودع' }, kind: 'text' },
  { key: 'stockAsOf', label: { en: 'Stock counted', ar: 'تاريخ الجرد' }, kind: 'date' },
  { key: 'onHand', label: { en: 'On hand', ar: 'المتوفر' }, kind: 'number' },
  { key: 'onOrder', label: { en: 'On order', ar: 'قيد الطلب' }, kind: 'number' },
  { key: 'dailyRate', label: { en: 'Daily demand', ar: 'الطلب اليومي' }, kind: 'number' },
  {
    key: 'demandClass',
    label: { en: 'Demand pattern', ar: 'نمط الطلب' },
    kind: 'text',
    valueLabels: DEMAND_CLASSES,
  },
  { key: 'leadTimeDays', label: { en: 'Lead time (days)', ar: 'مدة التوريد (أيام)' }, kind: 'number' },
  { key: 'safetyStock', label: { en: 'Safety stock', ar: 'مخزون الأمان' }, kind: 'number' },
  { key: 'reorderPoint', label: { en: 'Reorder point', ar: 'نقطة إعادة الطلب' }, kind: 'number' },
  { key: 'suggestedQuantity', label: { en: 'Suggested quantity', ar: 'الكمية المقترحة' }, kind: 'number' },
  { key: 'unitCost', label: { en: 'Unit cost', ar: 'تكلفة الوحدة' }, kind: 'money' },
  { key: 'orderValue', label: { en: 'Order value', ar: 'قيمة الطلب' }, kind: 'money' },
  { key: 'daysOfCover', label: { en: 'Days of cover', ar: 'أيام التغطية' }, kind: 'number' },
  { key: 'stockOutDate', label: { en: 'Expected stock-out', ar: 'تاريخ النفاد المتوقع' }, kind: 'date' },
  { key: 'revenueAtRisk', label: { en: 'Revenue at risk', ar: 'الإيراد المعرض للخطر' }, kind: 'money' },
  {
    key: 'priorityShare',
    label: { en: 'Demand from priority customers %', ar: 'الطلب من العملاء ذوي الأولوية %' },
    kind: 'number',
  },
  {
    key: 'lapsedShare',
    label: { en: 'Demand from lapsed customers %', ar: 'الطلب من العملاء المنقطعين %' },
    kind: 'number',
  },
  { key: 'explanation', label: { en: 'Explanation', ar: 'الشرح' }, kind: 'text' },
];

/** A restock row of the engine as a flat report row, with the product's category. */
export function restockReportRow(v: RestockView, category: string | null): Record<string, Cell> {
  return {
    productId: v.productId,
    name: v.name,
    category,
    warehouseId: v.warehouseId,
    stockAsOf: v.stockAsOf,
    onHand: v.onHand,
    onOrder: v.onOrder,
    dailyRate: v.dailyRate,
    demandClass: v.demandClass,
    leadTimeDays: v.leadTimeDays,
    safetyStock: v.safetyStock,
    reorderPoint: v.reorderPoint,
    suggestedQuantity: v.suggestedQuantity,
    unitCost: v.unitCost,
    orderValue: v.orderValue,
    daysOfCover: v.daysOfCover,
    stockOutDate: v.stockOutDate,
    revenueAtRisk: v.revenueAtRisk,
    priorityShare: v.demandShares.priority,
    lapsedShare: v.demandShares.lapsed,
    explanation: v.explanation,
  };
}

/**
 * Restock list from the restock engine (DOMAIN §8): the actionable rows of GET /v1/analytics/restock
 * (onlyActionable=true: stock known and on hand + on order ≤ reorder point, per product and
 * warehouse) at the run's as-of date with the tenant's settings, every page, in the engine's order
 * (revenue at risk first), texts in the run's language. Filter category: keep one product category.
 * Summary: order value and revenue at risk are sums of the known values (rowsWithUnknownCost counts
 * the rows whose order value is unknown for want of a unit cost).
 */
export class RestockReport extends EngineReport {
  readonly type = 'restock' as const;
  readonly filterKeys = ['category'] as const;

  async generate(ctx: ReportContext): Promise<ReportDocument> {
    const engine = this.engine(RestockService);
    const tenant = await this.engine(TenantsService).get(ctx.tenant.id);
    const pages: RestockPage[] = [];
    let cursor: string | null = null;
    do {
      const q: Record<string, unknown> = { asOf: ctx.asOf, onlyActionable: 'true', limit: String(MAX_LIMIT) };
      if (cursor !== null) q.cursor = cursor;
      const result = await engine.restock(tenant, q, ctx.language);
      if (result.format !== 'json') throw new Error('restock engine answered CSV to a JSON request');
      const page = result.body as unknown as RestockPage;
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null);
    const views = pages.flatMap((p) => p.data);

    const ids = [...new Set(views.map((v) => v.productId))];
    const categories = new Map(
      (
        await ctx.db.query<{ external_id: string; category: string | null }>(PRODUCT_CATEGORIES, [
          ctx.tenant.id,
          ids,
        ])
      ).map((r) => [r.external_id, r.category]),
    );
    const only = typeof ctx.filters.category === 'string' ? ctx.filters.category : null;
    const listed = views.filter((v) => only === null || categories.get(v.productId) === only);
    const rows = listed.map((v) => restockReportRow(v, categories.get(v.productId) ?? null));

    const params = pages[0];
    const orderValue = formatMoney(sum(listed.flatMap((v) => (v.orderValue === null ? [] : [v.orderValue]))));
    const atRisk = formatMoney(
      sum(listed.flatMap((v) => (v.revenueAtRisk === null ? [] : [v.revenueAtRisk]))),
    );
    const products = new Set(listed.map((v) => v.productId)).size;
    const cur = ctx.tenant.currency;
    return {
      ...reportHeader(
        ctx,
        this.type,
        { en: 'Products to restock', ar: 'منتجات تحتاج إلى إعادة طلب' },
        'restock-engine',
      ),
      columns: COLUMNS,
      rows,
      summary: {
        rows: rows.length,
        products,
        windowDays: params?.windowDays,
        coverDays: params?.coverDays,
        serviceLevel: params?.serviceLevel,
        defaultLeadTimeDays: params?.defaultLeadTimeDays,
        orderValue,
        revenueAtRisk: atRisk,
        rowsWithUnknownCost: listed.filter((v) => v.orderValue === null).length,
      },
      summaryLines: [
        {
          label: { en: 'Products below reorder point', ar: 'منتجات دون نقطة إعادة الطلب' },
          value: String(products),
        },
        {
          label: { en: 'Rows (product × warehouse)', ar: 'الصفوف (منتج × مستودع)' },
          value: String(rows.length),
        },
        { label: { en: 'Order value', ar: 'قيمة الطلب' }, value: `${orderValue} ${cur}` },
        { label: { en: 'Revenue at risk', ar: 'الإيراد المعرض للخطر' }, value: `${atRisk} ${cur}` },
        {
          label: { en: 'Demand window (days)', ar: 'فترة الطلب (أيام)' },
          value: String(params?.windowDays),
        },
      ],
      sections: [],
    };
  }
}
