import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { ConnectorAdapter, ConnectorServerConfig } from './adapter';
import { factoryFor } from './registry';
import { resolveSecretsKey, SecretBox, Sealed } from './secrets';
import { RateLimiters, SourceHttpClient } from './source-http';

/**
 * What connectors share in one process: the secret box (SECRETS_KEY, or the embedded mode's key),
 * the per-connector rate limiters, and how an adapter and its HTTP client are built.
 */
@Injectable()
export class ConnectorRuntime {
  readonly box: SecretBox;
  readonly limiters: RateLimiters;

  constructor(@Inject(APP_CONFIG) readonly config: AppConfig) {
    this.box = new SecretBox(resolveSecretsKey(config), config.secretsKeyPrevious);
    this.limiters = new RateLimiters(config.connectorRatePerSecond);
  }

  get serverConfig(): ConnectorServerConfig {
    const extra = this.config as unknown as { erpnextAllowedHosts?: string[] };
    return { qoyodApiUrl: this.config.qoyodApiUrl, erpnextAllowedHosts: extra.erpnextAllowedHosts ?? [] };
  }

  async adapter(kind: string, credentials: Record<string, string>): Promise<ConnectorAdapter> {
    const factory = factoryFor(kind);
    if (!factory) throw new Error(`connector kind ${kind} is not available in this build`);
    return factory.create(credentials, this.serverConfig);
  }

  async adapterFromSealed(kind: string, sealed: Sealed): Promise<ConnectorAdapter> {
    return this.adapter(kind, this.box.open(sealed));
  }

  client(
    adapter: ConnectorAdapter,
    limiterKey: string,
    options: {
      signal?: AbortSignal;
      onRequest?: () => void;
      onSourceTime?: (ms: number) => void;
      maxAttempts?: number;
    } = {},
  ): SourceHttpClient {
    return new SourceHttpClient({
      baseUrl: adapter.baseUrl,
      headers: adapter.headers,
      lookup: adapter.lookup,
      limiter: this.limiters.for(limiterKey),
      maxAttempts: options.maxAttempts ?? this.config.connectorMaxAttempts,
      timeoutMs: this.config.connectorTimeoutMs,
      backoffMs: this.config.connectorBackoffMs,
      signal: options.signal,
      onRequest: options.onRequest,
      onSourceTime: options.onSourceTime,
    });
  }
}
