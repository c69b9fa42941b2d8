import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * With DATABASE_URL set, the e2e suite runs on a fresh database created on that server for this run
 * (migrated by the first app that boots, under the migration lock) and dropped afterwards, so a
 * test run never touches the data in DATABASE_URL itself. Without it, each test file boots the app on
 * its own in-memory PGlite.
 */
export default async function globalSetup(): Promise<void> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    process.env.HARAKAH_TEST_DB = 'pglite';
    return;
  }
  const name = `harakah_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.HARAKAH_TEST_DB = 'postgres';
  process.env.HARAKAH_TEST_DATABASE_URL = url.toString();
  process.env.HARAKAH_TEST_DB_NAME = name;
  (globalThis as { __harakahBaseUrl?: string }).__harakahBaseUrl = base;
}
