import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { createDataSource, describeDatabase } from './data-source';
import { Database } from './database';
import { runMigrations } from './migrations-runner';
import { installTenantContext } from './rls-pool';

/** Opens the database (migrating it when MIGRATE_ON_START is on) and closes it on shutdown. */
@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const ds = createDataSource(config);
        await ds.initialize();
        const log = new Logger('Database');
        if (config.migrateOnStart) {
          const applied = await runMigrations(ds);
          if (applied.length) log.log(`applied migrations: ${applied.join(', ')}`);
        }
        const { switchRole } = await installTenantContext(ds);
        log.log(`connected to ${describeDatabase(config)}${switchRole ? '; row-level security on' : ''}`);
        return ds;
      },
    },
    { provide: Database, inject: [DataSource], useFactory: (ds: DataSource) => new Database(ds) },
  ],
  exports: [DataSource, Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
