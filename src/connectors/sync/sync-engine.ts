import { Queryable } from '../../database/database';
import { ImportService } from '../../ingestion/import.service';
import { removePayments } from '../../ingestion/resources/payments';
import { contentHash, ImportContext, RESOURCES, ResourceName } from '../../ingestion/resources/types';
import { FieldError, ValidationFailed } from '../../shared/errors';
import { jsonbText } from '../../shared/json-guard';
import {
  ConnectorAdapter,
  MapContext,
  MappedRecord,
  MappedSourceRecord,
  SourceClient,
  SourceFormatError,
  STREAMS,
  StreamAdapter,
  StreamName,
} from '../adapter';
import { Q } from '../connectors.queries';
import {
  emptyProgress,
  laterInstant,
  MAX_STORED_ERRORS,
  StreamProgress,
  SyncCounts,
  SyncError,
  windowStart,
} from './sync-state';

/** How far back an incremental window reaches before the committed cursor (clock skew, late commits). */
export const CURSOR_OVERLAP_MS = 5 * 60_000;
/** How deep a reference fetched by id may itself pull in references. */
const MAX_REF_DEPTH = 3;

/** The resources a stream writes (for table statistics after it). */
const STREAM_RESOURCES: Record<StreamName, ResourceName[]> = {
  customers: ['customers'],
  products: ['products', 'inventory'],
  invoices: ['invoices'],
  'credit-notes': ['credit-notes'],
  payments: ['payments'],
  inventory: ['inventory'],
};

/** The sync lost its lease (another instance took it over, or the connector was deleted): stop, write nothing more. */
export class LeaseLost extends Error {}

export interface SyncRunState {
  tenantId: string;
  syncId: string;
  connectorId: string;
  owner: string;
  mode: 'incremental' | 'full';
  startedAt: string;
  progress: Partial<Record<StreamName, StreamProgress>>;
  counts: SyncCounts;
  errors: SyncError[];
  errorCount: number;
}

/** What the engine runs in: one transaction at a time (Database.transaction), the import path, the source client. */
export interface EngineDeps {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  query: Queryable['query'];
  imports: ImportService;
  client: SourceClient;
  adapter: ConnectorAdapter;
  ctx: ImportContext;
  cursors: Record<string, string>;
  signal?: AbortSignal;
  /** a page committed (the CLI's progress bar, tests' crash points) */
  onPage?: (stream: StreamName, progress: StreamProgress) => void | Promise<void>;
}

interface Item {
  raw: unknown;
  sourceId: string;
  out: MappedSourceRecord;
  hash: string;
}

/**
 * Runs one claimed sync to its end (ADR 0018): streams in STREAMS order, each listed page by page
 * from where the sync stands; every page's records are mapped, unchanged ones skipped by content
 * hash, the rest sent through the import path in one transaction with the page's bookkeeping (the
 * records seen, the resume point), so a crash loses nothing and repeats nothing. A refused page is
 * retried record by record: one bad invoice does not hold back the others, and its errors are kept.
 * A stream listed whole then applies its deletion rule to the records it no longer lists; its cursor
 * moves once it is done.
 */
export class SyncEngine {
  private readonly streams: StreamAdapter[];
  private readonly mapCtx: MapContext;
  private changedInStream = 0;

  constructor(
    private readonly d: EngineDeps,
    private readonly s: SyncRunState,
  ) {
    this.streams = STREAMS.map((name) => d.adapter.streams.find((x) => x.name === name)).filter(
      (x): x is StreamAdapter => x !== undefined,
    );
    this.mapCtx = { timeZone: d.ctx.timeZone, currency: d.ctx.currency, syncStartedAt: s.startedAt };
  }

  async run(): Promise<void> {
    for (const stream of this.streams) {
      this.d.signal?.throwIfAborted();
      await this.runStream(stream);
    }
  }

  private progressOf(stream: StreamName): StreamProgress {
    let p = this.s.progress[stream];
    if (!p) {
      p = emptyProgress();
      const cursor = this.d.cursors[stream];
      const whole =
        this.s.mode === 'full' || !cursor || !this.streams.find((x) => x.name === stream)?.incremental;
      p.since = whole ? null : windowStart(cursor, CURSOR_OVERLAP_MS);
      this.s.progress[stream] = p;
    }
    return p;
  }

  private async runStream(stream: StreamAdapter): Promise<void> {
    const p = this.progressOf(stream.name);
    this.changedInStream = 0;
    while (!p.done) {
      this.d.signal?.throwIfAborted();
      const page = await stream.list(this.d.client, {
        updatedSince: p.since ?? undefined,
        page: p.next ?? undefined,
      });
      const items = this.mapAll(stream, page.records, p);
      p.pages += 1;
      p.fetched += page.records.length;
      this.s.counts.fetched += page.records.length;
      await this.commitPage(stream, items, p, page.next);
      await this.d.onPage?.(stream.name, p);
    }
  }

  private mapAll(stream: StreamAdapter, records: unknown[], p: StreamProgress): Item[] {
    const items: Item[] = [];
    const seen = new Set<string>();
    for (const raw of records) {
      let out: MappedSourceRecord;
      try {
        out = stream.map(raw, this.mapCtx);
      } catch (err) {
        p.failed += 1;
        this.s.counts.failed += 1;
        this.error({ stream: stream.name, sourceId: rawId(raw), message: errorText(err) });
        continue;
      }
      if (seen.has(out.sourceId)) continue; // a record listed twice in one page (paging moved under us)
      seen.add(out.sourceId);
      p.maxUpdatedAt = laterInstant(p.maxUpdatedAt, out.updatedAt);
      items.push({ raw, sourceId: out.sourceId, out, hash: contentHash(out.mapped) });
    }
    return items;
  }

  /** One page: import what changed, note what was seen, move the resume point — in one transaction. */
  private async commitPage(
    stream: StreamAdapter,
    items: Item[],
    p: StreamProgress,
    next: string | null,
  ): Promise<void> {
    const known = await this.known(
      stream.name,
      items.map((i) => i.sourceId),
    );
    const changed: Item[] = [];
    const unchanged: Item[] = [];
    for (const it of items) {
      if (it.out.mapped.length === 0) {
        p.skipped += 1;
        this.s.counts.skipped += 1;
        changed.push(it); // recorded as seen with no records of ours
      } else if (known.get(it.sourceId) === it.hash) unchanged.push(it);
      else changed.push(it);
    }
    await this.resolveRefs(changed, 0);
    const importing = changed.filter((i) => i.out.mapped.length > 0);
    const finish = async (tx: Queryable, written: Item[], failedIds: string[]) => {
      await this.record(tx, stream.name, written);
      const seenOnly = [...unchanged.map((i) => i.sourceId), ...failedIds];
      if (seenOnly.length) {
        await tx.query(Q.markSeen, [
          this.s.tenantId,
          this.s.connectorId,
          stream.name,
          this.s.syncId,
          seenOnly,
        ]);
      }
      p.next = next;
      p.done = next === null;
      if (p.done) await this.finishStream(tx, stream, p);
      await this.save(tx);
    };
    p.unchanged += unchanged.length;
    this.s.counts.unchanged += unchanged.length;
    let changedRows = 0;
    // counted before the commit, so the progress saved with the page includes the page
    p.imported += importing.length;
    this.s.counts.imported += importing.length;
    try {
      changedRows = await this.d.transaction(async (tx) => {
        const n = await this.write(tx, importing);
        await finish(tx, changed, []);
        return n;
      });
    } catch (err) {
      // anything else ends the sync (or, lease lost, abandons it): what is committed stays, the rest is redone
      if (!(err instanceof ValidationFailed)) throw err;
      p.imported -= importing.length;
      this.s.counts.imported -= importing.length;
      // one record at a time: the good ones go in, the refused ones are reported by source id
      const failedIds: string[] = [];
      const written: Item[] = changed.filter((i) => i.out.mapped.length === 0);
      for (const it of importing) {
        try {
          changedRows += await this.d.transaction(async (tx) => {
            const n = await this.write(tx, [it]);
            await this.record(tx, stream.name, [it]);
            return n;
          });
          written.push(it);
          p.imported += 1;
          this.s.counts.imported += 1;
        } catch (e) {
          if (!(e instanceof ValidationFailed)) throw e;
          failedIds.push(it.sourceId);
          p.failed += 1;
          this.s.counts.failed += 1;
          for (const fe of e.errors) this.fieldError(stream.name, it.sourceId, fe);
        }
      }
      await this.d.transaction((tx) =>
        finish(
          tx,
          written.filter((i) => i.out.mapped.length === 0),
          failedIds,
        ),
      );
    }
    this.changedInStream += changedRows;
    // once a stream is done: table statistics and the debounced analytics refresh, as after a push
    // import (counted from the committed progress too, so a resumed stream still refreshes)
    if (p.done && (this.changedInStream > 0 || p.imported + p.deleted > 0)) {
      await this.d.imports.afterWrite(
        this.s.tenantId,
        STREAM_RESOURCES[stream.name],
        Math.max(this.changedInStream, p.imported + p.deleted),
      );
    }
  }

  /** Sends items' records through the import path, resource by resource in dependency order. */
  private async write(tx: Queryable, items: Item[]): Promise<number> {
    const byResource = new Map<ResourceName, Record<string, unknown>[]>();
    for (const it of items) {
      for (const m of it.out.mapped) {
        const list = byResource.get(m.resource) ?? [];
        list.push(m.record);
        byResource.set(m.resource, list);
      }
    }
    let changed = 0;
    for (const resource of RESOURCES) {
      const records = byResource.get(resource);
      if (!records?.length) continue;
      const counts = await this.d.imports.writeRecords(tx, this.d.ctx, resource, records);
      changed += counts.created + counts.updated;
    }
    return changed;
  }

  private async record(tx: Queryable, stream: StreamName, items: Item[]): Promise<void> {
    if (items.length === 0) return;
    await tx.query(Q.upsertRecords, [
      this.s.tenantId,
      this.s.connectorId,
      stream,
      items.map((i) => i.sourceId),
      items.map((i) => i.out.mapped[0]?.resource ?? null),
      items.map((i) => externalIdOf(i.out.mapped[0])),
      items.map((i) => i.hash),
      items.map((i) => jsonbText(i.out.mapped)),
      this.s.syncId,
    ]);
  }

  private async known(stream: StreamName, ids: string[]): Promise<Map<string, string>> {
    const map = new Map<string, string>();
    if (ids.length === 0) return map;
    const rows = await this.d.query<{ source_id: string; content_hash: string; deleted: boolean }>(
      Q.knownRecords,
      [this.s.tenantId, this.s.connectorId, stream, ids],
    );
    for (const r of rows) if (!r.deleted) map.set(r.source_id, r.content_hash);
    return map;
  }

  /**
   * References to records no sync has seen (a customer created after the customers stream was
   * listed): fetched by id and imported first. A reference the source does not have is left to the
   * import path, which refuses the referring record with an error naming it.
   */
  private async resolveRefs(items: Item[], depth: number): Promise<void> {
    if (depth >= MAX_REF_DEPTH) return;
    const wanted = new Map<StreamName, Set<string>>();
    for (const it of items) {
      for (const r of it.out.refs ?? []) {
        const set = wanted.get(r.stream) ?? new Set<string>();
        set.add(r.sourceId);
        wanted.set(r.stream, set);
      }
    }
    for (const [streamName, ids] of wanted) {
      const stream = this.streams.find((x) => x.name === streamName);
      if (!stream?.fetchOne) continue;
      const known = await this.known(streamName, [...ids]);
      const missing = [...ids].filter((id) => !known.has(id));
      if (missing.length === 0) continue;
      const fetched: Item[] = [];
      for (const id of missing) {
        this.d.signal?.throwIfAborted();
        const raw = await stream.fetchOne(this.d.client, id);
        if (raw === null || raw === undefined) continue;
        try {
          const out = stream.map(raw, this.mapCtx);
          if (out.mapped.length)
            fetched.push({ raw, sourceId: out.sourceId, out, hash: contentHash(out.mapped) });
        } catch (err) {
          this.error({ stream: streamName, sourceId: id, message: errorText(err) });
        }
      }
      if (fetched.length === 0) continue;
      await this.resolveRefs(fetched, depth + 1);
      for (const it of fetched) {
        try {
          const n = await this.d.transaction(async (tx) => {
            const c = await this.write(tx, [it]);
            await this.record(tx, streamName, [it]);
            return c;
          });
          this.s.counts.resolved += 1;
          await this.d.imports.afterWrite(this.s.tenantId, resourcesOf([it]), n);
        } catch (e) {
          if (!(e instanceof ValidationFailed)) throw e;
          for (const fe of e.errors) this.fieldError(streamName, it.sourceId, fe);
        }
      }
    }
  }

  /** A stream listed to its end: deletions (when it was listed whole) and its new cursor, in the page's transaction. */
  private async finishStream(tx: Queryable, stream: StreamAdapter, p: StreamProgress): Promise<void> {
    if (p.since === null && stream.deletion !== 'keep') {
      const gone = await tx.query<{
        source_id: string;
        resource: string | null;
        external_id: string | null;
        mapped: MappedRecord[];
      }>(Q.unseen, [this.s.tenantId, this.s.connectorId, stream.name, this.s.syncId]);
      const withRecords = gone.filter(
        (g) => g.external_id !== null && Array.isArray(g.mapped) && g.mapped.length,
      );
      if (stream.deletion === 'void') {
        const byResource = new Map<ResourceName, Record<string, unknown>[]>();
        for (const g of withRecords) {
          const m = g.mapped[0]!;
          const list = byResource.get(m.resource) ?? [];
          list.push({ ...m.record, status: 'void' });
          byResource.set(m.resource, list);
        }
        for (const [resource, records] of byResource) {
          await this.d.imports.writeRecords(tx, this.d.ctx, resource, records);
        }
        this.s.counts.voided += withRecords.length;
      } else {
        const payments = withRecords.filter((g) => g.resource === 'payments').map((g) => g.external_id!);
        this.s.counts.removed += await removePayments(tx, this.s.tenantId, payments);
      }
      p.deleted += gone.length;
      if (gone.length) {
        await tx.query(Q.markDeleted, [
          this.s.tenantId,
          this.s.connectorId,
          stream.name,
          gone.map((g) => g.source_id),
        ]);
      }
    }
    const cursor = laterInstant(this.d.cursors[stream.name] ?? null, p.maxUpdatedAt);
    if (cursor !== null) {
      await tx.query(Q.saveCursor, [this.s.tenantId, this.s.connectorId, stream.name, cursor]);
      this.d.cursors[stream.name] = cursor;
    }
  }

  /** The sync's bookkeeping, in the caller's transaction; refused when this worker no longer holds it. */
  private async save(tx: Queryable): Promise<void> {
    const rows = await tx.query(Q.saveProgress, [
      this.s.tenantId,
      this.s.syncId,
      this.s.owner,
      jsonbText(this.s.progress),
      jsonbText(this.s.counts),
      jsonbText(this.s.errors),
      this.s.errorCount,
    ]);
    if (rows.length === 0) throw new LeaseLost('the sync is no longer held by this worker');
  }

  private fieldError(stream: StreamName, sourceId: string, fe: FieldError): void {
    this.error({ stream, sourceId, field: fe.field, message: fe.message });
  }

  private error(e: SyncError): void {
    this.s.errorCount += 1;
    if (this.s.errors.length < MAX_STORED_ERRORS) this.s.errors.push(e);
  }
}

function resourcesOf(items: Item[]): ResourceName[] {
  return [...new Set(items.flatMap((i) => i.out.mapped.map((m) => m.resource)))];
}

function externalIdOf(m: MappedRecord | undefined): string | null {
  const v = m?.record.externalId;
  return typeof v === 'string' ? v : null;
}

function rawId(raw: unknown): string | null {
  const v = (raw as { id?: unknown } | null)?.id;
  return typeof v === 'string' || typeof v === 'number' ? String(v) : null;
}

export function errorText(err: unknown): string {
  if (err instanceof SourceFormatError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
