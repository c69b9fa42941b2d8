import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('has working defaults: port 3000, embedded database under ./data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      dataDir: './data',
      logLevel: 'info',
      migrateOnStart: true,
    });
    expect(c.importBodyLimit).toBe(64 * 1024 * 1024);
  });

  it.each([
    ['PORT', 'eighty', /PORT must be a whole number/],
    ['PORT', '70000', /PORT must be between 0 and 65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL must start with postgres/],
    ['ADMIN_TOKEN', 'short', /ADMIN_TOKEN must be at least 16 characters/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL must be one of/],
    ['IMPORT_BODY_LIMIT', 'huge', /IMPORT_BODY_LIMIT must be a size/],
    ['MIGRATE_ON_START', 'perhaps', /MIGRATE_ON_START must be true or false/],
    ['DB_POOL_SIZE', '0', /DB_POOL_SIZE must be between 1 and 200/],
    ['SCHEDULER_ENABLED', 'sometimes', /SCHEDULER_ENABLED must be true or false/],
    ['SCHEDULER_POLL_MS', '5', /SCHEDULER_POLL_MS must be between 10 and 600000/],
    ['REPORT_LEASE_MS', 'long', /REPORT_LEASE_MS must be a whole number/],
    ['REPORT_RETENTION_DAYS', '0', /REPORT_RETENTION_DAYS must be between 1 and 3650/],
    [
      'WEBHOOK_ALLOWLIST',
      '10.0.0.0/33',
      /WEBHOOK_ALLOWLIST entries must be host names, IP addresses or CIDRs/,
    ],
    ['WEBHOOK_ALLOWLIST', 'http://x', /WEBHOOK_ALLOWLIST entries must be/],
    ['WEBHOOK_MAX_ATTEMPTS', '0', /WEBHOOK_MAX_ATTEMPTS must be between 1 and 50/],
    ['WEBHOOK_TIMEOUT_MS', '50', /WEBHOOK_TIMEOUT_MS must be between 100 and 120000/],
    ['WEBHOOK_BACKOFF_MS', '-1', /WEBHOOK_BACKOFF_MS must be a whole number/],
  ])('stops the boot on a bad %s, naming the key', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('has report scheduler and webhook defaults, and reads the webhook allow-list', () => {
    expect(loadConfig({})).toMatchObject({
      schedulerEnabled: true,
      schedulerPollMs: 5000,
      reportLeaseMs: 60000,
      reportRetentionDays: 90,
      webhookAllowlist: [],
      webhookMaxAttempts: 8,
      webhookTimeoutMs: 10000,
      webhookBackoffMs: 10000,
    });
    expect(
      loadConfig({ WEBHOOK_ALLOWLIST: ' 127.0.0.1, 10.0.0.0/8 ,ERP.internal,::1/128' }).webhookAllowlist,
    ).toEqual(['127.0.0.1', '10.0.0.0/8', 'erp.internal', '::1/128']);
  });

  it('reads sizes with units', () => {
    expect(loadConfig({ IMPORT_BODY_LIMIT: '512kb' }).importBodyLimit).toBe(512 * 1024);
    expect(loadConfig({ JSON_BODY_LIMIT: '2MB' }).jsonBodyLimit).toBe(2 * 1024 * 1024);
  });
});

describe('configuration of sessions and login throttling', () => {
  it('defaults to 60 idle minutes, 12 hours at most, 5 failures per account and 20 per address in 15 minutes', () => {
    expect(loadConfig({})).toMatchObject({
      sessionIdleMinutes: 60,
      sessionMaxHours: 12,
      loginMaxFailures: 5,
      loginMaxFailuresPerAddress: 20,
      loginFailureWindowMinutes: 15,
    });
  });

  it('reads them from the environment', () => {
    expect(
      loadConfig({
        SESSION_IDLE_MINUTES: '5',
        SESSION_MAX_HOURS: '1',
        LOGIN_MAX_FAILURES: '3',
        LOGIN_MAX_FAILURES_PER_ADDRESS: '9',
        LOGIN_FAILURE_WINDOW_MINUTES: '30',
      }),
    ).toMatchObject({
      sessionIdleMinutes: 5,
      sessionMaxHours: 1,
      loginMaxFailures: 3,
      loginMaxFailuresPerAddress: 9,
      loginFailureWindowMinutes: 30,
    });
  });

  it.each([
    ['SESSION_IDLE_MINUTES', '0', /SESSION_IDLE_MINUTES must be between 1 and 10080/],
    ['SESSION_MAX_HOURS', 'a day', /SESSION_MAX_HOURS must be a whole number/],
    ['SESSION_MAX_HOURS', '721', /SESSION_MAX_HOURS must be between 1 and 720/],
    ['LOGIN_MAX_FAILURES', '0', /LOGIN_MAX_FAILURES must be between 1 and 1000/],
    ['LOGIN_MAX_FAILURES_PER_ADDRESS', '-1', /LOGIN_MAX_FAILURES_PER_ADDRESS must be a whole number/],
    ['LOGIN_FAILURE_WINDOW_MINUTES', '1441', /LOGIN_FAILURE_WINDOW_MINUTES must be between 1 and 1440/],
  ])('refuses %s=%s', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });
});
