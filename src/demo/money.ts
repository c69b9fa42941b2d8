/**
 * Money for the generator. Prices, costs and payments are whole halalas (integers, exact in a
 * JavaScript number up to 2^53) until they are written as decimal strings; document totals are
 * computed with decimal.js exactly as DOMAIN.md §2 defines them:
 *   line net = quantity × unitPrice − discount, or × (1 − discountPercent / 100),
 *              where unitPrice is first divided by (1 + taxRate) when prices include tax;
 *   total    = Σ line net + Σ line net × taxRate, rounded half-up to 2 places.
 */
import { Decimal } from 'decimal.js';

export const VAT_RATE = '0.15';

export interface PricedLine {
  quantity: string;
  unitPrice: string;
  discount?: string;
  discountPercent?: string;
  taxRate?: string;
}

/** 123450 → "1234.50". */
export function formatHalalas(halalas: number): string {
  if (!Number.isSafeInteger(halalas) || halalas < 0) throw new Error(`not a money amount: ${halalas}`);
  const units = Math.floor(halalas / 100);
  const cents = halalas % 100;
  return `${units}.${cents < 10 ? '0' : ''}${cents}`;
}

/** "1234.50" → 123450 (the string must have at most 2 decimals). */
export function parseHalalas(amount: string): number {
  return new Decimal(amount).times(100).toNumber();
}

const ONE = new Decimal(1);
const HUNDRED = new Decimal(100);
const rateCache = new Map<string, { rate: Decimal; onePlus: Decimal }>();

function taxRate(rate: string | undefined): { rate: Decimal; onePlus: Decimal } {
  const key = rate ?? '0';
  let cached = rateCache.get(key);
  if (!cached) {
    const r = new Decimal(key);
    cached = { rate: r, onePlus: r.plus(ONE) };
    rateCache.set(key, cached);
  }
  return cached;
}

export function lineNet(line: PricedLine, pricesIncludeTax: boolean): Decimal {
  let price = new Decimal(line.unitPrice);
  if (pricesIncludeTax) price = price.div(taxRate(line.taxRate).onePlus);
  let net = price.times(line.quantity);
  if (line.discountPercent !== undefined) {
    net = net.times(ONE.minus(new Decimal(line.discountPercent).div(HUNDRED)));
  } else if (line.discount !== undefined) {
    net = net.minus(line.discount);
  }
  return net;
}

/** The document total (net + VAT), rounded half-up to 2 places. */
export function documentTotal(lines: readonly PricedLine[], pricesIncludeTax: boolean): Decimal {
  let net = new Decimal(0);
  let vat = new Decimal(0);
  for (const line of lines) {
    const n = lineNet(line, pricesIncludeTax);
    net = net.plus(n);
    vat = vat.plus(n.times(taxRate(line.taxRate).rate));
  }
  return net.plus(vat).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** A rounded 2-dp Decimal as whole halalas. */
export function toHalalas(amount: Decimal): number {
  return amount.times(HUNDRED).toNumber();
}
