import type { Response } from 'express';

type ETagFn = (body: Buffer, encoding?: BufferEncoding) => string | undefined;

/**
 * A JSON response body serialized once, for values kept in memory and sent many times (results read
 * from a snapshot): serializing, encoding and hashing a large body on every request was most of a
 * read's CPU. Sent with sendJson(), it leaves exactly what res.json() of the value would: the same
 * bytes, the same Content-Type, Content-Length and ETag (computed once here, with the application's
 * own ETag function), in the same order, and the same 304 on a matching If-None-Match.
 */
export class PreparedJson {
  private etagCache?: { fn: ETagFn; etag: string | undefined };

  /** The UTF-8 bytes of the JSON text. */
  private constructor(readonly body: Buffer) {}

  /** `value` as res.json() serializes it (no replacer, no spaces: the application sets neither). */
  static of(value: unknown): PreparedJson {
    return new PreparedJson(Buffer.from(JSON.stringify(value), 'utf8'));
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
 * Sends `value` from a handler that took the response (`@Res()`): a plain value with res.json(), as
 * Nest would have; a PreparedJson as its bytes, with the headers res.json() would have set.
 */
export function sendJson(res: Response, value: JsonReply<unknown>): void {
  if (!(value instanceof PreparedJson)) {
    res.json(value);
    return;
  }
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
