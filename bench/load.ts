import http from 'node:http';

/**
 * Latencies of `total` GET requests sent by `concurrency` parallel loops on keep-alive connections.
 * Pass the `agent` of a warm-up run to measure on its open connections (otherwise the first request
 * of each loop also opens its connection, and 50 connects at once weigh on a short run's p99).
 * `url` is one URL for every request, or the URL of request number i (0 … total − 1).
 */
export async function load(
  url: string | ((i: number) => string),
  headers: Record<string, string>,
  concurrency: number,
  total: number,
  agent: http.Agent = new http.Agent({ keepAlive: true, maxSockets: concurrency }),
  keepOpen = false,
) {
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const urlOf = typeof url === 'string' ? () => url : url;
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const t = process.hrtime.bigint();
      const req = http.get(urlOf(i), { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== 200) failed++;
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
    });
  const started = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (sent < total) {
        await one(sent++);
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  if (!keepOpen) agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    failed,
    seconds,
    rps: latencies.length / seconds,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
  };
}
