import {
  ListOptions,
  MapContext,
  MappedSourceRecord,
  SourceAuthError,
  SourceClient,
  SourceFormatError,
  SourcePage,
  StreamAdapter,
  StreamName,
  DeletionRule,
} from '../adapter';
import { ExactJsonError, parseExactJson } from '../exact-json';
import {
  dec,
  isoToModified,
  mapBin,
  mapCustomer,
  mapItem,
  mapPaymentEntry,
  mapSalesInvoice,
  obj,
} from './mapping';

/**
 * Listing ERPNext's DocTypes through Frappe's REST API:
 *   GET /api/resource/<DocType>?fields=[…]&filters=[[…]]&order_by=modified asc, name asc
 *       &limit_start=<n>&limit_page_length=<page>
 * (query values JSON-encoded), page after page until a page comes back shorter than asked for; the
 * page token is the next limit_start. Incremental: filters add ["modified", ">=", <cursor>].
 * A list answers only the fields asked for and never child tables, so documents with lines (Sales
 * Invoice with its items and taxes, Payment Entry with its references) are read one by one with
 * the documented per-document GET /api/resource/<DocType>/<name>, at most DETAIL_CONCURRENCY at a
 * time (the engine's client rate-limits them with everything else): a page of 100 invoices costs
 * 101 requests. Drafts are not fetched in full: their list row is enough to skip them.
 */
export const PAGE_SIZE = 100;
const DETAIL_CONCURRENCY = 4;

export function resourcePath(doctype: string, name?: string): string {
  const base = `/api/resource/${encodeURIComponent(doctype)}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

/** GET and read JSON exactly; 401/403 → SourceAuthError, 404 → null, other errors → SourceFormatError. */
export async function getJson(
  client: SourceClient,
  path: string,
  query?: Record<string, string | number | string[]>,
): Promise<unknown> {
  const res = await client.get(path, query);
  if (res.status === 401) {
    throw new SourceAuthError(
      'ERPNext refused the API key and secret (HTTP 401); check them in User → Settings → API Access',
    );
  }
  if (res.status === 403) {
    // Frappe's PermissionError: the key is valid but its user may not read this DocType
    const doctype = /^\/api\/resource\/([^/]+)/.exec(path)?.[1];
    throw new SourceAuthError(
      doctype
        ? `ERPNext's API user may not read ${decodeURIComponent(doctype)} (HTTP 403); give its role read permission`
        : `ERPNext refused the request (HTTP 403); check the API user's roles`,
    );
  }
  if (res.status === 404) return null;
  if (res.status < 200 || res.status >= 300) {
    throw new SourceFormatError(`ERPNext answered HTTP ${res.status} for ${path}`);
  }
  try {
    return parseExactJson(res.text);
  } catch (err) {
    if (err instanceof ExactJsonError) {
      throw new SourceFormatError(
        `ERPNext answered ${path} with something that is not JSON (${err.message})`,
      );
    }
    throw err;
  }
}

function dataOf(body: unknown, path: string): unknown {
  if (body === null) return null;
  const o = obj(body, `answer to ${path}`);
  if (!('data' in o)) throw new SourceFormatError(`ERPNext's answer to ${path} has no "data"`);
  return o.data;
}

interface DocTypeStream {
  name: StreamName;
  doctype: string;
  deletion: DeletionRule;
  fields: string[];
  filters: unknown[][];
  /** whether a listed row needs the per-document GET (child tables) */
  detail?: (row: Record<string, unknown>) => boolean;
  map(raw: unknown, ctx: MapContext): MappedSourceRecord;
}

async function pool<T, R>(items: T[], size: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return out;
}

function streamAdapter(s: DocTypeStream, pageSize: number): StreamAdapter {
  const fetchOne = async (client: SourceClient, sourceId: string): Promise<unknown> => {
    // "." and ".." (even percent-encoded) are dot segments to a URL parser: they would name another path
    if (sourceId === '' || sourceId === '.' || sourceId === '..') return null;
    const path = resourcePath(s.doctype, sourceId);
    return dataOf(await getJson(client, path), path);
  };
  return {
    name: s.name,
    deletion: s.deletion,
    incremental: true,
    fetchOne,
    map: s.map,
    async list(client: SourceClient, options: ListOptions): Promise<SourcePage> {
      const start = options.page === undefined ? 0 : Number(options.page);
      if (!Number.isInteger(start) || start < 0)
        throw new SourceFormatError(`bad page token ${options.page}`);
      const filters = [...s.filters];
      if (options.updatedSince !== undefined)
        filters.push(['modified', '>=', isoToModified(options.updatedSince)]);
      const path = resourcePath(s.doctype);
      const data = dataOf(
        await getJson(client, path, {
          fields: JSON.stringify(s.fields),
          filters: JSON.stringify(filters),
          order_by: 'modified asc, name asc',
          limit_start: start,
          limit_page_length: pageSize,
        }),
        path,
      );
      if (!Array.isArray(data)) throw new SourceFormatError(`ERPNext's list of ${s.doctype} is not an array`);
      const detail = s.detail;
      const records = detail
        ? await pool(data, DETAIL_CONCURRENCY, async (row) => {
            const r = obj(row, s.doctype);
            if (!detail(r)) return r;
            const full = await fetchOne(client, String(r.name));
            // deleted between the list and the GET: the row stands in (a full sync will not see it again)
            return full ?? r;
          })
        : data;
      return { records, next: data.length < pageSize ? null : String(start + data.length) };
    },
  };
}

const docstatus = (row: Record<string, unknown>) => dec(row.docstatus)?.toNumber() ?? 0;

export function erpnextStreams(pageSize = PAGE_SIZE): StreamAdapter[] {
  const invoiceFields = ['name', 'docstatus', 'is_return', 'modified'];
  const defs: DocTypeStream[] = [
    {
      name: 'customers',
      doctype: 'Customer',
      deletion: 'keep',
      fields: [
        'name',
        'customer_name',
        'email_id',
        'mobile_no',
        'tax_id',
        'disabled',
        'creation',
        'modified',
      ],
      filters: [],
      map: mapCustomer,
    },
    {
      name: 'products',
      doctype: 'Item',
      deletion: 'keep',
      fields: [
        'name',
        'item_code',
        'item_name',
        'item_group',
        'valuation_rate',
        'is_stock_item',
        'disabled',
        'modified',
      ],
      filters: [],
      map: mapItem,
    },
    {
      name: 'invoices',
      doctype: 'Sales Invoice',
      deletion: 'void',
      fields: invoiceFields,
      filters: [['is_return', '=', 0]],
      detail: (row) => docstatus(row) !== 0,
      map: mapSalesInvoice,
    },
    {
      name: 'credit-notes',
      doctype: 'Sales Invoice',
      deletion: 'void',
      fields: invoiceFields,
      filters: [['is_return', '=', 1]],
      detail: (row) => docstatus(row) !== 0,
      map: mapSalesInvoice,
    },
    {
      // cancelled entries are not listed, so a full sync finds them gone and removes the payment
      name: 'payments',
      doctype: 'Payment Entry',
      deletion: 'remove',
      fields: ['name', 'docstatus', 'payment_type', 'party_type', 'modified'],
      filters: [
        ['payment_type', '=', 'Receive'],
        ['party_type', '=', 'Customer'],
        ['docstatus', '=', 1],
      ],
      detail: () => true,
      map: mapPaymentEntry,
    },
    {
      name: 'inventory',
      doctype: 'Bin',
      deletion: 'keep',
      fields: ['name', 'item_code', 'warehouse', 'actual_qty', 'ordered_qty', 'valuation_rate', 'modified'],
      filters: [],
      map: mapBin,
    },
  ];
  return defs.map((d) => streamAdapter(d, pageSize));
}
