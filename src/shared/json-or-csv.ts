import type { Response } from 'express';

/** What an endpoint with `?format=csv` answers: a JSON body, or a CSV file with its name. */
export type JsonOrCsv =
  { format: 'json'; body: Record<string, unknown> } | { format: 'csv'; csv: string; fileName: string };

/** The JSON body as is; the CSV as a UTF-8 download (headers set on the passthrough response). */
export function sendJsonOrCsv(result: JsonOrCsv, res: Response): Record<string, unknown> | string {
  if (result.format === 'json') return result.body;
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${result.fileName}"`);
  return result.csv;
}
