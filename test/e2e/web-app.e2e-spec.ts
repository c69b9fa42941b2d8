import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootApp, TestApp } from '../support/app';
import { ensureWebBuild } from '../support/web-build';

/**
 * The dashboard served by the service (src/web/web-app.ts): index.html for the app's page paths,
 * hashed assets with a long immutable cache, the security headers on every answer, and API paths
 * that stay JSON.
 */
describe('web app serving', () => {
  let t: TestApp;
  const assets = () => readdirSync(join(__dirname, '..', '..', 'web', 'dist', 'assets'));

  beforeAll(async () => {
    ensureWebBuild();
    t = await bootApp();
  });
  afterAll(() => t.close());

  it.each([
    '/',
    '/login',
    '/customers',
    '/customers/C-1',
    '/segments',
    '/profitability',
    '/receivables',
    '/churn',
    '/restock',
    '/reports',
    '/data',
    '/settings',
  ])('%s answers index.html, revalidated each time', async (path) => {
    const res = await t.http.get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('<div id="root"></div>');
    expect(res.text).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
  });

  it('emits no inline script and no inline event handler', async () => {
    const res = await t.http.get('/').expect(200);
    for (const m of res.text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(m[1]).toMatch(/\bsrc="/);
      expect(m[2]!.trim()).toBe('');
    }
    expect(res.text).not.toMatch(/\son[a-z]+=/i);
    expect(res.text).not.toMatch(/https?:\/\//);
  });

  it('sends the security headers with a CSP that allows no inline script and only its own origin', async () => {
    const res = await t.http.get('/customers').expect(200);
    const csp = String(res.headers['content-security-policy']);
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
    expect(scriptSrc).toBe("'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves hashed assets with a year of immutable cache and the right types', async () => {
    const files = assets();
    const js = files.find((f) => /^index-[\w-]+\.js$/.test(f))!;
    const css = files.find((f) => /\.css$/.test(f))!;
    expect(js).toBeDefined();
    expect(css).toBeDefined();
    const a = await t.http.get(`/assets/${js}`).expect(200);
    expect(a.headers['content-type']).toMatch(/javascript/);
    expect(a.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(a.headers['x-content-type-options']).toBe('nosniff');
    const c = await t.http.get(`/assets/${css}`).expect(200);
    expect(c.headers['content-type']).toMatch(/^text\/css/);
    // the bundle fetches nothing from another origin (no CDN, no web fonts)
    const body = readFileSync(join(__dirname, '..', '..', 'web', 'dist', 'assets', css), 'utf8');
    expect(body).not.toMatch(/@import|url\(\s*['"]?https?:/);
  });

  it('answers a missing asset with a 404, not the page', async () => {
    const res = await t.http.get('/assets/index-nothere.js').expect(404);
    expect(res.headers['content-type']).not.toMatch(/text\/html/);
  });

  it('never answers API paths with the page: their 404s stay JSON', async () => {
    for (const path of [
      '/v1/nothing',
      '/v1/customers/x/y/z',
      '/health/nothing',
      '/docs-json/x',
      '/unknown-page',
    ]) {
      const res = await t.http.get(path).set('Accept', 'text/html').expect(404);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body).toMatchObject({ error: 'not_found' });
    }
    // an API route without credentials is still the API's 401
    const r = await t.http.get('/v1/customers').set('Accept', 'text/html').expect(401);
    expect(r.body).toMatchObject({ error: expect.any(String) });
  });

  it('does not answer writes to page paths with the page', async () => {
    const res = await t.http.post('/customers').send({});
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
  });
});
