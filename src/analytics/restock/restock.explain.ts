/**
 * The arithmetic of a restock row written out in words, in English or Arabic, so a buyer can check
 * every step of the suggestion (restock.math.ts gives the formulas).
 *
 * Rounding for display only (half-up, trailing zeros dropped; the row keeps full precision, so the
 * rounded terms of a sum may differ from the rounded total by one in the last digit):
 *   quantities, rates, days, σ: 1 decimal when |x| ≥ 10, else 3 significant digits (152.5, 3.33,
 *   0.0523); z: 3 decimals; 1 − α/2: 4 decimals at most.
 * On hand, on order, pack size, minimum and the suggested quantity are decimal strings shown as
 * they are; the need is shown like any other quantity.
 */
import { Decimal } from 'decimal.js';

import { roundHalfUp as round, significantHalfUp } from './decimal-text';
import { type DemandClass } from './demand.math';
import { type RestockDemand, type RestockRow } from './restock.math';

export type ExplainLang = 'en' | 'ar';

/** 1 decimal when |x| ≥ 10, else 3 significant digits. */
export function formatQuantity(x: number): string {
  if (Math.abs(x) >= 10) return round(x, 1);
  return significantHalfUp(x, 3);
}

const CLASS_EN: Record<DemandClass, string> = {
  none: 'no demand',
  smooth: 'smooth demand',
  erratic: 'erratic demand',
  intermittent: 'intermittent demand',
  lumpy: 'lumpy demand',
};

const CLASS_AR: Record<DemandClass, string> = {
  none: 'لا طلب',
  smooth: 'طلب منتظم',
  erratic: 'طلب متقلب',
  intermittent: 'طلب متقطع',
  lumpy: 'طلب متكتل',
};

/** English "N days" / "1 day". */
function enDays(n: number): string {
  const text = formatQuantity(n);
  return text === '1' ? '1 day' : `${text} days`;
}

function enUnits(n: number): string {
  const text = formatQuantity(n);
  return text === '1' ? '1 unit' : `${text} units`;
}

/** Arabic counted noun for days: 1 يوم واحد, 2 يومان, 3–10 أيام, 11–99 يومًا, else يوم. */
function arDays(n: number): string {
  const text = formatQuantity(n);
  if (!Number.isInteger(n)) return `${text} يوم`;
  if (n === 1) return 'يوم واحد';
  if (n === 2) return 'يومان';
  const r = n % 100;
  if (r >= 3 && r <= 10) return `${text} أيام`;
  if (r >= 11) return `${text} يومًا`;
  return `${text} يوم`;
}

/** Compares two decimal texts exactly: up to 15 significant digits the doubles keep their order. */
function compare(a: string, b: string): number {
  if (a.length > 16 || b.length > 16) return new Decimal(a).cmp(b);
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** How the order was rounded: the minimum (when above the need) and packs (when they add to it). */
function rounding(row: RestockRow): { raisedToMinimum: boolean; roundedUp: boolean } {
  const raisedToMinimum = row.minOrderQty !== null && compare(row.minOrderQty, row.need) > 0;
  const base = raisedToMinimum && row.minOrderQty !== null ? row.minOrderQty : row.need;
  return { raisedToMinimum, roundedUp: compare(row.suggested, base) !== 0 };
}

/** onHand + onOrder, exactly (whole numbers without a Decimal). */
function position(row: RestockRow): string {
  const a = Number(row.onHand);
  const b = Number(row.onOrder);
  const sum = a + b;
  if (Number.isSafeInteger(a) && Number.isSafeInteger(b) && Number.isSafeInteger(sum)) return String(sum);
  return new Decimal(row.onHand).plus(row.onOrder).toFixed();
}

/** The demand sentences (rate, reorder point, target): the same for every warehouse row of a product. */
function demandEn(row: RestockDemand): string {
  const rate = formatQuantity(row.rate);
  const parts: string[] = [];
  const cls = CLASS_EN[row.demandClass];
  if (row.demandClass === 'none') {
    parts.push(`No sales in the last ${enDays(row.windowDays)} (${cls}): no safety stock is kept.`);
  } else if (row.method === 'sba' && row.croston) {
    parts.push(
      `Sold on ${row.demandDays} of the last ${enDays(row.windowDays)} (${cls}): Croston–SBA smooths that to ` +
        `${enUnits(row.croston.size)} every ${enDays(row.croston.interval)} × ` +
        `${round(1 - row.alpha / 2, 4)} (1 − α/2, α ${row.alpha}) = ${rate} a day.`,
    );
  } else {
    parts.push(`Sold ${rate} a day on average over ${enDays(row.windowDays)} (${cls}).`);
  }
  if (row.demandClass !== 'none') {
    parts.push(
      `Lead time ${enDays(row.leadTimeDays)} → ${formatQuantity(row.rate * row.leadTimeDays)} units during lead ` +
        `time + safety stock ${formatQuantity(row.safetyStock)} (z ${round(row.z, 3)} × σ ${formatQuantity(row.sigma)} × ` +
        `√${row.leadTimeDays}) = reorder point ${formatQuantity(row.reorderPoint)}; target ` +
        `${formatQuantity(row.reorderPoint)} + ${enDays(row.coverDays)} × ${rate} = ${formatQuantity(row.target)}.`,
    );
  }
  return parts.join(' ');
}

/** The stock sentences of one warehouse row: what to order and how long the stock lasts. */
function positionEn(row: RestockRow): string {
  const parts: string[] = [];
  const stock = `On hand ${row.onHand} + on order ${row.onOrder} = ${position(row)}`;
  if (row.suggested === '0') {
    parts.push(`${stock} covers the target ${formatQuantity(row.target)}: nothing to order.`);
  } else {
    const rop = formatQuantity(row.reorderPoint);
    const relation = row.belowReorderPoint
      ? `≤ reorder point ${rop}: time to reorder. Order`
      : `> reorder point ${rop}: no reorder needed yet; to reach the target now, order`;
    const how = [`need ${formatQuantity(Number(row.need))}`];
    const { raisedToMinimum, roundedUp } = rounding(row);
    if (raisedToMinimum) how.push(`raised to the minimum order of ${row.minOrderQty}`);
    if (roundedUp) {
      how.push(
        row.packSize === null ? 'rounded up to whole units' : `rounded up to packs of ${row.packSize}`,
      );
    }
    parts.push(`${stock} ${relation} ${row.suggested} (${how.join(', ')}).`);
  }
  if (row.daysOfCover === null) {
    parts.push('With no sales rate there is no expected stock-out date.');
  } else if (row.daysOfCover === 0) {
    parts.push(`Out of stock now (${row.asOf}).`);
  } else {
    const until = row.stockOutDate === null ? '' : ` → stock-out expected around ${row.stockOutDate}`;
    parts.push(`${row.onHand} on hand lasts ${enDays(row.daysOfCover)} at this rate${until}.`);
  }
  return parts.join(' ');
}

function demandAr(row: RestockDemand): string {
  const rate = formatQuantity(row.rate);
  const parts: string[] = [];
  const cls = CLASS_AR[row.demandClass];
  if (row.demandClass === 'none') {
    parts.push(`لا مبيعات خلال آخر ${arDays(row.windowDays)} (${cls}): لا يُحتفظ بمخزون أمان.`);
  } else if (row.method === 'sba' && row.croston) {
    parts.push(
      `بيع في ${row.demandDays} من آخر ${arDays(row.windowDays)} (${cls}): تقدّر طريقة كروستون المعدّلة (SBA) ` +
        `الكمية بـ ${formatQuantity(row.croston.size)} كل ${arDays(row.croston.interval)} × ${round(1 - row.alpha / 2, 4)} ` +
        `(1 − α/2، α = ${row.alpha}) = معدل يومي ${rate}.`,
    );
  } else {
    parts.push(`متوسط البيع اليومي ${rate} خلال آخر ${arDays(row.windowDays)} (${cls}).`);
  }
  if (row.demandClass !== 'none') {
    parts.push(
      `مدة التوريد ${arDays(row.leadTimeDays)} ← الطلب خلال مدة التوريد ${formatQuantity(row.rate * row.leadTimeDays)} ` +
        `+ مخزون الأمان ${formatQuantity(row.safetyStock)} (z ${round(row.z, 3)} × σ ${formatQuantity(row.sigma)} × ` +
        `√${row.leadTimeDays}) = نقطة إعادة الطلب ${formatQuantity(row.reorderPoint)}؛ المستوى المستهدف ` +
        `${formatQuantity(row.reorderPoint)} + ${arDays(row.coverDays)} × ${rate} = ${formatQuantity(row.target)}.`,
    );
  }
  return parts.join(' ');
}

function positionAr(row: RestockRow): string {
  const parts: string[] = [];
  const stock = `المتوفر ${row.onHand} + قيد الطلب ${row.onOrder} = ${position(row)}`;
  if (row.suggested === '0') {
    parts.push(`${stock} يغطي المستوى المستهدف ${formatQuantity(row.target)}: لا حاجة للطلب.`);
  } else {
    const rop = formatQuantity(row.reorderPoint);
    const relation = row.belowReorderPoint
      ? `≤ نقطة إعادة الطلب ${rop}: حان وقت إعادة الطلب. الكمية المقترحة`
      : `> نقطة إعادة الطلب ${rop}: لا حاجة لإعادة الطلب بعد؛ وللوصول إلى المستوى المستهدف الآن تُطلب`;
    const how = [`الاحتياج ${formatQuantity(Number(row.need))}`];
    const { raisedToMinimum, roundedUp } = rounding(row);
    if (raisedToMinimum) how.push(`رُفعت إلى الحد الأدنى للطلب ${row.minOrderQty}`);
    if (roundedUp) {
      how.push(
        row.packSize === null ? 'قُرّبت للأعلى إلى وحدات كاملة' : `قُرّبت للأعلى إلى عبوات من ${row.packSize}`,
      );
    }
    parts.push(`${stock} ${relation} ${row.suggested} (${how.join('، ')}).`);
  }
  if (row.daysOfCover === null) {
    parts.push('لا معدل بيع، فلا تاريخ متوقع لنفاد المخزون.');
  } else if (row.daysOfCover === 0) {
    parts.push(`المخزون نافد الآن (${row.asOf}).`);
  } else {
    const until = row.stockOutDate === null ? '' : ` ← النفاد المتوقع نحو ${row.stockOutDate}`;
    parts.push(`يكفي المتوفر (${row.onHand}) ${arDays(row.daysOfCover)} بهذا المعدل${until}.`);
  }
  return parts.join(' ');
}

/** The lapsed-demand share from which the explanation mentions it (percent). */
export const LAPSED_NOTE_FROM_PCT = 20;

/** Who bought the product: the lapsed share (percent, 2 decimals) over the lookback (days). */
export interface BuyerContext {
  lapsedPct: string | null;
  lookbackDays: number;
}

/**
 * A note on the demand from lapsed customers when it is material (≥ 20 % of the lookback's units):
 * that demand is not expected to come back, and the rate is not adjusted for it.
 */
export function explainLapsed(ctx: BuyerContext | undefined, lang: ExplainLang): string | null {
  if (!ctx || ctx.lapsedPct === null || Number(ctx.lapsedPct) < LAPSED_NOTE_FROM_PCT) return null;
  if (lang === 'ar') {
    return (
      `${ctx.lapsedPct}% من الوحدات المبيعة خلال آخر ${arDays(ctx.lookbackDays)} اشتراها عملاء منقطعون الآن: ` +
      'طلب لا يُتوقع أن يعود، ولم يُخفَّض المعدل اليومي لأجله.'
    );
  }
  return (
    `${ctx.lapsedPct}% of the units sold in the last ${enDays(ctx.lookbackDays)} went to customers who have ` +
    'since lapsed: demand that is not expected to come back (the daily rate is not adjusted for it).'
  );
}

/** The demand sentences alone (cacheable per product and language). */
export function explainDemand(row: RestockDemand, lang: ExplainLang): string {
  return lang === 'ar' ? demandAr(row) : demandEn(row);
}

/** The stock sentences alone (per warehouse row). */
export function explainPosition(row: RestockRow, lang: ExplainLang): string {
  return lang === 'ar' ? positionAr(row) : positionEn(row);
}

export function explain(row: RestockRow, lang: ExplainLang, buyers?: BuyerContext): string {
  const note = explainLapsed(buyers, lang);
  const text = `${explainDemand(row, lang)} ${explainPosition(row, lang)}`;
  return note === null ? text : `${text} ${note}`;
}
