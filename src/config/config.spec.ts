import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('has working defaults: port 3000, embedded database under ./data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, databaseUrl: undefined, dataDir: './data', logLevel: 'info', migrateOnStart: true });
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
  ])('stops the boot on a bad %s, naming the key', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  it('reads sizes with units', () => {
    expect(loadConfig({ IMPORT_BODY_LIMIT: '512kb' }).importBodyLimit).toBe(512 * 1024);
    expect(loadConfig({ JSON_BODY_LIMIT: '2MB' }).jsonBodyLimit).toBe(2 * 1024 * 1024);
  });
});
