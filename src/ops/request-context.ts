import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { JsonLogger } from './logger';

export type RequestWithId = Request & { id?: string; auth?: { tenant: { id: string } } };

/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new UUID), echoes it
 * in the response and writes one access-log line when the response is finished.
 */
export function requestContext(logger: JsonLogger) {
  return (req: RequestWithId, res: Response, next: NextFunction): void => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.write(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        requestId: id,
        method: req.method,
        path: req.originalUrl.split('?')[0],
        status: res.statusCode,
        durationMs: Math.round(ms * 10) / 10,
        tenantId: req.auth?.tenant.id,
      });
    });
    next();
  };
}
