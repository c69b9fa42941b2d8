import * as biz from '../fixtures/small-business';
import { bootApp, createTenant, importBatch, TestApp, TestTenant } from '../support/app';
import { tenantContents } from '../support/tables';

/**
 * Every class of bad input gets a 422 listing each problem as { index, field, message }, and the
 * batch writes nothing — not even its valid records.
 */
describe('import validation: bad input is refused whole and changes nothing', () => {
  let t: TestApp;
  let tenant: TestTenant;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    t = await bootApp();
    tenant = await createTenant(t);
    for (const resource of biz.ORDER) await importBatch(t, tenant, resource, biz.all[resource]).expect(200);
    before = await tenantContents(t, tenant.id);
  });
  afterEach(async () => {
    expect(await tenantContents(t, tenant.id)).toEqual(before);
  });
  afterAll(() => t.close());

  const validInvoice = (id: string, over: Record<string, unknown> = {}) => ({
    externalId: id,
    customerId: 'C1',
    issueDate: '2024-06-01',
    lines: [{ productId: 'SKU-1', quantity: '1', unitPrice: '10.00', taxRate: '0.15' }],
    ...over,
  });

  async function expect422(resource: string, body: unknown, contentType?: string) {
    const res = await importBatch(t, tenant, resource, body, contentType).expect(422);
    expect(res.body.error).toBe('validation_failed');
    expect(res.body.requestId).toEqual(expect.any(String));
    return res.body.errors as { index?: number; field: string; message: string; line?: number }[];
  }

  it('a total that does not match the lines (beyond 0.01)', async () => {
    const errors = await expect422('invoices', [
      validInvoice('N1', { total: '11.50' }), // 10 + 1.50 VAT: ok
      validInvoice('N2', { total: '11.52' }),
    ]);
    expect(errors).toEqual([
      { index: 1, field: 'total', message: expect.stringContaining('lines add up to 11.50') },
    ]);
  });

  it('accepts a total within 0.01 of the computed one', async () => {
    const res = await importBatch(t, tenant, 'invoices', [validInvoice('ROUNDING', { total: '11.51' })]);
    expect(res.status).toBe(200);
    // undo, so the afterEach comparison still holds
    await t.sql(
      `DELETE FROM invoice_lines WHERE tenant_id = $1 AND invoice_id IN (SELECT id FROM invoices WHERE tenant_id = $1 AND external_id = 'ROUNDING')`,
      [tenant.id],
    );
    await t.sql(`DELETE FROM invoices WHERE tenant_id = $1 AND external_id = 'ROUNDING'`, [tenant.id]);
  });

  it('allocations that add up to more than the payment', async () => {
    const errors = await expect422('payments', [
      {
        externalId: 'P9',
        customerId: 'C1',
        date: '2024-06-01',
        amount: '100',
        allocations: [
          { invoiceId: 'INV-1', amount: '60' },
          { invoiceId: 'INV-3', amount: '50' },
        ],
      },
    ]);
    expect(errors).toEqual([
      {
        index: 0,
        field: 'allocations',
        message: expect.stringContaining('more than the payment amount 100'),
      },
    ]);
  });

  it('zero and negative quantities, negative prices', async () => {
    const errors = await expect422('invoices', [
      validInvoice('N1', { lines: [{ productId: 'SKU-1', quantity: '0', unitPrice: '10' }] }),
      validInvoice('N2', { lines: [{ productId: 'SKU-1', quantity: -2, unitPrice: '10' }] }),
      validInvoice('N3', { lines: [{ productId: 'SKU-1', quantity: 1, unitPrice: '-10' }] }),
    ]);
    expect(errors).toEqual([
      { index: 0, field: 'lines[0].quantity', message: 'must be greater than 0' },
      { index: 1, field: 'lines[0].quantity', message: 'must be greater than 0' },
      { index: 2, field: 'lines[0].unitPrice', message: 'must be 0 or more' },
    ]);
  });

  it('a negative credit-note quantity and a discount larger than the line', async () => {
    const errors = await expect422('credit-notes', [
      {
        externalId: 'CN-X',
        customerId: 'C1',
        issueDate: '2024-06-01',
        lines: [{ productId: 'SKU-1', quantity: '-1', unitPrice: '5' }],
      },
      {
        externalId: 'CN-Y',
        customerId: 'C1',
        issueDate: '2024-06-01',
        lines: [{ productId: 'SKU-1', quantity: '1', unitPrice: '5', discount: '6' }],
      },
    ]);
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [0, 'lines[0].quantity'],
      [1, 'lines[0].discount'],
    ]);
  });

  it('references to customers, products and invoices that do not exist', async () => {
    const inv = await expect422('invoices', [
      validInvoice('N1', { customerId: 'NOPE' }),
      validInvoice('N2', { lines: [{ productId: 'SKU-404', quantity: 1, unitPrice: 1 }] }),
    ]);
    expect(inv).toEqual([
      { index: 0, field: 'customerId', message: 'customer "NOPE" does not exist' },
      { index: 1, field: 'lines[0].productId', message: 'product "SKU-404" does not exist' },
    ]);
    const pay = await expect422('payments', [
      {
        externalId: 'P9',
        customerId: 'C1',
        date: '2024-06-01',
        amount: '10',
        allocations: [{ invoiceId: 'INV-404', amount: '10' }],
      },
      {
        externalId: 'P10',
        customerId: 'C1',
        date: '2024-06-01',
        amount: '10',
        allocations: [{ invoiceId: 'INV-2', amount: '10' }],
      },
    ]);
    expect(pay).toEqual([
      { index: 0, field: 'allocations[0].invoiceId', message: 'invoice "INV-404" does not exist' },
      { index: 1, field: 'allocations[0].invoiceId', message: 'invoice "INV-2" belongs to another customer' },
    ]);
    const cn = await expect422('credit-notes', [
      {
        externalId: 'CN-X',
        customerId: 'C1',
        invoiceId: 'INV-404',
        issueDate: '2024-06-01',
        lines: [{ quantity: 1, unitPrice: 1 }],
      },
    ]);
    expect(cn).toEqual([{ index: 0, field: 'invoiceId', message: 'invoice "INV-404" does not exist' }]);
    const stock = await expect422('inventory', [{ productId: 'SKU-404', asOf: '2024-06-01', onHand: 1 }]);
    expect(stock).toEqual([{ index: 0, field: 'productId', message: 'product "SKU-404" does not exist' }]);
  });

  it('malformed JSON, a JSON body that is not an array, a broken NDJSON line', async () => {
    expect(await expect422('customers', '[{"externalId": "C9", ')).toEqual([
      { field: '(body)', message: expect.stringContaining('is not valid JSON') },
    ]);
    expect(await expect422('customers', '{"externalId": "C9"}')).toEqual([
      { field: '(body)', message: 'must be a JSON array of records' },
    ]);
    const nd = await expect422(
      'customers',
      '{"externalId":"C9","name":"x"}\n{"externalId": oops}\n',
      'application/x-ndjson',
    );
    expect(nd).toEqual([
      { index: 1, line: 2, field: '(record)', message: expect.stringContaining('is not valid JSON') },
    ]);
  });

  it('malformed CSV: an unclosed quote, a row with the wrong number of fields', async () => {
    const open = await expect422('customers', 'externalId,name\nC9,"Acme\n', 'text/csv');
    expect(open).toEqual([
      { field: '(body)', line: 3, message: expect.stringContaining('quoted field is not closed') },
    ]);
    const short = await expect422('customers', 'externalId,name\nC9\n', 'text/csv');
    expect(short).toEqual([
      { field: '(body)', line: 2, message: expect.stringContaining('has 1 fields, the header has 2') },
    ]);
  });

  it('CSV errors name the line of the file', async () => {
    const csv =
      'externalId,customerId,issueDate,productId,quantity,unitPrice\nN1,C1,2024-06-01,SKU-1,1,10\nN1,C1,2024-06-01,SKU-1,abc,10\n';
    expect(await expect422('invoices', csv, 'text/csv')).toEqual([
      { index: 0, line: 3, field: 'lines[1].quantity', message: 'must be a decimal number such as "12.50"' },
    ]);
    const differing =
      'externalId,customerId,issueDate,productId,quantity,unitPrice\nN1,C1,2024-06-01,SKU-1,1,10\nN1,C2,2024-06-01,SKU-1,1,10\n';
    expect(await expect422('invoices', differing, 'text/csv')).toEqual([
      {
        index: 0,
        line: 3,
        field: 'customerId',
        message: expect.stringContaining('differs between the rows'),
      },
    ]);
  });

  it('wrong types: a record that is not an object, text where numbers belong, lines that are not a list', async () => {
    const errors = await expect422('invoices', [
      'INV-X',
      validInvoice('N1', { lines: 'many' }),
      validInvoice('N2', { lines: [{ productId: 'SKU-1', quantity: 'three', unitPrice: true }] }),
      validInvoice('N3', { pricesIncludeTax: 'maybe', status: 'pending', currency: 'riyal' }),
      validInvoice('N4', { lines: [] }),
    ]);
    expect(errors).toEqual([
      { index: 0, field: '(record)', message: 'must be an object' },
      { index: 1, field: 'lines', message: 'must be an array' },
      { index: 2, field: 'lines[0].quantity', message: 'must be a decimal number such as "12.50"' },
      { index: 2, field: 'lines[0].unitPrice', message: 'must be a decimal number such as "12.50"' },
      { index: 3, field: 'currency', message: expect.stringContaining('3-letter') },
      { index: 3, field: 'status', message: 'must be one of draft, issued, paid, void' },
      { index: 3, field: 'pricesIncludeTax', message: 'must be true or false' },
      { index: 4, field: 'lines', message: 'must have at least one item' },
    ]);
  });

  it('impossible and malformed dates', async () => {
    const errors = await expect422('invoices', [
      validInvoice('N1', { issueDate: '2023-02-29' }),
      validInvoice('N2', { issueDate: '2024-04-31' }),
      validInvoice('N3', { issueDate: '01/05/2024' }),
      validInvoice('N4', { issueDate: '2024-05-10', dueDate: '2024-05-01' }),
    ]);
    expect(errors).toEqual([
      { index: 0, field: 'issueDate', message: 'must be a real calendar date (YYYY-MM-DD)' },
      { index: 1, field: 'issueDate', message: 'must be a real calendar date (YYYY-MM-DD)' },
      { index: 2, field: 'issueDate', message: 'must be a real calendar date (YYYY-MM-DD)' },
      { index: 3, field: 'dueDate', message: 'must not be before issueDate' },
    ]);
  });

  it('duplicate externalIds inside one batch', async () => {
    const errors = await expect422('customers', [
      { externalId: 'C7', name: 'a' },
      { externalId: 'C8', name: 'b' },
      { externalId: 'C7', name: 'c' },
    ]);
    expect(errors).toEqual([
      { index: 2, field: 'externalId', message: 'duplicate externalId in this batch (first at index 0)' },
    ]);
  });

  it('missing required fields and unknown fields', async () => {
    const errors = await expect422('customers', [
      { name: 'No id' },
      { externalId: 'C9', name: 'x', colour: 'red' },
    ]);
    expect(errors).toEqual([
      { index: 0, field: 'externalId', message: 'is required' },
      { index: 1, field: 'colour', message: 'is not a known field' },
    ]);
  });

  it('a foreign currency without an exchange rate', async () => {
    const errors = await expect422('invoices', [validInvoice('N1', { currency: 'USD' })]);
    expect(errors).toEqual([
      { index: 0, field: 'exchangeRate', message: expect.stringContaining('required when currency (USD)') },
    ]);
  });

  it('lists every problem of the batch, not only the first', async () => {
    const errors = await expect422('products', [
      { externalId: 'P1', name: 'x', unitCost: '-1' },
      { externalId: 'P2', name: 'y', packSize: '0', leadTimeDays: 1.5 },
      { externalId: 'P3' },
    ]);
    expect(errors).toHaveLength(4);
    expect(errors.map((e) => `${e.index}:${e.field}`)).toEqual([
      '0:unitCost',
      '1:leadTimeDays',
      '1:packSize',
      '2:name',
    ]);
  });
});
