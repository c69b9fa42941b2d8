import type { AddressInfo } from 'node:net';
import type { ConsoleMessage, Page } from 'playwright-core';
import { TestApp } from './app';

export { CHROMIUM, launchChromium } from '../../bench/chromium';

/** Starts the test app's HTTP server on a free local port and answers its base URL. */
export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const address = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

/**
 * What a page did wrong: console errors, uncaught exceptions, failed requests and answers ≥ 400
 * (except those the test expects, by URL substring and status).
 */
export class PageProblems {
  readonly problems: string[] = [];
  private readonly allowed: { url: string; status: number }[] = [];
  private readonly bad: { url: string; status: number }[] = [];

  constructor(page: Page) {
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() !== 'error') return;
      const text = m.text();
      // Chromium logs every answer ≥ 400 as "Failed to load resource": judged by its status below
      if (/^Failed to load resource: the server responded with a status of \d+/.test(text)) return;
      this.problems.push(`console: ${text}`);
    });
    page.on('pageerror', (e) =>
      this.problems.push(`exception: ${e.message} ${(e.stack ?? '').split('\n').slice(1, 4).join(' ')}`),
    );
    page.on('requestfailed', (r) => {
      const why = r.failure()?.errorText ?? '';
      // a navigation away aborts what the old page still loaded
      if (why === 'net::ERR_ABORTED') return;
      this.problems.push(`request failed: ${r.method()} ${r.url()} ${why}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) this.bad.push({ url: r.url(), status: r.status() });
    });
  }

  allow(url: string, status: number): void {
    this.allowed.push({ url, status });
  }

  /** Everything wrong since the last call (and forgets it). */
  take(): string[] {
    const out = [
      ...this.problems,
      ...this.bad
        .filter((b) => !this.allowed.some((a) => b.url.includes(a.url) && b.status === a.status))
        .map((b) => `HTTP ${b.status}: ${b.url}`),
    ];
    this.problems.length = 0;
    this.bad.length = 0;
    return out;
  }
}
