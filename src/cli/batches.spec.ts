import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchesOf } from './batches';

async function collect(content: string, format: 'csv' | 'ndjson', max: number) {
  const dir = mkdtempSync(join(tmpdir(), 'harakah-batches-'));
  const file = join(dir, `f.${format}`);
  writeFileSync(file, content);
  const out = [];
  for await (const b of batchesOf(file, format, max)) out.push(b);
  return out;
}

describe('batchesOf', () => {
  it('keeps every CSV row of one invoice in the same batch and repeats the header', async () => {
    const csv = 'externalId,quantity\nA,1\nA,2\nA,3\nB,1\nC,1\nC,2\n';
    const batches = await collect(csv, 'csv', 2);
    expect(batches.map((b) => b.body)).toEqual([
      'externalId,quantity\nA,1\nA,2\nA,3\n',
      // B fits beside C's first row; C's second row follows its document past the limit
      'externalId,quantity\nB,1\nC,1\nC,2\n',
    ]);
    expect(batches.map((b) => b.firstLine)).toEqual([2, 5]);
    expect(batches.map((b) => b.records)).toEqual([1, 2]);
  });

  it('does not split a quoted field that spans lines', async () => {
    const csv = 'externalId,name\r\nA,"two\nlines"\r\nB,x\r\n';
    const batches = await collect(csv, 'csv', 1);
    expect(batches.map((b) => b.body)).toEqual([
      'externalId,name\nA,"two\nlines"\n',
      'externalId,name\nB,x\n',
    ]);
    expect(batches[1]!.firstLine).toBe(4);
  });

  it('weighs NDJSON documents by their lines', async () => {
    const rows = [
      { externalId: 'A', lines: [{}, {}, {}] },
      { externalId: 'B', lines: [{}] },
      { externalId: 'C', lines: [{}] },
      { externalId: 'D' },
    ];
    const batches = await collect(rows.map((r) => JSON.stringify(r)).join('\n'), 'ndjson', 3);
    expect(batches.map((b) => b.records)).toEqual([1, 3]);
  });
});
