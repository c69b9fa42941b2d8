import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { RateLimiter, retryAfterMs, SourceHttpClient, SourceUnavailableError } from './source-http';

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

describe('SourceHttpClient', () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  let seen: { url: string; at: number; headers: IncomingMessage['headers'] }[];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', at: Date.now(), headers: req.headers });
      handler(req, res, seen.length);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/2.0`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen = [];
  });

  const client = (over: Partial<ConstructorParameters<typeof SourceHttpClient>[0]> = {}) =>
    new SourceHttpClient({
      baseUrl: base,
      headers: { 'API-KEY': 'k1' },
      limiter: new RateLimiter(0),
      maxAttempts: 4,
      timeoutMs: 300,
      backoffMs: 5,
      ...over,
    });

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  it('sends the adapter headers and the query, and answers status, body and text', async () => {
    handler = (_req, res) => json(res, 200, { customers: [{ id: 1, total: 1.1 }] });
    const r = await client().get('customers', { page: 1, 'q[updated_at_gteq]': '2026-01-01T00:00:00Z' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ customers: [{ id: 1, total: 1.1 }] });
    expect(r.text).toContain('"id":1');
    expect(seen[0]!.headers['api-key']).toBe('k1');
    expect(seen[0]!.url).toBe('/2.0/customers?page=1&q%5Bupdated_at_gteq%5D=2026-01-01T00%3A00%3A00Z');
  });

  it('retries 5xx with backoff and succeeds', async () => {
    handler = (_req, res, n) => (n < 3 ? json(res, 503, { error: 'busy' }) : json(res, 200, { ok: true }));
    const r = await client().get('x');
    expect(r.body).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it('waits for Retry-After on 429', async () => {
    handler = (_req, res, n) => (n === 1 ? json(res, 429, {}, { 'retry-after': '1' }) : json(res, 200, {}));
    await client().get('x');
    expect(seen).toHaveLength(2);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('retries a request that hangs past the timeout', async () => {
    handler = (_req, res, n) => {
      if (n === 1) return; // never answers
      json(res, 200, { ok: 1 });
    };
    const r = await client().get('x');
    expect(r.body).toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
  });

  it('gives up after maxAttempts with SourceUnavailableError', async () => {
    handler = (_req, res) => json(res, 500, {});
    await expect(client({ maxAttempts: 3 }).get('x')).rejects.toBeInstanceOf(SourceUnavailableError);
    expect(seen).toHaveLength(3);
  });

  it('hands 401 and 404 back to the adapter without retrying', async () => {
    handler = (req, res) => json(res, req.url!.includes('a') ? 401 : 404, { message: 'no' });
    expect((await client().get('a')).status).toBe(401);
    expect((await client().get('b')).status).toBe(404);
    expect(seen).toHaveLength(2);
  });

  it('connection refused is retried, then reported', async () => {
    const c = client({ baseUrl: 'http://127.0.0.1:1', maxAttempts: 2 });
    await expect(c.get('x')).rejects.toThrow(/after 2 attempts/);
  });

  it('takes a turn of the rate limiter before every request, retries included', async () => {
    let calls = 0;
    handler = (_req, res) => (++calls === 2 ? json(res, 500, {}) : json(res, 200, {}));
    const limiter = new RateLimiter(0);
    const take = jest.spyOn(limiter, 'take');
    const c = client({ limiter });
    for (let i = 0; i < 3; i++) await c.get('x');
    expect(seen).toHaveLength(4);
    expect(take).toHaveBeenCalledTimes(4);
  });
});

describe('RateLimiter', () => {
  /** a clock that only moves when the limiter sleeps */
  function fakeClock() {
    const clock = {
      t: 1_000_000,
      sleeps: [] as number[],
      now: () => clock.t,
      sleep: async (ms: number) => {
        clock.sleeps.push(ms);
        clock.t += ms;
      },
    };
    return clock;
  }

  it('spaces turns by 1/rate seconds: 4 a second → one every 250 ms', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(4, clock);
    const at: number[] = [];
    for (let i = 0; i < 5; i++) {
      await limiter.take();
      at.push(clock.t);
    }
    expect(at.map((t) => t - at[0]!)).toEqual([0, 250, 500, 750, 1000]);
  });

  it('lets a turn go at once after an idle pause, and 0 means no limit', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    await limiter.take();
    clock.t += 5_000;
    await limiter.take();
    expect(clock.sleeps).toEqual([]);
    const none = new RateLimiter(0, clock);
    for (let i = 0; i < 100; i++) await none.take();
    expect(clock.sleeps).toEqual([]);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, bounded', () => {
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Mon, 07 Dec 2026 10:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Mon, 07 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('99999', now)).toBe(120_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
