import { isUtf8 } from 'node:buffer';
import { DomainError, FieldError, ValidationFailed } from '../shared/errors';
import { firstBadJsonPart, jsonDepth, tooDeepMessage } from '../shared/json-guard';
import { csvToObjects, CsvError } from './csv';
import { ResourceHandler } from './resources/types';

export type BodyFormat = 'json' | 'ndjson' | 'csv';

/** The format from Content-Type: JSON array, NDJSON (one object per line) or CSV with a header. */
export function formatOf(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type === '') return 'json';
  if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl') {
    return 'ndjson';
  }
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  throw new DomainError(
    'unsupported_media_type',
    `Content-Type ${type} is not supported: send application/json, application/x-ndjson or text/csv`,
  );
}

/**
 * Turns a request body into records. Malformed input (broken JSON, a line that is not JSON, a CSV
 * quote left open) is a 422 naming where it broke; nothing reaches the database.
 */
export interface ParsedBody {
  records: unknown[];
  /** CSV: the file lines behind each record, item by item (lines[k] / allocations[k]) */
  rowLines?: number[][];
}

/** Records whose field names hold control characters are refused, naming the record and the path. */
function checkKeys(records: unknown[]): unknown[] {
  const errors: FieldError[] = [];
  records.forEach((record, index) => {
    const bad = firstBadJsonPart(record, '', { nulValues: false });
    if (bad) errors.push({ index, field: bad.path || '(record)', message: bad.message });
  });
  if (errors.length) throw new ValidationFailed(errors);
  return records;
}

export function parseRecords(
  body: Buffer,
  format: BodyFormat,
  handler: ResourceHandler<unknown>,
): ParsedBody {
  const text = utf8Text(body);
  if (format !== 'csv' && jsonDepth(text) < 0) throw new DomainError('bad_request', tooDeepMessage());
  if (format === 'json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ValidationFailed([
        { field: '(body)', message: `is not valid JSON: ${(err as Error).message}` },
      ]);
    }
    if (!Array.isArray(parsed)) {
      throw new ValidationFailed([{ field: '(body)', message: 'must be a JSON array of records' }]);
    }
    return { records: checkKeys(parsed) };
  }
  if (format === 'ndjson') {
    const records: unknown[] = [];
    const errors: FieldError[] = [];
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        records.push(JSON.parse(line));
      } catch (err) {
        errors.push({
          index: records.length,
          line: i + 1,
          field: '(record)',
          message: `is not valid JSON: ${(err as Error).message}`,
        });
        records.push(null);
      }
    });
    if (errors.length) throw new ValidationFailed(errors);
    return { records: checkKeys(records) };
  }
  let rows: ReturnType<typeof csvToObjects>;
  try {
    rows = csvToObjects(text);
  } catch (err) {
    if (err instanceof CsvError) {
      throw new ValidationFailed([
        { field: '(body)', line: err.line, message: `is not valid CSV: ${err.message}` },
      ]);
    }
    throw err;
  }
  const errors: FieldError[] = [];
  const grouped = handler.fromCsv
    ? handler.fromCsv(rows.records, rows.lines, errors)
    : { records: rows.records, rowLines: rows.lines.map((l) => [l]) };
  if (errors.length) throw new ValidationFailed(errors);
  checkKeys(grouped.records);
  return grouped;
}

/** Adds the CSV line to each error: the line of the item named in the field, else the record's first. */
export function withCsvLines(errors: FieldError[], rowLines: number[][] | undefined): FieldError[] {
  if (!rowLines) return errors;
  return errors.map((e) => {
    if (e.line !== undefined || e.index === undefined) return e;
    const lines = rowLines[e.index];
    if (!lines) return e;
    const item = /^(?:lines|allocations)\[(\d+)\]/.exec(e.field);
    return { ...e, line: lines[item ? Number(item[1]) : 0] ?? lines[0] };
  });
}

/**
 * The body as text. Bytes that are not UTF-8 (a CSV saved as Windows-1256 or Latin-1) are a 422
 * naming the first such line: decoding them would store U+FFFD in place of the client's letters.
 */
function utf8Text(body: Buffer): string {
  if (isUtf8(body)) return body.toString('utf8');
  let line = 1;
  let start = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i === body.length || body[i] === 0x0a) {
      if (!isUtf8(body.subarray(start, i))) break;
      line++;
      start = i + 1;
    }
  }
  throw new ValidationFailed([
    { field: '(body)', line, message: 'is not UTF-8 text: save the file as UTF-8' },
  ]);
}
