/** The shapes the pages read from the API (only the fields they use). */
export interface Stage {
  stage: string;
  label: string;
  customers: number;
}
export interface Lifecycle {
  asOf: string;
  customers: number;
  stages: Stage[];
}
export interface ProfitTotals {
  netRevenue: string;
  grossProfit: string;
  marginPct: string | null;
  cogs: string;
  contribution: string;
  costOfCredit: string;
}
export interface ProfitRow extends ProfitTotals {
  key: string;
  name: string;
  nameAr?: string | null;
}
export interface Profitability {
  asOf: string;
  totals: ProfitTotals;
  data: ProfitRow[];
  nextCursor: string | null;
}
export interface Bucket {
  key: string;
  label: string;
}
export interface AgingRow {
  customerId: string;
  name: string;
  nameAr?: string | null;
  buckets: Record<string, string>;
  totalOpen: string;
  netOwed: string;
  oldestOverdueDays: number | null;
  daysToPay: { mean: string | null };
}
export interface Aging {
  asOf: string;
  buckets: Bucket[];
  data: AgingRow[];
  nextCursor: string | null;
  totals: { customers: number; buckets: Record<string, string>; totalOpen: string; netOwed: string };
}
export interface Dso {
  asOf: string;
  dso: string | null;
  receivables: string;
  meanDaysToPay: string | null;
}
export interface Cohorts {
  cohorts: {
    cohort: string;
    customers: number;
    periods: { offset: number; month: string; netRevenue: string; activeCustomers: number }[];
  }[];
}
export interface RfmSegment {
  segment: string;
  label: string;
  labelAr: string;
  cells: string[];
  customers: number;
  netRevenue: string;
  customerShare: string;
  revenueShare: string;
}
export interface Rfm {
  asOf: string;
  population: number;
  segments: RfmSegment[];
}
export interface Movement {
  from: string;
  to: string;
  cells: {
    from: string;
    to: string;
    fromLabel: string;
    toLabel: string;
    customers: number;
    netRevenue: string;
  }[];
}
export interface Flag {
  flag: string;
  reason: string;
}
export interface ChurnRow {
  customerId: string;
  name: string;
  contact?: { nameAr?: string | null };
  riskScore: number;
  band: string;
  bandLabel: string;
  flags: Flag[];
  pAlive: number | null;
  valueAtRisk: string;
  lastPurchase: string | null;
  expectedNextPurchase: string | null;
  segment: { key: string; label: string } | null;
  stage: { key: string; label: string };
}
export interface Churn {
  asOf: string;
  summary: {
    customersScored: number;
    atRisk: number;
    valueAtRisk: string;
    bands: { band: string; label: string; customers: number }[];
  };
  data: ChurnRow[];
  nextCursor: string | null;
}
export interface Holdout {
  asOf: string;
  holdoutEnd: string;
  days: number;
  all: { customers: number; buyers: number; repeatRate: string | null };
  bands: { band: string; label: string; customers: number; buyers: number; repeatRate: string | null }[];
  flags: {
    flag: string;
    weight: number;
    ratio: number | null;
    flagged: { customers: number; repeatRate: string | null };
  }[];
}
export interface CustomerRow {
  customerId: string;
  name: string;
  nameAr?: string | null;
  rfm: {
    r: number;
    f: number;
    m: string;
    rScore: number;
    fScore: number;
    mScore: number;
    segment: string;
    segmentLabel: string;
  } | null;
  lifecycle: { stage: string; label: string; since: string | null };
  riskFlags: Flag[];
  netRevenue: string;
  balance: string;
  profitability: {
    grossProfit: string;
    cogs: string;
    costOfCredit: string;
    contribution: string;
    costCoverage: string | null;
  };
  clv: {
    pAlive: number | null;
    predictedClv: string | null;
    historicalClv: string | null;
    marginClv: string | null;
    nextExpectedPurchase: string | null;
    expectedPurchases?: { days30: number; days90: number; days365: number } | null;
  } | null;
  receivables: { open: string; overdue: string; meanDaysToPay: string | null };
}
export interface CustomerProfile extends CustomerRow {
  asOf: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  nameAr: string | null;
  cadence: {
    purchaseDays: number;
    firstPurchase: string | null;
    lastPurchase: string | null;
    medianGapDays: string | null;
    expectedNextPurchase: string | null;
    nextPurchaseOverdue: boolean;
  };
  topProducts: { productId: string; name: string; quantity: string; netRevenue: string }[];
}
export interface Statement {
  from: string;
  to: string;
  openingBalance: string;
  closingBalance?: string;
  lines: {
    date: string;
    type: string;
    reference: string;
    description: string;
    debit: string;
    credit: string;
    balance: string;
  }[];
}
export interface Invoice {
  externalId: string;
  issueDate: string;
  total: string;
  netTotal?: string;
  status: string;
}
