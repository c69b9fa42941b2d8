import type { Request, Response } from 'express';

/** The session cookie's name; rate-limit.ts reads the same name to give a session its own bucket. */
export const SESSION_COOKIE = 'harakah_session';

/** The session token the request's Cookie header carries, if any (the first one when repeated). */
export function sessionToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // our tokens are base64url; anything else cannot be one of ours
    return /^[A-Za-z0-9_-]{20,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site POSTs), Path=/, and Secure when
 * the request came over HTTPS (req.secure, which honours TRUST_PROXY's X-Forwarded-Proto). No
 * Max-Age: the browser forgets it when it closes; the server ends it on idle or absolute expiry.
 */
function attributes(req: Request): string {
  return `HttpOnly; SameSite=Lax; Path=/${req.secure ? '; Secure' : ''}`;
}

export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=${token}; ${attributes(req)}`);
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', `${SESSION_COOKIE}=; ${attributes(req)}; Max-Age=0`);
}
