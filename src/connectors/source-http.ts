import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { SourceClient, SourceResponse } from './adapter';

/**
 * The engine's HTTP client for source systems (ADR 0018): every request of every adapter goes
 * through here, so retries and rate limits live in one place.
 * - a spacing limiter per connector (at most `ratePerSecond` requests a second; 0 = off);
 * - 429 → wait for Retry-After (seconds or an HTTP date, at most RETRY_AFTER_CAP_MS), then retry;
 * - 5xx, timeouts and connection errors → exponential backoff with full jitter, then retry;
 * - at most `maxAttempts` attempts, then SourceUnavailableError;
 * - every other answer (2xx, 3xx, 4xx) goes back to the adapter, which knows what a 401 or a 404 means.
 * Headers are never logged: they carry credentials.
 */
export const RETRY_AFTER_CAP_MS = 120_000;
const BACKOFF_CAP_MS = 60_000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** The source could not be reached or kept failing (after the retries). */
export class SourceUnavailableError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Spaces requests `1000 / ratePerSecond` ms apart (shared by every sync of one connector in this process). */
export interface LimiterClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const REAL_CLOCK: LimiterClock = { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal) };

export class RateLimiter {
  private next = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: LimiterClock = REAL_CLOCK,
  ) {}

  async take(signal?: AbortSignal): Promise<void> {
    if (this.ratePerSecond <= 0) return;
    const interval = 1000 / this.ratePerSecond;
    const now = this.clock.now();
    const at = Math.max(now, this.next);
    this.next = at + interval;
    if (at > now) await this.clock.sleep(at - now, signal);
  }
}

/** One limiter per connector id, for the life of the process. */
export class RateLimiters {
  private readonly byKey = new Map<string, RateLimiter>();

  constructor(private readonly ratePerSecond: number) {}

  for(key: string): RateLimiter {
    let l = this.byKey.get(key);
    if (!l) {
      l = new RateLimiter(this.ratePerSecond);
      this.byKey.set(key, l);
    }
    return l;
  }
}

export interface SourceHttpOptions {
  baseUrl: string;
  headers: Record<string, string>;
  lookup?: LookupFunction;
  limiter: RateLimiter;
  maxAttempts: number;
  timeoutMs: number;
  backoffMs: number;
  /** aborts waiting and in-flight requests (the sync lost its lease, the app stops) */
  signal?: AbortSignal;
  /** counts requests for a sync's progress */
  onRequest?: () => void;
  /** time spent waiting for the source (each attempt and each retry wait, not the rate limiter) */
  onSourceTime?: (ms: number) => void;
  random?: () => number;
}

export class SourceHttpClient implements SourceClient {
  constructor(private readonly o: SourceHttpOptions) {}

  async get(path: string, query: Record<string, string | number | string[]> = {}): Promise<SourceResponse> {
    const url = buildUrl(this.o.baseUrl, path, query);
    let last = '';
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= this.o.maxAttempts; attempt++) {
      this.o.signal?.throwIfAborted();
      await this.o.limiter.take(this.o.signal);
      this.o.onRequest?.();
      let wait: number;
      const began = Date.now();
      try {
        const res = await this.once(url).finally(() => this.o.onSourceTime?.(Date.now() - began));
        if (res.status !== 429 && res.status < 500) return res;
        lastStatus = res.status;
        last = `${url.pathname} answered ${res.status}`;
        wait =
          res.status === 429
            ? (retryAfterMs(res.headers['retry-after'], Date.now()) ?? this.backoff(attempt))
            : this.backoff(attempt);
      } catch (err) {
        if (this.o.signal?.aborted) throw err;
        lastStatus = undefined;
        last = `${url.pathname}: ${err instanceof Error ? err.message : String(err)}`;
        wait = this.backoff(attempt);
      }
      if (attempt < this.o.maxAttempts) {
        const t = Date.now();
        await sleep(wait, this.o.signal);
        this.o.onSourceTime?.(Date.now() - t);
      }
    }
    throw new SourceUnavailableError(`${last} (after ${this.o.maxAttempts} attempts)`, lastStatus);
  }

  /** full jitter: a uniform delay in [0, min(cap, base · 2^(attempt−1))] */
  private backoff(attempt: number): number {
    const ceiling = Math.min(BACKOFF_CAP_MS, this.o.backoffMs * 2 ** (attempt - 1));
    return Math.floor((this.o.random ?? Math.random)() * ceiling);
  }

  private once(url: URL): Promise<SourceResponse> {
    return new Promise<SourceResponse>((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: 'GET',
          headers: { accept: 'application/json', ...this.o.headers },
          lookup: this.o.lookup,
          signal: this.o.signal,
          timeout: this.o.timeoutMs,
        },
        (res) => collect(res, resolve, reject),
      );
      const timer = setTimeout(
        () => req.destroy(new Error(`timed out after ${this.o.timeoutMs} ms`)),
        this.o.timeoutMs,
      );
      req.on('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(new Error(`timed out after ${this.o.timeoutMs} ms`)));
      req.on('error', reject);
      req.end();
    });
  }
}

function collect(
  res: IncomingMessage,
  resolve: (r: SourceResponse) => void,
  reject: (e: Error) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY_BYTES) res.destroy(new Error('answer larger than 64 MB'));
    else chunks.push(c);
  });
  res.on('error', reject);
  res.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    }
    resolve({ status: res.statusCode ?? 0, headers, body, text });
  });
}

export function buildUrl(
  baseUrl: string,
  path: string,
  query: Record<string, string | number | string[]>,
): URL {
  const url = new URL(baseUrl.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
  for (const [k, v] of Object.entries(query)) {
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
  }
  return url;
}

/** Retry-After as delta-seconds or an HTTP date → ms to wait (bounded); undefined when absent or unreadable. */
export function retryAfterMs(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const h = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(h)) ms = Number(h) * 1000;
  else {
    const at = Date.parse(h);
    if (Number.isNaN(at)) return undefined;
    ms = at - nowMs;
  }
  return Math.min(RETRY_AFTER_CAP_MS, Math.max(0, Math.round(ms)));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
