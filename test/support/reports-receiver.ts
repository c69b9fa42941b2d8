import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** An answer: a status code, 'hang' (never answer), or a status sent after a delay. */
export type Step = number | 'hang' | { status: number; afterMs: number };

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A webhook receiver for the report tests: listens on 127.0.0.1 only, records every request, and
 * answers from a script (status codes in order, then 200; "hang" waits longer than any test timeout
 * allows the sender to). It de-duplicates by X-Harakah-Delivery the way a real receiver would:
 * `accepted` holds each delivery id that was answered 2xx, once.
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly accepted = new Map<string, Received>();
  private script: Step[] = [];
  private server: Server | undefined;
  private readonly hanging = new Set<() => void>();

  constructor(private readonly maxRequests = 200) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const step = this.received.length < this.maxRequests ? (this.script.shift() ?? 200) : 503;
        const status = step === 'hang' ? 0 : typeof step === 'number' ? step : step.status;
        const got: Received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status };
        this.received.push(got);
        if (step === 'hang') {
          const release = () => res.destroy();
          this.hanging.add(release);
          return;
        }
        const respond = () => {
          const id = String(req.headers['x-harakah-delivery'] ?? '');
          if (status >= 200 && status < 300 && !this.accepted.has(id)) this.accepted.set(id, got);
          if (!res.destroyed)
            res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
        };
        if (typeof step === 'number') respond();
        else setTimeout(respond, step.afterMs);
      });
    });
    this.server.keepAliveTimeout = 100;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/harakah`;
  }

  /** The next answers, in order; after them, 200. */
  answer(...steps: Step[]): void {
    this.script.push(...steps);
  }

  async stop(): Promise<void> {
    for (const release of this.hanging) release();
    this.hanging.clear();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
