import { formatDecimal, formatMoney, money, sum } from './money';

describe('money', () => {
  it('adds decimal strings exactly where floats drift (0.1 + 0.2 = 0.30)', () => {
    expect(formatMoney(money('0.1').plus('0.2'))).toBe('0.30');
    expect(money('0.1').plus('0.2').eq('0.3')).toBe(true);
  });

  it('rounds half-up only when presenting: 2.345 → 2.35, -2.345 → -2.35', () => {
    expect(formatMoney('2.345')).toBe('2.35');
    expect(formatMoney('-2.345')).toBe('-2.35');
    expect(formatMoney('1234.5')).toBe('1234.50');
  });

  it('keeps 15 % VAT on 0.07 exact (0.0105) until presentation', () => {
    const vat = money('0.07').times('0.15');
    expect(vat.toString()).toBe('0.0105');
    expect(formatMoney(vat)).toBe('0.01');
  });

  it('sums a thousand cents to exactly ten', () => {
    expect(sum(Array.from({ length: 1000 }, () => '0.01')).toString()).toBe('10');
  });

  it('prints quantities without trailing zeros and without exponent', () => {
    expect(formatDecimal('12.000')).toBe('12');
    expect(formatDecimal('0.0000001')).toBe('0.0000001');
    expect(formatDecimal(null)).toBeNull();
  });
});
