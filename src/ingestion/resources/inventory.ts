import Decimal from 'decimal.js';
import { Queryable } from '../../database/database';
import { FieldError } from '../../shared/errors';
import { Money } from '../../shared/money';
import { duplicateKeys, FieldReader } from '../field-reader';
import {
  contentHash,
  countsFrom,
  dec,
  ImportContext,
  ImportCounts,
  ResourceHandler,
  resolveIds,
} from './types';

/** A stock snapshot: identified by (product, warehouse, date) — it has no externalId of its own. */
export interface InventoryRow {
  index: number;
  productRef: string;
  warehouseId: string;
  asOf: string;
  onHand: Decimal;
  onOrder: Decimal;
  unitCost: string | null;
  hash: string;
}

const FIELDS = new Set(['productId', 'warehouseId', 'asOf', 'onHand', 'onOrder', 'unitCost']);
export const DEFAULT_WAREHOUSE = 'main';

export const inventory: ResourceHandler<InventoryRow> = {
  normalize(records, ctx, errors) {
    const rows: InventoryRow[] = [];
    const keys: (string | null)[] = [];
    records.forEach((rec, index) => {
      const r = new FieldReader(errors, index, ctx.timeZone);
      const o = r.object(rec, '', FIELDS);
      if (!o) return;
      const productRef = r.text(o, 'productId', '', true, 200);
      const warehouseId = r.text(o, 'warehouseId', '', false, 200) ?? DEFAULT_WAREHOUSE;
      const asOf = r.date(o, 'asOf', '', true);
      const onHand = r.decimal(o, 'onHand', '', 'nonNegative', true);
      const onOrder = r.decimal(o, 'onOrder', '', 'nonNegative') ?? new Money(0);
      const unitCost = dec(r.decimal(o, 'unitCost', '', 'nonNegative'));
      keys[index] = productRef && asOf ? JSON.stringify([productRef, warehouseId, asOf]) : null;
      if (!productRef || !asOf || onHand === null) return;
      const content = { onHand, onOrder, unitCost };
      rows.push({
        index,
        productRef,
        warehouseId,
        asOf,
        onHand,
        onOrder,
        unitCost,
        hash: contentHash(content),
      });
    });
    duplicateKeys(keys, 'productId', errors, 'snapshot (productId, warehouseId, asOf)');
    return rows;
  },

  async write(
    tx: Queryable,
    ctx: ImportContext,
    rows: InventoryRow[],
    errors: FieldError[],
  ): Promise<ImportCounts> {
    const products = await resolveIds(
      tx,
      'products',
      ctx.tenantId,
      rows.map((r) => r.productRef),
    );
    for (const r of rows) {
      if (!products.has(r.productRef)) {
        errors.push({
          index: r.index,
          field: 'productId',
          message: `product "${r.productRef}" does not exist`,
        });
      }
    }
    if (errors.length) return countsFrom(rows.length, []);
    const returned = await tx.query<{ inserted: boolean }>(
      `INSERT INTO inventory_snapshots (tenant_id, product_id, warehouse_id, as_of, on_hand, on_order, unit_cost,
                                        content_hash)
       SELECT $1, u.* FROM unnest($2::bigint[], $3::text[], $4::date[], $5::numeric[], $6::numeric[],
                                  $7::numeric[], $8::text[]) AS u
       ON CONFLICT (tenant_id, product_id, warehouse_id, as_of) DO UPDATE SET
         on_hand = EXCLUDED.on_hand, on_order = EXCLUDED.on_order, unit_cost = EXCLUDED.unit_cost,
         content_hash = EXCLUDED.content_hash, updated_at = now()
       WHERE inventory_snapshots.content_hash IS DISTINCT FROM EXCLUDED.content_hash
       RETURNING (xmax = 0) AS inserted`,
      [
        ctx.tenantId,
        rows.map((r) => products.get(r.productRef)),
        rows.map((r) => r.warehouseId),
        rows.map((r) => r.asOf),
        rows.map((r) => r.onHand.toString()),
        rows.map((r) => r.onOrder.toString()),
        rows.map((r) => r.unitCost),
        rows.map((r) => r.hash),
      ],
    );
    return countsFrom(rows.length, returned);
  },
};
