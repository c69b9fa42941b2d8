import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * Fixed one-minute windows counted in this process's memory (ADR 0016): cheap, no database round
 * trip per request; with several instances the effective limit is the sum of theirs. Each answer of
 * a limited route carries the IETF RateLimit headers (draft-ietf-httpapi-ratelimit-headers):
 * `RateLimit-Policy: "<name>";q=<quota>;w=60` and `RateLimit: "<name>";r=<remaining>;t=<seconds to reset>`;
 * over the quota → 429 with Retry-After.
 */
export const WINDOW_SECONDS = 60;

interface Window {
  start: number;
  used: number;
}

export interface Take {
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
}

export class WindowCounter {
  private readonly windows = new Map<string, Window>();
  private sweptAt = 0;

  constructor(
    readonly quota: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts `amount` against `key`; refused (and not counted) when it would pass the quota. */
  take(key: string, amount = 1): Take {
    const now = this.now();
    this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_SECONDS * 1000) {
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + WINDOW_SECONDS * 1000 - now) / 1000));
    // a single request larger than the whole quota is let through on an empty window, or it never could be
    const allowed = w.used + amount <= this.quota || (w.used === 0 && amount > this.quota);
    if (allowed) w.used += amount;
    return { allowed, remaining: Math.max(0, this.quota - w.used), resetSeconds };
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < WINDOW_SECONDS * 1000) return;
    this.sweptAt = now;
    for (const [k, w] of this.windows) if (now - w.start >= WINDOW_SECONDS * 1000) this.windows.delete(k);
  }
}

function policyHeaders(res: Response, name: string, quota: number, take: Take): void {
  res.setHeader('RateLimit-Policy', `"${name}";q=${quota};w=${WINDOW_SECONDS}`);
  res.setHeader('RateLimit', `"${name}";r=${take.remaining};t=${take.resetSeconds}`);
}

export function tooMany(req: Request, res: Response, take: Take, message: string): void {
  res.setHeader('Retry-After', String(take.resetSeconds));
  res.status(429).json({
    error: 'too_many_requests',
    message,
    details: { retryAfterSeconds: take.resetSeconds },
    requestId: (req as Request & { id?: string }).id,
  });
}

/** The credential a request presents (API key or session cookie), hashed: the key's bucket. */
export function credentialOf(req: Request): string | undefined {
  const auth = req.headers.authorization;
  let raw: string | undefined;
  if (auth && /^Bearer\s+/i.test(auth)) raw = auth.replace(/^Bearer\s+/i, '').trim();
  else if (typeof req.headers['api-key'] === 'string') raw = req.headers['api-key'].trim();
  else {
    const m = /(?:^|;\s*)harakah_session=([^;]+)/.exec(req.headers.cookie ?? '');
    raw = m?.[1];
  }
  return raw ? createHash('sha256').update(raw).digest('base64url').slice(0, 22) : undefined;
}

export interface RateLimitOptions {
  perKey: number;
  perAddress: number;
}

const UNLIMITED = (path: string) => path === '/health' || path.startsWith('/health/');

/** Requests per minute per credential and per client address; /health is never limited. */
export function rateLimit(opts: RateLimitOptions, now: () => number = Date.now) {
  const byKey = opts.perKey > 0 ? new WindowCounter(opts.perKey, now) : undefined;
  const byAddress = opts.perAddress > 0 ? new WindowCounter(opts.perAddress, now) : undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (UNLIMITED(req.path)) return next();
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (byAddress) {
      const take = byAddress.take(address);
      if (!take.allowed) {
        policyHeaders(res, 'address', byAddress.quota, take);
        return tooMany(req, res, take, `more than ${byAddress.quota} requests a minute from this address`);
      }
      if (!byKey) policyHeaders(res, 'address', byAddress.quota, take);
    }
    const credential = byKey ? credentialOf(req) : undefined;
    if (byKey && credential) {
      const take = byKey.take(credential);
      policyHeaders(res, 'key', byKey.quota, take);
      if (!take.allowed) {
        return tooMany(req, res, take, `more than ${byKey.quota} requests a minute with this API key`);
      }
    }
    next();
  };
}
