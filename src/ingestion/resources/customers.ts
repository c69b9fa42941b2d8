import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import { duplicateKeys, FieldReader } from '../field-reader';
import { contentHash, countsFrom, ImportContext, ImportCounts, ResourceHandler } from './types';

export interface CustomerRow {
  externalId: string;
  name: string;
  nameAr: string | null;
  email: string | null;
  phone: string | null;
  taxNumber: string | null;
  city: string | null;
  country: string | null;
  createdAt: string | null;
  hash: string;
}

const FIELDS = new Set([
  'externalId',
  'name',
  'nameAr',
  'email',
  'phone',
  'taxNumber',
  'city',
  'country',
  'createdAt',
]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const customers: ResourceHandler<CustomerRow> = {
  normalize(records, ctx, errors) {
    const rows: CustomerRow[] = [];
    const keys: (string | null)[] = [];
    records.forEach((rec, index) => {
      const r = new FieldReader(errors, index, ctx.timeZone);
      const o = r.object(rec, '', FIELDS);
      if (!o) return;
      const email = r.text(o, 'email', '', false, 320);
      if (email !== null && !EMAIL.test(email)) r.fail('email', 'must be an email address');
      const day = r.date(o, 'createdAt', '');
      const raw = o.createdAt;
      const created =
        day === null
          ? null
          : typeof raw === 'string' && raw.trim().length > 10
            ? new Date(raw).toISOString()
            : day;
      const row = {
        externalId: r.text(o, 'externalId', '', true, 200) ?? '',
        name: r.text(o, 'name', '', true) ?? '',
        nameAr: r.text(o, 'nameAr', ''),
        email,
        phone: r.text(o, 'phone', '', false, 50),
        taxNumber: r.text(o, 'taxNumber', '', false, 50),
        city: r.text(o, 'city', '', false, 200),
        country: r.text(o, 'country', '', false, 100),
        createdAt: created,
      };
      keys[index] = row.externalId || null;
      rows.push({ ...row, hash: contentHash(row) });
    });
    duplicateKeys(keys, 'externalId', errors);
    return rows;
  },

  async write(
    tx: Queryable,
    ctx: ImportContext,
    rows: CustomerRow[],
    _errors: FieldError[],
  ): Promise<ImportCounts> {
    const col = <K extends keyof CustomerRow>(k: K) => rows.map((r) => r[k]);
    const returned = await tx.query<{ inserted: boolean }>(
      `INSERT INTO customers (tenant_id, external_id, name, name_ar, email, phone, tax_number, city, country,
                              source_created_at, content_hash)
       SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                  $8::text[], $9::text[], $10::timestamptz[], $11::text[]) AS u
       ON CONFLICT (tenant_id, external_id) DO UPDATE SET
         name = EXCLUDED.name, name_ar = EXCLUDED.name_ar, email = EXCLUDED.email, phone = EXCLUDED.phone,
         tax_number = EXCLUDED.tax_number, city = EXCLUDED.city, country = EXCLUDED.country,
         source_created_at = EXCLUDED.source_created_at, content_hash = EXCLUDED.content_hash, updated_at = now()
       WHERE customers.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING (xmax = 0) AS inserted`,
      [
        ctx.tenantId,
        col('externalId'),
        col('name'),
        col('nameAr'),
        col('email'),
        col('phone'),
        col('taxNumber'),
        col('city'),
        col('country'),
        col('createdAt'),
        col('hash'),
      ],
    );
    return countsFrom(rows.length, returned);
  },
};
