import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AnalyticsWorker } from '../../src/analytics/snapshots/analytics-worker';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  config: AppConfig;
  /** a raw SQL handle for assertions on table contents */
  sql: <T = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;
  close: () => Promise<void>;
}

/** Boots the real application on the test database (PostgreSQL or in-memory PGlite), migrations applied. */
export async function bootApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({
    ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    DATA_DIR: 'memory://',
    DATABASE_URL: process.env.HARAKAH_TEST_DATABASE_URL,
    DB_POOL_SIZE: '4',
    // background loops off: tests drive the workers by hand
    ANALYTICS_WORKER_ENABLED: 'false',
    SCHEDULER_ENABLED: 'false',
    CONNECTORS_ENABLED: 'false',
    ...env,
  });
  const app = await createApp(config);
  const ds = app.get(DataSource);
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    sql: async (text, params = []) => ds.query(text, params),
    close: () => app.close(),
  };
}

export interface TestTenant {
  id: string;
  apiKey: string;
  auth: { Authorization: string };
}

let counter = 0;

export async function createTenant(t: TestApp, body: Record<string, unknown> = {}): Promise<TestTenant> {
  const res = await t.http
    .post('/v1/admin/tenants')
    .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
    .send({ name: `Tenant ${++counter}`, ...body })
    .expect(201);
  return { id: res.body.id, apiKey: res.body.apiKey, auth: { Authorization: `Bearer ${res.body.apiKey}` } };
}

/** POST a batch to /v1/import/<resource> as JSON (or another content type when `body` is a string). */
export function importBatch(
  t: TestApp,
  tenant: TestTenant,
  resource: string,
  body: unknown,
  contentType = 'application/json',
) {
  return t.http
    .post(`/v1/import/${resource}`)
    .set(tenant.auth)
    .set('Content-Type', contentType)
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}

/**
 * Requests a recompute of `asOf` for the tenant, runs the worker once, and returns the published
 * snapshot's id (the job must have succeeded).
 */
export async function recomputeNow(t: TestApp, tenant: TestTenant, asOf: string): Promise<string> {
  const job = await t.http.post('/v1/analytics/recompute').set(tenant.auth).send({ asOf }).expect(202);
  await t.app.get(AnalyticsWorker).tick(new Date(), tenant.id);
  const done = await t.http.get(`/v1/analytics/jobs/${job.body.id}`).set(tenant.auth).expect(200);
  expect(done.body).toMatchObject({ status: 'succeeded', snapshotId: expect.any(String) });
  return done.body.snapshotId as string;
}
