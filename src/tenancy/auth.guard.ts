import { timingSafeEqual } from 'node:crypto';
import {
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { sessionToken } from '../auth/cookies';
import type { RequestAuth } from '../auth/request-auth';
import { SessionsService } from '../auth/sessions.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { bindSystem } from '../database/tenant-context';
import { DomainError } from '../shared/errors';
import { AuthenticatedKey, Tenant, TenantsService } from './tenants.service';

/** req.auth: set by ApiKeyGuard (a RequestAuth), or by the snapshot replay for a key it recognised. */
export type TenantRequest = Request & { auth?: RequestAuth | AuthenticatedKey };

/** Methods that change nothing: no CSRF token needed, and viewers may use them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const VIEWER_MAY_WRITE = 'harakah:viewerMayWrite';

/**
 * Marks a state-changing route a viewer may use all the same: it changes only the viewer's own
 * preferences (PATCH /v1/auth/me). CSRF is still required.
 */
export const ViewerMayWrite = () => SetMetadata(VIEWER_MAY_WRITE, true);

/** A key's request acts as an admin without a user or session. */
function keyAuth(auth: AuthenticatedKey): RequestAuth {
  return {
    tenant: auth.tenant,
    apiKeyId: auth.apiKeyId,
    userId: null,
    role: 'admin',
    sessionId: null,
    csrfToken: null,
  };
}

/** `Authorization: Bearer <key>`, or Qoyod's `API-KEY: <key>` header. */
export function presentedKey(req: Request): string | undefined {
  const auth = req.headers.authorization;
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const header = req.headers['api-key'];
  return typeof header === 'string' && header.trim() !== '' ? header.trim() : undefined;
}

/**
 * Binds the request to its tenant; every tenant route sits behind this. An API key (as an admin), or
 * else the session cookie (ADR 0015): a session's request that changes state must carry the
 * session's X-CSRF-Token (403 csrf_required), and a viewer's is refused (403 forbidden) unless the
 * route is marked ViewerMayWrite.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly tenants: TenantsService,
    private readonly sessions: SessionsService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const key = presentedKey(req);
    if (key) {
      const auth = await this.tenants.authenticate(key);
      if (!auth) throw new DomainError('unauthorized', 'the API key is not valid or has been revoked');
      req.auth = keyAuth(auth);
      return true;
    }
    const token = sessionToken(req);
    if (!token) {
      throw new DomainError(
        'unauthorized',
        'an API key (Authorization: Bearer <key>) or a session (POST /v1/auth/login) is required',
      );
    }
    const session = await this.sessions.authenticate(token);
    if (!session) throw new DomainError('unauthorized', 'the session has expired or ended: log in again');
    req.auth = {
      tenant: session.tenant,
      apiKeyId: null,
      userId: session.user.id,
      role: session.user.role,
      sessionId: session.sessionId,
      csrfToken: session.csrfToken,
    };
    if (SAFE_METHODS.has(req.method)) return true;
    if (!csrfMatches(req.headers['x-csrf-token'], session.csrfToken)) {
      throw new DomainError(
        'csrf_required',
        'a request made with a session that changes something must carry the X-CSRF-Token header of the session',
      );
    }
    const viewerMayWrite = this.reflector.getAllAndOverride<boolean>(VIEWER_MAY_WRITE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (session.user.role === 'viewer' && !viewerMayWrite) {
      throw new DomainError('forbidden', 'viewers can read but not change anything');
    }
    return true;
  }
}

/** The presented X-CSRF-Token against the session's, in constant time. */
export function csrfMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
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

/** The caller: an API key or a session, with its role (an API key acts as an admin). */
export const CurrentAuth = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestAuth => {
  const auth = ctx.switchToHttp().getRequest<TenantRequest>().auth;
  if (!auth) throw new DomainError('unauthorized', 'an API key or a session is required');
  return 'role' in auth ? auth : keyAuth(auth);
});

export const CurrentApiKeyId = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): string | null => {
    return ctx.switchToHttp().getRequest<TenantRequest>().auth?.apiKeyId ?? null;
  },
);
