import { FRESHNESS_HEADERS } from '../analytics/snapshots/freshness';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/config';

/**
 * Express middleware that runs before routing, for every route: security headers, CORS, the
 * declared body size and the body's time limit. Each answers a client mistake in words and leaves
 * no request hanging.
 */

/** The web app and every API answer: nothing but our own origin, no inline script or style. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Swagger UI (/docs) boots from an inline script and styles itself inline; still same-origin only. */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; " +
  "form-action 'self'; frame-ancestors 'none'";

export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const docs = req.path === '/docs' || req.path.startsWith('/docs/');
    res.setHeader('Content-Security-Policy', docs ? DOCS_CONTENT_SECURITY_POLICY : CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    res.setHeader('X-DNS-Prefetch-Control', 'off');
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}

const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_HEADERS = 'Authorization, API-KEY, Content-Type, Idempotency-Key, X-Request-Id, X-CSRF-Token';
const CORS_EXPOSED = [
  'X-Request-Id, Retry-After, RateLimit, RateLimit-Policy, Location, Content-Disposition',
  ...Object.values(FRESHNESS_HEADERS),
].join(', ');

/**
 * CORS is off unless CORS_ORIGINS lists origins: then those origins (and only they) get the
 * Access-Control-* headers, and their preflights a 204. Anything else gets no CORS header, so the
 * browser refuses the cross-origin read.
 */
export function cors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (allowed.size === 0 || typeof origin !== 'string') return next();
    res.append('Vary', 'Origin');
    if (!allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      res.setHeader('Access-Control-Allow-Methods', CORS_METHODS);
      res.setHeader('Access-Control-Allow-Headers', CORS_HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}

export function isImportPath(path: string): boolean {
  return path.startsWith('/v1/import/');
}

/** Answers at once and closes the connection, without reading the rest of the body. */
function refuse(req: Request, res: Response, status: number, error: string, message: string): void {
  res.setHeader('Connection', 'close');
  res.status(status).json({ error, message, requestId: (req as Request & { id?: string }).id });
  res.on('finish', () => req.socket.destroySoon?.());
}

/**
 * A Content-Length over the route's limit is a 413 before a byte of the body is read (the import
 * routes take IMPORT_BODY_LIMIT, every other route JSON_BODY_LIMIT). A length that is not a number
 * is a 400 (Node refuses most at the parser already).
 */
export function declaredSizeGuard(config: Pick<AppConfig, 'importBodyLimit' | 'jsonBodyLimit'>) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers['content-length'];
    if (header === undefined) return next();
    if (!/^\d+$/.test(header)) {
      return refuse(req, res, 400, 'bad_request', 'Content-Length must be a whole number of bytes');
    }
    const limit = isImportPath(req.path) ? config.importBodyLimit : config.jsonBodyLimit;
    if (Number(header) > limit) {
      return refuse(
        req,
        res,
        413,
        'payload_too_large',
        `request body of ${header} bytes is larger than the limit of ${limit} bytes for this route`,
      );
    }
    next();
  };
}

/** Slowest upload we wait for on a large body: 256 KiB a second on top of the base time limit. */
const MIN_BYTES_PER_SECOND = 256 * 1024;

/**
 * A body that is declared or chunked must arrive in full within BODY_TIMEOUT_MS (plus a second per
 * 256 KiB declared, so a large import over a slow line still gets through): a client that stops
 * sending gets a 408 and its connection closed, instead of holding a worker until it gives up.
 */
export function bodyTimeout(baseMs: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const hasBody =
      (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') ||
      req.headers['transfer-encoding'] !== undefined;
    if (!hasBody || req.complete) return next();
    const declared = Number(req.headers['content-length'] ?? 0) || 0;
    const ms = baseMs + Math.ceil((declared / MIN_BYTES_PER_SECOND) * 1000);
    const timer = setTimeout(() => {
      if (req.complete || res.headersSent) return;
      refuse(req, res, 408, 'request_timeout', `the request body did not arrive within ${ms} ms`);
    }, ms);
    timer.unref();
    const clear = () => clearTimeout(timer);
    req.on('end', clear);
    req.on('close', clear);
    res.on('finish', clear);
    next();
  };
}
