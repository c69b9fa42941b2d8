import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { Batch, batchesOf } from './batches';
import { Progress } from './progress';

export interface ImportFileOptions {
  url: string;
  apiKey: string;
  resource: string;
  file: string;
  format?: 'csv' | 'ndjson';
  /** invoice lines (or records) per request */
  batchLines?: number;
  concurrency?: number;
  quiet?: boolean;
  /** part of every batch's Idempotency-Key: the same run id replays, a new one imports again */
  runId?: string;
}

export interface ImportSummary {
  batches: number;
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  seconds: number;
  failed?: { batch: number; firstLine: number; status: number; body: unknown };
}

const CONTENT_TYPE = { csv: 'text/csv', ndjson: 'application/x-ndjson' } as const;

/**
 * Streams a file through POST /v1/import/<resource> in batches. Each batch carries an
 * Idempotency-Key derived from its content, so running the same command again after a failure
 * replays the batches that already went in instead of importing them twice. Stops at the first
 * rejected batch (earlier batches stay imported) and reports it.
 */
export async function importFile(opts: ImportFileOptions): Promise<ImportSummary> {
  const format = opts.format ?? (extname(opts.file).toLowerCase() === '.csv' ? 'csv' : 'ndjson');
  const progress = new Progress(statSync(opts.file).size);
  const started = Date.now();
  const summary: ImportSummary = {
    batches: 0,
    received: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    seconds: 0,
  };
  const inFlight = new Set<Promise<void>>();
  let doneBytes = 0;
  let index = 0;
  const send = async (batch: Batch, n: number) => {
    const key = `${opts.runId ?? ''}${basename(opts.file)}:${n}:${createHash('sha256').update(batch.body).digest('hex').slice(0, 32)}`;
    const res = await fetch(`${opts.url.replace(/\/$/, '')}/v1/import/${opts.resource}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${opts.apiKey}`,
        'Content-Type': CONTENT_TYPE[format],
        'Idempotency-Key': key,
      },
      body: batch.body,
    });
    const body = (await res.json().catch(() => ({}))) as Record<string, number>;
    if (res.status !== 200) {
      summary.failed ??= { batch: n, firstLine: batch.firstLine, status: res.status, body };
      return;
    }
    summary.batches++;
    summary.received += body.received ?? 0;
    summary.created += body.created ?? 0;
    summary.updated += body.updated ?? 0;
    summary.unchanged += body.unchanged ?? 0;
    doneBytes += batch.bytes;
    if (!opts.quiet) progress.update(doneBytes, summary.received, started);
  };
  for await (const batch of batchesOf(opts.file, format, opts.batchLines ?? 10_000)) {
    if (summary.failed) break;
    const p: Promise<void> = send(batch, index++).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= (opts.concurrency ?? 2)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  summary.seconds = (Date.now() - started) / 1000;
  if (!opts.quiet) progress.update(doneBytes, summary.received, started, true);
  return summary;
}
