import type { Response } from 'express';

type ETagFn = (body: Buffer, encoding?: BufferEncoding) => string | undefined;

/**
 * A JSON response body serialized once, for values kept in memory and sent many times (results read
 * from a snapshot): serializing and hashing a large body on every request was most of a read's CPU.
 * Sent with jsonReply(), it leaves exactly what res.json() of the value would: the same bytes, the
 * same Content-Type, Content-Length and ETag (computed once here, with the application's own ETag
 * function), and the same 304 on a matching If-None-Match.
 */
export class PreparedJson {
  private etagCache?: { fn: ETagFn; etag: string | undefined };
  /** The body's length in UTF-8 bytes (its Content-Length). */
  readonly length: number;

  private constructor(readonly text: string) {
    this.length = Buffer.byteLength(text, 'utf8');
  }

  /** `value` as res.json() serializes it (no replacer, no spaces: the application sets neither). */
  static of(value: unknown): PreparedJson {
    return new PreparedJson(JSON.stringify(value));
  }

  /** The ETag `fn` gives this body (res.send() hashes the UTF-8 bytes of a string body). */
  etag(fn: ETagFn): string | undefined {
    if (this.etagCache?.fn !== fn) this.etagCache = { fn, etag: fn(Buffer.from(this.text, 'utf8')) };
    return this.etagCache.etag;
  }
}

/** A handler's result that is either a plain value (serialized per request) or a prepared body. */
export type JsonReply<T> = T | PreparedJson;

/**
 * What a route handler (with `@Res({ passthrough: true })`) returns for `value`: a plain value as it
 * is (Nest sends it with res.json()), a PreparedJson as its text, with the headers res.json() would
 * have set, so that Nest's res.send() of the string sends the same response.
 */
export function jsonReply<T>(res: Response, value: JsonReply<T>): T | string {
  if (!(value instanceof PreparedJson)) return value;
  // as res.json(): application/json unless the handler chose a type; res.send() adds the charset
  if (!res.get('Content-Type')) res.set('Content-Type', 'application/json');
  // the value res.send() sets, set here first so that the headers keep res.json()'s order
  res.set('Content-Length', String(value.length));
  const fn = res.app.get('etag fn') as ETagFn | undefined;
  if (typeof fn === 'function' && !res.get('ETag')) {
    const etag = value.etag(fn);
    if (etag) res.set('ETag', etag);
  }
  return value.text;
}
