import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A fake Qoyod API 2.0 written from ../shared/connectors/qoyod.md, on 127.0.0.1 and a random port:
 * `API-KEY` (401 otherwise), lists paged by page/per_page (capped at 100), 404 "<resource> found
 * nothing" past the end or for an empty filter, `/inventories` unpaged (every page is the whole list),
 * `q[updated_at_gteq]`, envelopes keyed by the resource, one record by id under a singular key,
 * amounts as decimal strings or JSON numbers (`num('1150.00')` is written as the number 1150.00).
 * Faults: the next N requests answer 429 with Retry-After, 500, or hang. Every request is logged.
 */
export const RESOURCES = [
  'customers',
  'products',
  'invoices',
  'credit_notes',
  'receipts',
  'inventories',
] as const;
export type FakeResource = (typeof RESOURCES)[number];
const SINGULAR: Record<FakeResource, string> = {
  customers: 'contact',
  products: 'product',
  invoices: 'invoice',
  credit_notes: 'credit_note',
  receipts: 'receipt',
  inventories: 'inventory',
};

/** A JSON number written exactly as given (trailing zeros kept). */
export class RawNumber {
  constructor(readonly text: string) {}
}
export const num = (text: string) => new RawNumber(text);

export type Fault = { kind: '429'; retryAfter: string } | { kind: '500' } | { kind: 'hang' };

export interface LoggedRequest {
  path: string;
  query: Record<string, string>;
  at: number;
  status: number;
}

type Raw = Record<string, unknown>;

export class FakeQoyod {
  apiKey = 'qoyod-test-key-0001';
  readonly data: Record<FakeResource, Map<string, Raw>> = {
    customers: new Map(),
    products: new Map(),
    invoices: new Map(),
    credit_notes: new Map(),
    receipts: new Map(),
    inventories: new Map(),
  };
  readonly log: LoggedRequest[] = [];
  private faults: { fault: Fault; match?: RegExp }[] = [];
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** the fake's clock for updated_at: moves a second per change */
  private clock = Date.parse('2026-11-30T06:00:00.000Z');
  url = '';
  /** how far the clock moves per change */
  stepMs = 1000;

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/2.0`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server?.close(r));
  }

  /** the instant the next change gets, as Qoyod writes it (+03:00) */
  private stamp(): string {
    this.clock += this.stepMs;
    const local = new Date(this.clock + 3 * 3_600_000).toISOString().replace('Z', '+03:00');
    return local;
  }

  /** moves the fake's clock (changes made after it are later by `ms`) */
  advance(ms: number): void {
    this.clock += ms;
  }

  /** the fake's current instant (ISO, UTC) */
  now(): string {
    return new Date(this.clock).toISOString();
  }

  put(resource: FakeResource, record: Raw): Raw {
    const r = { ...record, updated_at: record.updated_at ?? this.stamp() };
    this.data[resource].set(idText(record.id), r);
    return r;
  }

  update(resource: FakeResource, id: string | number, patch: Raw): void {
    const cur = this.data[resource].get(String(id));
    if (!cur) throw new Error(`no ${resource} ${id}`);
    this.data[resource].set(String(id), { ...cur, ...patch, updated_at: this.stamp() });
  }

  remove(resource: FakeResource, id: string | number): void {
    this.data[resource].delete(String(id));
  }

  /** the next `n` requests (matching `match`, when given) answer with `fault` */
  inject(fault: Fault, n = 1, match?: RegExp): void {
    for (let i = 0; i < n; i++) this.faults.push({ fault, match });
  }

  clearLog(): void {
    this.log.length = 0;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = Object.fromEntries(url.searchParams.entries());
    const entry: LoggedRequest = { path: url.pathname, query, at: Date.now(), status: 0 };
    this.log.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(render(body));
    };
    const k = this.faults.findIndex((f) => !f.match || f.match.test(url.pathname));
    if (k >= 0) {
      const [{ fault }] = this.faults.splice(k, 1) as [{ fault: Fault }];
      if (fault.kind === 'hang') {
        entry.status = -1;
        return; // never answers
      }
      if (fault.kind === '429')
        return send(429, { message: 'Too many requests' }, { 'retry-after': fault.retryAfter });
      return send(500, { message: 'Internal Server Error' });
    }
    if (req.headers['api-key'] !== this.apiKey) return send(401, { message: 'Unauthorized' });
    const m = /^\/2\.0\/([a-z_]+)(?:\/([^/]+))?$/.exec(url.pathname);
    const resource = m?.[1] as FakeResource | undefined;
    if (!m || !resource || !RESOURCES.includes(resource)) return send(404, { message: 'Not found' });
    const rows = [...this.data[resource].values()].sort(
      (a, b) => Number(idText(a.id)) - Number(idText(b.id)),
    );
    if (m[2] !== undefined) {
      const one = this.data[resource].get(decodeURIComponent(m[2]));
      return one
        ? send(200, { [SINGULAR[resource]]: one })
        : send(404, { message: `${resource} found nothing` });
    }
    let list = rows;
    const since = url.searchParams.get('q[updated_at_gteq]');
    if (since !== null) {
      const t = Date.parse(since);
      list = list.filter((r) => Date.parse(String(r.updated_at)) >= t);
    }
    if (resource !== 'inventories') {
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 20) || 20));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      list = list.slice((page - 1) * perPage, page * perPage);
    }
    if (list.length === 0) return send(404, { message: `${resource} found nothing` });
    send(200, { [resource]: list });
  }
}

function idText(v: unknown): string {
  return v instanceof RawNumber ? v.text : String(v);
}

/** JSON with RawNumber values written as bare numbers. */
function render(body: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(body, (_k, v: unknown) => {
    if (v instanceof RawNumber) {
      marks.push(v.text);
      return `\u0001${marks.length - 1}\u0001`;
    }
    return v;
  });
  return text.replace(/"\\u0001(\d+)\\u0001"/g, (_m, i: string) => marks[Number(i)]!);
}
