import { analyticsBenchmark } from './analytics.bench';
import { clvBenchmark } from './clv.bench';
import { importBenchmark } from './import.bench';
import { refreshBenchmark } from './refresh.bench';
import { restockBenchmark } from './restock.bench';
import { syncBenchmark } from './sync.bench';
import { webBenchmark } from './web.bench';

/** `npm run bench -- <name>`: runs one benchmark on PostgreSQL (DATABASE_URL) and prints its figures. */
const BENCHMARKS: Record<string, () => Promise<void>> = {
  import: importBenchmark,
  analytics: analyticsBenchmark,
  clv: clvBenchmark,
  refresh: refreshBenchmark,
  restock: restockBenchmark,
  sync: syncBenchmark,
  web: webBenchmark,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const run = names.length ? names : Object.keys(BENCHMARKS);
  for (const name of run) {
    const bench = BENCHMARKS[name];
    if (!bench) throw new Error(`unknown benchmark "${name}": one of ${Object.keys(BENCHMARKS).join(', ')}`);
    await bench();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
