import { dummyHash, hashPassword, SCRYPT_N, verifyPassword } from './passwords';

describe('password hashing', () => {
  it('stores scrypt with its parameters, a 16-byte salt and a 32-byte key', async () => {
    const stored = await hashPassword('correct horse battery');
    const [scheme, n, r, p, salt, key] = stored.split('$');
    expect({ scheme, n: Number(n), r: Number(r), p: Number(p) }).toEqual({
      scheme: 'scrypt',
      n: SCRYPT_N,
      r: 8,
      p: 1,
    });
    expect(SCRYPT_N).toBeGreaterThanOrEqual(2 ** 15);
    expect(Buffer.from(salt!, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key!, 'base64url')).toHaveLength(32);
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    await expect(verifyPassword('correct horse battery', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('salts every hash: the same password twice gives two different strings', async () => {
    const a = await hashPassword('same password here');
    const b = await hashPassword('same password here');
    expect(a).not.toBe(b);
    await expect(verifyPassword('same password here', b)).resolves.toBe(true);
  });

  it('reads the parameters from the stored string (a cheaper old hash still verifies)', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 7);
    const key = scryptSync('legacy password!', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
    await expect(verifyPassword('legacy password!', stored)).resolves.toBe(true);
    await expect(verifyPassword('legacy password?', stored)).resolves.toBe(false);
  });

  it('refuses stored values it cannot read instead of throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'bcrypt$x',
      'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43),
      'scrypt$1048576000$8$1$a$b',
    ]) {
      await expect(verifyPassword('whatever password', stored)).resolves.toBe(false);
    }
  });

  it('the dummy hash is a real hash no guessed password matches', async () => {
    const stored = await dummyHash();
    expect(stored.startsWith('scrypt$')).toBe(true);
    await expect(verifyPassword('harakah-demo-2026', stored)).resolves.toBe(false);
    expect(await dummyHash()).toBe(stored);
  });
});
