/**
 * Composes the lines of invoices and credit notes. Amounts are whole halalas until written;
 * totals come from money.documentTotal (DOMAIN.md §2), so they recompute exactly.
 */
import { SEASON_CATEGORIES, type SeasonName } from './calendar';
import { isOnSale, priceOn, sampleInCategory, samplePopular, type Catalog, type Product } from './catalog';
import type { Customer } from './customers';
import { documentTotal, formatHalalas, toHalalas, VAT_RATE } from './money';
import type { Rng } from './rng';
import type { CreditNoteLineRecord, InvoiceLineRecord } from './types';

export interface SoldItem {
  product: Product;
  /** Units (integer for goods). */
  qty: number;
  /** Unit price as written on the line, halalas (VAT-inclusive when the invoice is). */
  price: number;
  /** Discount amount in halalas, or discount percent in tenths of a percent (75 = 7.5 %). */
  discount: number;
  discountTenths: number;
  unitCost: string | undefined;
}

export interface ComposedInvoice {
  lines: InvoiceLineRecord[];
  items: SoldItem[];
  total: string;
  totalHalalas: number;
}

export interface ComposeContext {
  rng: Rng;
  catalog: Catalog;
  startDay: number;
  endDay: number;
  /** Current average cost (halalas) of a product where this customer is served, null when unknown. */
  costOf: (product: Product) => number | null;
}

/** Spend multiplier of growing and declining customers over their active life. */
export function spendFactor(c: Customer, day: number, endDay: number): number {
  const progress = Math.min(1, Math.max(0, (day - c.firstDay) / Math.max(30, endDay - c.firstDay)));
  if (c.kind === 'growing') return 0.6 + 1.6 * progress;
  if (c.kind === 'declining') return 1.4 - 1.05 * progress;
  return 1;
}

function chooseProduct(
  ctx: ComposeContext,
  c: Customer,
  day: number,
  season: SeasonName | null,
  own: boolean,
): Product {
  const { rng, catalog } = ctx;
  const boost = season ? SEASON_CATEGORIES[season] : null;
  if (boost && rng.chance(own ? 0.7 : 0.25)) return sampleInCategory(rng, catalog, rng.pick(boost));
  if (c.favourites.length > 0 && rng.chance(c.favouriteShare)) return rng.pick(c.favourites);
  return samplePopular(rng, catalog);
}

function discountFor(
  ctx: ComposeContext,
  c: Customer,
  p: Product,
  amount: number,
  season: SeasonName | null,
) {
  const { rng } = ctx;
  const none = { discount: 0, discountTenths: 0 };
  if (amount === 0) return none;
  if (c.contractDiscount !== null)
    return { discount: 0, discountTenths: Math.round(Number(c.contractDiscount) * 10) };
  if (season && SEASON_CATEGORIES[season].includes(p.categoryKey) && rng.chance(0.3)) {
    return { discount: 0, discountTenths: rng.pick([100, 150, 200]) };
  }
  // Amount discounts only on VAT-exclusive invoices, where "price − discount" is unambiguous.
  if (!c.pricesIncludeTax && c.business && rng.chance(0.08)) {
    const d = Math.floor((amount * rng.uniform(0.03, 0.1)) / 100) * 100;
    return d > 0 && d <= amount ? { discount: d, discountTenths: 0 } : none;
  }
  if (!c.business && rng.chance(0.04)) return { discount: 0, discountTenths: 50 };
  return none;
}

function quantityText(qty: number): string {
  return Number.isInteger(qty) ? String(qty) : qty.toFixed(1);
}

function tenthsText(tenths: number): string {
  return tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1);
}

export function composeInvoice(
  ctx: ComposeContext,
  c: Customer,
  day: number,
  season: SeasonName | null,
  ownSeason: boolean,
): ComposedInvoice | null {
  const { rng } = ctx;
  const spend = Math.sqrt(spendFactor(c, day, ctx.endDay));
  const lineCount = Math.min(25, 1 + rng.geometric(1 / Math.max(1, c.linesMean * spend)));
  const withCost = rng.chance(0.3);
  const items: SoldItem[] = [];
  const seen = new Set<Product>();
  for (let i = 0; i < lineCount; i++) {
    let product: Product | null = null;
    for (let attempt = 0; attempt < 5 && product === null; attempt++) {
      const p = chooseProduct(ctx, c, day, season, ownSeason);
      if (isOnSale(p, day) && !seen.has(p)) product = p;
    }
    if (product === null) continue;
    seen.add(product);
    let qty = Math.max(1, Math.round(product.unitsPerLine * c.qtyScale * spend * rng.jitter(0.5)));
    if (c.business && product.packSize > 1 && qty >= product.packSize / 2 && rng.chance(0.5)) {
      qty = Math.ceil(qty / product.packSize) * product.packSize;
    }
    const list = priceOn(product, day, ctx.startDay);
    const free = c.business && rng.chance(0.003);
    const price = free ? 0 : c.pricesIncludeTax ? Math.round((list * 1.15) / 5) * 5 : list;
    const cost = withCost && product.costKnown ? ctx.costOf(product) : null;
    const unitCost = cost === null ? undefined : formatHalalas(cost);
    items.push({ product, qty, price, ...discountFor(ctx, c, product, qty * price, season), unitCost });
  }
  if (items.length === 0) return null;
  if (ctx.catalog.services.length > 0 && rng.chance(c.business ? 0.12 : 0.06)) {
    const services = ctx.catalog.services;
    const service = rng.chance(0.6) ? services[0]! : rng.pick(services);
    const qty = service.hourly ? rng.pick([1, 1.5, 2, 3]) : 1;
    const price = c.pricesIncludeTax ? Math.round((service.price * 1.15) / 5) * 5 : service.price;
    items.push({ product: service, qty, price, discount: 0, discountTenths: 0, unitCost: undefined });
  }
  const lines = items.map((it): InvoiceLineRecord => {
    const described = it.product.isService || it.price === 0 || rng.chance(0.2);
    return {
      productId: it.product.id,
      ...(described
        ? { description: it.price === 0 ? `Free sample: ${it.product.name}` : it.product.name }
        : {}),
      quantity: quantityText(it.qty),
      unitPrice: formatHalalas(it.price),
      ...(it.discount > 0 ? { discount: formatHalalas(it.discount) } : {}),
      ...(it.discountTenths > 0 ? { discountPercent: tenthsText(it.discountTenths) } : {}),
      taxRate: VAT_RATE,
      ...(it.unitCost !== undefined ? { unitCost: it.unitCost } : {}),
    };
  });
  const total = documentTotal(lines, c.pricesIncludeTax);
  return { lines, items, total: total.toFixed(2), totalHalalas: toHalalas(total) };
}

const RESTOCK_REASONS = [
  'Customer changed mind',
  'Wrong item delivered',
  'Excess quantity',
  'Order cancelled',
];
const WRITE_OFF_REASONS = ['Damaged in transit', 'Expired', 'Quality issue', 'Defective unit'];

export interface ComposedReturn {
  lines: CreditNoteLineRecord[];
  /** Index into the invoice's items of each returned line, and the units returned. */
  returned: { item: SoldItem; qty: number }[];
  restock: boolean;
  reason: string;
  total: string;
  totalHalalas: number;
}

/**
 * A return of part of an invoice. Credit-note lines carry VAT-exclusive prices; each line's net is
 * at most its share of the invoice line's net (price rounded down, discount share rounded up), so
 * the credit never exceeds what was invoiced.
 */
export function composeReturn(
  rng: Rng,
  items: readonly SoldItem[],
  pricesIncludeTax: boolean,
  heavy: boolean,
) {
  const eligible = items.filter((it) => !it.product.isService && it.price > 0 && Number.isInteger(it.qty));
  if (eligible.length === 0) return null;
  rng.shuffle(eligible);
  const count = heavy ? rng.int(1, eligible.length) : 1;
  const returned = eligible.slice(0, count).map((item) => {
    const full = heavy ? rng.chance(0.5) : rng.chance(0.2);
    return { item, qty: full ? item.qty : rng.int(1, Math.max(1, Math.ceil(item.qty / 3))) };
  });
  const lines = returned.map(({ item, qty }): CreditNoteLineRecord => {
    const unit = pricesIncludeTax ? Math.floor((item.price * 100) / 115) : item.price;
    let discount = 0;
    if (item.discountTenths > 0) discount = Math.ceil((qty * unit * item.discountTenths) / 1000);
    else if (item.discount > 0) discount = Math.ceil((item.discount * qty) / item.qty);
    discount = Math.min(discount, qty * unit);
    return {
      productId: item.product.id,
      quantity: String(qty),
      unitPrice: formatHalalas(unit),
      ...(discount > 0 ? { discount: formatHalalas(discount) } : {}),
      taxRate: VAT_RATE,
      ...(item.unitCost !== undefined ? { unitCost: item.unitCost } : {}),
    };
  });
  const restock = rng.chance(0.7);
  const total = documentTotal(lines, false);
  const result: ComposedReturn = {
    lines,
    returned,
    restock,
    reason: rng.pick(restock ? RESTOCK_REASONS : WRITE_OFF_REASONS),
    total: total.toFixed(2),
    totalHalalas: toHalalas(total),
  };
  return result;
}
