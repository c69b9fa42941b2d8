import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * X-Harakah-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>.
 * The timestamp is inside the signed text, so a receiver can refuse old replays (say older than
 * five minutes) and a captured signature cannot be moved to another body or time.
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string | Buffer): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, unixSeconds, body)}`;
}

function hmacHex(secret: string, unixSeconds: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.`).update(body).digest('hex');
}

/** What a receiver does (and what the tests do): parse, recompute, compare in constant time. */
export function verifySignature(
  secret: string,
  header: string,
  body: string | Buffer,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, t, body), 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
