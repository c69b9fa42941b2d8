import type { StreamName } from '../adapter';

/** A stream's progress in one sync (stored in connector_syncs.progress; the first four are public). */
export interface StreamProgress {
  pages: number;
  fetched: number;
  imported: number;
  skipped: number;
  unchanged: number;
  failed: number;
  /** deletions applied by a full listing (voided documents, removed payments) */
  deleted: number;
  done: boolean;
  /** where the listing resumes (the next page token), committed with the page before it */
  next: string | null;
  /** the window this listing was started with (undefined → the whole stream) */
  since: string | null;
  /** the latest change instant seen so far: the stream's cursor once it is done */
  maxUpdatedAt: string | null;
}

export interface SyncError {
  stream: StreamName | null;
  sourceId: string | null;
  field?: string;
  message: string;
}

export interface SyncCounts {
  requests: number;
  fetched: number;
  imported: number;
  unchanged: number;
  skipped: number;
  failed: number;
  voided: number;
  removed: number;
  /** references fetched by id because a document pointed to a record not listed yet */
  resolved: number;
  /** milliseconds spent waiting for the source (answers and retry waits; not the rate limiter) */
  sourceMs: number;
}

export const MAX_STORED_ERRORS = 100;

export function emptyProgress(): StreamProgress {
  return {
    pages: 0,
    fetched: 0,
    imported: 0,
    skipped: 0,
    unchanged: 0,
    failed: 0,
    deleted: 0,
    done: false,
    next: null,
    since: null,
    maxUpdatedAt: null,
  };
}

export function emptyCounts(): SyncCounts {
  return {
    requests: 0,
    fetched: 0,
    imported: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    voided: 0,
    removed: 0,
    resolved: 0,
    sourceMs: 0,
  };
}

/** The later of two ISO instants (either may be null). */
export function laterInstant(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(tb)) return a;
  if (Number.isNaN(ta)) return b;
  return tb > ta ? b : a;
}

/** Incremental window start: the committed cursor minus the overlap, as ISO 8601 UTC. */
export function windowStart(cursor: string, overlapMs: number): string | null {
  const t = Date.parse(cursor);
  return Number.isNaN(t) ? null : new Date(t - overlapMs).toISOString();
}
