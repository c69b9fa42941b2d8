/**
 * Churn risk (DOMAIN.md §4): how the flags combine into a risk score 0–100, the score bands, and
 * the probability-alive rule for one-time buyers. Pure: no database, no clock.
 *
 * Score. Each raised flag f removes a share w_f of the customer's chance to buy again; the flags are
 * treated as independent, so
 *     score = round(100 × (1 − Π_{raised f} (1 − w_f)))
 * No flag → 0; one flag → 100 w_f; all flags → close to 100. The weights were measured on a holdout
 * (UCI Online Retail, flagged at 2011-09-09, purchases in the following 90 days; the figures are in
 * docs/analytics-definitions.md): w_f ≈ 1 − (90-day repeat rate of customers with f) / (repeat rate of
 * customers without f), rounded to 0.05. A flag that did not separate flagged from unflagged
 * customers clearly on the holdout has weight 0: it is still shown with its reason, but it does not
 * move the score.
 *
 * Value at risk = score / 100 × predicted CLV (DOMAIN.md §4); when no CLV model can be fitted (too
 * few repeat buyers) the customer's net revenue of the last 365 days stands in for the predicted CLV
 * (basis "last_12_months"), so small tenants still get a ranking.
 */
export const CHURN_FLAGS = [
  'overdue',
  'spend_decline',
  'low_p_alive',
  'returns_rising',
  'paying_slower',
] as const;
export type ChurnFlag = (typeof CHURN_FLAGS)[number];

/** The weights w_f (see above); the SQL score is generated from this table. */
export const CHURN_WEIGHTS: Readonly<Record<ChurnFlag, number>> = {
  // holdout: 42.88 % of flagged vs 72.89 % of unflagged customers bought again → 1 − 0.59 ≈ 0.40
  overdue: 0.4,
  // 51.77 % vs 59.46 % (ratio 0.87): not a clear separation → 0
  spend_decline: 0,
  // 33.19 % vs 63.06 % → 1 − 0.53 ≈ 0.45 (on this data every flag came from the one-time-buyer rule)
  low_p_alive: 0.45,
  // 66.67 % vs 56.81 %: flagged customers bought MORE often → 0
  returns_rising: 0,
  // not measurable: the holdout data has no payments → 0
  paying_slower: 0,
};

/**
 * A flag "separates clearly" when flagged customers' repeat rate is at most this share of the
 * unflagged customers' (and at least 30 customers are flagged).
 */
export const CLEAR_SEPARATION_RATIO = 0.8;

/** risk score 0–100 of a set of raised flags. */
export function riskScore(flags: Iterable<ChurnFlag>, weights = CHURN_WEIGHTS): number {
  let keep = 1;
  for (const f of new Set(flags)) keep *= 1 - weights[f];
  return Math.round(100 * (1 - keep));
}

/**
 * The same score as a SQL expression over boolean columns `flag_<f>` (flag_low_p_alive included),
 * exact in NUMERIC: round(100 × (1 − Π (1 − w_f × flag))) as int.
 */
export function riskScoreSql(column: (f: ChurnFlag) => string, weights = CHURN_WEIGHTS): string {
  const factors = CHURN_FLAGS.filter((f) => weights[f] > 0).map(
    (f) => `(1 - ${weights[f].toFixed(4)} * (COALESCE(${column(f)}, false))::int)`,
  );
  if (factors.length === 0) return '0';
  return `round(100 * (1 - ${factors.join(' * ')}))::int`;
}

export const SCORE_BANDS = [
  { key: 'none', min: 0, max: 0, labelEn: 'No risk signal', labelAr: 'لا مؤشرات خطر' },
  { key: 'low', min: 1, max: 39, labelEn: 'Low', labelAr: 'منخفض' },
  { key: 'medium', min: 40, max: 59, labelEn: 'Medium', labelAr: 'متوسط' },
  { key: 'high', min: 60, max: 100, labelEn: 'High', labelAr: 'مرتفع' },
] as const;
export type ScoreBand = (typeof SCORE_BANDS)[number]['key'];

export function scoreBand(score: number): ScoreBand {
  const b = SCORE_BANDS.find((x) => score >= x.min && score <= x.max);
  if (!b) throw new RangeError(`risk score must be 0–100 (got ${score})`);
  return b.key;
}

/** The band of a SQL score expression, as a CASE generated from SCORE_BANDS. */
export function scoreBandSql(score: string): string {
  return `CASE ${SCORE_BANDS.map((b) => `WHEN ${score} BETWEEN ${b.min} AND ${b.max} THEN '${b.key}'`).join(' ')} END`;
}

export function bandLabel(key: ScoreBand, lang: 'en' | 'ar'): string {
  const b = SCORE_BANDS.find((x) => x.key === key)!;
  return lang === 'ar' ? b.labelAr : b.labelEn;
}

/**
 * One-time buyers. BG/NBD lets a customer drop out only after a repeat purchase, so it gives every
 * one-time buyer P(alive) = 1 whatever their silence. Instead, a one-time buyer whose first purchase
 * was T days ago is alive with the probability that a second purchase still comes, given none came
 * in T days, estimated from the tenant's own customers: with S(t) the Kaplan–Meier probability of no
 * second purchase within t days of the first (every customer with a purchase is an observation: the
 * event is the second purchase day, censored at asOf),
 *     P(alive | one purchase, T) = (S(T) − S(end)) / S(T) = 1 − S(end) / S(T)
 * where S(end) is the survival after the longest observed time to a second purchase. A fresh one-time
 * buyer gets the tenant's share of customers who ever buy twice; one silent for longer than any
 * customer ever waited gets 0. S(T) = 0 gives 0.
 */
export interface KaplanMeierPoint {
  /** days since the first purchase */
  t: number;
  /** customers whose second purchase came exactly t days after the first */
  events: number;
  /** customers observed for exactly t days without a second purchase (censored) */
  censored: number;
}

/** S(t) after each distinct t (ascending), from points with any order. */
export function kaplanMeier(points: readonly KaplanMeierPoint[]): { t: number; survival: number }[] {
  const sorted = [...points].sort((a, b) => a.t - b.t);
  let atRisk = sorted.reduce((n, p) => n + p.events + p.censored, 0);
  let s = 1;
  const out: { t: number; survival: number }[] = [];
  for (const p of sorted) {
    if (atRisk > 0 && p.events > 0) s *= 1 - p.events / atRisk;
    out.push({ t: p.t, survival: s });
    atRisk -= p.events + p.censored;
  }
  return out;
}

/** P(alive) of a one-time buyer silent for T days under the curve (see above). */
export function oneTimeBuyerPAlive(curve: readonly { t: number; survival: number }[], T: number): number {
  if (curve.length === 0) return 1;
  let sT = 1;
  for (const p of curve) {
    if (p.t > T) break;
    sT = p.survival;
  }
  const sEnd = curve[curve.length - 1]!.survival;
  return sT > 0 ? 1 - sEnd / sT : 0;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;

/** The reason of the low-P(alive) flag, in words, with its basis (model or the one-time-buyer rule). */
export function lowPAliveReason(
  pAlive: number,
  basis: 'model' | 'one_time_rule',
  daysSinceLast: number | null,
  lang: 'en' | 'ar',
): string {
  if (basis === 'one_time_rule') {
    return lang === 'ar'
      ? `اشترى مرة واحدة قبل ${daysSinceLast ?? 0} يومًا؛ ${pct(pAlive)} فقط من العملاء الذين انتظروا هذه المدة عادوا للشراء`
      : `bought once, ${daysSinceLast ?? 0} days ago; only ${pct(pAlive)} of customers silent that long bought again`;
  }
  return lang === 'ar'
    ? `احتمال أنه ما زال عميلًا نشطًا ${pct(pAlive)} حسب نموذج الشراء`
    : `the purchase model gives a ${pct(pAlive)} probability that the customer is still active`;
}
