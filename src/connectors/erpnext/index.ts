import { ValidationFailed } from '../../shared/errors';
import {
  ConnectorAdapter,
  ConnectorFactory,
  ConnectorServerConfig,
  SourceAuthError,
  SourceClient,
} from '../adapter';
import { getJson } from './streams';
import { erpnextStreams, PAGE_SIZE } from './streams';
import { ErpnextUrlPolicy, Resolver } from './url-policy';

/**
 * ERPNext (Frappe) as a source: credentials {url, apiKey, apiSecret}, token authentication
 * (`Authorization: token <apiKey>:<apiSecret>`), the customer's own server under the URL policy.
 * See docs/connectors-erpnext.md.
 */
const FIELDS = ['url', 'apiKey', 'apiSecret'] as const;

export function validateErpnextCredentials(input: unknown): { field: string; message: string }[] {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return [{ field: 'credentials', message: 'must be an object {url, apiKey, apiSecret}' }];
  }
  const o = input as Record<string, unknown>;
  const errors: { field: string; message: string }[] = [];
  for (const key of Object.keys(o)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      errors.push({ field: `credentials.${key}`, message: 'is not a known field (url, apiKey, apiSecret)' });
    }
  }
  for (const key of FIELDS) {
    const v = o[key];
    const field = `credentials.${key}`;
    if (v === undefined || v === null || v === '') errors.push({ field, message: 'is required' });
    else if (typeof v !== 'string') errors.push({ field, message: 'must be a string' });
    else if (v.length > (key === 'url' ? 2000 : 200)) {
      errors.push({ field, message: `must be at most ${key === 'url' ? 2000 : 200} characters` });
    } else if (key === 'url') {
      const problem = ErpnextUrlPolicy.formProblem(v);
      if (problem) errors.push({ field, message: problem });
    } else if (!/^[\x21-\x7e]+$/.test(v) || (key === 'apiKey' && v.includes(':'))) {
      errors.push({
        field,
        message:
          key === 'apiKey'
            ? 'must be printable characters without spaces or ":"'
            : 'must be printable characters without spaces',
      });
    }
  }
  return errors;
}

export interface ErpnextOptions {
  pageSize?: number;
  resolver?: Resolver;
}

/** The adapter for already validated credentials whose URL passed the policy. */
export function createErpnextAdapter(
  credentials: Record<string, string>,
  policy: ErpnextUrlPolicy,
  options: ErpnextOptions = {},
): ConnectorAdapter {
  return {
    kind: 'erpnext',
    systemName: 'ERPNext',
    baseUrl: credentials.url!.replace(/\/+$/, ''),
    headers: {
      Authorization: `token ${credentials.apiKey}:${credentials.apiSecret}`,
      Accept: 'application/json',
    },
    lookup: policy.lookup,
    async checkCredentials(client: SourceClient): Promise<void> {
      const body = await getJson(client, '/api/method/frappe.auth.get_logged_user');
      const user =
        typeof body === 'object' && body !== null ? (body as Record<string, unknown>).message : undefined;
      if (typeof user !== 'string') {
        throw new SourceAuthError('the URL did not answer like an ERPNext (Frappe) server');
      }
      if (user === 'Guest') throw new SourceAuthError('ERPNext did not accept the API key and secret');
    },
    streams: erpnextStreams(options.pageSize ?? PAGE_SIZE),
  };
}

/** Builds the factory; tests pass a resolver and a page size. */
export function makeErpnextFactory(options: ErpnextOptions = {}): ConnectorFactory {
  return {
    kind: 'erpnext',
    systemName: 'ERPNext',
    secretFields: ['apiKey', 'apiSecret'],
    validateCredentials: validateErpnextCredentials,
    async create(
      credentials: Record<string, string>,
      config: ConnectorServerConfig,
    ): Promise<ConnectorAdapter> {
      const invalid = validateErpnextCredentials(credentials);
      if (invalid.length) throw new ValidationFailed(invalid);
      const policy = new ErpnextUrlPolicy(config.erpnextAllowedHosts, options.resolver);
      const problem = await policy.problem(credentials.url!);
      if (problem) throw new ValidationFailed([{ field: 'credentials.url', message: problem }]);
      return createErpnextAdapter(credentials, policy, options);
    },
  };
}

export const erpnextFactory: ConnectorFactory = makeErpnextFactory();
