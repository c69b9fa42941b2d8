import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { DomainError } from '../shared/errors';

/**
 * A query parameter the endpoint does not take is a 400 naming it. Ignoring it would answer another
 * question without saying so: `?asof=2024-01-01` (a typo of asOf) would give today's figures. What an
 * endpoint takes is what its OpenAPI description declares (@ApiQuery), so the documentation and the
 * check cannot drift apart. API routes (/v1/…) only; runs after the guards, so no key is still a 401.
 */
/** Where @nestjs/swagger's @ApiQuery keeps a handler's parameters (its DECORATORS.API_PARAMETERS). */
const API_PARAMETERS = 'swagger/apiParameters';

@Injectable()
export class KnownQueryInterceptor implements NestInterceptor {
  private readonly known = new WeakMap<object, Set<string>>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request>();
      if (req.path.startsWith('/v1/')) {
        const known = this.queryOf(context.getHandler());
        const unknown = Object.keys(req.query).find((k) => !known.has(k));
        if (unknown !== undefined) {
          const takes = known.size ? `it takes ${[...known].sort().join(', ')}` : 'it takes none';
          throw new DomainError(
            'bad_request',
            `${unknown} is not a query parameter of this endpoint: ${takes}`,
            {
              field: unknown,
            },
          );
        }
      }
    }
    return next.handle();
  }

  /** The query parameters the handler declares with @ApiQuery. */
  private queryOf(handler: object): Set<string> {
    let names = this.known.get(handler);
    if (!names) {
      const params =
        this.reflector.get<{ name?: string; in?: string }[] | undefined>(API_PARAMETERS, handler as never) ??
        [];
      names = new Set(params.filter((p) => p.in === 'query' && p.name).map((p) => p.name!));
      this.known.set(handler, names);
    }
    return names;
  }
}
