import { createReadStream } from 'node:fs';
import { parseCsv } from '../ingestion/csv';

/**
 * Splits a large NDJSON or CSV file into import batches without loading it whole: rows stream in,
 * batches of at most `maxLines` invoice lines (or records) stream out. A document's rows never
 * straddle two batches, so every batch is a complete, valid request on its own.
 */
export interface Batch {
  body: string;
  records: number;
  /** 1-based line of the file where the batch starts */
  firstLine: number;
  bytes: number;
}

/** Physical CSV rows (a quoted field may span lines), with the line each row starts on. */
async function* csvRows(path: string): AsyncGenerator<{ text: string; line: number }> {
  let pending = '';
  let quotes = 0;
  let line = 1;
  let startLine = 1;
  let first = true;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    let text = chunk as string;
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    let from = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 34) quotes++;
      else if (c === 10) {
        line++;
        if (quotes % 2 === 0) {
          const row = (pending + text.slice(from, i)).replace(/\r$/, '');
          pending = '';
          from = i + 1;
          quotes = 0;
          if (row !== '') yield { text: row, line: startLine };
          startLine = line;
        }
      }
    }
    pending += text.slice(from);
  }
  const last = pending.replace(/\r$/, '');
  if (last !== '') yield { text: last, line: startLine };
}

async function* ndjsonRows(path: string): AsyncGenerator<{ text: string; line: number }> {
  let pending = '';
  let line = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (pending + (chunk as string)).split('\n');
    pending = parts.pop() ?? '';
    for (const p of parts) {
      line++;
      if (p.trim() !== '') yield { text: p, line };
    }
  }
  if (pending.trim() !== '') yield { text: pending, line: line + 1 };
}

/** Items a record counts for: the lines of a document, 1 for anything else. */
function weightOfJson(text: string): { key: string | undefined; weight: number } {
  try {
    const o = JSON.parse(text) as { externalId?: unknown; lines?: unknown };
    return {
      key: typeof o.externalId === 'string' ? o.externalId : undefined,
      weight: Array.isArray(o.lines) ? Math.max(1, o.lines.length) : 1,
    };
  } catch {
    return { key: undefined, weight: 1 }; // the server will say what is wrong with it
  }
}

export async function* batchesOf(
  path: string,
  format: 'csv' | 'ndjson',
  maxLines: number,
): AsyncGenerator<Batch> {
  const rows = format === 'csv' ? csvRows(path) : ndjsonRows(path);
  let header: string | undefined;
  let idColumn = -1;
  let parts: string[] = [];
  let weight = 0;
  let records = 0;
  let firstLine = 0;
  let lastKey: string | undefined;
  const flush = (): Batch => {
    const body = (header !== undefined ? [header, ...parts] : parts).join('\n') + '\n';
    const b = { body, records, firstLine, bytes: Buffer.byteLength(body) };
    parts = [];
    weight = 0;
    records = 0;
    return b;
  };
  for await (const row of rows) {
    if (format === 'csv' && header === undefined) {
      header = row.text;
      idColumn = (parseCsv(row.text)[0] ?? []).findIndex((h) => h.trim() === 'externalId');
      continue;
    }
    const { key, weight: w } =
      format === 'csv'
        ? { key: idColumn >= 0 ? parseCsv(row.text)[0]?.[idColumn] : undefined, weight: 1 }
        : weightOfJson(row.text);
    const sameDocument = format === 'csv' && key !== undefined && key === lastKey;
    if (!sameDocument && weight > 0 && weight + w > maxLines) yield flush();
    if (parts.length === 0) firstLine = row.line;
    parts.push(row.text);
    weight += w;
    if (!sameDocument) records++;
    lastKey = key;
  }
  if (parts.length) yield flush();
}
