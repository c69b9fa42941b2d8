import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import { duplicateKeys, FieldReader } from '../field-reader';
import { contentHash, countsFrom, dec, ImportContext, ImportCounts, ResourceHandler } from './types';

export interface ProductRow {
  externalId: string;
  name: string;
  nameAr: string | null;
  category: string | null;
  unitCost: string | null;
  leadTimeDays: number | null;
  packSize: string | null;
  minOrderQty: string | null;
  isService: boolean;
  hash: string;
}

const FIELDS = new Set([
  'externalId',
  'name',
  'nameAr',
  'category',
  'unitCost',
  'leadTimeDays',
  'packSize',
  'minOrderQty',
  'isService',
]);

export const products: ResourceHandler<ProductRow> = {
  normalize(records, ctx, errors) {
    const rows: ProductRow[] = [];
    const keys: (string | null)[] = [];
    records.forEach((rec, index) => {
      const r = new FieldReader(errors, index, ctx.timeZone);
      const o = r.object(rec, '', FIELDS);
      if (!o) return;
      const row = {
        externalId: r.text(o, 'externalId', '', true, 200) ?? '',
        name: r.text(o, 'name', '', true) ?? '',
        nameAr: r.text(o, 'nameAr', ''),
        category: r.text(o, 'category', '', false, 200),
        unitCost: dec(r.decimal(o, 'unitCost', '', 'nonNegative')),
        leadTimeDays: r.integer(o, 'leadTimeDays', '', 0, 3650),
        packSize: dec(r.decimal(o, 'packSize', '', 'positive')),
        minOrderQty: dec(r.decimal(o, 'minOrderQty', '', 'nonNegative')),
        isService: r.boolean(o, 'isService', '', false),
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
    rows: ProductRow[],
    _errors: FieldError[],
  ): Promise<ImportCounts> {
    const col = <K extends keyof ProductRow>(k: K) => rows.map((r) => r[k]);
    const returned = await tx.query<{ inserted: boolean }>(
      `INSERT INTO products (tenant_id, external_id, name, name_ar, category, unit_cost, lead_time_days, pack_size,
                             min_order_qty, is_service, content_hash)
       SELECT $1, u.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::int[],
                                  $8::numeric[], $9::numeric[], $10::boolean[], $11::text[]) AS u
       ON CONFLICT (tenant_id, external_id) DO UPDATE SET
         name = EXCLUDED.name, name_ar = EXCLUDED.name_ar, category = EXCLUDED.category,
         unit_cost = EXCLUDED.unit_cost, lead_time_days = EXCLUDED.lead_time_days, pack_size = EXCLUDED.pack_size,
         min_order_qty = EXCLUDED.min_order_qty, is_service = EXCLUDED.is_service,
         content_hash = EXCLUDED.content_hash, updated_at = now()
       WHERE products.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING (xmax = 0) AS inserted`,
      [
        ctx.tenantId,
        col('externalId'),
        col('name'),
        col('nameAr'),
        col('category'),
        col('unitCost'),
        col('leadTimeDays'),
        col('packSize'),
        col('minOrderQty'),
        col('isService'),
        col('hash'),
      ],
    );
    return countsFrom(rows.length, returned);
  },
};
