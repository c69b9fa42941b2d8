import type { NextFunction, Request, Response } from 'express';
import { PreparedJson, SENT_PREPARED, SentPreparedHook, sendPrepared } from '../../shared/prepared-json';
import { presentedKey, TenantRequest } from '../../tenancy/auth.guard';
import { hashKey, Tenant, TenantsService } from '../../tenancy/tenants.service';
import { asOfParam, languageOf } from '../shared/as-of';
import { SnapshotService } from './snapshot.service';

/**
 * Replay of snapshot reads (issue #3: a snapshot read ≤ 50 ms at p99 under 50 concurrent requests).
 *
 * A GET answered from a published snapshot sends a PreparedJson that names its source (sourceOf()).
 * Such a response is remembered under (the presented key's hash, the Accept-Language the controllers
 * read, the URL as sent); the same request again is answered from memory by this middleware, without
 * Nest's router, guard, pipes and controller, only while everything the full path would look at still
 * gives the same answer:
 * - the key authenticates, through TenantsService.authenticate (the guard's own cache), to the same
 *   tenant with the same name, currency, time zone and settings (a revoked key stops here exactly when
 *   the guard would start answering 401);
 * - SnapshotService.usable() still picks the same snapshot for that asOf with the tenant's settings
 *   now (an import, a recompute or a settings change in this instance retires it at once, in another
 *   instance within READ_CACHE_TTL_MS, as for the full path);
 * - when the URL has no asOf, today in the tenant's zone (asOfParam, as the services default it) is
 *   still the snapshot's date.
 * Otherwise the entry is dropped and the request goes down the full path (which may record it again).
 * The body goes out through sendPrepared(), the same code as the full path's sendJson(): same bytes,
 * headers in the same order, ETag, and a 304 on a matching If-None-Match. Errors, on-demand results
 * (no source), CSV and anything but a 200 are never recorded, since they are never a sourced
 * PreparedJson sent with status 200.
 */

/** At most this many responses are remembered … */
export const REPLAY_MAX_ENTRIES = 2000;
/** … holding at most this many bytes of bodies (a body shared by two entries counts twice) … */
export const REPLAY_MAX_BYTES = 64 * 1024 * 1024;
/** … each for at most this long, as the snapshot memo keeps what it shaped (SnapshotService). */
export const REPLAY_MAX_AGE_MS = 10 * 60_000;

export interface ReplayEntry {
  /** the tenant as authenticated when recorded (compared by value, its last reference kept) */
  tenant: Tenant;
  tenantJson: string;
  snapshotId: string;
  /** the asOf the response was read at */
  asOf: string;
  /** no asOf in the URL: it was today in the tenant's zone, which changes at midnight */
  asOfDefaulted: boolean;
  /** a Content-Type the handler chose before sending (none: sendPrepared's default) */
  contentType: string | undefined;
  body: PreparedJson;
}

interface Kept {
  entry: ReplayEntry;
  recordedAt: number;
}

/** Remembered responses, bounded in count, bytes and age; the least recently used go first. */
export class ReplayMemory {
  private readonly entries = new Map<string, Kept>();
  private bytes = 0;
  /** responses sent from memory so far (for tests and diagnostics) */
  replayed = 0;

  constructor(
    private readonly maxEntries = REPLAY_MAX_ENTRIES,
    private readonly maxBytes = REPLAY_MAX_BYTES,
    private readonly maxAgeMs = REPLAY_MAX_AGE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  get(key: string): ReplayEntry | undefined {
    const kept = this.entries.get(key);
    if (!kept) return undefined;
    if (this.now() - kept.recordedAt >= this.maxAgeMs) {
      this.delete(key);
      return undefined;
    }
    // most recently used last
    this.entries.delete(key);
    this.entries.set(key, kept);
    return kept.entry;
  }

  set(key: string, entry: ReplayEntry): void {
    this.delete(key);
    const size = entrySize(key, entry);
    if (size > this.maxBytes) return;
    while (this.entries.size >= this.maxEntries || this.bytes + size > this.maxBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
    this.entries.set(key, { entry, recordedAt: this.now() });
    this.bytes += size;
  }

  delete(key: string): void {
    const kept = this.entries.get(key);
    if (!kept) return;
    this.entries.delete(key);
    this.bytes -= entrySize(key, kept.entry);
  }
}

const entrySize = (key: string, entry: ReplayEntry) => entry.body.body.length + key.length;

export interface ReplayDeps {
  tenants: TenantsService;
  snapshots: SnapshotService;
}

/** The express middleware; register it after the request context and body parser, before the routes. */
export function snapshotReplay(deps: ReplayDeps, memory = new ReplayMemory()) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET') return next();
    const presented = presentedKey(req);
    if (presented === undefined) return next();
    const key = `${hashKey(presented)}\n${languageOf(req.headers['accept-language'])}\n${req.originalUrl}`;
    const entry = memory.get(key);
    const fullPath = () => {
      listen(deps, memory, key, req, res);
      next();
    };
    if (!entry) return fullPath();
    replay(deps, presented, entry, req, res).then(
      (served) => {
        if (served) {
          memory.replayed++;
          return;
        }
        memory.delete(key);
        fullPath();
      },
      () => {
        // whatever failed here fails again on the full path, which answers it as it always does
        memory.delete(key);
        fullPath();
      },
    );
  };
}

/** Sends `entry` when the full path would send the same response now; false when it might not. */
async function replay(
  deps: ReplayDeps,
  presented: string,
  entry: ReplayEntry,
  req: Request,
  res: Response,
): Promise<boolean> {
  const auth = await deps.tenants.authenticate(presented);
  if (!auth || !sameTenant(entry, auth.tenant)) return false;
  const tenant = auth.tenant;
  if (entry.asOfDefaulted && asOfParam(undefined, tenant.timezone) !== entry.asOf) return false;
  // the same snapshot means the same settings as when recorded (usable() compares the snapshot's
  // settings hash with the settings the tenant's analytics are read with now)
  const settings = await deps.snapshots.settingsFor(tenant.id);
  const snap = await deps.snapshots.usable(tenant.id, entry.asOf, settings);
  if (snap?.id !== entry.snapshotId) return false;
  (req as TenantRequest).auth = auth; // as the guard does: the access log names the tenant
  if (entry.contentType !== undefined) res.set('Content-Type', entry.contentType);
  sendPrepared(res, entry.body);
  return true;
}

function sameTenant(entry: ReplayEntry, tenant: Tenant): boolean {
  if (entry.tenant === tenant) return true;
  if (JSON.stringify(tenant) !== entry.tenantJson) return false;
  entry.tenant = tenant;
  return true;
}

/**
 * Asks sendJson() to tell of the prepared body this request sends down the full path; a body read
 * from a snapshot of the request's own tenant, sent with status 200, is remembered under `key`.
 */
function listen(deps: ReplayDeps, memory: ReplayMemory, key: string, req: Request, res: Response): void {
  const hook: SentPreparedHook = (body, sending) => {
    const source = body.source;
    const auth = (req as TenantRequest).auth;
    if (!source || sending.statusCode !== 200 || !auth || auth.tenant.id !== source.tenantId) return;
    const tenant = auth.tenant;
    const given = (req.query as Record<string, unknown>).asOf;
    const contentType = sending.get('Content-Type');
    // the settings the read was checked against: cached, so this is no query; a change since then
    // makes the snapshot unusable, and the entry is not kept
    void deps.snapshots
      .settingsFor(tenant.id)
      .then(async (settings) => {
        const snap = await deps.snapshots.usable(tenant.id, source.asOf, settings);
        if (snap?.id !== source.snapshotId) return;
        memory.set(key, {
          tenant,
          tenantJson: JSON.stringify(tenant),
          snapshotId: source.snapshotId,
          asOf: source.asOf,
          asOfDefaulted: typeof given !== 'string' || given === '',
          contentType,
          body,
        });
      })
      .catch(() => undefined);
  };
  (res.locals as Record<symbol, SentPreparedHook>)[SENT_PREPARED] = hook;
}
