import { timingSafeEqual } from 'node:crypto';
import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { bindSystem } from '../database/tenant-context';
import { DomainError } from '../shared/errors';
import { AuthenticatedKey, Tenant, TenantsService } from './tenants.service';

export type TenantRequest = Request & { auth?: AuthenticatedKey };

/** `Authorization: Bearer <key>`, or Qoyod's `API-KEY: <key>` header. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = req.headers['api-key'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
}

/** Binds the request to the tenant of its API key; every tenant route sits behind this. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly tenants: TenantsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const key = presentedKey(req);
    if (!key) throw new DomainError('unauthorized', 'an API key is required: Authorization: Bearer <key>');
    const auth = await this.tenants.authenticate(key);
    if (!auth) throw new DomainError('unauthorized', 'the API key is not valid or has been revoked');
    req.auth = auth;
    return true;
  }
}

/** Admin routes: the ADMIN_TOKEN from the environment, compared in constant time. */
@Injectable()
export class AdminGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const expected = this.config.adminToken;
    if (!expected) throw new DomainError('forbidden', 'admin API is disabled: set ADMIN_TOKEN to enable it');
    const given = presentedKey(req);
    const a = Buffer.from(given ?? '');
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new DomainError(
        'unauthorized',
        'a valid admin token is required: Authorization: Bearer <ADMIN_TOKEN>',
      );
    }
    // the operator works across tenants: the rest of this request runs as system work
    bindSystem();
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_data: unknown, ctx: ExecutionContext): Tenant => {
  const req = ctx.switchToHttp().getRequest<TenantRequest>();
  if (!req.auth) throw new DomainError('unauthorized', 'an API key is required');
  return req.auth.tenant;
});

export const CurrentApiKeyId = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | null => {
    return ctx.switchToHttp().getRequest<TenantRequest>().auth?.apiKeyId ?? null;
  },
);
