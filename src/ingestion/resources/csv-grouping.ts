import { FieldError } from '../../shared/errors';

/**
 * CSV for documents with lines (or payments with allocations) has one row per line, the document's
 * own fields repeated on each. Rows are grouped by externalId, in order of first appearance; the
 * repeated fields must agree. Line fields are named plainly (`quantity`) or with a prefix
 * (`line.quantity`, `allocation.amount`).
 */
export interface GroupedCsv {
  records: Record<string, unknown>[];
  /** CSV line numbers of the rows behind each record, in item order */
  rowLines: number[][];
}

export function groupCsvRows(
  rows: Record<string, string>[],
  lines: number[],
  itemKey: string,
  itemFields: ReadonlySet<string>,
  prefix: string,
  errors: FieldError[],
): GroupedCsv {
  const byId = new Map<string, number>();
  const records: Record<string, unknown>[] = [];
  const rowLines: number[][] = [];
  rows.forEach((row, r) => {
    const head: Record<string, string> = {};
    const item: Record<string, string> = {};
    for (const [k, v] of Object.entries(row)) {
      if (k.startsWith(prefix)) item[k.slice(prefix.length)] = v;
      else if (itemFields.has(k)) item[k] = v;
      else head[k] = v;
    }
    const id = head.externalId;
    const at = id === undefined ? undefined : byId.get(id);
    if (at === undefined) {
      const index = records.length;
      if (id !== undefined) byId.set(id, index);
      records.push({ ...head, [itemKey]: Object.keys(item).length ? [item] : [] });
      rowLines.push([lines[r]!]);
      return;
    }
    const doc = records[at]!;
    for (const k of new Set([...Object.keys(head), ...Object.keys(doc).filter((x) => x !== itemKey)])) {
      if (doc[k] !== head[k]) {
        errors.push({
          index: at,
          field: k,
          line: lines[r],
          message: `differs between the rows of this document (line ${rowLines[at]![0]} and line ${lines[r]})`,
        });
      }
    }
    if (Object.keys(item).length) {
      (doc[itemKey] as unknown[]).push(item);
      rowLines[at]!.push(lines[r]!);
    }
  });
  return { records, rowLines };
}
