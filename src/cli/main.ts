import { existsSync } from 'node:fs';
import { importFile } from './import-file';

const USAGE = `Usage:
  npm run cli -- import <resource> <file> --api-key KEY [--url http://localhost:3000]
                [--format csv|ndjson] [--batch-lines 10000] [--concurrency 2] [--run-id ID]

  resource: customers | products | invoices | payments | credit-notes | inventory
  file:     .csv (header row; invoice/credit-note CSV has one row per line) or .ndjson
  The API key may also come from HARAKAH_API_KEY, the URL from HARAKAH_URL.
  Each batch is sent with an Idempotency-Key made of the run id, the file name, the batch number and
  a hash of its content: running the same command again replays batches already imported (safe after
  a failure); give a new --run-id to import the file again as new requests.`;

function flags(args: string[]): { positional: string[]; named: Record<string, string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      named[k] = v ?? args[++i] ?? '';
    } else positional.push(a);
  }
  return { positional, named };
}

async function main(): Promise<number> {
  const { positional, named } = flags(process.argv.slice(2));
  const [command, resource, file] = positional;
  if (command !== 'import' || !resource || !file) {
    console.error(USAGE);
    return 2;
  }
  const apiKey = named['api-key'] ?? process.env.HARAKAH_API_KEY;
  if (!apiKey) {
    console.error('--api-key is required (or set HARAKAH_API_KEY)');
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`file not found: ${file}`);
    return 2;
  }
  const format = named.format as 'csv' | 'ndjson' | undefined;
  if (format && format !== 'csv' && format !== 'ndjson') {
    console.error('--format must be csv or ndjson');
    return 2;
  }
  const s = await importFile({
    url: named.url ?? process.env.HARAKAH_URL ?? 'http://localhost:3000',
    apiKey,
    resource,
    file,
    format,
    batchLines: named['batch-lines'] ? Number(named['batch-lines']) : undefined,
    concurrency: named.concurrency ? Number(named.concurrency) : undefined,
    runId: named['run-id'],
  });
  console.log(
    `${resource}: ${s.received} records in ${s.batches} batches, ${s.seconds.toFixed(1)} s ` +
      `(${Math.round(s.received / Math.max(s.seconds, 0.001))}/s) — created ${s.created}, updated ${s.updated}, unchanged ${s.unchanged}`,
  );
  if (s.failed) {
    console.error(
      `batch ${s.failed.batch} (from line ${s.failed.firstLine} of the file) was rejected with HTTP ${s.failed.status}; ` +
        `earlier batches are imported, run the same command again after fixing the file:\n` +
        JSON.stringify(s.failed.body, null, 2).slice(0, 4000),
    );
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
