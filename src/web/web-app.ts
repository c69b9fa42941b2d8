import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

/**
 * The dashboard (web/, built by `npm run build` into web/dist) served by the API's own process on
 * the same port: hashed files under /assets with a year's immutable cache, and index.html for the
 * app's page paths (the browser router takes it from there). API paths (/v1, /docs, /health) never
 * get the page: their 404s stay JSON.
 */

/** The page paths of the app (web/src/routes.ts); each also takes sub-paths, e.g. /customers/C1. */
export const PAGE_PATHS = [
  '/login',
  '/customers',
  '/segments',
  '/profitability',
  '/receivables',
  '/churn',
  '/restock',
  '/reports',
  '/data',
  '/settings',
] as const;

export function isPagePath(path: string): boolean {
  if (path === '/' || path === '/index.html') return true;
  return PAGE_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}

/** web/dist beside the sources (ts-node, jest) or beside dist/ (the compiled server). */
export function webDistDir(): string | null {
  for (const dir of [resolve(__dirname, '../../web/dist'), resolve(__dirname, '../../../web/dist')]) {
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return null;
}

export function serveWebApp(app: INestApplication, dist: string | null = webDistDir()): void {
  if (!dist) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !isPagePath(req.path)) return next();
      res
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built: run `npm run build` (it builds web/ into web/dist).\n');
    });
    return;
  }
  const index = readFileSync(join(dist, 'index.html'));
  app.use(
    '/assets',
    express.static(join(dist, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: false,
      redirect: false,
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (req.path === '/favicon.svg' && existsSync(join(dist, 'favicon.svg'))) {
        res.setHeader('Cache-Control', 'public, max-age=86400');
        return res.sendFile(join(dist, 'favicon.svg'));
      }
      if (isPagePath(req.path)) {
        // the page is small and names the hashed assets: always revalidated, so a deploy shows at once
        res.setHeader('Cache-Control', 'no-cache');
        res.type('html').send(index);
        return;
      }
    }
    next();
  });
}
