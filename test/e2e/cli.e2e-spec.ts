import { mkdtempSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFile } from '../../src/cli/import-file';
import { bootApp, createTenant, TestApp, TestTenant } from '../support/app';
import { tenantCounts } from '../support/tables';

/** The bulk CLI streams a file through the real API in batches that never split a document. */
describe('bulk import CLI', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let url: string;
  const dir = mkdtempSync(join(tmpdir(), 'harakah-cli-'));

  beforeAll(async () => {
    t = await bootApp();
    await t.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    tenant = await createTenant(t);
  });
  afterAll(() => t.close());

  it('imports NDJSON customers and a CSV of invoice lines in small batches, keeping documents whole', async () => {
    const customers = join(dir, 'customers.ndjson');
    writeFileSync(
      customers,
      Array.from({ length: 25 }, (_v, i) =>
        JSON.stringify({ externalId: `C${i}`, name: `Customer ${i}` }),
      ).join('\n'),
    );
    const c = await importFile({
      url,
      apiKey: tenant.apiKey,
      resource: 'customers',
      file: customers,
      batchLines: 10,
      quiet: true,
    });
    expect(c).toMatchObject({ batches: 3, received: 25, created: 25 });

    // 10 invoices × 3 lines, batches of at most 4 lines: a 3-line invoice never straddles two batches
    const rows = ['externalId,customerId,issueDate,description,quantity,unitPrice'];
    for (let i = 0; i < 10; i++)
      for (let k = 0; k < 3; k++) rows.push(`INV-${i},C${i},2024-05-0${1 + (i % 9)},"line ${k}, boxed",1,10`);
    const invoices = join(dir, 'invoices.csv');
    writeFileSync(invoices, rows.join('\n') + '\n');
    const s = await importFile({
      url,
      apiKey: tenant.apiKey,
      resource: 'invoices',
      file: invoices,
      batchLines: 4,
      quiet: true,
    });
    expect(s).toMatchObject({ batches: 5, received: 10, created: 10, updated: 0, unchanged: 0 });
    expect(s.failed).toBeUndefined();
    const counts = await tenantCounts(t, tenant.id);
    expect([counts.invoices, counts.invoice_lines]).toEqual([10, 30]);

    // the same command again replays (same Idempotency-Keys); a new run id re-imports as unchanged
    const again = await importFile({
      url,
      apiKey: tenant.apiKey,
      resource: 'invoices',
      file: invoices,
      batchLines: 4,
      quiet: true,
    });
    expect(again).toMatchObject({ received: 10, created: 10 });
    const rerun = await importFile({
      url,
      apiKey: tenant.apiKey,
      resource: 'invoices',
      file: invoices,
      batchLines: 4,
      quiet: true,
      runId: 'second:',
    });
    expect(rerun).toMatchObject({ received: 10, created: 0, unchanged: 10 });
  });

  it('stops at a rejected batch and says where it starts in the file', async () => {
    const file = join(dir, 'bad.ndjson');
    writeFileSync(
      file,
      [JSON.stringify({ externalId: 'OK', name: 'fine' }), JSON.stringify({ externalId: 'BAD' })].join('\n'),
    );
    const s = await importFile({
      url,
      apiKey: tenant.apiKey,
      resource: 'customers',
      file,
      batchLines: 1,
      concurrency: 1,
      quiet: true,
    });
    expect(s.failed).toMatchObject({ batch: 1, firstLine: 2, status: 422 });
    expect(s.received).toBe(1);
  });
});
