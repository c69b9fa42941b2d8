import { loadConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { Database } from '../database/database';
import { resealAll } from '../connectors/reseal';
import { resolveSecretsKey, SecretBox } from '../connectors/secrets';

/**
 * `npm run cli -- connectors rotate-secrets`: re-encrypts every connector's credentials under the
 * current SECRETS_KEY (old ones are opened with SECRETS_KEY_PREVIOUS), on the database the service
 * is configured for. Run it after setting SECRETS_KEY to the new key and SECRETS_KEY_PREVIOUS to the
 * old one; afterwards SECRETS_KEY_PREVIOUS can be removed. Prints counts, never a secret.
 */
export async function rotateSecrets(): Promise<{ resealed: number; current: number; unreadable: number }> {
  const config = loadConfig();
  const key = resolveSecretsKey(config);
  if (!key) throw new Error('set SECRETS_KEY (64 hex characters) to the new key first');
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    return await new Database(ds).transaction((tx) =>
      resealAll(tx, new SecretBox(key, config.secretsKeyPrevious)),
    );
  } finally {
    await ds.destroy();
  }
}
