import type { Cohorts, Invoice } from './types';

/** Pure derivations of API answers the pages draw (unit-tested in derive.spec.ts). */

/** Revenue per month from customers in their first month (new) and from everyone else (returning). */
export function newVsReturning(c: Cohorts): { months: string[]; fresh: number[]; returning: number[] } {
  const byMonth = new Map<string, { fresh: number; returning: number }>();
  for (const cohort of c.cohorts) {
    for (const p of cohort.periods) {
      const m = byMonth.get(p.month) ?? { fresh: 0, returning: 0 };
      if (p.offset === 0) m.fresh += Number(p.netRevenue);
      else m.returning += Number(p.netRevenue);
      byMonth.set(p.month, m);
    }
  }
  const months = [...byMonth.keys()].sort();
  return {
    months,
    fresh: months.map((m) => Math.round(byMonth.get(m)!.fresh * 100) / 100),
    returning: months.map((m) => Math.round(byMonth.get(m)!.returning * 100) / 100),
  };
}

/** The last day of each of the `n` months before today (the DSO trend's dates). */
export function monthEnds(n: number, today = new Date()): string[] {
  const out: string[] = [];
  for (let i = n; i >= 1; i--) {
    const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - i + 1, 0));
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/**
 * The exact sum of decimal strings (money as the API sends it), as a decimal string: scaled BigInt
 * arithmetic, never a float, so a headline figure is the sum of its parts to the last digit.
 */
export function sumDecimals(values: (string | null | undefined)[]): string {
  const parts = values
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map((v) => {
      const neg = v.startsWith('-');
      const [int = '0', frac = ''] = (neg ? v.slice(1) : v).split('.');
      return { neg, int, frac };
    });
  const scale = Math.max(0, ...parts.map((p) => p.frac.length));
  let total = 0n;
  for (const p of parts) {
    const n = BigInt(`${p.int}${p.frac.padEnd(scale, '0')}` || '0');
    total += p.neg ? -n : n;
  }
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return neg ? `-${text}` : text;
}

/** Net revenue per month from a customer's invoices (summed exactly; numbers only for the chart). */
export function monthlyNet(invoices: (Invoice & { net?: string })[]): { months: string[]; values: number[] } {
  const by = new Map<string, string[]>();
  for (const i of invoices) {
    if (i.status === 'void' || i.status === 'draft') continue;
    const m = i.issueDate.slice(0, 7);
    by.set(m, [...(by.get(m) ?? []), i.net ?? i.total]);
  }
  const months = [...by.keys()].sort();
  return { months, values: months.map((m) => Math.round(Number(sumDecimals(by.get(m)!)) * 100) / 100) };
}
