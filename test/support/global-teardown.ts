import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const base = (globalThis as { __harakahBaseUrl?: string }).__harakahBaseUrl;
  const name = process.env.HARAKAH_TEST_DB_NAME;
  if (!base || !name || process.env.HARAKAH_KEEP_TEST_DB) return;
  const admin = new Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
