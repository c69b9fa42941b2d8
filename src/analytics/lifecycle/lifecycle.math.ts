/**
 * Lifecycle stages and risk-flag reasons (DOMAIN.md §4): the labels and the words. The stage rules
 * themselves run in SQL (lifecycle.queries.ts); their pure TypeScript reference, which the tests hold
 * the SQL to, is lifecycle.reference.ts. This file holds what is shown to people.
 */
export const STAGES = [
  { key: 'prospect', labelEn: 'Prospect', labelAr: 'عميل محتمل' },
  { key: 'new', labelEn: 'New', labelAr: 'جديد' },
  { key: 'active', labelEn: 'Active', labelAr: 'نشط' },
  { key: 'at_risk', labelEn: 'At risk', labelAr: 'معرّض للخطر' },
  { key: 'lapsed', labelEn: 'Lapsed', labelAr: 'منقطع' },
  { key: 'reactivated', labelEn: 'Reactivated', labelAr: 'عائد' },
] as const;

export type StageKey = (typeof STAGES)[number]['key'];
export type Lang = 'en' | 'ar';

export function stageLabel(key: string, lang: Lang): string {
  const s = STAGES.find((x) => x.key === key);
  if (!s) return key;
  return lang === 'ar' ? s.labelAr : s.labelEn;
}

export type FlagKey = 'overdue' | 'spend_decline' | 'low_p_alive' | 'returns_rising' | 'paying_slower';

export interface FlagFacts {
  daysSinceLast: number | null;
  expectedGap: number | null;
  overdueBasis: 'own' | 'tenant' | null;
  spendRecent: string | null;
  spendPrior: string | null;
  returnsRecentShare: number | null;
  returnsLifetimeShare: number | null;
  maxDaysOverdue: number | null;
  /** mean days to pay of the last 3 settled invoices, and of all settled ones (null below 4) */
  payDaysRecent?: number | null;
  payDaysLifetime?: number | null;
  pAlive?: number | null;
}

export interface Reason {
  flag: FlagKey;
  text: string;
}

const pct = (x: number | null) => `${Math.round((x ?? 0) * 100)}%`;
const days = (n: number | null, lang: Lang) => (lang === 'ar' ? `${n ?? 0} يومًا` : `${n ?? 0} days`);

/** One sentence per raised flag, with the numbers behind it ("no purchase for 142 days; usually every 30"). */
export function reasonText(flag: FlagKey, f: FlagFacts, lang: Lang): string {
  const gap = f.expectedGap === null ? null : Math.round(f.expectedGap);
  switch (flag) {
    case 'overdue':
      return lang === 'ar'
        ? `لا شراء منذ ${days(f.daysSinceLast, 'ar')}؛ ${f.overdueBasis === 'own' ? 'يشتري عادةً كل' : 'العميل المعتاد يشتري كل'} ${days(gap, 'ar')}`
        : `no purchase for ${f.daysSinceLast ?? 0} days; ${f.overdueBasis === 'own' ? 'usually every' : 'a typical customer buys every'} ${gap ?? 0}`;
    case 'spend_decline':
      return lang === 'ar'
        ? `إنفاق آخر 90 يومًا ${f.spendRecent} مقابل ${f.spendPrior} في الـ90 يومًا السابقة`
        : `spent ${f.spendRecent} in the last 90 days against ${f.spendPrior} in the 90 days before`;
    case 'returns_rising':
      return lang === 'ar'
        ? `المرتجعات ${pct(f.returnsRecentShare)} من مشترياته في آخر 90 يومًا مقابل ${pct(f.returnsLifetimeShare)} على الإطلاق`
        : `returns were ${pct(f.returnsRecentShare)} of purchases in the last 90 days against ${pct(f.returnsLifetimeShare)} over the lifetime`;
    case 'paying_slower':
      return payingSlowerText(f, lang);
    case 'low_p_alive':
      return lang === 'ar'
        ? `احتمال أنه ما زال عميلًا ${pct(f.pAlive ?? null)}`
        : `probability still active ${pct(f.pAlive ?? null)}`;
  }
}

/**
 * Paying slower has two halves; the sentence names each one the facts show raised: an open invoice
 * more than 60 days past due, and the last 3 settled invoices paid in more than 1.5 × the lifetime
 * mean days. Facts without either half (an older caller) keep the past-due sentence.
 */
function payingSlowerText(f: FlagFacts, lang: Lang): string {
  const overdue = f.maxDaysOverdue !== null && f.maxDaysOverdue > 60;
  const recent = f.payDaysRecent ?? null;
  const lifetime = f.payDaysLifetime ?? null;
  const slower = recent !== null && lifetime !== null && recent > 1.5 * lifetime;
  const parts: string[] = [];
  if (overdue || !slower) {
    parts.push(
      lang === 'ar'
        ? `فاتورة متأخرة ${days(f.maxDaysOverdue, 'ar')} عن موعد استحقاقها`
        : `an invoice is ${f.maxDaysOverdue ?? 0} days past due`,
    );
  }
  if (slower) {
    parts.push(
      lang === 'ar'
        ? `سدّد آخر 3 فواتير في ${days(Math.round(recent), 'ar')} في المتوسط مقابل ${days(Math.round(lifetime), 'ar')} على مدى التعامل`
        : `paid the last 3 invoices in ${Math.round(recent)} days on average against ${Math.round(lifetime)} over the lifetime`,
    );
  }
  return parts.join(lang === 'ar' ? '؛ ' : '; ');
}
