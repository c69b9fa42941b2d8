import { ConfigError, loadConfig } from './config/config';
import { createApp } from './app.factory';
import { describeDatabase } from './database/data-source';

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
  const url = `http://localhost:${config.port}`;
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'listening',
      url,
      docs: `${url}/docs`,
      database: describeDatabase(config),
    }),
  );
  const stop = (signal: string) => {
    setTimeout(() => {
      console.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    console.log(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'info',
        msg: `received ${signal}, shutting down`,
      }),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
