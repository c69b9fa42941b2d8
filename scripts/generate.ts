/**
 * Writes a synthetic business as NDJSON files and prints the manifest.
 *
 *   node dist/scripts/generate.js --customers N --years Y --seed S [--out DIR] [--end YYYY-MM-DD]
 *                                 [--products P] [--warehouses W]
 *
 * Defaults: 3,000 customers, 2 years, seed 42, ./data/generated, ending 2026-10-31.
 * Benchmark scale: --customers 100000 --years 2 --products 10000 --warehouses 3 (~1,000,000 invoice lines).
 */
import { resolve } from 'node:path';
import { DEMO_DEFAULTS, writeBusiness, type GenerateOptions } from '../src/demo/generator';

const USAGE =
  'usage: generate [--customers N] [--years Y] [--seed S] [--out DIR] [--end YYYY-MM-DD] [--products P] [--warehouses W]';

interface CliOptions {
  out: string;
  options: GenerateOptions;
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new Error(`${flag} needs a whole number, got "${value}"`);
  return Number(value);
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const options: GenerateOptions = { ...DEMO_DEFAULTS };
  let out = './data/generated';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--customers':
        options.customers = integer(flag, value());
        break;
      case '--years':
        options.years = integer(flag, value());
        break;
      case '--seed':
        options.seed = integer(flag, value());
        break;
      case '--end':
        options.endDate = value();
        break;
      case '--products':
        options.products = integer(flag, value());
        break;
      case '--warehouses':
        options.warehouses = integer(flag, value());
        break;
      case '--out':
        out = value();
        break;
      case '--help':
      case '-h':
        throw new Error(USAGE);
      default:
        throw new Error(`unknown argument "${arg}"\n${USAGE}`);
    }
  }
  return { out, options };
}

async function main(): Promise<void> {
  const { out, options } = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const manifest = await writeBusiness(resolve(out), options);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  process.stderr.write(`wrote ${resolve(out)} in ${seconds.toFixed(1)} s\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
