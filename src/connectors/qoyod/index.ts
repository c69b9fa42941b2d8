import type {
  ConnectorAdapter,
  ConnectorFactory,
  ListOptions,
  MapContext,
  MappedSourceRecord,
  SourceClient,
  SourcePage,
  SourceResponse,
  StreamAdapter,
  StreamName,
} from '../adapter';
import { SourceAuthError, SourceFormatError } from '../adapter';
import { parseExactJson } from '../exact-json';
import { mapCreditNote, mapCustomer, mapInvoice, mapProduct, mapReceipt } from './qoyod.mapping';

/**
 * The Qoyod adapter (../shared/connectors/qoyod.md): `API-KEY` header; lists paged with
 * page/per_page=100 from page 1, sorted by id; a 404 ("… found nothing") is an empty page; the
 * envelope is keyed by the resource (or `data`); one record by id under a singular key.
 * Stock comes with each product (`inventories[]`), so there is no separate inventory stream: an
 * incremental sync refreshes the stock of the products it sees, the nightly full sync all of it.
 */
export const PER_PAGE = 100;

interface Resource {
  stream: StreamName;
  path: string;
  /** the envelope key of a list */
  plural: string;
  /** keys a single record may come under */
  singular: string[];
  deletion: 'void' | 'remove' | 'keep';
  map(raw: unknown, ctx: MapContext): MappedSourceRecord;
}

const RESOURCES: Resource[] = [
  {
    stream: 'customers',
    path: 'customers',
    plural: 'customers',
    singular: ['contact', 'customer'],
    deletion: 'keep',
    map: (raw) => mapCustomer(raw),
  },
  {
    stream: 'products',
    path: 'products',
    plural: 'products',
    singular: ['product'],
    deletion: 'keep',
    map: mapProduct,
  },
  {
    stream: 'invoices',
    path: 'invoices',
    plural: 'invoices',
    singular: ['invoice'],
    deletion: 'void',
    map: (raw) => mapInvoice(raw),
  },
  {
    stream: 'credit-notes',
    path: 'credit_notes',
    plural: 'credit_notes',
    singular: ['credit_note'],
    deletion: 'void',
    map: (raw) => mapCreditNote(raw),
  },
  {
    stream: 'payments',
    path: 'receipts',
    plural: 'receipts',
    singular: ['receipt'],
    deletion: 'remove',
    map: (raw) => mapReceipt(raw),
  },
];

function read(res: SourceResponse, what: string): Record<string, unknown> {
  if (res.status === 401) throw new SourceAuthError('Qoyod refused the API key (401)');
  if (res.status < 200 || res.status >= 300) {
    throw new SourceFormatError(`Qoyod answered ${res.status} to ${what}`);
  }
  let body: unknown;
  try {
    body = parseExactJson(res.text, 'text');
  } catch {
    throw new SourceFormatError(`Qoyod answered ${what} with something that is not JSON`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SourceFormatError(`Qoyod answered ${what} with something that is not a JSON object`);
  }
  return body as Record<string, unknown>;
}

/** page token: "<page>" or "<page>:<first id of the previous page>" (an unpaged list repeats page 1: stop) */
function parseToken(token: string | undefined): { page: number; previousFirst: string | null } {
  if (token === undefined) return { page: 1, previousFirst: null };
  const [page, ...rest] = token.split(':');
  return { page: Math.max(1, Number(page) || 1), previousFirst: rest.length ? rest.join(':') : null };
}

function firstId(records: unknown[]): string {
  const r = records[0] as { id?: unknown } | undefined;
  return r && (typeof r.id === 'string' || typeof r.id === 'number') ? String(r.id) : '';
}

export async function listPage(
  client: SourceClient,
  resource: { path: string; plural: string },
  options: ListOptions,
): Promise<SourcePage> {
  const { page, previousFirst } = parseToken(options.page);
  const query: Record<string, string | number> = { page, per_page: PER_PAGE, 'q[s]': 'id asc' };
  if (options.updatedSince) query['q[updated_at_gteq]'] = options.updatedSince;
  const res = await client.get(resource.path, query);
  if (res.status === 404) return { records: [], next: null };
  const body = read(res, `GET /${resource.path}`);
  const rows = body[resource.plural] ?? body.data;
  if (!Array.isArray(rows)) {
    throw new SourceFormatError(`Qoyod's /${resource.path} answer has no "${resource.plural}" list`);
  }
  const first = firstId(rows);
  if (previousFirst !== null && rows.length > 0 && first === previousFirst) {
    return { records: [], next: null }; // the list ignores paging: page 2 is page 1 again
  }
  const next = rows.length < PER_PAGE ? null : `${page + 1}:${first}`;
  return { records: rows, next };
}

function stream(r: Resource): StreamAdapter {
  return {
    name: r.stream,
    deletion: r.deletion,
    incremental: true,
    list: (client, options) => listPage(client, r, options),
    async fetchOne(client, sourceId) {
      const res = await client.get(`${r.path}/${encodeURIComponent(sourceId)}`);
      if (res.status === 404) return null;
      const body = read(res, `GET /${r.path}/${sourceId}`);
      for (const key of [...r.singular, 'data']) {
        const v = body[key];
        if (v && typeof v === 'object' && !Array.isArray(v)) return v;
      }
      throw new SourceFormatError(`Qoyod's /${r.path}/${sourceId} answer has no ${r.singular[0]}`);
    },
    map: r.map,
  };
}

export const qoyodFactory: ConnectorFactory = {
  kind: 'qoyod',
  systemName: 'Qoyod',
  secretFields: ['apiKey'],
  validateCredentials(input) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return [{ field: 'credentials', message: 'must be an object {apiKey}' }];
    }
    const o = input as Record<string, unknown>;
    const errors: { field: string; message: string }[] = [];
    for (const k of Object.keys(o)) {
      if (k !== 'apiKey') errors.push({ field: `credentials.${k}`, message: 'is not a Qoyod credential' });
    }
    const key = o.apiKey;
    if (typeof key !== 'string' || key.trim() === '') {
      errors.push({
        field: 'credentials.apiKey',
        message: 'is required (Qoyod: Settings → General Settings → API key)',
      });
    } else if (key.length > 500 || !/^[\x21-\x7e]+$/.test(key)) {
      errors.push({
        field: 'credentials.apiKey',
        message: 'must be at most 500 printable characters without spaces',
      });
    }
    return errors;
  },
  create(credentials, config): Promise<ConnectorAdapter> {
    return Promise.resolve({
      kind: 'qoyod',
      systemName: 'Qoyod',
      baseUrl: config.qoyodApiUrl,
      headers: { 'API-KEY': credentials.apiKey ?? '' },
      async checkCredentials(client) {
        // one cheap call: the warehouses list is short and unpaged
        const res = await client.get('inventories');
        if (res.status === 404) return;
        read(res, 'GET /inventories');
      },
      streams: RESOURCES.map(stream),
    });
  },
};
