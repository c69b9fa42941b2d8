import { Cell, ReportDocument, ReportFormat, pick } from '../report-types';
import { renderHtml } from './html';

/**
 * Renderers: pure functions of a report document (no clock, no I/O), so a run's body can be
 * re-rendered in another format at download time and a re-sent webhook carries identical bytes.
 */
export function renderReport(doc: ReportDocument, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return renderJson(doc);
    case 'csv':
      return renderCsv(doc);
    case 'html':
      return renderHtml(doc);
  }
}

/** { report: meta, summary, rows }; row keys in column order, money as decimal strings. */
export function renderJson(doc: ReportDocument): string {
  return JSON.stringify({
    report: {
      type: doc.type,
      title: pick(doc.title, doc.language),
      language: doc.language,
      asOf: doc.asOf,
      generatedAt: doc.generatedAt,
      currency: doc.currency,
      runId: doc.runId,
      scheduleId: doc.scheduleId,
      source: doc.source,
    },
    summary: doc.summary,
    rows: doc.rows.map((row) => Object.fromEntries(doc.columns.map((c) => [c.key, row[c.key] ?? null]))),
  });
}

/**
 * RFC 4180 CSV: a header of column keys (stable, language-independent, for machines), CRLF line
 * ends, lists joined with "; ". A text cell that a spreadsheet would run as a formula (= + - @ tab
 * CR at the start) gets a leading apostrophe, unless it is only a number or a phone number
 * (+966 50 123 4567); number and money columns never do.
 */
export function renderCsv(doc: ReportDocument): string {
  const lines = [doc.columns.map((c) => csvField(c.key)).join(',')];
  for (const row of doc.rows) {
    lines.push(doc.columns.map((c) => csvField(csvText(row[c.key] ?? null, c.kind === 'text'))).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvText(cell: Cell, isText: boolean): string {
  if (cell === null) return '';
  const text = Array.isArray(cell) ? cell.join('; ') : String(cell);
  const formula = /^[=+\-@\t\r]/.test(text) && !/^[+-]?[\d\s().-]+$/.test(text);
  return isText && formula ? `'${text}` : text;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
