import { customerMetricsSelect, METRICS } from '../customers/customer-metrics.queries';

/** Columns of snapshot_customers, in the order CUSTOMER_METRICS produces them. */
export const SNAPSHOT_CUSTOMER_COLUMNS = [
  'customer_id',
  'external_id',
  'name',
  'name_ar',
  'email',
  'phone',
  'city',
  'country',
  'recency_days',
  'frequency',
  'monetary',
  'r_score',
  'f_score',
  'm_score',
  'fm',
  'segment',
  'stage',
  'stage_since',
  'first_date',
  'last_date',
  'purchase_days',
  'median_gap',
  'lapse_days',
  'reactivated_on',
  'days_since_last',
  'expected_gap',
  'overdue_basis',
  'next_expected_date',
  'flag_overdue',
  'flag_spend_decline',
  'flag_returns_rising',
  'flag_paying_slower',
  'spend_recent',
  'spend_prior',
  'returns_recent_share',
  'returns_lifetime_share',
  'max_days_overdue',
  'net_revenue',
  'balance',
  'gross_profit',
  'cogs',
  'covered_revenue',
  'cost_of_credit',
  'contribution',
  'total_open',
  'overdue',
  'mean_days_to_pay',
  'pay_days_recent',
  'pay_days_lifetime',
] as const;

const COLS = SNAPSHOT_CUSTOMER_COLUMNS.join(', ');

/** $1 tenant → the published snapshot with the tenant's current data version (tenant_version). */
export const CURRENT_SNAPSHOT = `
  SELECT s.id, s.as_of, s.data_version, s.settings_hash, s.settings, s.customers, s.created_at, s.data_through,
         s.published_at, t.data_version AS tenant_version,
         EXISTS (SELECT 1 FROM analytics_jobs j WHERE j.tenant_id = t.id AND j.status IN ('queued', 'running'))
           AS refresh_queued
    FROM tenants t JOIN analytics_snapshots s ON s.tenant_id = t.id AND s.id = t.current_snapshot_id
   WHERE t.id = $1`;

/**
 * $1 tenant, $2 asOf, $3 settings hash, $4 stale allowed → the newest snapshot of that past date (not
 * the published one) with those settings made from the tenant's current data version — or, with $4
 * (SnapshotService.usable: a refresh is pending and the date is before the published snapshot's), the
 * newest of any version (tenant_version tells which).
 */
export const HISTORICAL_SNAPSHOT = `
  SELECT s.id, s.data_version, s.data_through, t.data_version AS tenant_version
    FROM tenants t JOIN analytics_snapshots s ON s.tenant_id = t.id
   WHERE t.id = $1 AND s.as_of = $2::date AND s.settings_hash = $3
     AND s.id IS DISTINCT FROM t.current_snapshot_id
     AND (s.data_version = t.data_version OR $4::boolean)
   ORDER BY s.data_version DESC, s.created_at DESC
   LIMIT 1`;

/**
 * The table holding a snapshot's customer rows: its partition of snapshot_customers (ADR 0011), in
 * snapshot_customers' schema (`schema`, from PARTITION_SCHEMA; a recompute puts its workspace first on
 * the search path). The name is derived from the snapshot id (a UUID the service generates), never
 * from client input.
 */
export function snapshotPartition(schema: string, snapshotId: string): string {
  if (!/^[0-9a-f-]{36}$/.test(snapshotId)) throw new Error(`not a snapshot id: ${snapshotId}`);
  return `"${schema.replace(/"/g, '""')}".snapshot_customers_${snapshotId.replace(/-/g, '')}`;
}

/** The schema of snapshot_customers, where its partitions go. */
export const PARTITION_SCHEMA = `SELECT relnamespace::regnamespace::text AS schema FROM pg_class WHERE oid = 'snapshot_customers'::regclass`;

/**
 * The keys and sort indexes of snapshot_customers (migration PartitionSnapshotCustomers), built on a
 * snapshot's table after its rows are loaded so that attaching it as a partition adopts them. The
 * sort indexes hold exactly customerListSql's sort expressions, so a page is an index range scan.
 */
export const SNAPSHOT_CUSTOMER_KEYS = [
  'PRIMARY KEY (tenant_id, snapshot_id, customer_id)',
  'UNIQUE (tenant_id, snapshot_id, external_id)',
];
export const SNAPSHOT_CUSTOMER_SORT_INDEXES = [
  `(tenant_id, snapshot_id, (COALESCE(net_revenue, '-Infinity'::numeric)) DESC, external_id DESC)`,
  `(tenant_id, snapshot_id, (COALESCE(balance, '-Infinity'::numeric)) DESC, external_id DESC)`,
  `(tenant_id, snapshot_id, (COALESCE(frequency::numeric, '-Infinity'::numeric)) DESC, external_id DESC)`,
  `(tenant_id, snapshot_id, (COALESCE(recency_days::numeric, 'Infinity'::numeric)), external_id)`,
  `(tenant_id, snapshot_id, (COALESCE(gross_profit, '-Infinity'::numeric)) DESC, external_id DESC)`,
];

/**
 * The customer rows of a recompute from its staged relations (METRICS, with the lifecycle at every
 * date of the flows: `at` = asOf are the rows) into `table`: $1 tenant, $2 snapshot id, $3 asOf.
 */
export function insertSnapshotCustomers(table: string): string {
  return `
  INSERT INTO ${table} (tenant_id, snapshot_id, ${COLS})
  SELECT $1, $2::uuid, ${COLS}
    FROM (${customerMetricsSelect({ ...METRICS, lifecycle: `(SELECT * FROM ${METRICS.lifecycle} WHERE at = $3::date)` })}) m`;
}

/** Customer rows of a snapshot, in the shape of CUSTOMER_METRICS: $1 tenant, $2 snapshot id. */
export const SNAPSHOT_CUSTOMERS_SOURCE = `SELECT ${COLS} FROM snapshot_customers WHERE tenant_id = $1 AND snapshot_id = $2::uuid`;

/** RFM_SEGMENT_COUNTS over a snapshot's rows ($1 tenant, $2 snapshot): the same rows, no recomputation. */
export const SNAPSHOT_RFM_SEGMENTS = `
  SELECT segment, count(*)::int AS customers, sum(monetary) AS net_revenue
    FROM snapshot_customers WHERE tenant_id = $1 AND snapshot_id = $2::uuid AND segment IS NOT NULL
   GROUP BY segment`;

/** RFM_SCORE_DISTRIBUTION over a snapshot's rows. */
export const SNAPSHOT_RFM_DISTRIBUTION = `
  WITH s AS (SELECT * FROM snapshot_customers WHERE tenant_id = $1 AND snapshot_id = $2::uuid AND segment IS NOT NULL)
  SELECT 'r' AS dim, r_score AS score, count(*)::int AS customers FROM s GROUP BY r_score
  UNION ALL SELECT 'f', f_score, count(*)::int FROM s GROUP BY f_score
  UNION ALL SELECT 'm', m_score, count(*)::int FROM s GROUP BY m_score
  UNION ALL SELECT 'fm', fm, count(*)::int FROM s GROUP BY fm`;
