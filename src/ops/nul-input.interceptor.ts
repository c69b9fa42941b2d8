import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { DomainError, ValidationFailed } from '../shared/errors';

/**
 * PostgreSQL cannot store or compare a NUL character (U+0000) in text: a parameter holding one fails
 * in the database as a 500. Path and query parameters holding one are a 400 naming the parameter,
 * JSON bodies a 422 naming the field, before any handler sees them. Imports read their own body and
 * check it field by field (FieldReader). Runs after the guards, so a request without a key is still
 * a 401.
 */
@Injectable()
export class NulInputInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      const param = firstNul(req.params, '') ?? firstNul(req.query, '');
      if (param !== undefined) {
        throw new DomainError('bad_request', `${param} must not contain a NUL character`, { field: param });
      }
      const field = firstNul(req.body, '');
      if (field !== undefined) {
        throw new ValidationFailed([
          { field: field || '(body)', message: 'must not contain a NUL character' },
        ]);
      }
    }
    return next.handle();
  }
}

/** The path of the first key or string value holding U+0000, or undefined. */
export function firstNul(v: unknown, path: string): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? path : undefined;
  if (v === null || typeof v !== 'object') return undefined;
  for (const [key, value] of Object.entries(v)) {
    const at = Array.isArray(v) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return at;
    const found = firstNul(value, at);
    if (found !== undefined) return found;
  }
  return undefined;
}
