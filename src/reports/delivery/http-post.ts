import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import { hostOf, WebhookPolicy } from './webhook-target';

export interface PostResult {
  statusCode: number;
}

/**
 * POSTs `body` to `url` within `timeoutMs` (connect + response), following no redirects. The host
 * is resolved here and every address is checked against the policy before connecting, and the
 * connection goes to the checked address: a host that resolves to a private address is refused
 * even if it resolved to a public one when the schedule was saved. The response body is drained
 * and ignored. Resolves with the status code; rejects on a refused target, network error or timeout.
 */
export function postWebhook(
  policy: WebhookPolicy,
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const url = new URL(rawUrl);
    const problem = policy.urlProblem(rawUrl);
    if (problem) return reject(new Error(problem));
    const host = hostOf(url);
    if (isIP(host) !== 0) {
      const literal = policy.addressProblem(host, host);
      if (literal) return reject(new Error(literal));
    }
    const lookup = (
      hostname: string,
      options: { all?: boolean; family?: number },
      cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
    ) => {
      dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (err, addresses) => {
        if (err) return cb(err, '', 4);
        const refused = addresses
          .map((a) => policy.addressProblem(hostname, a.address))
          .find((p) => p !== null);
        if (refused) return cb(Object.assign(new Error(refused), { code: 'EREFUSED' }), '', 4);
        if (options.all) return cb(null, addresses);
        const first = addresses[0]!;
        cb(null, first.address, first.family);
      });
    };
    const payload = Buffer.from(body, 'utf8');
    const client = url.protocol === 'https:' ? https : http;
    let settled = false;
    const done = (err: Error | null, result?: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(result!);
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(payload.length) },
        lookup: lookup as never,
        agent: false,
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => done(null, { statusCode: res.statusCode ?? 0 }));
        res.on('error', (err) => done(err));
        res.on('close', () => done(new Error('the connection closed before the response ended')));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no response within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (err) => done(err));
    req.end(payload);
  });
}
