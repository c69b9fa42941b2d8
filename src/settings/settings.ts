/**
 * Per-tenant analytics settings (DOMAIN.md: "every setting named here is a per-tenant setting with
 * the default shown"). Stored in tenants.settings; absent keys take these defaults.
 */
export interface TenantSettings {
  /** RFM: limit F and M to (asOf − windowDays, asOf]; null = all history */
  rfmWindowDays: number | null;
  /** lifecycle: a customer is `new` while their first invoice is within this many days */
  newDays: number;
  /** lifecycle: minimum days without an invoice before a customer is `lapsed` */
  lapseDays: number;
  /** churn: P(alive) below this raises the low-probability flag */
  pAliveThreshold: number;
  /** receivables: due date = issue date + this when an invoice has none */
  paymentTermsDays: number;
  /** profitability: annual rate charged on open balances (0.12 = 12 %) */
  annualCreditRate: string;
  /** restock */
  serviceLevel: number;
  coverDays: number;
  restockWindowDays: number;
  leadTimeDays: number;
}

export const DEFAULT_SETTINGS: TenantSettings = {
  rfmWindowDays: null,
  newDays: 90,
  lapseDays: 180,
  pAliveThreshold: 0.3,
  paymentTermsDays: 30,
  annualCreditRate: '0',
  serviceLevel: 0.95,
  coverDays: 30,
  restockWindowDays: 90,
  leadTimeDays: 14,
};

export function withDefaults(stored: Record<string, unknown> | null | undefined): TenantSettings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS)) {
    if (stored && stored[key] !== undefined) out[key] = stored[key];
  }
  return out as unknown as TenantSettings;
}
