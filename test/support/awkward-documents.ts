import { importBatch, TestApp, TestTenant } from './app';

/**
 * Documents with the awkward cases of settlement and profitability, shared by the snapshot e2e tests
 * (snapshot-facts: snapshot rows = the engines' queries; snapshot-results: stored results = the
 * on-demand responses): foreign-currency invoices, payments and credit notes (in the invoice's
 * currency and not), a payment and a credit note of one customer applied to an invoice that is then
 * re-sent as another customer's, partial payments, an over-credited invoice, unlinked and
 * non-restocking returns, costs from the line, from inventory snapshots and from the product.
 */
export type Extra = Record<string, unknown>;
export const line = (productId: string, quantity: string, unitPrice: string, extra: Extra = {}) => ({
  productId,
  quantity,
  unitPrice,
  ...extra,
});
export const VAT = { taxRate: '0.15' };
// prettier-ignore
export const INVOICES = [
  { externalId: 'A1', customerId: 'A', issueDate: '2024-01-10', currency: 'USD', exchangeRate: '3.75',
    lines: [line('P1', '2', '10', VAT), line('P2', '1', '20', VAT)] },
  { externalId: 'A2', customerId: 'A', issueDate: '2024-03-01', status: 'paid',
    lines: [line('P2', '3', '10'), line('P3', '1', '5', { unitCost: '1' })] },
  // first B's: B pays part of it and credits part of it; then it is re-sent as A's (below)
  { externalId: 'A3', customerId: 'B', issueDate: '2024-06-01', dueDate: '2024-06-15', lines: [line('P2', '1', '30')] },
  { externalId: 'B1', customerId: 'B', issueDate: '2024-02-15', dueDate: '2024-03-01',
    lines: [line('P1', '1', '50', { unitCost: '4' })] },
  { externalId: 'B2', customerId: 'B', issueDate: '2024-04-10', lines: [line('P3', '4', '5')] },
];
export const pay = (
  externalId: string,
  customerId: string,
  date: string,
  amount: string,
  allocations: Extra[],
  extra: Extra = {},
) => ({
  externalId,
  customerId,
  date,
  amount,
  allocations,
  ...extra,
});
// prettier-ignore
export const PAYMENTS = [
  pay('PA1', 'A', '2024-02-01', '10', [{ invoiceId: 'A1', amount: '10' }], { currency: 'USD', exchangeRate: '3.70' }),
  pay('PA2', 'A', '2024-03-20', '35', [{ invoiceId: 'A2', amount: '35' }]),
  pay('PA3', 'A', '2024-02-25', '40', [{ invoiceId: 'A2', amount: '5' }]),
  pay('PB1', 'B', '2024-03-10', '50', [{ invoiceId: 'B1', amount: '50' }]),
  pay('PB2', 'B', '2024-06-10', '20', [{ invoiceId: 'A3', amount: '20' }]),
  pay('PB3', 'B', '2024-04-20', '100', [{ invoiceId: 'B2', amount: '20' }]),
];
// prettier-ignore
export const CREDIT_NOTES = [
  { externalId: 'CN1', customerId: 'A', issueDate: '2024-02-10', invoiceId: 'A1', currency: 'USD', exchangeRate: '3.80',
    lines: [line('P1', '1', '10', VAT)] },
  { externalId: 'CN2', customerId: 'B', issueDate: '2024-05-05', invoiceId: 'B2', restock: false, lines: [line('P3', '1', '5')] },
  { externalId: 'CN3', customerId: 'A', issueDate: '2024-06-20', lines: [line('P2', '1', '30')] },
  { externalId: 'CN4', customerId: 'B', issueDate: '2024-06-25', invoiceId: 'A3', lines: [line('P2', '1', '5')] },
  { externalId: 'CN5', customerId: 'A', issueDate: '2024-03-05', invoiceId: 'A1', lines: [line('P2', '1', '40')] },
];

/** Stock snapshots costing P2: two warehouses on one day (their mean), then a later cost. */
export const INVENTORY = [
  { productId: 'P2', warehouseId: 'main', asOf: '2024-02-01', onHand: '10', unitCost: '7' },
  { productId: 'P2', warehouseId: 'jeddah', asOf: '2024-02-01', onHand: '4', unitCost: '9' },
  { productId: 'P2', warehouseId: 'main', asOf: '2024-05-01', onHand: '6', unitCost: '10' },
];

/**
 * The awkward documents imported into `tenant` as the snapshot e2e tests use them: customers A, B and
 * C (no documents), products P1–P3, the stock snapshots, invoices, payments and credit notes, then A3
 * re-sent as A's, and a credit rate of 12 %.
 */
export async function importAwkwardDocuments(t: TestApp, tenant: TestTenant): Promise<void> {
  await importBatch(t, tenant, 'customers', [
    { externalId: 'A', name: 'A' },
    { externalId: 'B', name: 'B' },
    { externalId: 'C', name: 'C (no documents)' },
  ]).expect(200);
  await importBatch(t, tenant, 'products', [
    { externalId: 'P1', name: 'P1', unitCost: '5' },
    { externalId: 'P2', name: 'P2' },
    { externalId: 'P3', name: 'P3', unitCost: '2' },
  ]).expect(200);
  await importBatch(t, tenant, 'inventory', INVENTORY).expect(200);
  await importBatch(t, tenant, 'invoices', INVOICES).expect(200);
  await importBatch(t, tenant, 'payments', PAYMENTS).expect(200);
  await importBatch(t, tenant, 'credit-notes', CREDIT_NOTES).expect(200);
  await importBatch(t, tenant, 'invoices', [{ ...INVOICES[2]!, customerId: 'A' }]).expect(200);
  await t.http.put('/v1/settings').set(tenant.auth).send({ annualCreditRate: '0.12' }).expect(200);
}
