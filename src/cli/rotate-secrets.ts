import { loadConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { resolveSecretsKey, SecretBox, Sealed } from '../connectors/secrets';

/**
 * `npm run cli -- connectors rotate-secrets`: re-encrypts every connector's credentials under the
 * current SECRETS_KEY (old ones are opened with SECRETS_KEY_PREVIOUS), on the database the service
 * is configured for. Run it after setting SECRETS_KEY to the new key and SECRETS_KEY_PREVIOUS to the
 * old one; afterwards SECRETS_KEY_PREVIOUS can be removed. Prints counts, never a secret.
 */
export async function rotateSecrets(): Promise<{ resealed: number; current: number }> {
  const config = loadConfig();
  const key = resolveSecretsKey(config);
  if (!key) throw new Error('set SECRETS_KEY (64 hex characters) to the new key first');
  const box = new SecretBox(key, config.secretsKeyPrevious);
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    return await ds.transaction(async (m) => {
      const rows = await m.query<{ tenant_id: string; id: string; credentials_encrypted: Sealed }[]>(
        `SELECT tenant_id, id, credentials_encrypted FROM connectors FOR UPDATE`,
      );
      let resealed = 0;
      for (const r of rows) {
        if (!box.stale(r.credentials_encrypted)) continue;
        const sealed = box.seal(box.open(r.credentials_encrypted));
        await m.query(
          `UPDATE connectors SET credentials_encrypted = $3::jsonb WHERE tenant_id = $1 AND id = $2`,
          [r.tenant_id, r.id, JSON.stringify(sealed)],
        );
        resealed += 1;
      }
      return { resealed, current: rows.length - resealed };
    });
  } finally {
    await ds.destroy();
  }
}
