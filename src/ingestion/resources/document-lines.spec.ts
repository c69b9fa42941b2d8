import { FieldError } from '../../shared/errors';
import { FieldReader } from '../field-reader';
import { checkTotal, documentTotal, readLines } from './document-lines';

function read(lines: unknown[], pricesIncludeTax = false) {
  const errors: FieldError[] = [];
  const r = new FieldReader(errors, 0, 'Asia/Riyadh');
  return { ...readLines(r, lines, pricesIncludeTax), errors, r };
}

describe('invoice line arithmetic (DOMAIN §2)', () => {
  it('10 × 55.00 − 5.00 discount = 545 net, 81.75 VAT at 15 %', () => {
    const { net, tax, errors } = read([
      { quantity: '10', unitPrice: '55.00', discount: '5.00', taxRate: '0.15' },
    ]);
    expect(errors).toEqual([]);
    expect(net.toString()).toBe('545');
    expect(tax.toString()).toBe('81.75');
  });

  it('2 × 100 with 10 % off = 180 net', () => {
    const { net } = read([{ quantity: 2, unitPrice: 100, discountPercent: 10, taxRate: 0.15 }]);
    expect(net.toString()).toBe('180');
  });

  it('prices including VAT are divided by 1 + rate first: 115 incl. → 100 net + 15 VAT', () => {
    const { net, tax } = read([{ quantity: 1, unitPrice: '115', taxRate: '0.15' }], true);
    expect(net.toString()).toBe('100');
    expect(tax.toString()).toBe('15');
  });

  it('keeps the tax-inclusive division to 10 places: 3 × 10 incl. 15 % = 26.0869565217 net', () => {
    const { net } = read([{ quantity: 3, unitPrice: '10', taxRate: '0.15' }], true);
    expect(net.toString()).toBe('26.0869565217');
  });

  it('a discount larger than the line is an error on that line', () => {
    const { errors } = read([{ quantity: 1, unitPrice: 5, discount: 6 }]);
    expect(errors).toEqual([
      { index: 0, field: 'lines[0].discount', message: expect.stringContaining('larger than the line') },
    ]);
  });

  it('VAT is never revenue: net excludes it, the total adds it', () => {
    const { net, tax } = read([
      { quantity: 1, unitPrice: '0.07', taxRate: '0.15' },
      { quantity: 1, unitPrice: '100', taxRate: '0' },
    ]);
    expect(net.toString()).toBe('100.07');
    expect(tax.toString()).toBe('0.0105');
  });
});

describe('document total', () => {
  it('rounds net + VAT half-up to the halala when no total is sent: 507.50 + 76.125 → 583.63', () => {
    const { net, tax } = read([{ quantity: 5, unitPrice: '101.5', taxRate: '0.15' }]);
    const t = documentTotal(null, net, tax);
    expect(t.total.toString()).toBe('583.63');
    expect(t.tax.toString()).toBe('76.13');
  });

  it('keeps the total the source system sent when it is within 0.01 of the lines', () => {
    const { net, tax, r, errors } = read([{ quantity: 5, unitPrice: '101.5', taxRate: '0.15' }]);
    const given = documentTotal(null, net, tax).total.minus('0.01'); // 583.62: the source rounded down
    checkTotal(r, given, net, tax);
    expect(errors).toEqual([]);
    expect(documentTotal(given, net, tax).tax.toString()).toBe('76.12');
  });

  it('refuses a total more than 0.01 away from the lines', () => {
    const { net, tax, r, errors } = read([{ quantity: 1, unitPrice: '10', taxRate: '0.15' }]);
    checkTotal(r, r.decimal({ total: '11.52' }, 'total', '', 'nonNegative'), net, tax);
    expect(errors).toEqual([
      { index: 0, field: 'total', message: 'is 11.52 but the lines add up to 11.50 (net 10.00 + VAT 1.50)' },
    ]);
  });
});
