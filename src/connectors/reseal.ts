import type { Queryable } from '../database/database';
import type { SecretBox, Sealed } from './secrets';

/**
 * Re-encrypts every connector's credentials that were sealed under an older key with the box's
 * current key (key rotation, docs/connectors.md), in the caller's transaction. Returns counts only;
 * credentials neither key opens are left as they are and counted as unreadable.
 */
export async function resealAll(
  tx: Queryable,
  box: SecretBox,
): Promise<{ resealed: number; current: number; unreadable: number }> {
  const rows = await tx.query<{ tenant_id: string; id: string; credentials_encrypted: Sealed }>(
    `SELECT tenant_id, id, credentials_encrypted FROM connectors ORDER BY tenant_id, id FOR UPDATE`,
  );
  let resealed = 0;
  let unreadable = 0;
  for (const r of rows) {
    if (!box.stale(r.credentials_encrypted)) continue;
    let plain: Record<string, string>;
    try {
      plain = box.open(r.credentials_encrypted);
    } catch {
      unreadable += 1; // sealed under a key that is neither SECRETS_KEY nor SECRETS_KEY_PREVIOUS
      continue;
    }
    const sealed = box.seal(plain);
    await tx.query(
      `UPDATE connectors SET credentials_encrypted = $3::jsonb WHERE tenant_id = $1 AND id = $2`,
      [r.tenant_id, r.id, JSON.stringify(sealed)],
    );
    resealed += 1;
  }
  return { resealed, current: rows.length - resealed - unreadable, unreadable };
}
