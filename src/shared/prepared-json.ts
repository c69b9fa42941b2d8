import type { Response } from 'express';

type ETagFn = (body: Buffer, encoding?: BufferEncoding) => string | undefined;

/**
 * The published snapshot a prepared body was read from: a response carrying one may be replayed
 * (snapshot-replay.ts) for as long as that snapshot is still the one the tenant's reads use.
 */
export interface SnapshotSource {
  tenantId: string;
  snapshotId: string;
  /** the snapshot's as-of date, which the request asked for or defaulted to */
  asOf: string;
}

/**
 * A JSON response body serialized once, for values kept in memory and sent many times (results read
 * from a snapshot): serializing, encoding and hashing a large body on every request was most of a
 * read's CPU. Sent with sendJson(), it leaves exactly what res.json() of the value would: the same
 * bytes, the same Content-Type, Content-Length and ETag (computed once here, with the application's
 * own ETag function), in the same order, and the same 304 on a matching If-None-Match.
 */
export class PreparedJson {
  private etagCache?: { fn: ETagFn; etag: string | undefined };

  private constructor(
    /** The UTF-8 bytes of the JSON text. */
    readonly body: Buffer,
    /** Set only when the body is a pure function of this published snapshot (and the request). */
    readonly source: SnapshotSource | null,
  ) {}

  /**
   * `value` as res.json() serializes it (no replacer, no spaces: the application sets neither);
   * `source` when it was read from a published snapshot.
   */
  static of(value: unknown, source: SnapshotSource | null = null): PreparedJson {
    return new PreparedJson(Buffer.from(JSON.stringify(value), 'utf8'), source);
  }

  /** The ETag `fn` gives this body (res.send() hashes the UTF-8 bytes of a string body). */
  etag(fn: ETagFn): string | undefined {
    if (this.etagCache?.fn !== fn) this.etagCache = { fn, etag: fn(this.body) };
    return this.etagCache.etag;
  }
}

/** A handler's result that is either a plain value (serialized per request) or a prepared body. */
export type JsonReply<T> = T | PreparedJson;

/**
 * Where a middleware asks to hear of the prepared body a response sends (res.locals[SENT_PREPARED]):
 * the replay of snapshot reads records them this way.
 */
export const SENT_PREPARED = Symbol('sentPrepared');

export type SentPreparedHook = (value: PreparedJson, res: Response) => void;

/**
 * Sends `value` from a handler that took the response (`@Res()`): a plain value with res.json(), as
 * Nest would have; a PreparedJson as its bytes, with the headers res.json() would have set.
 */
export function sendJson(res: Response, value: JsonReply<unknown>): void {
  if (!(value instanceof PreparedJson)) {
    res.json(value);
    return;
  }
  const hook = (res.locals as Record<symbol, SentPreparedHook | undefined>)[SENT_PREPARED];
  if (hook) hook(value, res);
  sendPrepared(res, value);
}

/** A PreparedJson as res.json() would send its value; nothing else. */
export function sendPrepared(res: Response, value: PreparedJson): void {
  // res.json() sets application/json unless the handler chose a type, and res.send() of its string
  // adds the charset; then Content-Length and the ETag, in this order
  if (!res.get('Content-Type')) res.set('Content-Type', 'application/json; charset=utf-8');
  res.set('Content-Length', String(value.body.length));
  const fn = res.app.get('etag fn') as ETagFn | undefined;
  if (typeof fn === 'function' && !res.get('ETag')) {
    const etag = value.etag(fn);
    if (etag) res.set('ETag', etag);
  }
  res.send(value.body);
}
