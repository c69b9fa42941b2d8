import Decimal from 'decimal.js';
import { FieldReader } from '../field-reader';
import { Money } from '../../shared/money';

/**
 * Lines of invoices and credit notes, and their arithmetic (DOMAIN.md §2):
 *   price    = unitPrice / (1 + taxRate) when prices include tax, else unitPrice
 *   line net = quantity × price × (1 − discountPercent/100) − discount
 *   line VAT = line net × taxRate;   document total = Σ net + Σ VAT
 * Exact decimals throughout; only the tax-inclusive division is carried to NET_PLACES decimals.
 */
export const NET_PLACES = 10;
export const TOTAL_TOLERANCE = new Money('0.01');

export const LINE_FIELDS = new Set([
  'productId',
  'description',
  'quantity',
  'unitPrice',
  'discount',
  'discountPercent',
  'taxRate',
  'unitCost',
]);

export interface DocumentLine {
  productRef: string | null;
  description: string | null;
  quantity: Decimal;
  unitPrice: Decimal;
  discount: Decimal;
  discountPercent: Decimal;
  taxRate: Decimal;
  unitCost: Decimal | null;
  net: Decimal;
  tax: Decimal;
}

const ZERO = new Money(0);
const HUNDRED = new Money(100);

export function readLines(
  r: FieldReader,
  raw: unknown[] | null,
  pricesIncludeTax: boolean,
): { lines: DocumentLine[]; net: Decimal; tax: Decimal } {
  const lines: DocumentLine[] = [];
  let net = ZERO;
  let tax = ZERO;
  (raw ?? []).forEach((item, k) => {
    const path = `lines[${k}]`;
    const o = r.object(item, path, LINE_FIELDS);
    if (!o) return;
    const quantity = r.decimal(o, 'quantity', path, 'positive', true);
    const unitPrice = r.decimal(o, 'unitPrice', path, 'nonNegative', true);
    const discount = r.decimal(o, 'discount', path, 'nonNegative') ?? ZERO;
    const discountPercent = r.decimal(o, 'discountPercent', path, 'nonNegative') ?? ZERO;
    const taxRate = r.decimal(o, 'taxRate', path, 'nonNegative') ?? ZERO;
    const unitCost = r.decimal(o, 'unitCost', path, 'nonNegative');
    const productRef = r.text(o, 'productId', path, false, 200);
    const description = r.text(o, 'description', path);
    if (discountPercent.gt(HUNDRED)) r.fail(`${path}.discountPercent`, 'must be at most 100');
    if (taxRate.gt(1)) r.fail(`${path}.taxRate`, 'must be a fraction such as 0.15 for 15 %, at most 1');
    if (quantity === null || unitPrice === null) return;
    const price = pricesIncludeTax ? unitPrice.div(taxRate.plus(1)) : unitPrice;
    let lineNet = quantity.times(price);
    if (!discountPercent.isZero()) lineNet = lineNet.times(HUNDRED.minus(discountPercent)).div(HUNDRED);
    if (!discount.isZero()) lineNet = lineNet.minus(discount);
    if (pricesIncludeTax) lineNet = lineNet.toDecimalPlaces(NET_PLACES, Decimal.ROUND_HALF_UP);
    if (lineNet.lt(0)) {
      r.fail(`${path}.discount`, 'is larger than the line amount (quantity × unit price)');
      return;
    }
    const lineTax = lineNet.times(taxRate);
    net = net.plus(lineNet);
    tax = tax.plus(lineTax);
    lines.push({
      productRef,
      description,
      quantity,
      unitPrice,
      discount,
      discountPercent,
      taxRate,
      unitCost,
      net: lineNet,
      tax: lineTax,
    });
  });
  return { lines, net, tax };
}

/**
 * The document total is what the customer was invoiced: the `total` sent (it must match the lines
 * within 0.01, the rounding of the source system), else net + VAT rounded half-up to 2 places, as an
 * issued invoice states it. Receivables run on this total; revenue on the exact line nets. The
 * document's VAT is total − net.
 */
export function documentTotal(
  given: Decimal | null,
  net: Decimal,
  tax: Decimal,
): { total: Decimal; tax: Decimal } {
  const total = given ?? net.plus(tax).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return { total, tax: total.minus(net) };
}

/** A sent `total` must match the computed one within 0.01 (rounding in the source system). */
export function checkTotal(r: FieldReader, given: Decimal | null, net: Decimal, tax: Decimal): void {
  if (given === null) return;
  const computed = net.plus(tax);
  if (given.minus(computed).abs().gt(TOTAL_TOLERANCE)) {
    r.fail(
      'total',
      `is ${given.toString()} but the lines add up to ${computed.toDecimalPlaces(2).toFixed(2)} (net ${net
        .toDecimalPlaces(2)
        .toFixed(2)} + VAT ${tax.toDecimalPlaces(2).toFixed(2)})`,
    );
  }
}
