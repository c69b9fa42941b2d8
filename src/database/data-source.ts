import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as pg from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/config';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { makePGlitePoolClass } from './pglite-pool';
import { installPgTypeParsers } from './types';

/**
 * The one DataSource shared by the app, the migration CLI and the tests: PostgreSQL when
 * DATABASE_URL is set, embedded PGlite (under DATA_DIR) otherwise. The schema comes only from
 * migrations; `synchronize` is off everywhere.
 */
export function createDataSource(config: AppConfig): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  let options: DataSourceOptions;
  if (config.databaseUrl) {
    installPgTypeParsers();
    options = {
      ...common,
      url: config.databaseUrl,
      driver: pg,
      poolSize: config.dbPoolSize,
      applicationName: 'harakah',
    };
  } else {
    options = {
      ...common,
      driver: { Pool: makePGlitePoolClass(pgliteDirectory(config.dataDir)) },
      database: 'postgres',
    };
  }
  return new DataSource(options);
}

/** The embedded database lives in DATA_DIR/pgdata, beside anything else the service keeps there. */
export function pgliteDirectory(dataDir: string): string {
  if (dataDir === 'memory://') return dataDir;
  const dir = join(dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function describeDatabase(config: AppConfig): string {
  if (!config.databaseUrl) return `embedded PGlite (${config.dataDir})`;
  const u = new URL(config.databaseUrl);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
