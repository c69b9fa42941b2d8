import { ConfigError, loadConfig } from '../config/config';

describe('connector configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      secretsKey: undefined,
      secretsKeyPrevious: undefined,
      qoyodApiUrl: 'https://api.qoyod.com/2.0',
      connectorRatePerSecond: 4,
      connectorMaxAttempts: 5,
      connectorTimeoutMs: 30000,
      connectorBackoffMs: 1000,
      connectorLeaseMs: 60000,
      connectorsEnabled: true,
      connectorPollMs: 10000,
      connectorFullSyncHour: 2,
    });
  });

  it('takes a 64-hex-character SECRETS_KEY (lower-cased) and refuses anything else, naming the key', () => {
    expect(loadConfig({ SECRETS_KEY: 'AB'.repeat(32) }).secretsKey).toBe('ab'.repeat(32));
    expect(() => loadConfig({ SECRETS_KEY: 'ab'.repeat(31) })).toThrow(ConfigError);
    expect(() => loadConfig({ SECRETS_KEY_PREVIOUS: 'zz'.repeat(32) })).toThrow(/SECRETS_KEY_PREVIOUS/);
  });

  it('QOYOD_API_URL must be http(s); a trailing slash is dropped', () => {
    expect(loadConfig({ QOYOD_API_URL: 'http://127.0.0.1:9999/2.0/' }).qoyodApiUrl).toBe(
      'http://127.0.0.1:9999/2.0',
    );
    expect(() => loadConfig({ QOYOD_API_URL: 'ftp://x' })).toThrow(/QOYOD_API_URL/);
    expect(() => loadConfig({ CONNECTOR_FULL_SYNC_HOUR: '24' })).toThrow(/CONNECTOR_FULL_SYNC_HOUR/);
  });
});
