/**
 * Synthetic Saudi business for demos, tests and benchmarks: customers, products, invoices,
 * payments, credit notes and inventory snapshots as NDJSON, deterministic for a seed (same seed →
 * byte-identical files). Records are produced by one pass over the calendar and streamed, so
 * 100,000 customers / ~1,000,000 invoice lines need no more memory than 3,000 customers do,
 * beyond the customer and product tables themselves.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isoDay, parseDay, seasonWindows, spanStart } from './calendar';
import { buildCatalog } from './catalog';
import { buildCustomers } from './customers';
import { Inventory } from './inventory';
import { warehouseIds } from './names';
import { NdjsonFileWriter } from './ndjson-writer';
import { Rng } from './rng';
import { Simulation } from './simulation';
import {
  CUSTOMER_KINDS,
  FILE_NAMES,
  type BusinessRecord,
  type CustomerKind,
  type GenerateOptions,
  type Manifest,
  type RecordType,
  type ResolvedOptions,
} from './types';

export * from './types';

export const GENERATOR_NAME = 'harakah-demo-generator/1';

export const DEMO_DEFAULTS = { customers: 3000, years: 2, seed: 42, endDate: '2026-10-31' } as const;

function wholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Validates the options and fills in the defaults (products: customers / 10 within 50–10,000; 3 warehouses). */
export function resolveOptions(opts: GenerateOptions): ResolvedOptions {
  const customers = wholeNumber('customers', opts.customers, 1, 10_000_000);
  const years = wholeNumber('years', opts.years, 1, 20);
  const seed = wholeNumber('seed', opts.seed, 0, 0xffffffff);
  const endDay = parseDay(opts.endDate);
  const products = wholeNumber(
    'products',
    opts.products ?? Math.min(10_000, Math.max(50, Math.round(customers / 10))),
    10,
    1_000_000,
  );
  const warehouses = wholeNumber('warehouses', opts.warehouses ?? 3, 1, 50);
  return {
    customers,
    years,
    seed,
    startDate: isoDay(spanStart(endDay, years)),
    endDate: isoDay(endDay),
    products,
    warehouses: warehouseIds(warehouses),
  };
}

/**
 * Every record of the business, in file order: customers (with their kinds), products, then the
 * documents and inventory snapshots day by day. Synchronous and lazy: records are made as they
 * are pulled.
 */
export function* generateRecords(opts: GenerateOptions): Generator<BusinessRecord> {
  const o = resolveOptions(opts);
  const startDay = parseDay(o.startDate);
  const endDay = parseDay(o.endDate);
  const { catalog, records: products } = buildCatalog(new Rng(o.seed, 1), {
    products: o.products,
    startDay,
    endDay,
  });
  const span = {
    startDay,
    endDay,
    seed: o.seed,
    warehouses: o.warehouses,
    seasons: seasonWindows(startDay, endDay),
  };
  const { customers, records } = buildCustomers(new Rng(o.seed, 2), o.customers, catalog, span);
  for (const [i, record] of records.entries()) {
    yield { type: 'customer', record };
    yield { type: 'customer-kind', record: { externalId: record.externalId, kind: customers[i]!.kind } };
  }
  for (const record of products) yield { type: 'product', record };
  const inventory = new Inventory(new Rng(o.seed, 3), catalog, o.warehouses, startDay, endDay, customers);
  yield* new Simulation({ rng: new Rng(o.seed, 4), catalog, customers, inventory, startDay, endDay }).run();
}

/** The same records as an async iterable, for consumers that stream. */
export async function* generateBusiness(opts: GenerateOptions): AsyncGenerator<BusinessRecord> {
  let n = 0;
  for (const record of generateRecords(opts)) {
    yield record;
    // Give the event loop a turn now and then so a long generation does not starve I/O.
    if (++n % 10_000 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Writes the NDJSON files and manifest.json into `dir` (created if missing) and returns the manifest. */
export async function writeBusiness(dir: string, opts: GenerateOptions): Promise<Manifest> {
  const parameters = resolveOptions(opts);
  await mkdir(dir, { recursive: true });
  const types = Object.keys(FILE_NAMES) as RecordType[];
  const writers = new Map(types.map((t) => [t, new NdjsonFileWriter(join(dir, FILE_NAMES[t]))]));
  const kinds = Object.fromEntries(CUSTOMER_KINDS.map((k) => [k, 0])) as Record<CustomerKind, number>;
  let invoiceLines = 0;
  try {
    for (const r of generateRecords(opts)) {
      if (r.type === 'invoice') invoiceLines += r.record.lines.length;
      if (r.type === 'customer-kind') kinds[r.record.kind] += 1;
      const pending = writers.get(r.type)!.write(JSON.stringify(r.record));
      if (pending) await pending;
    }
  } finally {
    await Promise.all([...writers.values()].map((w) => w.close()));
  }
  const lines = (t: RecordType): number => writers.get(t)!.lines;
  const manifest: Manifest = {
    generator: GENERATOR_NAME,
    parameters,
    counts: {
      customers: lines('customer'),
      products: lines('product'),
      invoices: lines('invoice'),
      invoiceLines,
      payments: lines('payment'),
      creditNotes: lines('credit-note'),
      inventoryRows: lines('inventory'),
    },
    kinds,
    files: { ...FILE_NAMES, manifest: 'manifest.json' },
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
