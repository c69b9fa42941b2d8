import 'reflect-metadata';
import type { IncomingMessage } from 'node:http';
import { freshnessHeaders } from './analytics/snapshots/freshness';
import { INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Response } from 'express';
import { AppModule } from './app.module';
import { ReplayMemory, snapshotReplay } from './analytics/snapshots/snapshot-replay';
import { SnapshotService } from './analytics/snapshots/snapshot.service';
import { AppConfig } from './config/config';
import { JsonLogger } from './ops/logger';
import { ErrorFilter, toHttp } from './ops/error.filter';
import { runAsRequest } from './database/tenant-context';
import { bodyTimeout, cors, declaredSizeGuard, securityHeaders } from './ops/http-guards';
import { rateLimit } from './ops/rate-limit';
import { requestContext, RequestWithId } from './ops/request-context';
import { ValidationFailed } from './shared/errors';
import { jsonDepth, tooDeepMessage } from './shared/json-guard';
import { TenantsService } from './tenancy/tenants.service';
import { serveWebApp } from './web/web-app';

/**
 * Builds the HTTP application exactly as production runs it; main.ts and the e2e tests both use this.
 * Import routes read their own raw body (JSON, NDJSON or CSV, with their own size limit); every other
 * route gets a JSON parser with JSON_BODY_LIMIT.
 */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const logger = new JsonLogger(config.logLevel);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger,
    abortOnError: false,
  });
  app.set('trust proxy', config.trustProxy);
  app.disable('x-powered-by');
  app.use(requestContext(logger));
  app.use(securityHeaders());
  app.use(cors(config.corsOrigins));
  // the dashboard's files and page paths (src/web/web-app.ts), before anything reads a body
  serveWebApp(app);
  app.use(declaredSizeGuard(config));
  app.use(bodyTimeout(config.bodyTimeoutMs));
  app.use(rateLimit({ perKey: config.rateLimitPerKey, perAddress: config.rateLimitPerAddress }));
  app.use(
    json({
      limit: config.jsonBodyLimit,
      // refused from the text, before anything recursive walks the parsed value (json-guard.ts)
      verify: (_req, _res, buf) => {
        if (jsonDepth(buf.toString('utf8')) < 0) throw new JsonTooDeep();
      },
      type: (req: IncomingMessage) =>
        !(req.url ?? '').startsWith('/v1/import/') && /json/i.test(String(req.headers['content-type'] ?? '')),
    }),
  );
  // each request's queries run as harakah_app bound to its tenant once a guard knows it (ADR 0014);
  // entered after the body parser, whose stream callbacks would lose the async context
  app.use((_req: IncomingMessage, _res: Response, next: NextFunction) => runAsRequest(next));
  // every analytics read says how fresh it is (response headers, freshness.ts)
  app.use(freshnessHeaders());
  // repeated snapshot reads answered from memory, before Nest's routing (snapshot-replay.ts)
  const replays = new ReplayMemory();
  replayMemories.set(app, replays);
  app.use(
    snapshotReplay(
      {
        tenants: app.get(TenantsService),
        snapshots: app.get(SnapshotService),
      },
      replays,
    ),
  );
  app.useGlobalFilters(new ErrorFilter());
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new ValidationFailed(errors.flatMap((e) => flattenValidation(e, ''))),
    }),
  );
  setupOpenApi(app);
  const server = app.getHttpServer();
  server.headersTimeout = config.headersTimeoutMs;
  await app.init();
  // errors raised by Express middleware (the JSON parser) before a route is reached
  app.use((err: unknown, req: RequestWithId, res: Response, _next: NextFunction) => {
    const { status, body } = toHttp(err);
    res.status(status).json({ ...body, requestId: req.id });
  });
  return app;
}

/** An http-errors-shaped 400 the error filter passes on with its message. */
class JsonTooDeep extends Error {
  readonly status = 400;
  readonly expose = true;
  readonly type = 'entity.too.deep';
  constructor() {
    super(tooDeepMessage());
  }
}

const replayMemories = new WeakMap<INestApplication, ReplayMemory>();

/** The snapshot reads `app` remembers and replays (tests look at what it holds and served). */
export function replayMemoryOf(app: INestApplication): ReplayMemory | undefined {
  return replayMemories.get(app);
}

/** class-validator errors → { field: 'a.b.c', message } with the full path of nested properties. */
function flattenValidation(e: ValidationError, prefix: string): { field: string; message: string }[] {
  const field = prefix ? `${prefix}.${e.property}` : e.property;
  return [
    ...Object.values(e.constraints ?? {}).map((message) => ({ field, message })),
    ...(e.children ?? []).flatMap((c) => flattenValidation(c, field)),
  ];
}

function setupOpenApi(app: INestApplication): void {
  const doc = new DocumentBuilder()
    .setTitle('Harakah API')
    .setDescription(
      'Customer-movement analytics over accounting documents. Tenant calls authenticate with ' +
        '`Authorization: Bearer <apiKey>` (or the `API-KEY` header); admin calls with the ADMIN_TOKEN. ' +
        'Amounts are decimal strings in the tenant base currency unless stated.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'tenant API key' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, 'admin')
    .addCookieAuth(
      'harakah_session',
      { type: 'apiKey', in: 'cookie', description: 'session of POST /v1/auth/login (with X-CSRF-Token)' },
      'cookie',
    )
    .build();
  const document = SwaggerModule.createDocument(app, doc);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
