import {
  CHURN_WEIGHTS,
  kaplanMeier,
  lowPAliveReason,
  oneTimeBuyerPAlive,
  riskScore,
  riskScoreSql,
  scoreBand,
  scoreBandSql,
} from './churn.math';

describe('risk score', () => {
  it('is 0 without flags and 100 × w for one flag (weights measured on the holdout)', () => {
    expect(riskScore([])).toBe(0);
    expect(riskScore(['overdue'])).toBe(40);
    expect(riskScore(['low_p_alive'])).toBe(45);
    expect(riskScore(['spend_decline'])).toBe(0);
    expect(riskScore(['returns_rising'])).toBe(0);
    expect(riskScore(['paying_slower'])).toBe(0);
  });

  it('combines flags as independent losses: overdue + low P(alive) = 1 − .6 × .55 = 67', () => {
    expect(riskScore(['overdue', 'low_p_alive'])).toBe(67);
    expect(riskScore(['overdue', 'spend_decline', 'low_p_alive', 'returns_rising', 'paying_slower'])).toBe(
      67,
    );
    // other weights: 1 − .5 × .7 = .65
    expect(
      riskScore(['overdue', 'spend_decline'], { ...CHURN_WEIGHTS, overdue: 0.5, spend_decline: 0.3 }),
    ).toBe(65);
  });

  it('counts a repeated flag once and never leaves 0–100', () => {
    expect(riskScore(['overdue', 'overdue'])).toBe(40);
    expect(riskScore(['overdue'], { ...CHURN_WEIGHTS, overdue: 1 })).toBe(100);
  });

  it('generates the same score as SQL over the weighted flags only', () => {
    const sql = riskScoreSql((f) => `t.flag_${f}`);
    expect(sql).toContain('(1 - 0.4000 * (COALESCE(t.flag_overdue, false))::int)');
    expect(sql).toContain('(1 - 0.4500 * (COALESCE(t.flag_low_p_alive, false))::int)');
    expect(sql).not.toContain('paying_slower');
    expect(sql).not.toContain('spend_decline');
    expect(riskScoreSql(() => 'x', { ...CHURN_WEIGHTS, overdue: 0, low_p_alive: 0 })).toBe('0');
  });

  it('bands the score at 0 | 1–39 | 40–59 | 60–100', () => {
    expect([0, 1, 39, 40, 59, 60, 100].map(scoreBand)).toEqual([
      'none',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
    expect(scoreBandSql('s')).toBe(
      "CASE WHEN s BETWEEN 0 AND 0 THEN 'none' WHEN s BETWEEN 1 AND 39 THEN 'low' " +
        "WHEN s BETWEEN 40 AND 59 THEN 'medium' WHEN s BETWEEN 60 AND 100 THEN 'high' END",
    );
    expect(() => scoreBand(101)).toThrow(RangeError);
  });
});

describe('one-time buyers: Kaplan–Meier of the time to a second purchase', () => {
  // events at 30 (3 customers), censored at 10 and 212: S(10) = 1, S(30) = 1 − 3/4 = .25, S(212) = .25
  const curve = kaplanMeier([
    { t: 30, events: 3, censored: 0 },
    { t: 10, events: 0, censored: 1 },
    { t: 212, events: 0, censored: 1 },
  ]);

  it('computes the survival after each time', () => {
    expect(curve).toEqual([
      { t: 10, survival: 1 },
      { t: 30, survival: 0.25 },
      { t: 212, survival: 0.25 },
    ]);
  });

  it('gives a fresh one-time buyer the share who ever buy twice, a long-silent one 0', () => {
    expect(oneTimeBuyerPAlive(curve, 10)).toBe(0.75);
    expect(oneTimeBuyerPAlive(curve, 0)).toBe(0.75);
    expect(oneTimeBuyerPAlive(curve, 212)).toBe(0);
    expect(oneTimeBuyerPAlive(curve, 500)).toBe(0);
  });

  it('falls between as the silence grows: events at 10, 20, 40 of 5 customers', () => {
    // at risk 5 → S(10) = 4/5; 4 → S(20) = 4/5 × 3/4 = .6; censored at 30 (1); 2 at risk at 40 → S(40) = .3
    const c = kaplanMeier([
      { t: 10, events: 1, censored: 0 },
      { t: 20, events: 1, censored: 0 },
      { t: 30, events: 0, censored: 1 },
      { t: 40, events: 1, censored: 1 },
    ]);
    expect(c.map((p) => p.survival)).toEqual([
      0.8, 0.6000000000000001, 0.6000000000000001, 0.30000000000000004,
    ]);
    // silent 25 days: 1 − S(end) / S(25) = 1 − .3 / .6 = .5
    expect(oneTimeBuyerPAlive(c, 25)).toBeCloseTo(0.5, 12);
    expect(oneTimeBuyerPAlive(c, 5)).toBeCloseTo(0.7, 12);
  });

  it('is 1 with no data and 0 when every customer bought again before T', () => {
    expect(oneTimeBuyerPAlive([], 30)).toBe(1);
    const all = kaplanMeier([{ t: 7, events: 2, censored: 0 }]);
    expect(all).toEqual([{ t: 7, survival: 0 }]);
    expect(oneTimeBuyerPAlive(all, 10)).toBe(0);
  });
});

describe('low P(alive) reasons', () => {
  it('says which rule gave the probability', () => {
    expect(lowPAliveReason(0.12, 'model', 80, 'en')).toBe(
      'the purchase model gives a 12% probability that the customer is still active',
    );
    expect(lowPAliveReason(0.05, 'one_time_rule', 300, 'en')).toBe(
      'bought once, 300 days ago; only 5% of customers silent that long bought again',
    );
    expect(lowPAliveReason(0.05, 'one_time_rule', 300, 'ar')).toContain('300 يومًا');
  });
});
