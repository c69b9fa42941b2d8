import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Connector credentials at rest: AES-256-GCM under SECRETS_KEY (ADR 0018). A ciphertext carries the
 * id of the key that made it (the first 8 hex characters of the key's SHA-256), so after a rotation
 * SECRETS_KEY_PREVIOUS still opens old ciphertexts until they are re-encrypted
 * (`npm run cli -- connectors rotate-secrets`). Plaintexts are never logged or returned.
 */
export interface Sealed {
  v: 1;
  /** key id */
  kid: string;
  iv: string;
  tag: string;
  ct: string;
}

export class SecretsKeyMissing extends Error {
  constructor() {
    super('set SECRETS_KEY (64 hex characters) to store connector credentials');
  }
}

export class SecretBox {
  private readonly keys: { id: string; key: Buffer }[];

  /** `current` seals and opens; `previous` only opens. Both are 64 hex characters. */
  constructor(current: string | undefined, previous?: string) {
    this.keys = [current, previous]
      .filter((k): k is string => k !== undefined)
      .map((hex) => ({ id: keyId(hex), key: Buffer.from(hex, 'hex') }));
  }

  get available(): boolean {
    return this.keys.length > 0 && this.currentId !== null;
  }

  private get currentId(): string | null {
    return this.keys[0]?.id ?? null;
  }

  seal(plain: Record<string, string>): Sealed {
    const current = this.keys[0];
    if (!current) throw new SecretsKeyMissing();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', current.key, iv);
    const ct = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return {
      v: 1,
      kid: current.id,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ct: ct.toString('base64'),
    };
  }

  open(sealed: Sealed): Record<string, string> {
    const entry = this.keys.find((k) => k.id === sealed.kid);
    if (!entry) throw new Error(`no key with id ${sealed.kid} (set SECRETS_KEY or SECRETS_KEY_PREVIOUS)`);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  }

  /** Whether `sealed` was made with an older key than the current one (rotate-secrets re-seals it). */
  stale(sealed: Sealed): boolean {
    return sealed.kid !== this.currentId;
  }
}

export function keyId(hex: string): string {
  return createHash('sha256').update(hex.toLowerCase()).digest('hex').slice(0, 8);
}

const generatedInMemory = new Map<string, string>();

/**
 * The key the service seals with: SECRETS_KEY when set; else, embedded (no DATABASE_URL), one made on
 * first start into DATA_DIR/secrets.key (mode 0600), or held in memory for DATA_DIR=memory://;
 * else (PostgreSQL without SECRETS_KEY) none: creating a connector answers 409.
 */
export function resolveSecretsKey(config: {
  secretsKey: string | undefined;
  databaseUrl: string | undefined;
  dataDir: string;
}): string | undefined {
  if (config.secretsKey) return config.secretsKey;
  if (config.databaseUrl) return undefined;
  if (config.dataDir.startsWith('memory://')) {
    let k = generatedInMemory.get(config.dataDir);
    if (!k) {
      k = randomBytes(32).toString('hex');
      generatedInMemory.set(config.dataDir, k);
    }
    return k;
  }
  const file = join(config.dataDir, 'secrets.key');
  if (existsSync(file)) {
    const k = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(k)) throw new Error(`${file} must hold 64 hexadecimal characters`);
    return k.toLowerCase();
  }
  mkdirSync(config.dataDir, { recursive: true });
  const k = randomBytes(32).toString('hex');
  writeFileSync(file, `${k}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return k;
}
