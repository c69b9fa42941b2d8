import { isIP } from 'node:net';

/**
 * The one place that reads process.env. Every key is validated at boot; a bad value stops the boot
 * with a message naming the key. Defaults here are the ones documented in .env.example.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface AppConfig {
  port: number;
  host: string;
  /** postgres://… ; undefined → embedded PGlite */
  databaseUrl: string | undefined;
  /** PGlite data directory; 'memory://' keeps it in memory */
  dataDir: string;
  dbPoolSize: number;
  adminToken: string | undefined;
  logLevel: LogLevel;
  /** maximum request body for imports, in bytes */
  importBodyLimit: number;
  /** maximum body for other JSON requests, in bytes */
  jsonBodyLimit: number;
  /** run migrations on start-up */
  migrateOnStart: boolean;
  shutdownTimeoutMs: number;
  nodeEnv: string;
  /** scheduled reports (ADR 0007): run the scheduler/worker loop in this instance */
  schedulerEnabled: boolean;
  /** how often the scheduler/worker loop looks for due schedules, queued runs and deliveries */
  schedulerPollMs: number;
  /** how long a claimed report run or delivery stays owned without a heartbeat before another instance may take it */
  reportLeaseMs: number;
  /** finished report runs (and their deliveries) are deleted this many days after they finish */
  reportRetentionDays: number;
  /** webhook hosts or CIDRs allowed even though they are private or loopback addresses */
  webhookAllowlist: string[];
  /** ERPNext connector URLs: hosts or CIDRs allowed even though they are private or loopback addresses */
  erpnextAllowedHosts: string[];
  /** attempts per webhook delivery before it is given up */
  webhookMaxAttempts: number;
  /** one webhook attempt's time limit */
  webhookTimeoutMs: number;
  /** first retry delay; doubles on each further failure (capped at one hour) */
  webhookBackoffMs: number;
  /** analytics snapshots (ADR 0008): run recompute jobs in this instance */
  analyticsWorkerEnabled: boolean;
  /** how often the analytics worker looks for due recomputes */
  analyticsPollMs: number;
  /** an import schedules a recompute this long after the last import (debounce) */
  analyticsDebounceMs: number;
  /** … but never later than this after the first import it has not yet included */
  analyticsMaxDelayMs: number;
  /** an import run's lease: renewed every third of it while the import runs; a lapsed one was interrupted */
  importLeaseMs: number;
  /** a request body must arrive in full within this time (408 otherwise) */
  bodyTimeoutMs: number;
  /** the request's headers must arrive within this time (Node's headersTimeout) */
  headersTimeoutMs: number;
  /** requests per minute per API key or session (0: no limit) */
  rateLimitPerKey: number;
  /** requests per minute per client address (0: no limit) */
  rateLimitPerAddress: number;
  /** import body bytes per minute per tenant (0: no limit) */
  importBytesPerMinute: number;
  /** origins allowed to call the API from a browser (CORS); empty: CORS off */
  corsOrigins: string[];
  /** Express "trust proxy": how many proxy hops to trust for the client address and HTTPS */
  trustProxy: number;
  /** a session not used for this many minutes ends (idle expiry) */
  sessionIdleMinutes: number;
  /** a session ends this many hours after login, used or not (absolute expiry) */
  sessionMaxHours: number;
  /** refused logins per account (email) within loginFailureWindowMinutes before logins are 429 */
  loginMaxFailures: number;
  /** refused logins per client address within loginFailureWindowMinutes before logins are 429 */
  loginMaxFailuresPerAddress: number;
  /** the window refused logins are counted in */
  loginFailureWindowMinutes: number;
  /** connectors (ADR 0018): AES-256-GCM key for credentials, 64 hex characters; undefined → see secrets.ts */
  secretsKey: string | undefined;
  /** the key before a rotation: still decrypts old ciphertexts */
  secretsKeyPrevious: string | undefined;
  /** Qoyod's API base URL (server configuration, never a tenant's input) */
  qoyodApiUrl: string;
  /** requests per second per connector (0: no client-side limit) */
  connectorRatePerSecond: number;
  /** attempts per source request (429, 5xx, timeouts and connection errors are retried) */
  connectorMaxAttempts: number;
  /** one source request's time limit */
  connectorTimeoutMs: number;
  /** first retry delay of a source request (exponential backoff with full jitter) */
  connectorBackoffMs: number;
  /** a running sync's lease: renewed every third of it; a lapsed one is taken over by another instance */
  connectorLeaseMs: number;
  /** run the connectors' scheduler/worker loop in this instance */
  connectorsEnabled: boolean;
  /** how often the connectors' loop looks for due and queued syncs */
  connectorPollMs: number;
  /** hour (0–23, the tenant's time zone) of the nightly full sync */
  connectorFullSyncHour: number;
}

export class ConfigError extends Error {
  constructor(
    public readonly key: string,
    message: string,
  ) {
    super(`Invalid configuration: ${key} ${message}`);
  }
}

type Env = Record<string, string | undefined>;

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

function str(env: Env, key: string): string | undefined {
  const v = env[key];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, key: string, def: number, min: number, max: number): number {
  const v = str(env, key);
  if (v === undefined) return def;
  if (!/^\d+$/.test(v)) throw new ConfigError(key, `must be a whole number, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(key, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, key: string, def: boolean): boolean {
  const v = str(env, key)?.toLowerCase();
  if (v === undefined) return def;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(key, `must be true or false, got "${v}"`);
}

/** "50mb", "512kb", "1048576" → bytes */
export function parseSize(key: string, v: string): number {
  const m = /^(\d+)\s*(b|kb|mb|gb)?$/i.exec(v.trim());
  if (!m) throw new ConfigError(key, `must be a size like 64mb or 1048576, got "${v}"`);
  const bytes = Number(m[1]) * (SIZE_UNITS[(m[2] ?? 'b').toLowerCase()] ?? 1);
  if (bytes < 1024) throw new ConfigError(key, `must be at least 1kb`);
  return bytes;
}

function parseSizeOrZero(key: string, v: string): number {
  return v.trim() === '0' ? 0 : parseSize(key, v);
}

/** "https://erp.example.com, http://localhost:5173" → origins (scheme://host[:port], no path). */
export function parseOrigins(key: string, v: string | undefined): string[] {
  if (v === undefined) return [];
  const origins = v
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const o of origins) {
    let url: URL | undefined;
    try {
      url = new URL(o);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.origin !== o.replace(/\/$/, '')) {
      throw new ConfigError(key, `entries must be origins like https://app.example.com; got "${o}"`);
    }
  }
  return origins.map((o) => o.replace(/\/$/, ''));
}

/** "127.0.0.1, 10.0.0.0/8, hooks.internal" → entries, each an IP address, a CIDR or a host name. */
export function parseAllowlist(key: string, v: string | undefined): string[] {
  if (v === undefined) return [];
  const entries = v
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '');
  for (const e of entries) {
    const [addr = '', prefix, extra] = e.split('/');
    const family = isIP(addr);
    const cidrOk =
      prefix === undefined ||
      (family !== 0 && /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
    const hostOk =
      prefix === undefined &&
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(addr);
    if (extra !== undefined || !cidrOk || (family === 0 && !hostOk)) {
      throw new ConfigError(
        key,
        `entries must be host names, IP addresses or CIDRs (10.0.0.0/8); got "${e}"`,
      );
    }
  }
  return entries;
}

/** A 256-bit key as 64 hexadecimal characters. */
function hexKey(env: Env, key: string): string | undefined {
  const v = str(env, key);
  if (v === undefined) return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(v))
    throw new ConfigError(key, 'must be 64 hexadecimal characters (32 bytes)');
  return v.toLowerCase();
}

/** An http(s) base URL without a trailing slash. */
function httpUrl(env: Env, key: string, def: string): string {
  const v = str(env, key) ?? def;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol))
    throw new ConfigError(key, `must be an http(s) URL, got "${v}"`);
  return v.replace(/\/+$/, '');
}

export function loadConfig(env: Env = process.env): AppConfig {
  const databaseUrl = str(env, 'DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const adminToken = str(env, 'ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('ADMIN_TOKEN', 'must be at least 16 characters');
  }
  const logLevel = (str(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of debug, info, warn, error, silent; got "${logLevel}"`);
  }
  const host = str(env, 'HOST') ?? '0.0.0.0';
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host,
    databaseUrl,
    dataDir: str(env, 'DATA_DIR') ?? './data',
    dbPoolSize: int(env, 'DB_POOL_SIZE', 10, 1, 200),
    adminToken,
    logLevel: logLevel as LogLevel,
    importBodyLimit: parseSize('IMPORT_BODY_LIMIT', str(env, 'IMPORT_BODY_LIMIT') ?? '64mb'),
    jsonBodyLimit: parseSize('JSON_BODY_LIMIT', str(env, 'JSON_BODY_LIMIT') ?? '1mb'),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    shutdownTimeoutMs: int(env, 'SHUTDOWN_TIMEOUT_MS', 10000, 0, 600000),
    nodeEnv: str(env, 'NODE_ENV') ?? 'development',
    schedulerEnabled: bool(env, 'SCHEDULER_ENABLED', true),
    schedulerPollMs: int(env, 'SCHEDULER_POLL_MS', 5000, 10, 600000),
    reportLeaseMs: int(env, 'REPORT_LEASE_MS', 60000, 500, 3600000),
    reportRetentionDays: int(env, 'REPORT_RETENTION_DAYS', 90, 1, 3650),
    webhookAllowlist: parseAllowlist('WEBHOOK_ALLOWLIST', str(env, 'WEBHOOK_ALLOWLIST')),
    erpnextAllowedHosts: parseAllowlist('ERPNEXT_ALLOWED_HOSTS', str(env, 'ERPNEXT_ALLOWED_HOSTS')),
    webhookMaxAttempts: int(env, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
    webhookTimeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10000, 100, 120000),
    webhookBackoffMs: int(env, 'WEBHOOK_BACKOFF_MS', 10000, 1, 3600000),
    analyticsWorkerEnabled: bool(env, 'ANALYTICS_WORKER_ENABLED', true),
    analyticsPollMs: int(env, 'ANALYTICS_POLL_MS', 1000, 10, 600000),
    analyticsDebounceMs: int(env, 'ANALYTICS_DEBOUNCE_MS', 2000, 0, 86400000),
    analyticsMaxDelayMs: int(env, 'ANALYTICS_MAX_DELAY_MS', 10000, 0, 86400000),
    importLeaseMs: int(env, 'IMPORT_LEASE_MS', 30000, 150, 3600000),
    bodyTimeoutMs: int(env, 'BODY_TIMEOUT_MS', 15000, 100, 600000),
    headersTimeoutMs: int(env, 'HEADERS_TIMEOUT_MS', 10000, 100, 600000),
    rateLimitPerKey: int(env, 'RATE_LIMIT_PER_KEY', 1200, 0, 10_000_000),
    rateLimitPerAddress: int(env, 'RATE_LIMIT_PER_ADDRESS', 2400, 0, 10_000_000),
    importBytesPerMinute: parseSizeOrZero(
      'IMPORT_BYTES_PER_MINUTE',
      str(env, 'IMPORT_BYTES_PER_MINUTE') ?? '512mb',
    ),
    corsOrigins: parseOrigins('CORS_ORIGINS', str(env, 'CORS_ORIGINS')),
    trustProxy: int(env, 'TRUST_PROXY', 0, 0, 10),
    sessionIdleMinutes: int(env, 'SESSION_IDLE_MINUTES', 60, 1, 10080),
    sessionMaxHours: int(env, 'SESSION_MAX_HOURS', 12, 1, 720),
    loginMaxFailures: int(env, 'LOGIN_MAX_FAILURES', 5, 1, 1000),
    loginMaxFailuresPerAddress: int(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 20, 1, 100000),
    loginFailureWindowMinutes: int(env, 'LOGIN_FAILURE_WINDOW_MINUTES', 15, 1, 1440),
    secretsKey: hexKey(env, 'SECRETS_KEY'),
    secretsKeyPrevious: hexKey(env, 'SECRETS_KEY_PREVIOUS'),
    qoyodApiUrl: httpUrl(env, 'QOYOD_API_URL', 'https://api.qoyod.com/2.0'),
    connectorRatePerSecond: int(env, 'CONNECTOR_RATE_PER_SECOND', 4, 0, 1000),
    connectorMaxAttempts: int(env, 'CONNECTOR_MAX_ATTEMPTS', 5, 1, 20),
    connectorTimeoutMs: int(env, 'CONNECTOR_TIMEOUT_MS', 30000, 50, 600000),
    connectorBackoffMs: int(env, 'CONNECTOR_BACKOFF_MS', 1000, 0, 600000),
    connectorLeaseMs: int(env, 'CONNECTOR_LEASE_MS', 60000, 150, 3600000),
    connectorsEnabled: bool(env, 'CONNECTORS_ENABLED', true),
    connectorPollMs: int(env, 'CONNECTOR_POLL_MS', 10000, 10, 600000),
    connectorFullSyncHour: int(env, 'CONNECTOR_FULL_SYNC_HOUR', 2, 0, 23),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
