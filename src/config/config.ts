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
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
