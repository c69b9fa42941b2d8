import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import type { ConnectorAdapter, SourceClient, SourceResponse } from '../../src/connectors/adapter';

/**
 * A fake ERPNext (Frappe REST API) on 127.0.0.1, written from Frappe's documented behaviour:
 * - token authentication: `Authorization: token <api_key>:<api_secret>`; a wrong token → 401
 *   (AuthenticationError), no Authorization header → 403 (PermissionError, the Guest user);
 * - GET /api/method/frappe.auth.get_logged_user → {"message": "<user>"};
 * - GET /api/resource/<DocType>?fields=[…]&filters=[…]&order_by=…&limit_start=&limit_page_length=
 *   (JSON-encoded values; filters as [[field, op, value]] or [[doctype, field, op, value]] or
 *   {field: value}; ops = != < > <= >= in "not in"; limit_page_length defaults to 20, 0 means all;
 *   only the asked fields, default ["name"]; never child tables) → {"data": [...]};
 * - GET /api/resource/<DocType>/<name> → {"data": {...}} with child tables; unknown → 404
 *   DoesNotExistError;
 * - numbers are written from their text (num("1234.565")), so amounts with many decimals reach the
 *   client exactly as an ERPNext server sends them;
 * - every change sets `modified` from the fake's clock (a minute and a microsecond per change);
 * - faults: the next N requests answer 429 with Retry-After, 500, or never answer (hang);
 * - a request log.
 */
export class Num {
  constructor(readonly text: string) {}
}
export const num = (v: string | number) => new Num(String(v));

export type Doc = Record<string, unknown>;
export type Fault = { kind: '429'; retryAfter: number } | { kind: '500' } | { kind: 'hang' };

export interface LoggedRequest {
  path: string;
  query: Record<string, string>;
  status: number;
}

function serialize(v: unknown): string {
  if (v instanceof Num) return v.text;
  if (Array.isArray(v)) return `[${v.map(serialize).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${serialize(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

function plain(v: unknown): unknown {
  return v instanceof Num ? Number(v.text) : v;
}

function compare(a: unknown, b: unknown): number {
  const x = plain(a);
  const y = plain(b);
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = typeof x === 'string' ? x : JSON.stringify(x ?? '');
  const sy = typeof y === 'string' ? y : JSON.stringify(y ?? '');
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

function matches(doc: Doc, field: string, op: string, value: unknown): boolean {
  const v = doc[field];
  switch (op.toLowerCase()) {
    case '=':
      return compare(v, value) === 0;
    case '!=':
      return compare(v, value) !== 0;
    case '>':
      return compare(v, value) > 0;
    case '<':
      return compare(v, value) < 0;
    case '>=':
      return compare(v, value) >= 0;
    case '<=':
      return compare(v, value) <= 0;
    case 'in':
      return Array.isArray(value) && value.some((x) => compare(v, x) === 0);
    case 'not in':
      return Array.isArray(value) && !value.some((x) => compare(v, x) === 0);
    default:
      throw new Error(`operator ${op} not supported`);
  }
}

export class FakeErpnext {
  readonly apiKey = 'a1b2c3d4e5f6g7h';
  readonly apiSecret = 'z9y8x7w6v5u4t3s';
  readonly user = 'sync@example.com';
  readonly requests: LoggedRequest[] = [];
  private readonly docs = new Map<string, Map<string, Doc>>();
  private readonly faults: Fault[] = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private clock = Date.parse('2026-03-01T09:00:00Z') * 1000;
  private server: http.Server | undefined;
  url = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next requests fail, in order. */
  inject(...faults: Fault[]): void {
    this.faults.push(...faults);
  }

  /** Moves the fake's clock on (changes made after it are that much later than the ones before). */
  advance(ms: number): void {
    this.clock += ms * 1000;
  }

  /** "2026-03-01 09:01:00.000001", one tick (1 min + 1 µs) after the previous change. */
  private tick(): string {
    this.clock += 60_000_001;
    const ms = Math.floor(this.clock / 1000);
    const micros = String(this.clock % 1_000_000).padStart(6, '0');
    return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + '.' + micros;
  }

  /** Inserts or replaces a document (child tables included); sets modified (and creation when new). */
  put(doctype: string, doc: Doc): Doc {
    const table = this.docs.get(doctype) ?? new Map<string, Doc>();
    this.docs.set(doctype, table);
    const name = String(doc.name);
    const old = table.get(name);
    const modified = this.tick();
    const full: Doc = {
      docstatus: 0,
      ...doc,
      name,
      doctype,
      creation: old?.creation ?? doc.creation ?? modified,
      modified,
    };
    for (const [key, value] of Object.entries(full)) {
      if (Array.isArray(value)) {
        full[key] = value.map((row: Doc, k) => ({
          name: `${name}-${key}-${k + 1}`,
          idx: k + 1,
          parent: name,
          parenttype: doctype,
          parentfield: key,
          docstatus: full.docstatus,
          ...row,
        }));
      }
    }
    table.set(name, full);
    return full;
  }

  get(doctype: string, name: string): Doc | undefined {
    return this.docs.get(doctype)?.get(name);
  }

  /** Changes some fields (a new modified). */
  update(doctype: string, name: string, changes: Doc): Doc {
    const doc = this.get(doctype, name);
    if (!doc) throw new Error(`${doctype} ${name} does not exist`);
    return this.put(doctype, { ...doc, ...changes });
  }

  submit(doctype: string, name: string): Doc {
    return this.update(doctype, name, { docstatus: 1 });
  }

  cancel(doctype: string, name: string): Doc {
    return this.update(doctype, name, { docstatus: 2 });
  }

  delete(doctype: string, name: string): void {
    this.docs.get(doctype)?.delete(name);
  }

  count(doctype: string): number {
    return this.docs.get(doctype)?.size ?? 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ path: decodeURIComponent(url.pathname), query, status });
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(serialize(body));
    };
    const fault = this.faults.shift();
    if (fault?.kind === 'hang') {
      this.requests.push({ path: decodeURIComponent(url.pathname), query, status: 0 });
      this.hanging.add(res);
      return;
    }
    if (fault?.kind === '429') {
      return send(429, { exc_type: 'TooManyRequestsError' }, { 'Retry-After': String(fault.retryAfter) });
    }
    if (fault?.kind === '500') return send(500, { exc_type: 'InternalServerError', exception: 'boom' });
    if (req.method !== 'GET') return send(405, { exc_type: 'MethodNotAllowed' });
    const auth = req.headers.authorization;
    if (auth === undefined)
      return send(403, { exc_type: 'PermissionError', _server_messages: '["Not permitted"]' });
    if (auth !== `token ${this.apiKey}:${this.apiSecret}`) {
      return send(401, {
        exc_type: 'AuthenticationError',
        exception: 'frappe.exceptions.AuthenticationError',
      });
    }
    if (url.pathname === '/api/method/frappe.auth.get_logged_user') return send(200, { message: this.user });
    const m = /^\/api\/resource\/([^/]+)(?:\/(.+))?$/.exec(url.pathname);
    if (!m) return send(404, { exc_type: 'DoesNotExistError' });
    const doctype = decodeURIComponent(m[1]!);
    const table = this.docs.get(doctype) ?? new Map<string, Doc>();
    if (m[2] !== undefined) {
      const doc = table.get(decodeURIComponent(m[2]));
      if (!doc) return send(404, { exc_type: 'DoesNotExistError', exception: `${doctype} not found` });
      return send(200, { data: doc });
    }
    try {
      send(200, { data: this.list(table, doctype, url.searchParams) });
    } catch (err) {
      send(417, { exc_type: 'ValidationError', exception: (err as Error).message });
    }
  }

  private list(table: Map<string, Doc>, doctype: string, q: URLSearchParams): Doc[] {
    const fields = JSON.parse(q.get('fields') ?? '["name"]') as string[];
    const raw = JSON.parse(q.get('filters') ?? '[]') as unknown;
    const filters: [string, string, unknown][] = Array.isArray(raw)
      ? raw.map(
          (f: unknown[]) =>
            (f.length === 4 ? [f[1], f[2], f[3]] : [f[0], f[1], f[2]]) as [string, string, unknown],
        )
      : Object.entries(raw as Doc).map(([k, v]) => [k, '=', v]);
    let rows = [...table.values()].filter((d) => filters.every(([f, op, v]) => matches(d, f, op, v)));
    const order = (q.get('order_by') ?? 'modified desc').split(',').map((part) => {
      const [field = 'modified', dir = 'asc'] = part.trim().split(/\s+/);
      return { field: field.replace(/`/g, '').replace(/^tab.+\./, ''), desc: dir.toLowerCase() === 'desc' };
    });
    rows = rows.sort((a, b) => {
      for (const o of order) {
        const c = compare(a[o.field], b[o.field]);
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
    const start = Number(q.get('limit_start') ?? 0);
    const length = Number(q.get('limit_page_length') ?? 20);
    rows = rows.slice(start, length === 0 ? undefined : start + length);
    for (const f of fields)
      if (f.includes('.')) throw new Error(`child field ${f} of ${doctype} not supported`);
    return rows.map((d) =>
      Object.fromEntries(
        fields.includes('*')
          ? Object.entries(d).filter(([, v]) => !Array.isArray(v))
          : fields.map((f) => [f, d[f] ?? null]),
      ),
    );
  }
}

/** Sales Invoice items and a 15 % VAT row, with amounts as ERPNext computes and rounds them. */
export function vatTaxes(taxAmount: string): Doc[] {
  return [
    {
      charge_type: 'On Net Total',
      account_head: 'VAT 15% - HC',
      description: 'VAT 15%',
      rate: num('15.0'),
      tax_amount: num(taxAmount),
      tax_amount_after_discount_amount: num(taxAmount),
      included_in_print_rate: 0,
      add_deduct_tax: 'Add',
    },
  ];
}

/**
 * A small set of books: two customers, a stock item and a service, two submitted invoices (one with
 * a 10 % item discount, one of 1234.565 that must stay exact), a draft, a return, a receipt from a
 * customer, a payment to a supplier, and one Bin.
 */
export function seedSmallBooks(fake: FakeErpnext): void {
  fake.put('Customer', {
    name: 'CUST-A',
    customer_name: 'Nakheel Trading',
    email_id: 'ap@nakheel.example',
    mobile_no: '+966500000001',
    tax_id: '300000000000003',
    disabled: 0,
  });
  fake.put('Customer', { name: 'CUST-B', customer_name: 'شركة الواحة', disabled: 0 });
  fake.put('Item', {
    name: 'ITEM-A',
    item_code: 'ITEM-A',
    item_name: 'Dates 1kg',
    item_group: 'Food',
    valuation_rate: num('61.123456'),
    is_stock_item: 1,
  });
  fake.put('Item', {
    name: 'SRV',
    item_code: 'SRV',
    item_name: 'Delivery service',
    item_group: 'Services',
    valuation_rate: num('0.0'),
    is_stock_item: 0,
  });
  fake.put('Sales Invoice', {
    name: 'SINV-0001',
    docstatus: 1,
    is_return: 0,
    customer: 'CUST-A',
    posting_date: '2026-03-10',
    due_date: '2026-04-09',
    currency: 'SAR',
    conversion_rate: num('1.0'),
    items: [
      {
        item_code: 'ITEM-A',
        item_name: 'Dates 1kg',
        qty: num('2.0'),
        price_list_rate: num('100.0'),
        discount_percentage: num('10.0'),
        discount_amount: num('10.0'),
        rate: num('90.0'),
        amount: num('180.0'),
        net_rate: num('90.0'),
        net_amount: num('180.0'),
      },
    ],
    taxes: vatTaxes('27.0'),
    net_total: num('180.0'),
    grand_total: num('207.0'),
    rounded_total: num('207.0'),
    outstanding_amount: num('107.0'),
  });
  fake.put('Sales Invoice', {
    name: 'SINV-0002',
    docstatus: 1,
    is_return: 0,
    customer: 'CUST-B',
    posting_date: '2026-03-11',
    due_date: '2026-03-11',
    currency: 'SAR',
    conversion_rate: num('1.0'),
    items: [
      {
        item_code: 'SRV',
        item_name: 'Delivery service',
        qty: num('1.0'),
        price_list_rate: num('1234.565'),
        discount_percentage: num('0.0'),
        discount_amount: num('0.0'),
        rate: num('1234.565'),
        amount: num('1234.565'),
        net_rate: num('1234.565'),
        net_amount: num('1234.565'),
      },
    ],
    taxes: vatTaxes('185.18'),
    net_total: num('1234.565'),
    grand_total: num('1419.75'),
    rounded_total: num('1420.0'),
  });
  fake.put('Sales Invoice', {
    name: 'SINV-0003',
    docstatus: 0,
    is_return: 0,
    customer: 'CUST-B',
    posting_date: '2026-03-12',
    due_date: '2026-03-12',
    currency: 'SAR',
    items: [
      { item_code: 'SRV', qty: num('1.0'), rate: num('50.0'), amount: num('50.0'), net_amount: num('50.0') },
    ],
    taxes: [],
    grand_total: num('50.0'),
  });
  fake.put('Sales Invoice', {
    name: 'SINV-RET-0001',
    docstatus: 1,
    is_return: 1,
    return_against: 'SINV-0001',
    customer: 'CUST-A',
    posting_date: '2026-03-13',
    due_date: '2026-03-13',
    currency: 'SAR',
    conversion_rate: num('1.0'),
    items: [
      {
        item_code: 'ITEM-A',
        item_name: 'Dates 1kg',
        qty: num('-1.0'),
        price_list_rate: num('100.0'),
        discount_percentage: num('10.0'),
        discount_amount: num('10.0'),
        rate: num('90.0'),
        amount: num('-90.0'),
        net_rate: num('90.0'),
        net_amount: num('-90.0'),
      },
    ],
    taxes: vatTaxes('-13.5'),
    grand_total: num('-103.5'),
  });
  fake.put('Payment Entry', {
    name: 'ACC-PAY-0001',
    docstatus: 1,
    payment_type: 'Receive',
    party_type: 'Customer',
    party: 'CUST-A',
    posting_date: '2026-03-15',
    paid_amount: num('100.005'),
    received_amount: num('100.005'),
    paid_from_account_currency: 'SAR',
    mode_of_payment: 'Cash',
    references: [
      { reference_doctype: 'Sales Invoice', reference_name: 'SINV-0001', allocated_amount: num('100.005') },
    ],
  });
  fake.put('Payment Entry', {
    name: 'ACC-PAY-0002',
    docstatus: 1,
    payment_type: 'Pay',
    party_type: 'Supplier',
    party: 'SUP-1',
    posting_date: '2026-03-15',
    paid_amount: num('500.0'),
    received_amount: num('500.0'),
    paid_from_account_currency: 'SAR',
    references: [],
  });
  fake.put('Bin', {
    name: 'bin-0001',
    item_code: 'ITEM-A',
    warehouse: 'Stores - HC',
    actual_qty: num('12.5'),
    ordered_qty: num('40.0'),
    valuation_rate: num('61.123456'),
  });
}

/**
 * A minimal SourceClient over fetch, for driving an adapter by hand in tests: no retries, no rate
 * limit, no custom lookup (those belong to the engine's client, src/connectors/source-http.ts).
 */
export function fetchClient(adapter: ConnectorAdapter): SourceClient {
  return {
    async get(path, query = {}): Promise<SourceResponse> {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) {
        for (const x of Array.isArray(v) ? v : [v]) params.append(k, String(x));
      }
      const qs = params.toString();
      const res = await fetch(`${adapter.baseUrl}${path}${qs ? `?${qs}` : ''}`, { headers: adapter.headers });
      const text = await res.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, headers: Object.fromEntries(res.headers), body, text };
    },
  };
}
