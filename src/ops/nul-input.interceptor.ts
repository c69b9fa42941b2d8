import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { DomainError, ValidationFailed } from '../shared/errors';
import { firstBadJsonPart } from '../shared/json-guard';

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
      const param = firstBadJsonPart(req.params) ?? firstBadJsonPart(req.query);
      if (param !== undefined) {
        throw new DomainError('bad_request', `${param.path} ${param.message}`, { field: param.path });
      }
      const field = firstBadJsonPart(req.body);
      if (field !== undefined) {
        throw new ValidationFailed([{ field: field.path || '(body)', message: field.message }]);
      }
    }
    return next.handle();
  }
}
