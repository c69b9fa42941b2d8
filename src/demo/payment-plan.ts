/**
 * When and how a customer pays an invoice: at the till, on time, late, in instalments, on their
 * monthly payment run, or never. Amounts are halalas; the instalments always add up to exactly
 * the amount payable, so no invoice is ever over-allocated.
 */
import { FRIDAY, nextDateOfMonth, SATURDAY, weekday } from './calendar';
import type { Customer } from './customers';
import type { Rng } from './rng';
import type { PaymentMethod } from './types';

export interface Instalment {
  day: number;
  amount: number;
  /** Unallocated overpayment paid with it (a round figure), halalas. */
  extra: number;
}

export interface PaymentPlan {
  method: PaymentMethod;
  /** Instalments dated on or before the end date (later ones are not in the data). */
  instalments: Instalment[];
  /** Every halala payable is paid by the end date. */
  settled: boolean;
}

export function paymentMethod(rng: Rng, c: Customer): PaymentMethod {
  return c.methods[rng.weightedIndex(c.methodWeights)] ?? 'bank_transfer';
}

/** The payments of `payable` halalas for an invoice issued on `day` (terms from the customer). */
export function planPayment(
  rng: Rng,
  c: Customer,
  day: number,
  payable: number,
  endDay: number,
): PaymentPlan {
  if (payable <= 0) return { method: 'bank_transfer', instalments: [], settled: true };
  if (rng.chance(c.paysAtTill)) {
    return {
      method: paymentMethod(rng, c),
      instalments: [{ day, amount: payable, extra: 0 }],
      settled: true,
    };
  }
  if (rng.chance(c.unpaidProb)) return { method: 'bank_transfer', instalments: [], settled: false };
  const lateBy = rng.chance(c.lateProb)
    ? rng.int(5, 45)
    : Math.round(c.payOffset + rng.normal() * c.paySpread);
  let payDay = Math.max(day, day + c.terms + lateBy);
  if (c.payRunDay > 0) {
    payDay = nextDateOfMonth(payDay, c.payRunDay);
  } else if (c.business) {
    // Banks do not settle transfers at the weekend: Friday and Saturday move to Sunday.
    const wd = weekday(payDay);
    if (wd === FRIDAY) payDay += 2;
    if (wd === SATURDAY) payDay += 1;
  }
  const method = paymentMethod(rng, c);
  const parts: [number, number][] = [];
  if (payable >= 20_000 && rng.chance(c.partialProb)) {
    let left = payable;
    let when = payDay;
    for (let k = rng.int(2, 3); k > 1 && left > 10_000; k--) {
      const part = Math.max(10_000, Math.floor((left * rng.uniform(0.3, 0.6)) / 10_000) * 10_000);
      if (part >= left) break;
      parts.push([when, part]);
      left -= part;
      when += rng.int(10, 40);
    }
    parts.push([when, left]);
  } else {
    parts.push([payDay, payable]);
  }
  const instalments: Instalment[] = [];
  for (const [when, amount] of parts) {
    if (when > endDay) continue;
    const roundUp = parts.length === 1 && c.business && rng.chance(0.02);
    instalments.push({
      day: when,
      amount,
      extra: roundUp ? Math.ceil(amount / 10_000) * 10_000 - amount : 0,
    });
  }
  return { method, instalments, settled: instalments.length === parts.length };
}
