import { importBatch, TestApp, TestTenant } from './app';

/**
 * The small scenario of the snapshot-read tests (snapshot-reads, snapshot-replay): customers A, B and
 * C (English and Arabic names), two invoices of A and one of B before AS_OF, C with none.
 */
export const AS_OF = '2024-06-30';

/** The summary and paged reads a snapshot of this scenario answers (prepared bodies), beyond the customer list. */
export const SNAPSHOT_SUMMARIES = [
  `/v1/analytics/profitability?asOf=${AS_OF}&limit=2`,
  `/v1/analytics/profitability?asOf=${AS_OF}&by=segment`,
  `/v1/analytics/profitability/whale-curve?asOf=${AS_OF}`,
  `/v1/analytics/receivables/aging?asOf=${AS_OF}&limit=2`,
  `/v1/analytics/receivables/dso?asOf=${AS_OF}`,
  `/v1/analytics/cohorts?asOf=${AS_OF}`,
];

export const inv = (id: string, customer: string, date: string, amount: number) => ({
  externalId: id,
  customerId: customer,
  issueDate: date,
  lines: [{ quantity: 1, unitPrice: amount }],
});

export async function importThreeCustomers(t: TestApp, tenant: TestTenant): Promise<void> {
  await importBatch(
    t,
    tenant,
    'customers',
    ['A', 'B', 'C'].map((id) => ({ externalId: id, name: `${id} Trading`, nameAr: `شركة ${id}` })),
  ).expect(200);
  await importBatch(t, tenant, 'invoices', [
    inv('A1', 'A', '2024-05-01', 100),
    inv('A2', 'A', '2024-06-01', 120),
    inv('B1', 'B', '2024-06-10', 500),
  ]).expect(200);
}
