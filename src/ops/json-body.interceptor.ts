import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { DomainError } from '../shared/errors';

/**
 * Routes other than the imports read JSON bodies only. A body sent with another Content-Type is
 * never parsed, so the handler would see no body at all and answer as if none had been sent (a
 * settings update that changes nothing, a recompute of today instead of the asOf asked for): it is
 * a 415 instead. Requests without a body are unaffected. Runs after the guards (401 first).
 */
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

@Injectable()
export class JsonBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      if (
        WITH_BODY.has(req.method) &&
        hasBody(req) &&
        req.body === undefined &&
        !req.path.startsWith('/v1/import/')
      ) {
        const type = String(req.headers['content-type'] ?? '(none)')
          .split(';')[0]!
          .trim();
        throw new DomainError(
          'unsupported_media_type',
          `Content-Type ${type} is not supported: send application/json`,
        );
      }
    }
    return next.handle();
  }
}

/** Whether the request carries a body (the test body-parser itself applies). */
export function hasBody(req: Pick<Request, 'headers'>): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) > 0);
}
