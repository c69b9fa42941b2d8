import { INestApplication } from '@nestjs/common';

export function logLine(level: string, msg: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }));
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish,
 * run the shutdown hooks (the database closes last), then exit 0 — or exit 1 when it takes longer
 * than `timeoutMs`.
 */
export function installShutdown(app: INestApplication, timeoutMs: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logLine('info', `received ${signal}, shutting down`);
    setTimeout(() => {
      logLine('error', `shutdown took longer than ${timeoutMs} ms; exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    app.close().then(
      () => {
        logLine('info', 'stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logLine('error', `shutdown failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
