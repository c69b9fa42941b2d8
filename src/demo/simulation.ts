/**
 * The day-by-day simulation. Walking the calendar once keeps every output file in date order and
 * memory bounded: what is held is the customers and products, the next purchase of each customer,
 * and the payments and returns already decided but not yet due (a few months' worth at most).
 *
 * A sale is decided in full when it is issued: its lines, whether part of it will come back
 * (credit note), and when and how it will be paid. Payments cover the invoice total less the
 * linked credit, so allocations never exceed an invoice's open amount; an invoice is `paid` when
 * all of that happens by the end date, else it stays `issued`.
 */
import { isMonthEnd, isoDay, lighterWeekend, seasonByDay, type SeasonName } from './calendar';
import type { Catalog, Product } from './catalog';
import type { Customer } from './customers';
import { composeInvoice, composeReturn, type ComposedReturn } from './documents';
import type { Inventory } from './inventory';
import { NEVER } from './kinds';
import { formatHalalas } from './money';
import { planPayment } from './payment-plan';
import type { Rng } from './rng';
import type { BusinessRecord, InvoiceStatus, PaymentMethod } from './types';

interface PendingPayment {
  customer: Customer;
  method: PaymentMethod;
  allocations: { invoiceId: string; amount: number }[];
  /** Unallocated part (advance or overpayment), halalas. */
  extra: number;
}

interface PendingCredit {
  customer: Customer;
  invoiceId: string | null;
  composed: ComposedReturn;
  /** Warehouse each returned line was sold from. */
  warehouses: number[];
}

interface DayEvents {
  credits: PendingCredit[];
  payments: Map<number, PendingPayment>;
  advances: PendingPayment[];
}

export interface SimulationInput {
  rng: Rng;
  catalog: Catalog;
  customers: readonly Customer[];
  inventory: Inventory;
  startDay: number;
  endDay: number;
}

const FAST_SEASONS: ReadonlySet<SeasonName> = new Set(['ramadan', 'eid_al_fitr', 'eid_al_adha']);

function pad(n: number): string {
  return String(n).padStart(6, '0');
}

export class Simulation {
  private readonly rng: Rng;
  private readonly start: number;
  private readonly end: number;
  private readonly seasons: (SeasonName | null)[];
  private readonly purchases: (number[] | undefined)[];
  private readonly events: (DayEvents | undefined)[];
  private readonly seasonalPtr: Int32Array;
  private invoiceSeq = 0;
  private paymentSeq = 0;
  private creditSeq = 0;

  constructor(private readonly input: SimulationInput) {
    this.rng = input.rng;
    this.start = input.startDay;
    this.end = input.endDay;
    this.seasons = seasonByDay(this.start, this.end);
    this.purchases = new Array<number[] | undefined>(this.end - this.start + 1);
    this.events = new Array<DayEvents | undefined>(this.end - this.start + 1);
    this.seasonalPtr = new Int32Array(input.customers.length);
    for (const c of input.customers) {
      if (c.firstDay > this.end) continue;
      const first = Math.max(c.firstDay, this.start);
      // Never earlier than planned: the account may have been opened that very day.
      let shifted = lighterWeekend(first, this.rng.next());
      if (shifted < first) shifted = 2 * first - shifted + 1;
      this.schedulePurchase(c, shifted > this.end ? first : shifted);
    }
  }

  *run(): Generator<BusinessRecord> {
    for (let day = this.start; day <= this.end; day++) {
      const out: BusinessRecord[] = [];
      const buyers = this.purchases[day - this.start] ?? [];
      this.purchases[day - this.start] = undefined;
      for (const ci of buyers) this.sell(this.input.customers[ci]!, day, out);
      const events = this.events[day - this.start];
      this.events[day - this.start] = undefined;
      if (events) {
        for (const credit of events.credits) out.push(this.emitCredit(credit, day));
        for (const payment of events.payments.values()) out.push(this.emitPayment(payment, day));
        for (const payment of events.advances) out.push(this.emitPayment(payment, day));
      }
      yield* out;
      if (isMonthEnd(day) || day === this.end) {
        for (const record of this.input.inventory.snapshot(day)) yield { type: 'inventory', record };
      }
    }
  }

  private schedulePurchase(c: Customer, day: number): void {
    const slot = day - this.start;
    (this.purchases[slot] ??= []).push(c.index);
  }

  private eventsOn(day: number): DayEvents {
    const slot = day - this.start;
    return (this.events[slot] ??= { credits: [], payments: new Map(), advances: [] });
  }

  private nextPurchase(c: Customer, day: number): number | null {
    let next: number;
    if (c.kind === 'seasonal') {
      const ptr = ++this.seasonalPtr[c.index]!;
      const planned = c.seasonalDays[ptr];
      if (planned === undefined) return null;
      next = lighterWeekend(planned, this.rng.next());
    } else {
      if (c.meanGap === NEVER) return null;
      let factor = 1;
      const progress = Math.min(1, Math.max(0, (day - c.firstDay) / Math.max(30, this.end - c.firstDay)));
      if (c.kind === 'growing') factor = 1.6 - progress;
      if (c.kind === 'declining') factor = 0.8 + 1.7 * Math.pow(progress, 1.5);
      const season = this.seasons[day - this.start];
      if (season && FAST_SEASONS.has(season)) factor *= 0.85;
      const gap = Math.max(1, Math.round(c.meanGap * factor * this.rng.jitter(c.gapSigma)));
      next = lighterWeekend(day + gap, this.rng.next());
    }
    if (next <= day) next = day + 1;
    return next >= c.stopDay || next > this.end ? null : next;
  }

  private status(day: number): InvoiceStatus {
    const u = this.rng.next();
    if (day > this.end - 30 && u < 0.04) return 'draft';
    if (u < 0.0015) return 'draft';
    if (u < 0.01) return 'void';
    return 'issued';
  }

  private sell(c: Customer, day: number, out: BusinessRecord[]): void {
    const { inventory, catalog } = this.input;
    const ownSeason = c.kind === 'seasonal' ? (c.seasonalNames[this.seasonalPtr[c.index]!] ?? null) : null;
    const season = ownSeason ?? this.seasons[day - this.start] ?? null;
    const ctx = {
      rng: this.rng,
      catalog,
      startDay: this.start,
      endDay: this.end,
      costOf: (p: Product) => inventory.costOf(p, c.warehouse),
    };
    const invoice = composeInvoice(ctx, c, day, season, ownSeason !== null);
    const next = this.nextPurchase(c, day);
    if (next !== null) this.schedulePurchase(c, next);
    if (!invoice) return;

    const id = `INV-${pad(++this.invoiceSeq)}`;
    let status = this.status(day);
    if (status === 'issued') {
      const sourceWarehouses = invoice.items.map((it) =>
        inventory.sell(it.product, c.warehouse, it.qty, day),
      );
      let credited = 0;
      const returnDay = day + this.rng.int(2, 30);
      if (this.rng.chance(c.returnProb) && returnDay <= this.end) {
        const composed = composeReturn(this.rng, invoice.items, c.pricesIncludeTax, c.kind === 'returner');
        if (composed) {
          const linked = this.rng.chance(0.95);
          const warehouses = composed.returned.map(
            (r) => sourceWarehouses[invoice.items.indexOf(r.item)] ?? -1,
          );
          this.eventsOn(returnDay).credits.push({
            customer: c,
            invoiceId: linked ? id : null,
            composed,
            warehouses,
          });
          if (linked) credited = composed.totalHalalas;
        }
      }
      const plan = planPayment(this.rng, c, day, invoice.totalHalalas - credited, this.end);
      for (const p of plan.instalments) this.addPayment(c, p.day, id, p.amount, p.extra, plan.method);
      if (plan.settled) status = 'paid';
      if (c.business && this.rng.chance(0.01)) {
        const advanceDay = day + this.rng.int(1, 20);
        if (advanceDay <= this.end) {
          const advance = {
            customer: c,
            method: 'bank_transfer' as const,
            allocations: [],
            extra: this.rng.int(5, 50) * 10_000,
          };
          this.eventsOn(advanceDay).advances.push(advance);
        }
      }
    }
    out.push({
      type: 'invoice',
      record: {
        externalId: id,
        number: id,
        customerId: c.id,
        issueDate: isoDay(day),
        dueDate: isoDay(day + c.terms),
        currency: 'SAR',
        status,
        pricesIncludeTax: c.pricesIncludeTax,
        lines: invoice.lines,
        total: invoice.total,
      },
    });
  }

  private addPayment(
    c: Customer,
    day: number,
    invoiceId: string,
    amount: number,
    extra: number,
    method: PaymentMethod,
  ): void {
    const payments = this.eventsOn(day).payments;
    const pending = payments.get(c.index);
    if (pending) {
      pending.allocations.push({ invoiceId, amount });
      pending.extra += extra;
    } else {
      payments.set(c.index, { customer: c, method, allocations: [{ invoiceId, amount }], extra });
    }
  }

  private emitPayment(p: PendingPayment, day: number): BusinessRecord {
    const total = p.allocations.reduce((s, a) => s + a.amount, p.extra);
    return {
      type: 'payment',
      record: {
        externalId: `PAY-${pad(++this.paymentSeq)}`,
        customerId: p.customer.id,
        date: isoDay(day),
        amount: formatHalalas(total),
        method: p.method,
        allocations: p.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: formatHalalas(a.amount) })),
      },
    };
  }

  private emitCredit(credit: PendingCredit, day: number): BusinessRecord {
    const { composed } = credit;
    if (composed.restock) {
      composed.returned.forEach((r, i) => {
        this.input.inventory.putBack(r.item.product, credit.warehouses[i] ?? -1, r.qty, day);
      });
    }
    return {
      type: 'credit-note',
      record: {
        externalId: `CN-${pad(++this.creditSeq)}`,
        customerId: credit.customer.id,
        ...(credit.invoiceId ? { invoiceId: credit.invoiceId } : {}),
        issueDate: isoDay(day),
        restock: composed.restock,
        reason: composed.reason,
        lines: composed.lines,
        total: composed.total,
      },
    };
  }
}
