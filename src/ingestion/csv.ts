/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF; a UTF-8 BOM
 * is ignored. Returns rows of strings; throws CsvError with the 1-based line number on a malformed
 * file (an unclosed quote, text after a closing quote).
 */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let quoted = false;
  let fieldStarted = false;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        const next = text[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          throw new CsvError(line, 'unexpected text after a closing quote');
        }
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i++;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      row.push(field);
      if (!(row.length === 1 && row[0] === '')) rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    field += c;
    fieldStarted = true;
    i++;
  }
  if (quoted) throw new CsvError(line, 'a quoted field is not closed');
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The header row names the fields; each further row becomes an object (empty cells are absent). */
export function csvToObjects(text: string): { records: Record<string, string>[]; lines: number[] } {
  const rows = parseCsv(text);
  const header = rows[0];
  if (!header) return { records: [], lines: [] };
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === '') throw new CsvError(1, 'the header has an empty column name');
    if (seen.has(name)) throw new CsvError(1, `the header names "${name}" twice`);
    seen.add(name);
  }
  const records: Record<string, string>[] = [];
  const lines: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== names.length) {
      throw new CsvError(r + 1, `has ${row.length} fields, the header has ${names.length}`);
    }
    const rec: Record<string, string> = {};
    names.forEach((name, k) => {
      const v = row[k]!;
      if (v !== '') rec[name] = v;
    });
    records.push(rec);
    lines.push(r + 1);
  }
  return { records, lines };
}
