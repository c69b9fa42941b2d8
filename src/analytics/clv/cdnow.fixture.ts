/**
 * Test-only loader for the CDNOW ground truth in the shared data folder (never copied into the repo):
 * $HARAKAH_SHARED_DATA, or ../shared/data beside the repository. See shared/data/cdnow/README.md for
 * the files' provenance and reference_values.json for the published and recomputed numbers.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CustomerSummary } from './customer-summary.math';

export interface CdnowCustomer extends CustomerSummary {
  readonly id: number;
  /** zbar: mean repeat-purchase value (0.00 placeholder when x = 0). */
  readonly monetary: number;
}

export interface CdnowHoldoutCustomer extends CdnowCustomer {
  /** Distinct purchase days in the 39-week hold-out (1997-10-01..1998-06-30). */
  readonly xStar: number;
  /** Recency and age in whole days (t_x = txDays / 7, T = TDays / 7). */
  readonly txDays: number;
  readonly TDays: number;
}

export function cdnowFolder(): string {
  const shared = process.env.HARAKAH_SHARED_DATA ?? path.resolve(__dirname, '../../../../shared/data');
  return path.join(shared, 'cdnow');
}

function readCsv(file: string): Record<string, string>[] {
  const lines = readFileSync(path.join(cdnowFolder(), file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim());
  const header = (lines[0] ?? '').split(',');
  return lines.slice(1).map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

function num(row: Record<string, string>, column: string): number {
  const v = Number(row[column]);
  if (row[column] === undefined || row[column] === '' || !Number.isFinite(v)) {
    throw new Error(`CDNOW fixture: column ${column} is not a number in ${JSON.stringify(row)}`);
  }
  return v;
}

/** cdnow_customers_summary.csv (lifetimes): ID, frequency, recency, T, rounded to 2 decimals (weeks). */
export function loadCdnowSummary(): CdnowCustomer[] {
  return readCsv('cdnow_customers_summary.csv').map((r) => ({
    id: num(r, 'ID'),
    x: num(r, 'frequency'),
    tx: num(r, 'recency'),
    T: num(r, 'T'),
    monetary: 0,
  }));
}

/** cdnow_customers_summary_with_transactions.csv (lifetimes): ID, x, t_x, T, zbar, rounded to 2 decimals. */
export function loadCdnowSummaryWithSpend(): CdnowCustomer[] {
  return readCsv('cdnow_customers_summary_with_transactions.csv').map((r) => ({
    id: num(r, 'ID'),
    x: num(r, 'x'),
    tx: num(r, 't_x'),
    T: num(r, 'T'),
    monetary: num(r, 'zbar'),
  }));
}

/** cdnow_sample_cbs_with_holdout.csv (derived): exact weeks (days/7), exact zbar and hold-out counts. */
export function loadCdnowExactWithHoldout(): CdnowHoldoutCustomer[] {
  return readCsv('cdnow_sample_cbs_with_holdout.csv').map((r) => ({
    id: num(r, 'ID'),
    x: num(r, 'x'),
    tx: num(r, 't_x'),
    T: num(r, 'T'),
    monetary: num(r, 'zbar'),
    xStar: num(r, 'x_star'),
    txDays: num(r, 't_x_days'),
    TDays: num(r, 'T_days'),
  }));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
let reference: Json | undefined;

/** The value at a dotted path of reference_values.json (e.g. 'bgnbd.published.btyd_params.r'). */
function referenceAt(dotted: string): Json {
  reference ??= JSON.parse(readFileSync(path.join(cdnowFolder(), 'reference_values.json'), 'utf8')) as Json;
  let node: Json = reference;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(key in node)) {
      throw new Error(`reference_values.json has no ${dotted}`);
    }
    node = node[key] ?? null;
  }
  return node;
}

export function refNumber(dotted: string): number {
  const v = referenceAt(dotted);
  if (typeof v !== 'number') throw new Error(`reference_values.json ${dotted} is not a number`);
  return v;
}

export function refNumbers(dotted: string): number[] {
  const v = referenceAt(dotted);
  if (!Array.isArray(v) || !v.every((e): e is number => typeof e === 'number')) {
    throw new Error(`reference_values.json ${dotted} is not a list of numbers`);
  }
  return v;
}

/** An object of numbers keyed by label (e.g. t values or customer ids), as [key, value] pairs. */
export function refTable(dotted: string): [string, number][] {
  const v = referenceAt(dotted);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${dotted} is not an object`);
  return Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number');
}

/**
 * Decimal places the reference prints for v (e.g. 1.07869e-7 → 12, 0.5737864 → 7), so that
 * expect(actual).toBeCloseTo(v, printedDecimals(v)) checks agreement to half a unit in its last digit.
 */
export function printedDecimals(v: number): number {
  const [mantissa = '', exponent = '0'] = String(v).toLowerCase().split('e');
  return (mantissa.split('.')[1] ?? '').length - Number(exponent);
}

/**
 * |actual − expected| allowed for a published value that depends on a fitted model: half a unit in its
 * last printed digit, plus 1e-5 relative for the difference between two optimisers' end points (their
 * parameters agree to ~1e-6; predictions for customers with a low P(alive) amplify that several-fold).
 */
export function fitDependentTolerance(expected: number): number {
  return 0.5 * 10 ** -printedDecimals(expected) + 1e-5 * Math.abs(expected);
}
