import Decimal from 'decimal.js';
import { FieldError } from '../../shared/errors';
import { duplicateKeys, FieldReader } from '../field-reader';
import { checkTotal, documentTotal, DocumentLine, readLines } from './document-lines';
import { contentHash, ImportContext } from './types';

/** The fields invoices and credit notes share, normalised. */
export interface LinedDocumentHead {
  index: number;
  externalId: string;
  number: string | null;
  customerRef: string;
  issueDate: string;
  currency: string;
  exchangeRate: Decimal;
  pricesIncludeTax: boolean;
  lines: DocumentLine[];
  net: Decimal;
  tax: Decimal;
  total: Decimal;
  hash: string;
}

/** Fields every multi-currency document reads the same way. */
export function readCurrency(r: FieldReader, o: Record<string, unknown>, base: string) {
  const currency = r.currency(o, 'currency', '', base);
  const rate = r.decimal(o, 'exchangeRate', '', 'positive');
  if (currency !== base && rate === null) {
    r.fail(
      'exchangeRate',
      `is required when currency (${currency}) differs from the base currency (${base})`,
    );
  }
  return { currency, exchangeRate: rate ?? new Decimal(1) };
}

/**
 * Normalises a batch of documents with lines (invoices, credit notes): the shared head, the lines
 * and their arithmetic, the total check, then `readOwn` for the fields only that resource has.
 * Every problem of every record is collected; records with a missing key field are dropped.
 */
export function normalizeLinedDocuments<X extends object>(
  records: unknown[],
  ctx: ImportContext,
  errors: FieldError[],
  fields: ReadonlySet<string>,
  readOwn: (r: FieldReader, o: Record<string, unknown>, issueDate: string | null) => X,
): (LinedDocumentHead & X)[] {
  const docs: (LinedDocumentHead & X)[] = [];
  const keys: (string | null)[] = [];
  records.forEach((rec, index) => {
    const r = new FieldReader(errors, index, ctx.timeZone);
    const o = r.object(rec, '', fields);
    if (!o) return;
    const externalId = r.text(o, 'externalId', '', true, 200);
    keys[index] = externalId;
    const customerRef = r.text(o, 'customerId', '', true, 200);
    const issueDate = r.date(o, 'issueDate', '', true);
    const { currency, exchangeRate } = readCurrency(r, o, ctx.currency);
    const own = readOwn(r, o, issueDate);
    const pricesIncludeTax = r.boolean(o, 'pricesIncludeTax', '', false);
    const { lines, net, tax } = readLines(r, r.array(o, 'lines', '', true), pricesIncludeTax);
    const given = r.decimal(o, 'total', '', 'nonNegative');
    checkTotal(r, given, net, tax);
    if (!externalId || !customerRef || !issueDate) return;
    const content = {
      number: r.text(o, 'number', '', false, 200),
      customerRef,
      issueDate,
      ...own,
      currency,
      exchangeRate,
      pricesIncludeTax,
      lines,
      total: given,
    };
    docs.push({
      index,
      externalId,
      ...content,
      net,
      ...documentTotal(given, net, tax),
      hash: contentHash(content),
    });
  });
  duplicateKeys(keys, 'externalId', errors);
  return docs;
}
