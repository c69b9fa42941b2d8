import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSecretsKey, SecretBox, SecretsKeyMissing } from './secrets';

const A = 'a'.repeat(64);
const B = '0123456789abcdef'.repeat(4);

describe('SecretBox', () => {
  it('seals and opens credentials; the ciphertext does not contain the plaintext', () => {
    const box = new SecretBox(A);
    const sealed = box.seal({ apiKey: 'super-secret-key-123' });
    expect(JSON.stringify(sealed)).not.toContain('super-secret');
    expect(box.open(sealed)).toEqual({ apiKey: 'super-secret-key-123' });
  });

  it('uses a fresh IV each time', () => {
    const box = new SecretBox(A);
    expect(box.seal({ k: 'x' }).ct).not.toEqual(box.seal({ k: 'x' }).ct);
    expect(box.seal({ k: 'x' }).iv).not.toEqual(box.seal({ k: 'x' }).iv);
  });

  it('refuses a tampered ciphertext', () => {
    const box = new SecretBox(A);
    const sealed = box.seal({ apiKey: 'k' });
    const ct = Buffer.from(sealed.ct, 'base64');
    ct[0] = ct[0]! ^ 1;
    expect(() => box.open({ ...sealed, ct: ct.toString('base64') })).toThrow();
  });

  it('opens an old ciphertext with SECRETS_KEY_PREVIOUS after a rotation and marks it stale', () => {
    const old = new SecretBox(A).seal({ apiKey: 'k' });
    const rotated = new SecretBox(B, A);
    expect(rotated.open(old)).toEqual({ apiKey: 'k' });
    expect(rotated.stale(old)).toBe(true);
    expect(rotated.stale(rotated.seal({ apiKey: 'k' }))).toBe(false);
    expect(() => new SecretBox(B).open(old)).toThrow(/no key/);
  });

  it('without a key it cannot seal', () => {
    const box = new SecretBox(undefined);
    expect(box.available).toBe(false);
    expect(() => box.seal({ a: 'b' })).toThrow(SecretsKeyMissing);
  });
});

describe('resolveSecretsKey', () => {
  it('takes SECRETS_KEY when set', () => {
    expect(resolveSecretsKey({ secretsKey: A, databaseUrl: 'postgres://x', dataDir: './data' })).toBe(A);
  });

  it('has none on PostgreSQL without SECRETS_KEY', () => {
    expect(resolveSecretsKey({ secretsKey: undefined, databaseUrl: 'postgres://x', dataDir: './d' })).toBe(
      undefined,
    );
  });

  it('embedded: generates one into DATA_DIR/secrets.key (0600) and reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'harakah-secrets-'));
    const k = resolveSecretsKey({ secretsKey: undefined, databaseUrl: undefined, dataDir: dir });
    expect(k).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'secrets.key'), 'utf8').trim()).toBe(k);
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    expect(resolveSecretsKey({ secretsKey: undefined, databaseUrl: undefined, dataDir: dir })).toBe(k);
  });

  it('embedded in memory: one key per process', () => {
    const cfg = { secretsKey: undefined, databaseUrl: undefined, dataDir: 'memory://' };
    expect(resolveSecretsKey(cfg)).toBe(resolveSecretsKey(cfg));
  });
});
