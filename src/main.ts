import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/config';
import { describeDatabase } from './database/data-source';
import { installShutdown, logLine } from './ops/shutdown';

/** Boots the service: validated configuration, migrated database, HTTP on PORT, graceful shutdown. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  installShutdown(app, config.shutdownTimeoutMs);
  const url = `http://localhost:${config.port}`;
  logLine('info', 'listening', { url, docs: `${url}/docs`, database: describeDatabase(config) });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
