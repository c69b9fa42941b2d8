import { addDays } from '../../shared/dates';
import { FlagFacts, reasonText } from './lifecycle.math';
import {
  CustomerDocuments,
  DatedNet,
  lifecycleOf,
  LifecycleResult,
  median,
  payDays,
  SettledInvoice,
  tenantMedianGap,
} from './lifecycle.reference';

/**
 * Hand-worked cases for the lifecycle stage rules and risk flags (lifecycle.reference.ts, which the
 * SQL in lifecycle.queries.ts must agree with). asOf A = 2024-06-30 throughout; `ago(n)` is the date
 * n days before A, so "days since last" is just n. Defaults: newDays 90, lapseDays 180, terms 30.
 */
const A = '2024-06-30';
const S = { newDays: 90, lapseDays: 180, paymentTermsDays: 30 };
const ago = (n: number) => addDays(A, -n);
const inv = (n: number, net = '100'): DatedNet => ({ date: ago(n), net });
const cn = (n: number, net: string): DatedNet => ({ date: ago(n), net });
const buys = (...n: number[]) => n.map((d) => inv(d));

function at(doc: Partial<CustomerDocuments>, tenantGap: number | null = 30, settings = S): LifecycleResult {
  const r = lifecycleOf({ invoices: [], creditNotes: [], ...doc }, A, settings, tenantGap);
  if (!r) throw new Error('customer does not exist at A');
  return r;
}
const brief = (r: LifecycleResult) => [r.stage, r.since, r.flags];

describe('median (percentile_cont 0.5) and the tenant median gap', () => {
  it('takes the middle value, or the mean of the middle two; none for no gaps', () => {
    expect([median([]), median([5]), median([30, 10, 20]), median([10, 20]), median([1, 2])]).toEqual([
      null,
      5,
      20,
      15,
      1.5,
    ]);
  });

  it('pools every customer’s gaps: (0, 10, 30) and (0, 30, 40, 45) → gaps 10 20 30 10 5 → median 10', () => {
    const dates = (...d: number[]) => d.map((x) => addDays('2024-01-01', x));
    expect(tenantMedianGap([dates(0, 10, 30), dates(0, 30, 40, 45)], A)).toBe(10);
  });

  it('counts a day once (two invoices the same day are one purchase) and ignores days after A', () => {
    // 01-01, 01-01, 01-11, then 07-05 (after A): one gap of 10
    expect(tenantMedianGap([['2024-01-01', '2024-01-01', '2024-01-11', '2024-07-05']], A)).toBe(10);
  });

  it('has no median when every customer bought once (all one-time buyers)', () => {
    expect(tenantMedianGap([[ago(10)], [ago(20)], [ago(300)]], A)).toBeNull();
  });
});

describe('stage: prospect', () => {
  it('is a prospect without an invoice, since its createdAt (null when unknown)', () => {
    expect(brief(at({ createdAt: '2024-01-15' }))).toEqual(['prospect', '2024-01-15', []]);
    expect(brief(at({}))).toEqual(['prospect', null, []]);
  });

  it('is still a prospect with only returns (credit notes, no invoice): returns are not purchases', () => {
    const r = at({ creditNotes: [cn(10, '50')] });
    expect(brief(r)).toEqual(['prospect', null, []]);
    expect(r.facts.spendRecent).toBeNull();
  });

  it('does not exist yet when created after A with no invoice; an invoice after A does not count', () => {
    expect(lifecycleOf({ createdAt: '2024-07-01', invoices: [], creditNotes: [] }, A, S, 30)).toBeNull();
    expect(brief(at({ invoices: [{ date: '2024-07-01', net: '10' }] }))).toEqual(['prospect', null, []]);
  });
});

describe('stage: new (A − first < newDays)', () => {
  it('a single purchase 89 days ago is new, since that day', () => {
    expect(brief(at({ invoices: buys(89) }, 50))).toEqual(['new', ago(89), []]);
  });

  it('a single purchase 90 days ago is no longer new: at_risk since that purchase', () => {
    // tenant gap 50: 90 ≤ 2 × 50, not overdue; but 0 in (A − 90, A] against 100 in (A − 180, A − 90]
    // is a spend decline. (So a one-time buyer goes new → at_risk → lapsed, never active.)
    expect(brief(at({ invoices: buys(90) }, 50))).toEqual(['at_risk', ago(90), ['spend_decline']]);
  });

  it('follows the newDays setting (newDays 30: first 29 days ago new, 30 days ago active since A)', () => {
    expect(at({ invoices: buys(29) }, 50, { ...S, newDays: 30 }).stage).toBe('new');
    expect(brief(at({ invoices: buys(30) }, 50, { ...S, newDays: 30 }))).toEqual(['active', A, []]);
  });
});

describe('stage: lapsed (A − last > max(lapseDays, 3 × median gap))', () => {
  it('single purchase: threshold 180 (no gap); 180 days silent is not lapsed, 181 is, since last + 181', () => {
    // 180 days: at_risk (overdue: 180 > 2 × 30), since last + 61
    expect(brief(at({ invoices: buys(180) }))).toEqual(['at_risk', ago(119), ['overdue']]);
    expect(brief(at({ invoices: buys(181) }))).toEqual(['lapsed', A, ['overdue']]);
  });

  it('uses 3 × the median gap when above 180: gaps 70, 70 → 210; 210 days not lapsed, 211 lapsed', () => {
    // 210: overdue (210 > 140) → at_risk since last + 141 = ago(69)
    const a = at({ invoices: buys(350, 280, 210) });
    expect(brief(a)).toEqual(['at_risk', ago(69), ['overdue']]);
    expect(a.detail.lapseThreshold).toBe(210);
    // 211 > 210 → lapsed since last + 211 = A
    expect(brief(at({ invoices: buys(351, 281, 211) }))).toEqual(['lapsed', A, ['overdue']]);
  });

  it('keeps 180 when 3 × the median is below it: gaps 10, 10 → max(180, 30) = 180', () => {
    expect(brief(at({ invoices: buys(201, 191, 181) }))).toEqual(['lapsed', A, ['overdue']]);
  });

  it('dates a half-day threshold on its first lapsed day: gaps 61, 60 → 3 × 60.5 = 181.5, since last + ⌊181.5⌋ + 1', () => {
    // 182 days silent > 181.5 → lapsed at A, and A is the first such day: last + 182 = A
    const r = at({ invoices: buys(303, 242, 182) });
    expect(brief(r)).toEqual(['lapsed', A, ['overdue']]);
    expect([r.detail.medianGap, r.detail.lapseThreshold]).toEqual([60.5, 181.5]);
  });
});

describe('stage: reactivated (a purchase < 90 days ago ended a gap longer than the lapse threshold)', () => {
  // gaps 10, 10, 10, then 440 → median 10, threshold 180; the purchase 30 days ago ended the long gap
  const back = (n: number) => buys(n + 470, n + 460, n + 450, n + 440, n);

  it('bought 30 days ago after 440 silent days (> 180): reactivated since that purchase', () => {
    const r = at({ invoices: back(30) });
    // overdue too (30 > 2 × 10) but reactivated comes first
    expect(brief(r)).toEqual(['reactivated', ago(30), ['overdue']]);
    expect(r.detail.reactivatedOn).toBe(ago(30));
  });

  it('89 days after the comeback still reactivated; 90 days after it no longer', () => {
    expect(at({ invoices: back(89) }).stage).toBe('reactivated');
    // 90: overdue (90 > 20) and spend decline (0 against 100) → at_risk since last + 21 = ago(69)
    expect(brief(at({ invoices: back(90) }))).toEqual(['at_risk', ago(69), ['overdue', 'spend_decline']]);
  });

  it('needs a gap strictly longer than the threshold: gaps 10, 10, 10, 180 → not reactivated', () => {
    expect(at({ invoices: buys(230, 220, 210, 200, 20) }).detail.reactivatedOn).toBeNull();
  });

  it('cannot happen with one gap: the median is that gap and the threshold 3 × it', () => {
    const r = at({ invoices: buys(400, 10) });
    // gap 390 → threshold 1170; tenant basis (1 gap): 10 ≤ 60
    expect([r.detail.lapseThreshold, r.detail.reactivatedOn, r.stage]).toEqual([1170, null, 'active']);
  });

  it('dates active after a comeback by the later of first + 90 and comeback + 90', () => {
    // comeback 120 days ago (gap 350), then every 20 days: gaps 10 10 10 350 20 20 20 20 20 → median 20
    // (threshold 180); last 20 days ago ≤ 40; spend (A−90, A] 400 vs (A−180, A−90] 200.
    const r = at({ invoices: buys(500, 490, 480, 470, 120, 100, 80, 60, 40, 20) });
    expect(brief(r)).toEqual(['active', ago(30), []]); // max(ago(410), ago(120) + 90 = ago(30))
  });
});

describe('stage precedence: prospect, lapsed, new, reactivated, at_risk, active', () => {
  it('lapsed beats new: newDays 1000, one purchase 200 days ago (> 180)', () => {
    expect(brief(at({ invoices: buys(200) }, 30, { ...S, newDays: 1000 }))).toEqual([
      'lapsed',
      ago(19),
      ['overdue'],
    ]);
  });

  it('new beats reactivated: newDays 1000 and a comeback 30 days ago', () => {
    expect(brief(at({ invoices: buys(500, 490, 480, 470, 30) }, 30, { ...S, newDays: 1000 }))).toEqual([
      'new',
      ago(500),
      ['overdue'],
    ]);
  });

  it('new beats at_risk: one purchase 60 days ago with a tenant gap of 20 (60 > 40)', () => {
    expect(brief(at({ invoices: buys(60) }, 20))).toEqual(['new', ago(60), ['overdue']]);
  });

  it('lapsed keeps its flags: overdue and an invoice 152 days past due', () => {
    // gaps 1, 1 → own 1; 182 days silent > 180 → lapsed since last + 181 = ago(1); the invoice of
    // 182 days ago is still open, due + 30 = ago(152). (Spend and returns need purchases in 180 days.)
    const open = [{ issueDate: ago(182), dueDate: null }];
    expect(brief(at({ invoices: buys(184, 183, 182), openInvoices: open }))).toEqual([
      'lapsed',
      ago(1),
      ['overdue', 'paying_slower'],
    ]);
  });
});

describe('flag: overdue (days since last > 2 × expected gap)', () => {
  it('own median with 2 gaps: gaps 20, 30 → 25; 50 days silent is not overdue (= 2 × 25), 51 is', () => {
    expect(brief(at({ invoices: buys(100, 80, 50) }))).toEqual(['active', ago(10), []]);
    const r = at({ invoices: buys(101, 81, 51) });
    expect(brief(r)).toEqual(['at_risk', A, ['overdue']]); // since last + ⌊50⌋ + 1 = A
    expect([r.facts.expectedGap, r.facts.overdueBasis, r.facts.daysSinceLast]).toEqual([25, 'own', 51]);
  });

  it('switches from the tenant’s median (1 gap) to its own (2 gaps)', () => {
    // 1 gap (10), tenant 70: 85 ≤ 140 → not overdue, active since first + 90 = ago(5)
    const one = at({ invoices: buys(95, 85) }, 70);
    expect([one.facts.overdueBasis, one.facts.expectedGap]).toEqual(['tenant', 70]);
    expect(brief(one)).toEqual(['active', ago(5), []]);
    // 2 gaps (10, 10): own 10; 85 > 20 → overdue since last + 21 = ago(64)
    const two = at({ invoices: buys(105, 95, 85) }, 70);
    expect([two.facts.overdueBasis, two.facts.expectedGap]).toEqual(['own', 10]);
    expect(brief(two)).toEqual(['at_risk', ago(64), ['overdue']]);
  });

  it('a single customer alone: its one gap is the tenant median, on the tenant basis', () => {
    const tg = tenantMedianGap([[ago(130), ago(100)]], A); // 30
    const r = at({ invoices: buys(130, 100) }, tg);
    expect([tg, r.facts.overdueBasis]).toEqual([30, 'tenant']);
    // 100 > 60, since last + 61; and 0 spent in 90 days against 200 before
    expect(brief(r)).toEqual(['at_risk', ago(39), ['overdue', 'spend_decline']]);
  });

  it('tenant median 29.5: 59 days (= 2 × 29.5) not overdue, 60 overdue since last + 60 = A', () => {
    expect(at({ invoices: buys(59) }, 29.5).flags).toEqual([]);
    expect(brief(at({ invoices: buys(100, 60) }, 29.5))).toEqual(['at_risk', A, ['overdue']]);
  });

  it('is never raised without an expected gap: 170 days silent in a tenant of one-time buyers', () => {
    // only the spend decline (0 against 100): at_risk since the purchase
    expect(brief(at({ invoices: buys(170) }, null))).toEqual(['at_risk', ago(170), ['spend_decline']]);
  });
});

describe('flag: spend decline (last 90 days’ net < 50 % of the 90 before, the earlier > 0)', () => {
  // purchases 100 and 10 days ago: 1 gap (90) → tenant basis 30, 10 ≤ 60; threshold 270; not new
  const two = (prior: string, recent: string, credits: DatedNet[] = []) =>
    at({ invoices: [inv(100, prior), inv(10, recent)], creditNotes: credits });

  it('100 against 200 is exactly 50 %: not raised; 99.99 is: at_risk since the last purchase', () => {
    expect(brief(two('200', '100'))).toEqual(['active', ago(10), []]);
    const r = two('200', '99.99');
    expect(brief(r)).toEqual(['at_risk', ago(10), ['spend_decline']]);
    expect([r.facts.spendRecent, r.facts.spendPrior]).toEqual(['99.99', '200.00']);
  });

  it('nets returns: 100 bought − 150 returned = −50 < 50 % of 200 (negative recent net)', () => {
    const r = two('200', '100', [cn(5, '150')]);
    expect(r.flags).toContain('spend_decline');
    expect(r.detail.spendRecent).toBe('-50');
  });

  it('is not raised when the earlier period was 0 or negative (returns > sales before)', () => {
    expect(two('100', '0', [cn(95, '100')]).flags).not.toContain('spend_decline'); // prior 0
    expect(two('100', '0', [cn(95, '150')]).flags).not.toContain('spend_decline'); // prior −50
  });

  it('windows are (A − 90, A] and (A − 180, A − 90]: a purchase exactly 90 days ago is “before”', () => {
    // 180 days ago is outside both; 90 days ago is in the earlier window
    const r = at({ invoices: [inv(180, '1000'), inv(90, '200'), inv(10, '100')] });
    expect([r.detail.spendPrior, r.detail.spendRecent]).toEqual(['200', '100']);
  });

  it('a customer whose returns exceed sales: bought 100 120 days ago, returned 150 20 days ago', () => {
    // recent −150 < 50 % of prior 100; no invoice in 90 days → no recent returns share; tenant basis:
    // 120 > 60 overdue → at_risk since last + 61 = ago(59)
    const r = at({ invoices: [inv(120, '100')], creditNotes: [cn(20, '150')] });
    expect(brief(r)).toEqual(['at_risk', ago(59), ['overdue', 'spend_decline']]);
    expect([r.facts.spendRecent, r.facts.returnsRecentShare, r.facts.returnsLifetimeShare]).toEqual([
      '-150.00',
      null,
      1.5,
    ]);
  });
});

describe('flag: returns rising (90-day share > 2 × lifetime share and > 10 %)', () => {
  // invoices 300 (200 days ago, outside both spend windows) and 100 (10 days ago); 1 gap 190
  // (threshold 570, tenant basis 30: 10 ≤ 60)
  const shares = (old: string, recent: string) =>
    at({ invoices: [inv(200, '300'), inv(10, '100')], creditNotes: [cn(150, old), cn(5, recent)] });

  it('20 % against a lifetime 10 % (40/400) is exactly 2 ×: not raised', () => {
    const r = shares('20', '20');
    expect([r.facts.returnsRecentShare, r.facts.returnsLifetimeShare, r.flags]).toEqual([0.2, 0.1, []]);
  });

  it('21 % against 41/400 = 10.25 % (2 × = 20.5 %): raised, at_risk since the last purchase', () => {
    expect(brief(shares('20', '21'))).toEqual(['at_risk', ago(10), ['returns_rising']]);
  });

  it('exactly 10 % is not raised although it is 2.5 × the lifetime 4 %; 10.01 % is', () => {
    // 10/100 recent, 16/400 lifetime
    expect(shares('6', '10').flags).toEqual([]);
    expect(shares('6', '10.01').flags).toEqual(['returns_rising']);
  });

  it('compares exactly: 2/3 against 2 × 1/3 is a tie, not a rise', () => {
    // invoices 3 and 3, a return of 2 in the last 90 days: recent 2/3, lifetime 2/6. PostgreSQL's
    // rounded quotients (0.666…67 > 2 × 0.333…33) raise it — reported as a SQL discrepancy.
    const r = at({ invoices: [inv(200, '3'), inv(10, '3')], creditNotes: [cn(5, '2')] });
    expect(r.flags).toEqual([]);
  });

  it('is not raised without invoices in the last 90 days (no recent share)', () => {
    // a 90 return 5 days ago against a 100 purchase 120 days ago: only the spend decline (−90 < 50)
    const r = at({ invoices: [inv(120, '100')], creditNotes: [cn(5, '90')] }, 100);
    expect([r.facts.returnsRecentShare, r.facts.returnsLifetimeShare, r.flags]).toEqual([
      null,
      0.9,
      ['spend_decline'],
    ]);
  });
});

describe('flag: paying slower, open half (an open invoice more than 60 days past due)', () => {
  const open = (...o: { issue: number; due?: number }[]) =>
    at({
      invoices: buys(100, 10),
      openInvoices: o.map((x) => ({
        issueDate: ago(x.issue),
        dueDate: x.due === undefined ? null : ago(x.due),
      })),
    });

  it('due 60 days ago: not raised; 61 days ago: raised (the worst open invoice counts)', () => {
    expect(open({ issue: 70, due: 60 }, { issue: 5, due: -25 }).flags).toEqual([]);
    const r = open({ issue: 70, due: 61 }, { issue: 5, due: -25 });
    expect([r.stage, r.since, r.flags, r.facts.maxDaysOverdue]).toEqual([
      'at_risk',
      ago(10),
      ['paying_slower'],
      61,
    ]);
  });

  it('without a due date: issue + 30 terms; issued 90 days ago (60 past due) no, 91 days ago yes', () => {
    expect(open({ issue: 90 }).flags).toEqual([]);
    expect(open({ issue: 91 }).flags).toEqual(['paying_slower']);
  });

  it('reports the most overdue even when negative (nothing due yet) and null without open invoices', () => {
    expect(open({ issue: 5, due: -25 }).facts.maxDaysOverdue).toBe(-25);
    expect(open().facts.maxDaysOverdue).toBeNull();
  });
});

describe('flag: paying slower, days-to-pay half (last 3 settled > 1.5 × lifetime mean, ≥ 4 settled)', () => {
  // settled invoice i with days to pay d, settled `n` days before A
  let id = 0;
  const paid = (d: number, n: number, issued = n + d): SettledInvoice => ({
    id: ++id,
    issueDate: ago(issued),
    settledOn: ago(n),
  });

  it('6 settled, older 10 10 10, last 30 30 30: 30 = 1.5 × (120 / 6 = 20) exactly: not raised', () => {
    const p = payDays(
      [paid(10, 300), paid(10, 200), paid(10, 100), paid(30, 30), paid(30, 20), paid(30, 10)],
      A,
    );
    expect(p).toEqual({ count: 6, recent: 30, lifetime: 20, slower: false });
  });

  it('last 31 30 30: 91/3 = 30.33 > 1.5 × 121/6 = 30.25: raised; the flag and its sentence', () => {
    const settled = [paid(10, 300), paid(10, 200), paid(10, 100), paid(31, 30), paid(30, 20), paid(30, 10)];
    expect(payDays(settled, A).slower).toBe(true);
    const r = at({ invoices: buys(100, 10), settledInvoices: settled });
    expect([r.flags, r.facts.maxDaysOverdue]).toEqual([['paying_slower'], null]);
    expect(reasonText('paying_slower', r.facts, 'en')).toBe(
      'paid the last 3 invoices in 30 days on average against 20 over the lifetime',
    );
  });

  it('compares exactly: last 7 7 6 (20/3) against 1.5 × 40/9 = 20/3 over 9 settled is a tie, not slower', () => {
    // 2 n R > 9 T: 2 × 9 × 20 = 360 is not > 9 × 40 = 360. PostgreSQL's rounded avg() gives
    // 6.6666666666666667 > 1.5 × 4.4444444444444444 and raises it — reported as a SQL discrepancy.
    const older = [4, 4, 3, 3, 3, 3].map((d, i) => paid(d, 300 - i * 10));
    const p = payDays([...older, paid(7, 30), paid(7, 20), paid(6, 10)], A);
    expect([p.count, p.slower, p.recent, p.lifetime]).toEqual([9, false, 20 / 3, 40 / 9]);
  });

  it('can never fire with exactly 4 settled: recent R/3 ≤ (4/3) × (R + x)/4 < 1.5 ×', () => {
    // oldest paid at once (0 days), last three 90 days each: 90 against 270/4 = 67.5 × 1.5 = 101.25
    expect(payDays([paid(0, 300), paid(90, 30), paid(90, 20), paid(90, 10)], A)).toEqual({
      count: 4,
      recent: 90,
      lifetime: 67.5,
      slower: false,
    });
  });

  it('needs 4: three slow invoices alone give no means', () => {
    expect(payDays([paid(90, 30), paid(90, 20), paid(90, 10)], A)).toEqual({
      count: 3,
      recent: null,
      lifetime: null,
      slower: false,
    });
  });

  it('breaks a tie on the settled date by the later issue date first', () => {
    // c 30 (settled 5 days ago), d 30 (8 days ago), then e (60 days) and f (1 day) both settled 20 days
    // ago: f was issued later, so the last 3 are c d f = 61/3 = 20.33 against 141/6 = 23.5 → no.
    // (e first would give 120/3 = 40 > 35.25.)
    const p = payDays([paid(10, 100), paid(10, 100), paid(30, 5), paid(30, 8), paid(60, 20), paid(1, 20)], A);
    expect([p.recent, p.lifetime, p.slower]).toEqual([61 / 3, 23.5, false]);
  });

  it('counts an advance (settled before issue) as 0 days and ignores what is settled after A', () => {
    const p = payDays([paid(0, 10, 5), paid(0, 10), paid(0, 10), paid(0, 10), paid(50, -5)], A);
    expect([p.count, p.recent, p.lifetime]).toEqual([4, 0, 0]);
  });
});

describe('all customers equal', () => {
  it('gives identical customers the same stage, since and flags (gaps 30, 30 → own 30)', () => {
    const doc = { invoices: buys(100, 70, 40) };
    const tg = tenantMedianGap(
      [0, 1, 2].map(() => doc.invoices.map((i) => i.date)),
      A,
    );
    const rows = [0, 1, 2].map(() => brief(at(doc, tg)));
    expect(tg).toBe(30);
    expect(rows).toEqual([0, 1, 2].map(() => ['active', ago(10), []]));
  });

  it('all one-time buyers 100 days ago: no tenant median, so nobody is overdue (only spend decline)', () => {
    const tg = tenantMedianGap([[ago(100)], [ago(100)]], A);
    expect([tg, brief(at({ invoices: buys(100) }, tg))]).toEqual([
      null,
      ['at_risk', ago(100), ['spend_decline']],
    ]);
  });
});

describe('reasonText', () => {
  const facts: FlagFacts = {
    daysSinceLast: 142,
    expectedGap: 29.5,
    overdueBasis: 'own',
    spendRecent: '0.00',
    spendPrior: '100.00',
    returnsRecentShare: 0.25,
    returnsLifetimeShare: 0.05,
    maxDaysOverdue: 75,
  };

  it('keeps the wording of the other flags (compared by the e2e tests)', () => {
    expect(reasonText('overdue', facts, 'en')).toBe('no purchase for 142 days; usually every 30');
    expect(reasonText('overdue', { ...facts, overdueBasis: 'tenant' }, 'ar')).toBe(
      'لا شراء منذ 142 يومًا؛ العميل المعتاد يشتري كل 30 يومًا',
    );
    expect(reasonText('spend_decline', facts, 'en')).toBe(
      'spent 0.00 in the last 90 days against 100.00 in the 90 days before',
    );
    expect(reasonText('returns_rising', facts, 'en')).toBe(
      'returns were 25% of purchases in the last 90 days against 5% over the lifetime',
    );
  });

  it('says which half of paying slower is raised: past due, slower payments, or both', () => {
    expect(reasonText('paying_slower', facts, 'en')).toBe('an invoice is 75 days past due');
    const slow = { ...facts, payDaysRecent: 48, payDaysLifetime: 21 };
    expect(reasonText('paying_slower', slow, 'en')).toBe(
      'an invoice is 75 days past due; paid the last 3 invoices in 48 days on average against 21 over the lifetime',
    );
    expect(reasonText('paying_slower', { ...slow, maxDaysOverdue: 10 }, 'en')).toBe(
      'paid the last 3 invoices in 48 days on average against 21 over the lifetime',
    );
    // 30 against 20 is exactly 1.5 ×: not the slower half
    expect(reasonText('paying_slower', { ...facts, payDaysRecent: 30, payDaysLifetime: 20 }, 'en')).toBe(
      'an invoice is 75 days past due',
    );
  });

  it('says it in Arabic too', () => {
    expect(reasonText('paying_slower', facts, 'ar')).toBe('فاتورة متأخرة 75 يومًا عن موعد استحقاقها');
    expect(reasonText('paying_slower', { ...facts, payDaysRecent: 48.4, payDaysLifetime: 20.6 }, 'ar')).toBe(
      'فاتورة متأخرة 75 يومًا عن موعد استحقاقها؛ سدّد آخر 3 فواتير في 48 يومًا في المتوسط مقابل 21 يومًا على مدى التعامل',
    );
  });
});
