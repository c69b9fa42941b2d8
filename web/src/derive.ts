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

/** Net revenue per month from a customer's invoices. */
export function monthlyNet(invoices: (Invoice & { net?: string })[]): { months: string[]; values: number[] } {
  const by = new Map<string, number>();
  for (const i of invoices) {
    if (i.status === 'void' || i.status === 'draft') continue;
    const m = i.issueDate.slice(0, 7);
    by.set(m, (by.get(m) ?? 0) + Number(i.net ?? i.total));
  }
  const months = [...by.keys()].sort();
  return { months, values: months.map((m) => Math.round(by.get(m)! * 100) / 100) };
}
