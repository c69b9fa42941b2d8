/**
 * The contract between the shared sync engine (src/connectors/sync/**) and one accounting system's
 * adapter (src/connectors/qoyod/**, src/connectors/erpnext/**). An adapter knows only its system:
 * how to authenticate, how to list one stream page by page, how to fetch one record by id, and how a
 * source record maps onto our import records (src/ingestion/resources/*). Everything else —
 * retries, rate limits, cursors, batching through the import path, deletions, errors — is the
 * engine's, so a third system (Zoho Books, Odoo) is one small adapter.
 */
import type { ResourceName } from '../ingestion/resources/types';

/** Streams in the order a sync runs them: referenced records come before the records that refer to them. */
export const STREAMS = [
  'customers',
  'products',
  'invoices',
  'credit-notes',
  'payments',
  'inventory',
] as const;
export type StreamName = (typeof STREAMS)[number];

export const CONNECTOR_KINDS = ['qoyod', 'erpnext'] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/** What an HTTP call answered; the engine's client (source-http.ts) has already retried 429/5xx/timeouts. */
export interface SourceResponse {
  status: number;
  headers: Record<string, string>;
  /** parsed JSON body; undefined when the body was empty or not JSON */
  body: unknown;
  /** the raw text, so an adapter can read exact decimals from JSON numbers */
  text: string;
}

/** The engine's HTTP client, handed to the adapter: rate-limited per connector, retrying, with a timeout. */
export interface SourceClient {
  /** `path` is relative to the adapter's base URL; `query` values are sent as given (arrays repeat the key). */
  get(path: string, query?: Record<string, string | number | string[]>): Promise<SourceResponse>;
}

/** Raised by an adapter when the source refused the credentials (the engine answers 422 / fails the sync with it). */
export class SourceAuthError extends Error {}

/** Raised when the source answered something the adapter cannot read (the engine records it in the sync's errors). */
export class SourceFormatError extends Error {}

/** One page of a stream. */
export interface SourcePage {
  /** the source's records as they came (opaque to the engine) */
  records: unknown[];
  /** ask for the next page with this; null → the stream is done */
  next: string | null;
}

export interface ListOptions {
  /** incremental: only records changed at or after this instant (ISO 8601); undefined → everything */
  updatedSince?: string;
  /** the page token returned by the previous call; undefined → the first page */
  page?: string;
}

/** What the mapping needs to know besides the record. */
export interface MapContext {
  /** the tenant's time zone (IANA), for dates such as an inventory snapshot's asOf */
  timeZone: string;
  /** the tenant's base currency */
  currency: string;
  /** the instant the sync started (ISO 8601) */
  syncStartedAt: string;
}

/**
 * One source record mapped onto our records. `record` is exactly what the push API accepts for
 * `resource` (one element of the array POSTed to /v1/import/<resource>), so the engine sends it
 * through the same validation and write path.
 */
export interface MappedRecord {
  resource: ResourceName;
  record: Record<string, unknown>;
}

export interface MappedSourceRecord {
  /** the source's own id of the record, as a string (the stream's primary key) */
  sourceId: string;
  /** the source's last-change instant (ISO 8601) or null when it has none: the engine's cursor field */
  updatedAt: string | null;
  /** zero or more of our records (a product may also yield inventory snapshots); [] → skipped (a draft, a vendor payment) */
  mapped: MappedRecord[];
  /** why a record yields nothing, for the sync's counts ("draft", "vendor payment") */
  skipped?: string;
  /** references to other streams' records that must exist first: { stream, sourceId } */
  refs?: { stream: StreamName; sourceId: string }[];
}

/**
 * What happens to our record when a full sync finds its source id no longer listed (deleted in the
 * source): 'void' — the invoice or credit note becomes void; 'remove' — the payment is removed;
 * 'keep' — nothing is touched (customers, products, inventory).
 */
export type DeletionRule = 'void' | 'remove' | 'keep';

export interface StreamAdapter {
  name: StreamName;
  deletion: DeletionRule;
  /** false when the source cannot filter this stream by change time (every sync lists it whole) */
  incremental: boolean;
  list(client: SourceClient, options: ListOptions): Promise<SourcePage>;
  /** one record by its source id (to resolve a reference not seen yet); null when the source has none */
  fetchOne?(client: SourceClient, sourceId: string): Promise<unknown>;
  map(raw: unknown, ctx: MapContext): MappedSourceRecord;
}

/** How an adapter is built from a connector's decrypted credentials. */
export interface ConnectorAdapter {
  kind: ConnectorKind;
  /** a name for people: "Qoyod", "ERPNext" */
  systemName: string;
  /** the base URL requests go to (server configuration for Qoyod; the customer's own server for ERPNext) */
  baseUrl: string;
  /** headers every request carries (authentication) */
  headers: Record<string, string>;
  /**
   * A DNS lookup for the engine's HTTP client to connect through (node's `lookup` option), so an
   * adapter whose base URL is a customer's own server can refuse loopback and private addresses at
   * connect time too (no DNS rebinding). Undefined → the system resolver.
   */
  lookup?: import('node:net').LookupFunction;
  /** one cheap call that proves the credentials; throws SourceAuthError when the source refuses them */
  checkCredentials(client: SourceClient): Promise<void>;
  streams: StreamAdapter[];
}

/**
 * Validates a kind's credentials object (422 field errors come back as { field, message }) and
 * builds its adapter. `config` carries server configuration (QOYOD_API_URL, ERPNEXT_ALLOWED_HOSTS).
 */
export interface ConnectorFactory {
  kind: ConnectorKind;
  systemName: string;
  /** the credential fields that are secret (never returned); the others may be shown (an ERPNext URL) */
  secretFields: string[];
  validateCredentials(input: unknown): { field: string; message: string }[];
  /** may be async: ERPNext resolves the URL's host to refuse private addresses */
  create(credentials: Record<string, string>, config: ConnectorServerConfig): Promise<ConnectorAdapter>;
}

export interface ConnectorServerConfig {
  qoyodApiUrl: string;
  /** hosts or CIDRs an ERPNext URL may point to even though they are loopback or private */
  erpnextAllowedHosts: string[];
}
