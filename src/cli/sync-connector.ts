/**
 * `npm run cli -- sync <connectorId>`: starts a sync through the API (or follows the one already
 * under way) and draws its progress until it ends. Authenticates like `import`, with the tenant's
 * API key.
 */
export interface SyncOptions {
  url: string;
  apiKey: string;
  connectorId: string;
  mode?: 'incremental' | 'full';
  pollMs?: number;
  out?: NodeJS.WriteStream;
}

interface StreamProgress {
  pages: number;
  fetched: number;
  imported: number;
  unchanged: number;
  skipped: number;
  failed: number;
  done: boolean;
}

interface SyncBody {
  id: string;
  status: string;
  progress: Record<string, StreamProgress>;
  counts: Record<string, number>;
  errors: { stream: string | null; sourceId: string | null; field?: string; message: string }[];
  errorCount: number;
  error: string | null;
}

const STREAMS = ['customers', 'products', 'invoices', 'credit-notes', 'payments', 'inventory'];

export async function syncConnector(o: SyncOptions): Promise<{ sync: SyncBody; ok: boolean }> {
  const out = o.out ?? process.stderr;
  const base = `${o.url.replace(/\/+$/, '')}/v1/connectors/${encodeURIComponent(o.connectorId)}`;
  const headers = { authorization: `Bearer ${o.apiKey}`, 'content-type': 'application/json' };
  const start = await fetch(`${base}/sync`, {
    method: 'POST',
    headers,
    body: JSON.stringify(o.mode ? { mode: o.mode } : {}),
  });
  const started = (await start.json()) as { id?: string; details?: { syncId?: string }; message?: string };
  let syncId: string | undefined;
  if (start.status === 202) syncId = started.id;
  else if (start.status === 409 && started.details?.syncId) {
    syncId = started.details.syncId;
    out.write(`a sync is already under way (${syncId}); following it\n`);
  } else throw new Error(`could not start a sync: HTTP ${start.status} ${started.message ?? ''}`);
  const began = Date.now();
  for (;;) {
    const res = await fetch(`${base}/syncs/${syncId}`, { headers });
    if (res.status !== 200) throw new Error(`could not read the sync: HTTP ${res.status}`);
    const sync = (await res.json()) as SyncBody;
    const finished = sync.status === 'succeeded' || sync.status === 'failed';
    draw(out, sync, began, finished);
    if (finished) return { sync, ok: sync.status === 'succeeded' };
    await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
  }
}

/** `[#####.....]  3/5 streams  invoices p12  fetched 1200 imported 1180 …` */
export function progressLine(sync: SyncBody, seconds: number): string {
  const streams = STREAMS.filter((s) => sync.progress[s]);
  const done = streams.filter((s) => sync.progress[s]!.done).length;
  const total = Math.max(Object.keys(sync.progress).length, 5);
  const width = 30;
  const share = sync.status === 'succeeded' ? 1 : Math.min(1, done / total);
  const filled = Math.round(share * width);
  const current = streams.find((s) => !sync.progress[s]!.done);
  const c = sync.counts;
  return (
    `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${sync.status.padEnd(9)} ` +
    `${done}/${total} streams${current ? `  ${current} p${sync.progress[current]!.pages}` : ''}  ` +
    `fetched ${c.fetched ?? 0} imported ${c.imported ?? 0} unchanged ${c.unchanged ?? 0} ` +
    `skipped ${c.skipped ?? 0} failed ${c.failed ?? 0}  ${seconds.toFixed(0)} s`
  );
}

function draw(out: NodeJS.WriteStream, sync: SyncBody, began: number, final: boolean): void {
  const line = progressLine(sync, (Date.now() - began) / 1000);
  if (out.isTTY) out.write(`\r${line}${final ? '\n' : ''}`);
  else out.write(`${line}\n`);
}
