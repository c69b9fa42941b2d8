import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';

/**
 * How fresh an analytics read is (issue 13): the state it was served from. A read of today is served
 * from the published snapshot even while a refresh is pending (an import committed after the
 * snapshot read its data); the response says so.
 */
export interface Freshness {
  /** the as-of date the result is for */
  asOf: string;
  /** the snapshot it was read from; null when computed on demand */
  snapshotId: string | null;
  /** every import committed before this moment is in the result (on demand: now) */
  dataThrough: string;
  /** when the snapshot was published (on demand: now) */
  refreshedAt: string;
  /** the tenant's data changed after dataThrough and a refresh will publish it */
  refreshPending: boolean;
}

/** The response headers that carry a read's freshness (the same names in the API docs and the web app). */
export const FRESHNESS_HEADERS = {
  asOf: 'Analytics-As-Of',
  snapshotId: 'Analytics-Snapshot',
  dataThrough: 'Analytics-Data-Through',
  refreshedAt: 'Analytics-Refreshed-At',
  refreshPending: 'Analytics-Refresh-Pending',
} as const;

const storage = new AsyncLocalStorage<{ value?: Freshness }>();

/**
 * Records the state a read is served from (SnapshotService.usable); a request that reads several dates
 * reports its latest one (a movement or a trend is "as of" its end), the first of equal dates.
 */
export function recordFreshness(f: Freshness): void {
  const holder = storage.getStore();
  if (holder && (!holder.value || f.asOf > holder.value.asOf)) holder.value = f;
}

/** The freshness recorded so far in this request, if any (tests, the freshness endpoint). */
export function currentFreshness(): Freshness | undefined {
  return storage.getStore()?.value;
}

/**
 * Express middleware (before the snapshot replay and the routes): a request that reads analytics gets
 * FRESHNESS_HEADERS on its response, set just before the headers go out, whatever sends them.
 */
export function freshnessHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const holder: { value?: Freshness } = {};
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
    (res as unknown as { writeHead: (...args: unknown[]) => Response }).writeHead = (...args: unknown[]) => {
      const f = holder.value;
      if (f && !res.headersSent) {
        res.setHeader(FRESHNESS_HEADERS.asOf, f.asOf);
        if (f.snapshotId) res.setHeader(FRESHNESS_HEADERS.snapshotId, f.snapshotId);
        res.setHeader(FRESHNESS_HEADERS.dataThrough, f.dataThrough);
        res.setHeader(FRESHNESS_HEADERS.refreshedAt, f.refreshedAt);
        res.setHeader(FRESHNESS_HEADERS.refreshPending, String(f.refreshPending));
      }
      return writeHead(...args);
    };
    storage.run(holder, next);
  };
}
