import { STREAMS, StreamName } from './adapter';
import type { StreamProgress } from './sync/sync-state';

export interface ConnectorView {
  id: string;
  kind: string;
  name: string;
  status: 'idle' | 'syncing' | 'paused' | 'failing';
  /** credential fields that are not secret (an ERPNext URL); never a key or a secret */
  settings: Record<string, string>;
  schedule: { everyMinutes: number } | null;
  paused: boolean;
  lastSync: {
    id: string;
    mode: string;
    status: string;
    startedAt: string | null;
    finishedAt: string | null;
  } | null;
  nextRunAt: string | null;
  /** records known per stream (not deleted in the source) */
  counts: Record<string, number>;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SyncView {
  id: string;
  mode: string;
  trigger: string;
  status: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  progress: Partial<
    Record<
      StreamName,
      Pick<
        StreamProgress,
        'pages' | 'fetched' | 'imported' | 'unchanged' | 'skipped' | 'failed' | 'deleted' | 'done'
      >
    >
  >;
  counts: Record<string, number>;
  errors: unknown[];
  errorCount: number;
  error: string | null;
}

const iso = (v: unknown): string | null =>
  v === null || v === undefined ? null : new Date(v as string).toISOString();

export function toConnectorView(r: Record<string, unknown>): ConnectorView {
  const syncStatus = (r.sync_status as string | null) ?? null;
  const paused = Boolean(r.paused);
  const status: ConnectorView['status'] = paused
    ? 'paused'
    : syncStatus === 'queued' || syncStatus === 'running'
      ? 'syncing'
      : syncStatus === 'failed'
        ? 'failing'
        : 'idle';
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries((r.counts as Record<string, unknown> | null) ?? {}))
    counts[k] = Number(v);
  const every = r.schedule_every_minutes === null ? null : Number(r.schedule_every_minutes);
  return {
    id: r.id as string,
    kind: r.kind as string,
    name: r.name as string,
    status,
    settings: (r.credentials_public as Record<string, string> | null) ?? {},
    schedule: every === null ? null : { everyMinutes: every },
    paused,
    lastSync: r.sync_id
      ? {
          id: r.sync_id as string,
          mode: r.sync_mode as string,
          status: syncStatus!,
          startedAt: iso(r.sync_started_at),
          finishedAt: iso(r.sync_finished_at),
        }
      : null,
    nextRunAt: every === null || paused ? null : iso(r.next_run_at),
    counts,
    lastError: (r.last_error as string | null) ?? null,
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

export function toSyncView(r: Record<string, unknown>): SyncView {
  const raw = (r.progress as Record<string, StreamProgress> | null) ?? {};
  const progress: SyncView['progress'] = {};
  for (const s of STREAMS) {
    const p = raw[s];
    if (!p) continue;
    progress[s] = {
      pages: p.pages,
      fetched: p.fetched,
      imported: p.imported,
      unchanged: p.unchanged,
      skipped: p.skipped,
      failed: p.failed,
      deleted: p.deleted,
      done: p.done,
    };
  }
  const counts: Record<string, number> = {};
  for (const [k, v] of Object.entries((r.counts as Record<string, unknown> | null) ?? {}))
    counts[k] = Number(v);
  return {
    id: r.id as string,
    mode: r.mode as string,
    trigger: r.trigger as string,
    status: r.status as string,
    queuedAt: iso(r.queued_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    progress,
    counts,
    errors: (r.errors as unknown[] | null) ?? [],
    errorCount: Number(r.error_count ?? 0),
    error: (r.error as string | null) ?? null,
  };
}
