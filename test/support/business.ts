import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_RESOURCES } from '../../bench/support';
import { importFile } from '../../src/cli/import-file';
import { FILE_NAMES, GenerateOptions, writeBusiness } from '../../src/demo/generator';

/**
 * Generates a business (the demo generator) in a temporary folder and imports all of it into a
 * tenant through the import API, as `npm run import` does, in the benchmarks' order; the folder is
 * removed afterwards. Throws on any refused record.
 */
export async function importGeneratedBusiness(
  url: string,
  apiKey: string,
  options: GenerateOptions,
  batchLines = 5000,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'harakah-business-'));
  try {
    await writeBusiness(dir, options);
    for (const [resource, type] of Object.entries(BENCH_RESOURCES)) {
      const file = join(dir, FILE_NAMES[type]);
      const s = await importFile({ url, apiKey, resource, file, batchLines, quiet: true });
      if (s.failed) throw new Error(`${resource} import failed: ${JSON.stringify(s.failed).slice(0, 1000)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
