import { loadConfig } from '../config/config';
import { createDataSource, describeDatabase } from './data-source';
import { runMigrations } from './migrations-runner';

/** `npm run migration:run`: applies pending migrations to DATABASE_URL (or the embedded database). */
async function main(): Promise<void> {
  const config = loadConfig();
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    const applied = await runMigrations(ds);
    console.log(
      `${describeDatabase(config)}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date'}`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
