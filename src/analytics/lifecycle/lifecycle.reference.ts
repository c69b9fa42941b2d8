/**
 * Lifecycle stage and risk flags of ONE customer at an as-of date A (DOMAIN.md §4), in plain
 * TypeScript. The engine runs in SQL (lifecycle.queries.ts); this is the reference it is tested
 * against (lifecycle.math.spec.ts by hand, test/e2e/online-retail.e2e-spec.ts on real data). Pure:
 * dates are 'YYYY-MM-DD' strings, money is exact (decimal strings, compared with Money).
 *
 * Purchase days P = distinct dates of the counting invoices ≤ A; gaps = differences of consecutive
 * purchase days; median = percentile_cont(0.5) (mean of the middle two for an even count).
 *   lapse threshold L = max(lapseDays, 3 × own median gap) (lapseDays without a gap)
 *   expected gap g   = own median with ≥ 2 gaps, else the tenant's median gap (basis own/tenant)
 *   reactivated on   = the latest purchase day that ended a gap > L (L as at A)
 * Stage, first that applies:             since
 *   prospect    no invoice ≤ A             createdAt (null when unknown)
 *   lapsed      A − last > L               last + ⌊L⌋ + 1
 *   new         A − first < newDays        first
 *   reactivated A − reactivatedOn < 90     reactivatedOn
 *   at_risk     any flag                   overdue: last + ⌊2g⌋ + 1; otherwise last
 *   active      otherwise                  max(first + newDays, reactivatedOn + 90)
 * Flags:
 *   overdue        A − last > 2g (never with no g)
 *   spend_decline  prior > 0 and recent < 50 % of prior, recent = net of (A − 90, A],
 *                  prior = net of (A − 180, A − 90], net = invoices − credit notes
 *   returns_rising s90 > 2 × s_life and s90 > 10 %, s = credit-note net / invoice net of the period
 *                  (no share without positive invoice net; compared exactly, by cross-multiplying)
 *   paying_slower  an invoice open at A more than 60 days past due (due date, else issue + terms),
 *                  or, with ≥ 4 invoices settled by A, the mean days to pay of the last 3 settled
 *                  (settled on DESC, issue date DESC, id DESC) > 1.5 × the mean of all settled
 * Lapsed since: the first day with A − last > L, i.e. last + ⌊L⌋ + 1 (L is not whole when the
 * median gap ends in .5).
 */
import { formatMoney, Money } from '../../shared/money';
import { addDays, daysBetween } from '../../shared/dates';
import { FlagFacts, FlagKey, StageKey } from './lifecycle.math';

export interface LifecycleSettings {
  newDays: number;
  lapseDays: number;
  paymentTermsDays: number;
}

/** A counting document (issued/paid invoice, issued credit note) in base currency: its net. */
export interface DatedNet {
  date: string;
  net: string;
}

/** An invoice whose open amount at A is > 0 (total − allocations and linked credit notes ≤ A). */
export interface OpenInvoice {
  issueDate: string;
  dueDate: string | null;
}

/** An invoice settled by A; `id` breaks ties like the SQL's identity column (insertion order). */
export interface SettledInvoice {
  id: number;
  issueDate: string;
  settledOn: string;
}

export interface CustomerDocuments {
  /** the customer's createdAt date; null or absent when unknown */
  createdAt?: string | null;
  invoices: readonly DatedNet[];
  creditNotes: readonly DatedNet[];
  openInvoices?: readonly OpenInvoice[];
  settledInvoices?: readonly SettledInvoice[];
}

/** The numbers behind the stage, exact where the SQL is exact. */
export interface LifecycleDetail {
  firstDate: string | null;
  lastDate: string | null;
  purchaseDays: number;
  gaps: number[];
  medianGap: number | null;
  lapseThreshold: number | null;
  reactivatedOn: string | null;
  spendRecent: string | null;
  spendPrior: string | null;
  returnsRecentShare: string | null;
  returnsLifetimeShare: string | null;
  settledInvoices: number;
}

export interface LifecycleResult {
  stage: StageKey;
  since: string | null;
  /** in the API's order: overdue, spend_decline, returns_rising, paying_slower */
  flags: FlagKey[];
  /** what reasonText needs, presented as the API does (money half-up to 2 places) */
  facts: FlagFacts;
  detail: LifecycleDetail;
}

/** percentile_cont(0.5): the middle value, or the mean of the middle two; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Distinct invoice dates ≤ asOf, ascending. */
export function purchaseDays(invoiceDates: Iterable<string>, asOf: string): string[] {
  return [...new Set([...invoiceDates].filter((d) => d <= asOf))].sort();
}

/** Days between consecutive purchase days. */
export function gapsOf(days: readonly string[]): number[] {
  return days.slice(1).map((d, i) => daysBetween(days[i]!, d));
}

/** The tenant's median gap at A: the median of every customer's gaps (invoice dates per customer). */
export function tenantMedianGap(customers: Iterable<Iterable<string>>, asOf: string): number | null {
  return median([...customers].flatMap((dates) => gapsOf(purchaseDays(dates, asOf))));
}

const sumNet = (docs: readonly DatedNet[], from: string | null, to: string) =>
  docs
    .filter((d) => (from === null || d.date > from) && d.date <= to)
    .reduce((s, d) => s.plus(d.net), new Money(0));

/** Mean days to pay, recent (last 3) and lifetime, when ≥ 4 invoices were settled by asOf. */
export function payDays(settled: readonly SettledInvoice[], asOf: string) {
  const paid = settled
    .filter((s) => s.settledOn <= asOf && s.issueDate <= asOf)
    .map((s) => ({ ...s, days: Math.max(0, daysBetween(s.issueDate, s.settledOn)) }))
    .sort(
      (a, b) =>
        b.settledOn.localeCompare(a.settledOn) || b.issueDate.localeCompare(a.issueDate) || b.id - a.id,
    );
  if (paid.length < 4) return { count: paid.length, recent: null, lifetime: null, slower: false };
  const recentSum = paid.slice(0, 3).reduce((s, p) => s + p.days, 0);
  const lifetimeSum = paid.reduce((s, p) => s + p.days, 0);
  // recentSum / 3 > 1.5 × lifetimeSum / n  ⇔  2 n recentSum > 9 lifetimeSum (whole numbers, exact)
  const slower = 2 * paid.length * recentSum > 9 * lifetimeSum;
  return { count: paid.length, recent: recentSum / 3, lifetime: lifetimeSum / paid.length, slower };
}

/**
 * Stage, since-date, flags and facts of one customer at `asOf`; null when the customer does not
 * exist yet (no invoice ≤ asOf and createdAt after asOf).
 */
export function lifecycleOf(
  doc: CustomerDocuments,
  asOf: string,
  settings: LifecycleSettings,
  tenantGap: number | null,
): LifecycleResult | null {
  const days = purchaseDays(
    doc.invoices.map((i) => i.date),
    asOf,
  );
  const createdAt = doc.createdAt ?? null;
  if (days.length === 0) {
    if (createdAt !== null && createdAt > asOf) return null;
    return prospect(createdAt);
  }
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const gaps = gapsOf(days);
  const ownMedian = median(gaps);
  const lapse = Math.max(settings.lapseDays, 3 * (ownMedian ?? 0));
  const expectedGap = gaps.length >= 2 ? ownMedian : tenantGap;
  const overdueBasis = gaps.length >= 2 ? 'own' : 'tenant';
  const reactivatedOn = days.filter((_d, i) => i > 0 && gaps[i - 1]! > lapse).pop() ?? null;
  const sinceLast = daysBetween(last, asOf);

  const d90 = addDays(asOf, -90);
  const d180 = addDays(asOf, -180);
  const invoices = doc.invoices.filter((i) => i.date <= asOf);
  const credits = doc.creditNotes.filter((c) => c.date <= asOf);
  const [invRecent, invPrior, invLife] = [
    sumNet(invoices, d90, asOf),
    sumNet(invoices, d180, d90),
    sumNet(invoices, null, asOf),
  ];
  const [cnRecent, cnPrior, cnLife] = [
    sumNet(credits, d90, asOf),
    sumNet(credits, d180, d90),
    sumNet(credits, null, asOf),
  ];
  const spendRecent = invRecent.minus(cnRecent);
  const spendPrior = invPrior.minus(cnPrior);
  const hasRecentShare = invRecent.gt(0);
  const hasLifetimeShare = invLife.gt(0);

  const open = (doc.openInvoices ?? []).filter((o) => o.issueDate <= asOf);
  const maxDaysOverdue = open.length
    ? Math.max(
        ...open.map((o) => daysBetween(o.dueDate ?? addDays(o.issueDate, settings.paymentTermsDays), asOf)),
      )
    : null;
  const pay = payDays(doc.settledInvoices ?? [], asOf);

  const flag = {
    overdue: expectedGap !== null && sinceLast > 2 * expectedGap,
    spend_decline: spendPrior.gt(0) && spendRecent.lt(spendPrior.times('0.5')),
    // cnRecent / invRecent > 2 × cnLife / invLife, both denominators > 0
    returns_rising:
      hasRecentShare &&
      hasLifetimeShare &&
      cnRecent.times(invLife).gt(cnLife.times(invRecent).times(2)) &&
      cnRecent.gt(invRecent.times('0.1')),
    paying_slower: (maxDaysOverdue !== null && maxDaysOverdue > 60) || pay.slower,
  };
  const flags = (['overdue', 'spend_decline', 'returns_rising', 'paying_slower'] as const).filter(
    (f) => flag[f],
  );

  let stage: StageKey;
  let since: string;
  if (sinceLast > lapse) {
    stage = 'lapsed';
    since = addDays(last, Math.floor(lapse) + 1);
  } else if (daysBetween(first, asOf) < settings.newDays) {
    stage = 'new';
    since = first;
  } else if (reactivatedOn !== null && daysBetween(reactivatedOn, asOf) < 90) {
    stage = 'reactivated';
    since = reactivatedOn;
  } else if (flags.length > 0) {
    stage = 'at_risk';
    since = flag.overdue ? addDays(last, Math.floor(2 * expectedGap!) + 1) : last;
  } else {
    stage = 'active';
    const afterNew = addDays(first, settings.newDays);
    const afterReactivation = reactivatedOn === null ? first : addDays(reactivatedOn, 90);
    since = afterNew > afterReactivation ? afterNew : afterReactivation;
  }

  const recentShare = hasRecentShare ? cnRecent.div(invRecent) : null;
  const lifetimeShare = hasLifetimeShare ? cnLife.div(invLife) : null;
  return {
    stage,
    since,
    flags,
    facts: {
      daysSinceLast: sinceLast,
      expectedGap,
      overdueBasis,
      spendRecent: formatMoney(spendRecent),
      spendPrior: formatMoney(spendPrior),
      returnsRecentShare: recentShare === null ? null : recentShare.toNumber(),
      returnsLifetimeShare: lifetimeShare === null ? null : lifetimeShare.toNumber(),
      maxDaysOverdue,
      payDaysRecent: pay.recent,
      payDaysLifetime: pay.lifetime,
    },
    detail: {
      firstDate: first,
      lastDate: last,
      purchaseDays: days.length,
      gaps,
      medianGap: ownMedian,
      lapseThreshold: lapse,
      reactivatedOn,
      spendRecent: spendRecent.toString(),
      spendPrior: spendPrior.toString(),
      returnsRecentShare: recentShare === null ? null : recentShare.toString(),
      returnsLifetimeShare: lifetimeShare === null ? null : lifetimeShare.toString(),
      settledInvoices: pay.count,
    },
  };
}

function prospect(createdAt: string | null): LifecycleResult {
  return {
    stage: 'prospect',
    since: createdAt,
    flags: [],
    facts: {
      daysSinceLast: null,
      expectedGap: null,
      overdueBasis: null,
      spendRecent: null,
      spendPrior: null,
      returnsRecentShare: null,
      returnsLifetimeShare: null,
      maxDaysOverdue: null,
      payDaysRecent: null,
      payDaysLifetime: null,
    },
    detail: {
      firstDate: null,
      lastDate: null,
      purchaseDays: 0,
      gaps: [],
      medianGap: null,
      lapseThreshold: null,
      reactivatedOn: null,
      spendRecent: null,
      spendPrior: null,
      returnsRecentShare: null,
      returnsLifetimeShare: null,
      settledInvoices: 0,
    },
  };
}
