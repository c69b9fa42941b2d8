import { CLV_SORTS } from '../clv/clv.queries';
import { lifecycleAtDatesSql, tenantGapSql } from '../lifecycle/lifecycle.queries';
import { customerProfitabilitySql } from '../profitability/profitability.queries';
import { rfmScoresSql } from '../rfm/rfm.queries';
import { countingCreditNotes, countingInvoices } from '../shared/documents.sql';
import { documentFacts, FACTS, factCtes } from '../snapshots/document-facts.queries';

/**
 * The per-customer metrics: RFM, lifecycle and flags, profitability (customerProfitabilitySql), and
 * lifetime net revenue with the receivables engine's per-customer columns (customerAccountsSql;
 * `balance` is its net owed). Each part is one relation over the document facts
 * (document-facts.queries.ts); a recompute stages them as temporary tables (METRIC names) and inserts
 * customerMetricsSelect(METRICS) into the snapshot; an on-demand read runs CUSTOMER_METRICS, the same
 * SQL as CTEs.
 */
export const METRICS = {
  lifecycle: 'metric_lifecycle',
  rfm: 'metric_rfm',
  profitability: 'metric_profitability',
  accounts: 'metric_accounts',
} as const;

/**
 * Per-customer account totals at `asOf` from the document facts, one pass over each: lifetime net
 * revenue (counting invoices − credit notes, net) and the receivables engine's snapshot columns of
 * receivablesSnapshotSql (total_open, unapplied, net_owed, overdue, mean_days_to_pay) with its
 * definitions: open amounts > 0 (overdue when past due), credits (payments and counting credit notes
 * dated ≤ asOf) less what was applied plus over-credit, amount-weighted days to pay of settled
 * invoices. One row per customer with a counting invoice, payment or credit note dated ≤ asOf.
 */
export function customerAccountsSql(asOf: string): string {
  return `
    SELECT x.customer_id, x.net_revenue, x.total_open, x.unapplied, x.total_open - x.unapplied AS net_owed, x.overdue,
           x.settled_weighted_days / NULLIF(x.settled_total, 0) AS mean_days_to_pay
      FROM (
        SELECT COALESCE(b.customer_id, n.customer_id, p.customer_id) AS customer_id,
               COALESCE(b.net, 0) - COALESCE(n.net, 0) AS net_revenue,
               COALESCE(b.total_open, 0) AS total_open,
               COALESCE(p.amount, 0) + COALESCE(n.total, 0) - COALESCE(b.applied, 0) + COALESCE(b.over_credited, 0)
                 AS unapplied,
               COALESCE(b.overdue, 0) AS overdue, COALESCE(b.settled_total, 0) AS settled_total,
               COALESCE(b.settled_weighted_days, 0) AS settled_weighted_days
          FROM (
            SELECT customer_id, sum(net) AS net,
                   COALESCE(sum(open) FILTER (WHERE open > 0), 0) AS total_open,
                   COALESCE(sum(open) FILTER (WHERE open > 0 AND ${asOf} - due_on > 0), 0) AS overdue,
                   COALESCE(sum(-open) FILTER (WHERE open < 0), 0) AS over_credited,
                   sum(applied) AS applied,
                   COALESCE(sum(total) FILTER (WHERE settled_on IS NOT NULL), 0) AS settled_total,
                   COALESCE(sum((settled_on - issue_date) * total) FILTER (WHERE settled_on IS NOT NULL), 0)
                     AS settled_weighted_days
              FROM ${FACTS.invoices} GROUP BY customer_id
          ) b
          FULL JOIN (SELECT customer_id, sum(net) AS net, sum(total) AS total FROM ${FACTS.creditNotes} GROUP BY customer_id) n
            ON n.customer_id = b.customer_id
          FULL JOIN (
            SELECT customer_id, sum(amount * exchange_rate) AS amount
              FROM payments WHERE tenant_id = $1 AND payment_date <= ${asOf} GROUP BY customer_id
          ) p ON p.customer_id = COALESCE(b.customer_id, n.customer_id)
      ) x`;
}

/**
 * The customer rows over the relations of `m` (lifecycle at asOf with pay_days_*, RFM, profitability,
 * accounts) and customers. One row per customer known at asOf.
 */
export function customerMetricsSelect(m: { [K in keyof typeof METRICS]: string }): string {
  return `
  SELECT c.id AS customer_id, c.external_id, c.name, c.name_ar, c.email, c.phone, c.city, c.country,
         r.recency_days, r.frequency, r.monetary, r.r_score, r.f_score, r.m_score, r.fm, r.segment,
         l.stage, l.stage_since, l.first_date, l.last_date, l.purchase_days, l.median_gap, l.lapse_days,
         l.reactivated_on, l.days_since_last, l.expected_gap, l.overdue_basis, l.next_expected_date,
         l.flag_overdue, l.flag_spend_decline, l.flag_returns_rising, l.flag_paying_slower,
         l.spend_recent, l.spend_prior, l.returns_recent_share, l.returns_lifetime_share, l.max_days_overdue,
         COALESCE(rv.net_revenue, 0) AS net_revenue,
         COALESCE(rv.net_owed, 0) AS balance,
         COALESCE(pf.gross_profit, 0) AS gross_profit, COALESCE(pf.cogs, 0) AS cogs,
         COALESCE(pf.covered_revenue, 0) AS covered_revenue, COALESCE(pf.cost_of_credit, 0) AS cost_of_credit,
         COALESCE(pf.contribution, 0) AS contribution,
         COALESCE(rv.total_open, 0) AS total_open, COALESCE(rv.overdue, 0) AS overdue, rv.mean_days_to_pay,
         l.pay_days_recent, l.pay_days_lifetime
    FROM ${m.lifecycle} l
    JOIN customers c ON c.tenant_id = $1 AND c.id = l.customer_id
    LEFT JOIN ${m.rfm} r ON r.customer_id = l.customer_id
    LEFT JOIN ${m.profitability} pf ON pf.customer_id = l.customer_id
    LEFT JOIN ${m.accounts} rv ON rv.customer_id = l.customer_id`;
}

/**
 * One row per customer known at asOf with everything the customer list and profile show, computed on
 * demand. Placeholders: $1 tenant, $2 asOf, $3 windowDays, $4 newDays, $5 lapseDays,
 * $6 paymentTermsDays, $7 annualCreditRate. With `population` (customerMetricsOf), the RFM scores and
 * the tenant's median purchase gap — the two population-wide parts — are read from those relations
 * instead of being computed over the documents the query sees.
 */
function customerMetricsSql(population?: { rfm: string; tenantGap: string }): string {
  return `
  WITH ${factCtes('$2::date', '$6::int')},
  life AS (${lifecycleAtDatesSql(['$2::date'], '$4::int', '$5::int', population && `SELECT * FROM ${population.tenantGap}`)}),
  rfm AS (${
    population
      ? // windowDays went into the population's scores; still typed here, as every placeholder must be
        `SELECT r.*, $3::int AS window_days FROM ${population.rfm} r`
      : rfmScoresSql('$2::date', '$3::int', FACTS)
  }),
  prof AS (${customerProfitabilitySql(
    { asOf: '$2::date', from: 'NULL::date', end: '$2::date', rate: '$7::numeric' },
    { invoices: FACTS.invoices, creditNotes: FACTS.creditNotes },
  )}),
  recv AS (${customerAccountsSql('$2::date')})
  ${customerMetricsSelect({ lifecycle: 'life', rfm: 'rfm', profitability: 'prof', accounts: 'recv' })}`;
}

export const CUSTOMER_METRICS = customerMetricsSql();

/**
 * The customer metrics of a few customers, computed on demand in time proportional to their documents
 * (a list page or a profile at a date no snapshot holds: ADR 0022). In one transaction:
 *   1. POPULATION_STEPS: the population-wide parts over every customer — the RFM scores (ranks over
 *      all customers), the tenant's median purchase gap, and the list's cheap columns (POPULATION.list:
 *      the sort keys net revenue, recency and frequency, the segment and the searched text), from which
 *      a list page picks its customers with customerListSql exactly as over CUSTOMER_METRICS;
 *   2. RESTRICT_DOCUMENTS: temporary tables named like the document tables (searched before them, so
 *      the unchanged engine SQL reads them) holding only the documents of those customers — and those
 *      the customers' rows depend on: invoices their credit notes return, credit notes and payments
 *      applied to their invoices;
 *   3. CUSTOMER_METRICS_OF: CUSTOMER_METRICS over those, with the population-wide parts of step 1.
 * Every column of a customer's row depends only on its own documents and on those two population-wide
 * parts, so the rows equal CUSTOMER_METRICS's (test/e2e/customers-on-demand.e2e-spec.ts).
 */
export const POPULATION = {
  rfm: 'population_rfm',
  tenantGap: 'population_tenant_gap',
  list: 'population_list',
} as const;

/** Step 1, in order; placeholders as CUSTOMER_METRICS ($1 tenant, $2 asOf, $3 windowDays). */
export const POPULATION_STEPS: { name: string; sql: string }[] = [
  { name: POPULATION.rfm, sql: rfmScoresSql('$2::date', '$3::int') },
  {
    name: POPULATION.tenantGap,
    // purchase days need only the counting invoices' customers and dates, not the invoice facts' applications
    sql: `WITH ${FACTS.invoices} AS (${countingInvoices('$2::date')}),
      ${FACTS.purchaseDays} AS (${documentFacts('$2::date', '0').find((f) => f.name === FACTS.purchaseDays)!.sql})
      ${tenantGapSql(['$2::date'])}`,
  },
  {
    // the customers CUSTOMER_METRICS has a row for (lifecycleAtDatesSql: known at asOf, or with a
    // counting invoice by then) with the columns customerListSql sorts and filters by; the stage and
    // the risk flags are not here (a list filtered by them is computed over everyone)
    name: POPULATION.list,
    sql: `
      SELECT c.id AS customer_id, c.external_id, c.name, c.name_ar, c.email, r.segment, NULL::text AS stage,
             NULL::boolean AS flag_overdue, NULL::boolean AS flag_spend_decline,
             NULL::boolean AS flag_returns_rising, NULL::boolean AS flag_paying_slower,
             COALESCE(b.net, 0) - COALESCE(n.net, 0) AS net_revenue, r.recency_days, r.frequency
        FROM customers c
        LEFT JOIN ${POPULATION.rfm} r ON r.customer_id = c.id
        LEFT JOIN (SELECT customer_id, sum(net) AS net FROM (${countingInvoices('$2::date')}) i GROUP BY customer_id) b
          ON b.customer_id = c.id
        LEFT JOIN (SELECT customer_id, sum(net) AS net FROM (${countingCreditNotes('$2::date')}) x GROUP BY customer_id) n
          ON n.customer_id = c.id
       WHERE c.tenant_id = $1 AND (c.source_created_at IS NULL OR c.source_created_at::date <= $2::date
                                   OR r.customer_id IS NOT NULL)`,
  },
];

/** The sorts a list page can pick its customers by from POPULATION.list. */
export const POPULATION_SORTS: readonly CustomerSort[] = ['netRevenue', 'recency', 'frequency'];

/**
 * Step 2: `schema` is the document tables' (PARTITION_SCHEMA); $1 tenant, $2 the customers' ids
 * (bigint[]). Each statement creates one temporary table, dropped when the transaction ends (analyse
 * it after: without statistics PostgreSQL plans every join over it as one row — nested loops, ~100 s
 * for a page at 100,000 customers instead of ~2 s).
 */
export function restrictDocuments(schema: string): { table: string; sql: string }[] {
  const base = (table: string) => `"${schema.replace(/"/g, '""')}".${table}`;
  const temp = (table: string, where: string) => ({
    table,
    sql: `CREATE TEMPORARY TABLE ${table} ON COMMIT DROP AS SELECT * FROM ${base(table)} WHERE tenant_id = $1 AND (${where})`,
  });
  return [
    temp('customers', `id = ANY($2::bigint[])`),
    temp(
      'invoices',
      `customer_id = ANY($2::bigint[]) OR id IN (SELECT invoice_id FROM ${base('credit_notes')}
         WHERE tenant_id = $1 AND customer_id = ANY($2::bigint[]) AND invoice_id IS NOT NULL)`,
    ),
    temp('invoice_lines', `invoice_id IN (SELECT id FROM pg_temp.invoices)`),
    temp(
      'credit_notes',
      `customer_id = ANY($2::bigint[]) OR invoice_id IN (SELECT id FROM pg_temp.invoices)`,
    ),
    temp('credit_note_lines', `credit_note_id IN (SELECT id FROM pg_temp.credit_notes)`),
    temp('payment_allocations', `invoice_id IN (SELECT id FROM pg_temp.invoices)`),
    temp(
      'payments',
      `customer_id = ANY($2::bigint[]) OR id IN (SELECT payment_id FROM pg_temp.payment_allocations)`,
    ),
  ];
}

/** Step 3: placeholders as CUSTOMER_METRICS. */
export const CUSTOMER_METRICS_OF = customerMetricsSql({
  rfm: POPULATION.rfm,
  tenantGap: POPULATION.tenantGap,
});

export const CUSTOMER_SORTS = {
  netRevenue: 'net_revenue',
  grossProfit: 'gross_profit',
  recency: 'recency_days',
  frequency: 'frequency',
  balance: 'balance',
  // the CLV block's columns (customers.service joins the predictions of asOf to every source)
  ...CLV_SORTS,
} as const;
export type CustomerSort = keyof typeof CUSTOMER_SORTS;

/** The `risk` filter of the customer list: one lifecycle risk flag, or `any` of them. */
export const CUSTOMER_RISKS = ['any', 'overdue', 'spend_decline', 'returns_rising', 'paying_slower'] as const;

/**
 * A page of the list over `source` (CUSTOMER_METRICS, or a snapshot's rows) whose own placeholders
 * are $1…$offset; then segment or null, stage or null, (sort value, external id) keyset cursor, limit,
 * search text or null (lower case: a substring of the name, Arabic name, email or external id), risk
 * flag or null (CUSTOMER_RISKS; `any`: at least one flag). Sorted descending by the sort column
 * (recency ascending: most recent first), NULLs last, then by external id.
 */
export function customerListSql(sort: CustomerSort, source: string, offset: number): string {
  const p = (i: number) => `$${offset + i}`;
  const col = CUSTOMER_SORTS[sort];
  const asc = sort === 'recency';
  // the same expressions as the snapshot's sort indexes (migration IndexSnapshotCustomerSorts)
  const key = `COALESCE(${col}, ${asc ? "'Infinity'::numeric" : "'-Infinity'::numeric"})`;
  return `
    SELECT * FROM (
      SELECT m.*, ${key} AS sort_key FROM (${source}) m
       WHERE (${p(1)}::text IS NULL OR m.segment = ${p(1)}) AND (${p(2)}::text IS NULL OR m.stage = ${p(2)})
         AND (${p(6)}::text IS NULL OR strpos(lower(m.name), ${p(6)}) > 0 OR strpos(lower(m.external_id), ${p(6)}) > 0
              OR strpos(lower(COALESCE(m.email, '')), ${p(6)}) > 0 OR strpos(lower(COALESCE(m.name_ar, '')), ${p(6)}) > 0)
         AND (${p(7)}::text IS NULL
              OR (${p(7)} = 'any' AND (m.flag_overdue IS TRUE OR m.flag_spend_decline IS TRUE
                                       OR m.flag_returns_rising IS TRUE OR m.flag_paying_slower IS TRUE))
              OR (${p(7)} = 'overdue' AND m.flag_overdue IS TRUE)
              OR (${p(7)} = 'spend_decline' AND m.flag_spend_decline IS TRUE)
              OR (${p(7)} = 'returns_rising' AND m.flag_returns_rising IS TRUE)
              OR (${p(7)} = 'paying_slower' AND m.flag_paying_slower IS TRUE))
    ) x
    WHERE ${p(3)}::numeric IS NULL OR (x.sort_key, x.external_id) ${asc ? '>' : '<'} (${p(3)}::numeric, ${p(4)}::text)
    ORDER BY x.sort_key ${asc ? 'ASC' : 'DESC'}, x.external_id ${asc ? 'ASC' : 'DESC'}
    LIMIT ${p(5)}`;
}
