import { existsSync } from 'node:fs';
import { importFile } from './import-file';
import { rotateSecrets } from './rotate-secrets';
import { syncConnector } from './sync-connector';

const USAGE = `Usage:
  npm run cli -- import <resource> <file> --api-key KEY [--url http://localhost:3000]
                [--format csv|ndjson] [--batch-lines 10000] [--concurrency 2] [--run-id ID]

  resource: customers | products | invoices | payments | credit-notes | inventory
  file:     .csv (header row; invoice/credit-note CSV has one row per line) or .ndjson
  The API key may also come from HARAKAH_API_KEY, the URL from HARAKAH_URL.
  Each batch is sent with an Idempotency-Key made of the run id, the file name, the batch number and
  a hash of its content: running the same command again replays batches already imported (safe after
  a failure); give a new --run-id to import the file again as new requests.

  npm run cli -- sync <connectorId> --api-key KEY [--url http://localhost:3000] [--mode incremental|full]
  Starts a sync of a connector (or follows the one under way) and shows its progress until it ends.

  npm run cli -- connectors rotate-secrets
  Re-encrypts every connector's credentials under SECRETS_KEY (old ones opened with
  SECRETS_KEY_PREVIOUS), on the database of DATABASE_URL / DATA_DIR.`;

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
  if (command === 'connectors' && resource === 'rotate-secrets') {
    const r = await rotateSecrets();
    console.log(
      `re-encrypted ${r.resealed} connector credentials; ${r.current} were already under the current key`,
    );
    if (r.unreadable) {
      console.error(
        `${r.unreadable} could not be opened with SECRETS_KEY or SECRETS_KEY_PREVIOUS: set the key they were made with as SECRETS_KEY_PREVIOUS and run again, or give those connectors new credentials`,
      );
      return 1;
    }
    return 0;
  }
  if (command === 'sync') return sync(resource, named);
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

async function sync(connectorId: string | undefined, named: Record<string, string>): Promise<number> {
  const apiKey = named['api-key'] ?? process.env.HARAKAH_API_KEY;
  if (!connectorId || !apiKey) {
    console.error(USAGE);
    return 2;
  }
  const mode = named.mode as 'incremental' | 'full' | undefined;
  if (mode && mode !== 'incremental' && mode !== 'full') {
    console.error('--mode must be incremental or full');
    return 2;
  }
  const { sync: s, ok } = await syncConnector({
    url: named.url ?? process.env.HARAKAH_URL ?? 'http://localhost:3000',
    apiKey,
    connectorId,
    mode,
  });
  for (const e of s.errors.slice(0, 20)) {
    console.error(`  ${e.stream ?? ''} ${e.sourceId ?? ''} ${e.field ?? ''}: ${e.message}`);
  }
  if (s.errorCount > 20)
    console.error(`  … ${s.errorCount - 20} more (GET /v1/connectors/${connectorId}/syncs/${s.id})`);
  if (!ok) console.error(`sync failed: ${s.error ?? 'unknown error'}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
