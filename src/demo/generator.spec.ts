import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { parseArgs } from '../../scripts/generate';
import {
  CUSTOMER_KINDS,
  FILE_NAMES,
  generateBusiness,
  resolveOptions,
  writeBusiness,
  type CreditNoteRecord,
  type CustomerKindRecord,
  type CustomerRecord,
  type GenerateOptions,
  type InventoryRecord,
  type InvoiceRecord,
  type Manifest,
  type PaymentRecord,
  type ProductRecord,
  type RecordType,
} from './generator';

jest.setTimeout(60_000);

const OPTIONS: GenerateOptions = { customers: 300, years: 1, seed: 7, endDate: '2026-10-31', products: 120 };
const MONEY = /^\d+\.\d{2}$/;
const DAY_MS = 86_400_000;

interface Business {
  customers: CustomerRecord[];
  kinds: CustomerKindRecord[];
  products: ProductRecord[];
  invoices: InvoiceRecord[];
  payments: PaymentRecord[];
  creditNotes: CreditNoteRecord[];
  inventory: InventoryRecord[];
}

async function lines<T>(dir: string, type: RecordType): Promise<T[]> {
  const text = await readFile(join(dir, FILE_NAMES[type]), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as T);
}

async function load(dir: string): Promise<Business> {
  return {
    customers: await lines(dir, 'customer'),
    kinds: await lines(dir, 'customer-kind'),
    products: await lines(dir, 'product'),
    invoices: await lines(dir, 'invoice'),
    payments: await lines(dir, 'payment'),
    creditNotes: await lines(dir, 'credit-note'),
    inventory: await lines(dir, 'inventory'),
  };
}

/** DOMAIN.md §2, written out independently of the generator's own money helpers. */
function recomputeTotal(
  lines: readonly {
    quantity: string;
    unitPrice: string;
    discount?: string;
    discountPercent?: string;
    taxRate?: string;
  }[],
  pricesIncludeTax: boolean,
): string {
  let net = new Decimal(0);
  let vat = new Decimal(0);
  for (const l of lines) {
    const rate = new Decimal(l.taxRate ?? '0');
    const price = pricesIncludeTax
      ? new Decimal(l.unitPrice).dividedBy(rate.plus(1))
      : new Decimal(l.unitPrice);
    let lineNet = price.times(l.quantity);
    if (l.discountPercent !== undefined)
      lineNet = lineNet.times(new Decimal(100).minus(l.discountPercent)).dividedBy(100);
    if (l.discount !== undefined) lineNet = lineNet.minus(l.discount);
    net = net.plus(lineNet);
    vat = vat.plus(lineNet.times(rate));
  }
  return net.plus(vat).toFixed(2, Decimal.ROUND_HALF_UP);
}

const days = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / DAY_MS;
const sum = (values: readonly string[]): Decimal => values.reduce((s, v) => s.plus(v), new Decimal(0));

describe('demo business generator', () => {
  let dir: string;
  let manifest: Manifest;
  let b: Business;
  const cleanup: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'harakah-gen-'));
    cleanup.push(dir);
    manifest = await writeBusiness(dir, OPTIONS);
    b = await load(dir);
  });

  afterAll(async () => {
    await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('writes byte-identical files for the same seed, and different data for another seed', async () => {
    const again = await mkdtemp(join(tmpdir(), 'harakah-gen-'));
    const other = await mkdtemp(join(tmpdir(), 'harakah-gen-'));
    cleanup.push(again, other);
    await writeBusiness(again, OPTIONS);
    await writeBusiness(other, { ...OPTIONS, seed: 8 });
    for (const file of [...Object.values(FILE_NAMES), 'manifest.json']) {
      const [a, c] = await Promise.all([readFile(join(dir, file)), readFile(join(again, file))]);
      expect(a.equals(c)).toBe(true);
    }
    for (const type of ['customer', 'invoice', 'payment', 'inventory'] as const) {
      const [a, c] = await Promise.all([
        readFile(join(dir, FILE_NAMES[type])),
        readFile(join(other, FILE_NAMES[type])),
      ]);
      expect(a.equals(c)).toBe(false);
    }
  });

  it('records in the manifest exactly what the files hold', () => {
    expect(manifest.parameters).toEqual(resolveOptions(OPTIONS));
    expect(manifest.parameters.startDate).toBe('2025-11-01');
    expect(manifest.counts).toEqual({
      customers: b.customers.length,
      products: b.products.length,
      invoices: b.invoices.length,
      invoiceLines: b.invoices.reduce((s, i) => s + i.lines.length, 0),
      payments: b.payments.length,
      creditNotes: b.creditNotes.length,
      inventoryRows: b.inventory.length,
    });
    expect(b.customers).toHaveLength(300);
    expect(b.products).toHaveLength(120);
    const kinds = Object.fromEntries(
      CUSTOMER_KINDS.map((k) => [k, b.kinds.filter((r) => r.kind === k).length]),
    );
    expect(manifest.kinds).toEqual(kinds);
  });

  it('gives every invoice and credit note the total DOMAIN §2 computes from its lines', () => {
    expect(b.invoices.some((i) => i.pricesIncludeTax)).toBe(true);
    expect(b.invoices.some((i) => i.lines.some((l) => l.discountPercent !== undefined))).toBe(true);
    expect(b.invoices.some((i) => i.lines.some((l) => l.discount !== undefined))).toBe(true);
    for (const inv of b.invoices)
      expect(`${inv.externalId} ${inv.total}`).toBe(
        `${inv.externalId} ${recomputeTotal(inv.lines, inv.pricesIncludeTax)}`,
      );
    for (const cn of b.creditNotes)
      expect(`${cn.externalId} ${cn.total}`).toBe(`${cn.externalId} ${recomputeTotal(cn.lines, false)}`);
  });

  it('writes only valid lines: positive quantities, prices ≥ 0, one kind of discount, never above the line amount', () => {
    for (const inv of b.invoices) {
      expect(inv.total).toMatch(MONEY);
      for (const l of inv.lines) {
        expect(new Decimal(l.quantity).greaterThan(0)).toBe(true);
        expect(l.unitPrice).toMatch(MONEY);
        expect(l.taxRate).toBe('0.15');
        expect(l.discount !== undefined && l.discountPercent !== undefined).toBe(false);
        if (l.discount !== undefined) {
          expect(new Decimal(l.discount).lessThanOrEqualTo(new Decimal(l.quantity).times(l.unitPrice))).toBe(
            true,
          );
        }
        if (l.discountPercent !== undefined) expect(Number(l.discountPercent)).toBeLessThan(100);
      }
    }
  });

  it('resolves every reference to a record written before it', () => {
    const customers = new Map(b.customers.map((c) => [c.externalId, c]));
    const products = new Map(b.products.map((p) => [p.externalId, p]));
    const invoices = new Map(b.invoices.map((i) => [i.externalId, i]));
    for (const map of [customers, products, invoices]) expect(map.size).toBeGreaterThan(0);
    expect(customers.size).toBe(b.customers.length);
    expect(new Set(b.payments.map((p) => p.externalId)).size).toBe(b.payments.length);
    for (const inv of b.invoices) {
      const customer = customers.get(inv.customerId);
      expect(customer).toBeDefined();
      expect(customer!.createdAt <= inv.issueDate).toBe(true);
      for (const l of inv.lines) expect(products.has(l.productId)).toBe(true);
    }
    for (const p of b.payments) {
      expect(customers.has(p.customerId)).toBe(true);
      for (const a of p.allocations) {
        const inv = invoices.get(a.invoiceId);
        expect(inv).toBeDefined();
        expect(inv!.customerId).toBe(p.customerId);
        expect(['issued', 'paid']).toContain(inv!.status);
        expect(inv!.issueDate <= p.date).toBe(true);
      }
    }
    for (const cn of b.creditNotes) {
      expect(customers.has(cn.customerId)).toBe(true);
      for (const l of cn.lines) expect(products.has(l.productId)).toBe(true);
      if (cn.invoiceId === undefined) continue;
      const inv = invoices.get(cn.invoiceId);
      expect(inv).toBeDefined();
      expect(inv!.customerId).toBe(cn.customerId);
      expect(['issued', 'paid']).toContain(inv!.status);
      expect(inv!.issueDate < cn.issueDate).toBe(true);
    }
    for (const row of b.inventory) {
      expect(products.get(row.productId)?.isService).toBe(false);
      expect(manifest.parameters.warehouses).toContain(row.warehouseId);
    }
  });

  it('never allocates more than a payment amount or an invoice open amount; paid invoices are settled', () => {
    const settled = new Map<string, Decimal>();
    const add = (id: string, amount: string): void => {
      settled.set(id, (settled.get(id) ?? new Decimal(0)).plus(amount));
    };
    for (const p of b.payments) {
      expect(p.amount).toMatch(MONEY);
      expect(sum(p.allocations.map((a) => a.amount)).lessThanOrEqualTo(p.amount)).toBe(true);
      for (const a of p.allocations) add(a.invoiceId, a.amount);
    }
    for (const cn of b.creditNotes) if (cn.invoiceId) add(cn.invoiceId, cn.total);
    for (const inv of b.invoices) {
      const applied = settled.get(inv.externalId) ?? new Decimal(0);
      expect(applied.lessThanOrEqualTo(inv.total)).toBe(true);
      if (inv.status === 'paid') expect(applied.toFixed(2)).toBe(inv.total);
      if (inv.status === 'draft' || inv.status === 'void') expect(applied.isZero()).toBe(true);
    }
    expect(b.payments.some((p) => p.allocations.length === 0)).toBe(true);
    expect(b.payments.some((p) => p.allocations.length > 1)).toBe(true);
    expect(b.invoices.some((i) => i.status === 'issued' && settled.has(i.externalId))).toBe(true);
  });

  it('never credits more units than the invoice line sold', () => {
    const sold = new Map<string, Decimal>();
    for (const inv of b.invoices)
      for (const l of inv.lines) sold.set(`${inv.externalId}/${l.productId}`, new Decimal(l.quantity));
    const returned = new Map<string, Decimal>();
    for (const cn of b.creditNotes) {
      if (!cn.invoiceId) continue;
      for (const l of cn.lines) {
        const key = `${cn.invoiceId}/${l.productId}`;
        returned.set(key, (returned.get(key) ?? new Decimal(0)).plus(l.quantity));
      }
    }
    expect(returned.size).toBeGreaterThan(0);
    for (const [key, qty] of returned) expect(qty.lessThanOrEqualTo(sold.get(key) ?? 0)).toBe(true);
  });

  it('keeps each document file in date order within the period', () => {
    const { startDate, endDate } = manifest.parameters;
    const inOrder = (dates: string[]): void => {
      expect(dates.length).toBeGreaterThan(0);
      dates.forEach((d, i) => {
        expect(d >= startDate && d <= endDate).toBe(true);
        if (i > 0) expect(dates[i - 1]! <= d).toBe(true);
      });
    };
    inOrder(b.invoices.map((i) => i.issueDate));
    inOrder(b.payments.map((p) => p.date));
    inOrder(b.creditNotes.map((c) => c.issueDate));
    inOrder(b.inventory.map((r) => r.asOf));
    for (const inv of b.invoices) expect(inv.dueDate >= inv.issueDate).toBe(true);
  });

  it('makes every customer kind and its behaviour visible', () => {
    const kindOf = new Map(b.kinds.map((k) => [k.externalId, k.kind]));
    for (const kind of CUSTOMER_KINDS) expect([...kindOf.values()]).toContain(kind);
    const counting = b.invoices.filter((i) => i.status === 'issued' || i.status === 'paid');
    const byCustomer = new Map<string, InvoiceRecord[]>();
    for (const inv of b.invoices)
      byCustomer.set(inv.customerId, [...(byCustomer.get(inv.customerId) ?? []), inv]);
    const of = (kind: string): string[] => [...kindOf].filter(([, k]) => k === kind).map(([id]) => id);
    for (const id of of('one_off')) expect(byCustomer.get(id)).toHaveLength(1);
    for (const id of of('prospect')) expect(byCustomer.get(id)).toBeUndefined();
    const end = manifest.parameters.endDate;
    for (const id of of('lapsing')) {
      for (const inv of byCustomer.get(id) ?? [])
        expect(days(inv.issueDate, end)).toBeGreaterThanOrEqual(180);
    }
    const invoices = new Map(b.invoices.map((i) => [i.externalId, i]));
    const lateness = (kind: string): number => {
      const ids = new Set(of(kind));
      const late = b.payments
        .filter((p) => ids.has(p.customerId))
        .flatMap((p) => p.allocations.map((a) => days(invoices.get(a.invoiceId)!.dueDate, p.date)));
      return late.reduce((s, d) => s + d, 0) / late.length;
    };
    expect(lateness('slow_payer')).toBeGreaterThan(60);
    expect(lateness('loyal')).toBeLessThan(15);
    const returnShare = (kind: string): number => {
      const ids = new Set(of(kind));
      const invs = counting.filter((i) => ids.has(i.customerId)).length;
      return b.creditNotes.filter((c) => ids.has(c.customerId)).length / invs;
    };
    expect(returnShare('returner')).toBeGreaterThan(4 * returnShare('loyal'));
    const meanTotal = (kind: string): number => {
      const ids = new Set(of(kind));
      const totals = counting.filter((i) => ids.has(i.customerId)).map((i) => Number(i.total));
      return totals.reduce((s, t) => s + t, 0) / totals.length;
    };
    expect(meanTotal('whale')).toBeGreaterThan(5 * meanTotal('occasional'));
    const perCustomer = (kind: string): number =>
      of(kind).reduce((s, id) => s + (byCustomer.get(id)?.length ?? 0), 0) / of(kind).length;
    expect(perCustomer('loyal')).toBeGreaterThan(2 * perCustomer('occasional'));
  });

  it('writes valid Saudi customer details', () => {
    const vat = b.customers.flatMap((c) => (c.taxNumber ? [c.taxNumber] : []));
    expect(vat.length).toBeGreaterThan(0);
    expect(new Set(vat).size).toBe(vat.length);
    for (const t of vat) expect(t).toMatch(/^3\d{13}3$/);
    for (const c of b.customers) {
      expect(c.externalId).toMatch(/^C\d{6}$/);
      expect(c.country).toBe('SA');
      expect(c.nameAr).toMatch(/[\u0600-\u06FF]/);
      if (c.phone !== undefined) expect(c.phone).toMatch(/^\+9665\d{8}$/);
    }
  });

  it('has services, products of unknown cost, and snapshots showing stock-outs, dead stock and open orders', () => {
    expect(b.products.some((p) => p.isService)).toBe(true);
    expect(b.products.some((p) => !p.isService && p.unitCost === undefined)).toBe(true);
    const months = new Set(b.inventory.map((r) => r.asOf));
    expect(months.size).toBe(12);
    expect(months.has(manifest.parameters.endDate)).toBe(true);
    const last = b.inventory.filter((r) => r.asOf === manifest.parameters.endDate);
    expect(last.some((r) => r.onHand === '0')).toBe(true);
    expect(last.some((r) => r.onOrder !== '0')).toBe(true);
    const recent = new Set(
      b.invoices
        .filter(
          (i) =>
            i.status !== 'void' &&
            i.status !== 'draft' &&
            days(i.issueDate, manifest.parameters.endDate) < 90,
        )
        .flatMap((i) => i.lines.map((l) => l.productId)),
    );
    expect(last.some((r) => Number(r.onHand) > 0 && !recent.has(r.productId))).toBe(true);
  });

  it('streams the same records in process as it writes to files', async () => {
    const small: GenerateOptions = { customers: 40, years: 1, seed: 3, endDate: '2025-06-30', products: 30 };
    const target = await mkdtemp(join(tmpdir(), 'harakah-gen-'));
    cleanup.push(target);
    await writeBusiness(target, small);
    const streamed: string[] = [];
    for await (const r of generateBusiness(small))
      if (r.type === 'invoice') streamed.push(JSON.stringify(r.record));
    const written = (await readFile(join(target, FILE_NAMES.invoice), 'utf8')).trimEnd().split('\n');
    expect(streamed).toEqual(written);
  });

  it('rejects options that are not whole numbers or real dates', () => {
    expect(() => resolveOptions({ ...OPTIONS, endDate: '2026-02-30' })).toThrow('not a calendar date');
    expect(() => resolveOptions({ ...OPTIONS, customers: 0 })).toThrow('customers');
    expect(() => resolveOptions({ ...OPTIONS, years: 1.5 })).toThrow('years');
    expect(resolveOptions({ ...OPTIONS, products: undefined }).products).toBe(50);
    expect(resolveOptions({ ...OPTIONS, warehouses: 4 }).warehouses).toEqual([
      'main',
      'jeddah',
      'dammam',
      'madinah',
    ]);
  });

  it('parses the command line with the demo defaults', () => {
    expect(parseArgs([])).toEqual({
      out: './data/generated',
      options: { customers: 3000, years: 2, seed: 42, endDate: '2026-10-31' },
    });
    expect(
      parseArgs([
        '--customers',
        '100000',
        '--years=2',
        '--products',
        '10000',
        '--warehouses',
        '3',
        '--out',
        'x',
      ]),
    ).toEqual({
      out: 'x',
      options: {
        customers: 100000,
        years: 2,
        seed: 42,
        endDate: '2026-10-31',
        products: 10000,
        warehouses: 3,
      },
    });
    expect(() => parseArgs(['--customers', 'many'])).toThrow('whole number');
    expect(() => parseArgs(['--colour', 'blue'])).toThrow('unknown argument');
  });
});
