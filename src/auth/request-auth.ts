import type { Tenant } from '../tenancy/tenants.service';
import type { Role } from './sessions.service';

/**
 * Who a tenant request is (req.auth, set by ApiKeyGuard): an API key (apiKeyId, acting as an admin,
 * no user) or a session (userId, sessionId, the user's role and the session's CSRF token).
 */
export interface RequestAuth {
  tenant: Tenant;
  apiKeyId: string | null;
  userId: string | null;
  role: Role;
  sessionId: string | null;
  csrfToken: string | null;
}
