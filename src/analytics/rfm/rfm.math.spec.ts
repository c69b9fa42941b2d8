import {
  fmScore,
  RFM_SEGMENTS,
  type RfmInputRow,
  score,
  scoreCustomers,
  segmentCaseSql,
  segmentOf,
} from './rfm.math';

const customer = (id: string, recencyDays: number, frequency: number, monetary: string): RfmInputRow => ({
  id,
  recencyDays,
  frequency,
  monetary,
});

describe('RFM_SEGMENTS', () => {
  it('lists the 11 segments of DOMAIN §3 in order, with their Arabic labels and (R, FM) cells', () => {
    const asDomain = RFM_SEGMENTS.map((s) => [
      s.key,
      s.labelAr,
      s.cells.map(([r, fm]) => `${r}${fm}`).join(' '),
    ]);
    expect(asDomain).toEqual([
      ['champions', 'الأبطال', '55 54 45'],
      ['loyal', 'العملاء المخلصون', '53 44 35 34'],
      ['potential_loyalists', 'مخلصون محتملون', '52 42 33 43'],
      ['new', 'عملاء جدد', '51'],
      ['promising', 'واعدون', '41 31'],
      ['need_attention', 'بحاجة إلى اهتمام', '32 23 22'],
      ['about_to_sleep', 'على وشك السبات', '21'],
      ['at_risk', 'معرضون للخطر', '25 24 13'],
      ['cant_lose', 'لا يمكن خسارتهم', '15 14'],
      ['hibernating', 'في سبات', '12'],
      ['lost', 'مفقودون', '11'],
    ]);
    for (const s of RFM_SEGMENTS) expect(s.labelEn).toMatch(/^[A-Z]/);
  });

  it('maps every (R, FM) cell of the 5 × 5 grid to exactly one segment', () => {
    const grid = [5, 4, 3, 2, 1].map((r) => [1, 2, 3, 4, 5].map((fm) => segmentOf(r, fm)));
    expect(grid).toEqual([
      // FM:  1                2                      3                      4             5
      ['new', 'potential_loyalists', 'loyal', 'champions', 'champions'], // R 5
      ['promising', 'potential_loyalists', 'potential_loyalists', 'loyal', 'champions'], // R 4
      ['promising', 'need_attention', 'potential_loyalists', 'loyal', 'loyal'], // R 3
      ['about_to_sleep', 'need_attention', 'need_attention', 'at_risk', 'at_risk'], // R 2
      ['lost', 'hibernating', 'at_risk', 'cant_lose', 'cant_lose'], // R 1
    ]);
    const cells = RFM_SEGMENTS.flatMap((s) => s.cells.map(([r, fm]) => `${r}${fm}`));
    expect(cells).toHaveLength(25);
    expect(new Set(cells).size).toBe(25);
  });

  it('refuses scores outside 1–5', () => {
    expect(() => segmentOf(0, 3)).toThrow(RangeError);
    expect(() => segmentOf(3, 6)).toThrow(RangeError);
    expect(() => segmentOf(2.5, 3)).toThrow(RangeError);
  });
});

describe('score = 1 + ⌊5 × (rank − 1) / n⌋', () => {
  it('gives ranks 1…10 of 10 the scores 1 1 2 2 3 3 4 4 5 5', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((rank) => score(rank, 10))).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5,
    ]);
  });

  it('gives a single customer (rank 1 of 1) the score 1', () => {
    expect(score(1, 1)).toBe(1);
  });

  it('skips scores in small populations: ranks 1, 2, 3 of 3 → 1, 2, 4 (⌊0⌋, ⌊5/3⌋, ⌊10/3⌋)', () => {
    expect([score(1, 3), score(2, 3), score(3, 3)]).toEqual([1, 2, 4]);
  });

  it('refuses a rank outside 1…n or a non-integer', () => {
    expect(() => score(0, 5)).toThrow(RangeError);
    expect(() => score(6, 5)).toThrow(RangeError);
    expect(() => score(1.5, 5)).toThrow(RangeError);
    expect(() => score(1, 0)).toThrow(RangeError);
  });
});

describe('fmScore = round half-up of (F + M) / 2', () => {
  it.each([
    [1, 1, 1],
    [1, 2, 2], // 1.5 → 2
    [2, 3, 3], // 2.5 → 3
    [4, 5, 5], // 4.5 → 5
    [3, 3, 3],
    [5, 1, 3],
    [5, 4, 5],
  ])('F %p, M %p → FM %p', (f, m, fm) => {
    expect(fmScore(f, m)).toBe(fm);
  });
});

describe('segmentCaseSql', () => {
  const sql = segmentCaseSql('s.r_score', 's.fm_score');

  it('builds one WHEN per segment, in table order', () => {
    const lines = sql.split('\n');
    expect(lines[0]).toBe('CASE');
    expect(lines[1]).toBe("  WHEN (s.r_score, s.fm_score) IN ((5, 5), (5, 4), (4, 5)) THEN 'champions'");
    expect(lines[11]).toBe("  WHEN (s.r_score, s.fm_score) IN ((1, 1)) THEN 'lost'");
    expect(lines[12]).toBe('END');
    expect(lines).toHaveLength(13);
  });

  it('sends every cell to the same segment as segmentOf', () => {
    const owner = new Map<string, string>();
    for (const match of sql.matchAll(/IN \(([^']*)\) THEN '([a-z_]+)'/g)) {
      for (const cell of match[1]!.matchAll(/\((\d), (\d)\)/g)) owner.set(`${cell[1]}${cell[2]}`, match[2]!);
    }
    expect(owner.size).toBe(25);
    for (let r = 1; r <= 5; r++) {
      for (let fm = 1; fm <= 5; fm++) expect(owner.get(`${r}${fm}`)).toBe(segmentOf(r, fm));
    }
  });

  it('contains nothing but the two column references, digits, keys and SQL keywords', () => {
    const rest = sql.replace(/s\.r_score|s\.fm_score|CASE|WHEN|IN|THEN|END|'[a-z_]+'/g, '');
    expect(rest).toMatch(/^[\d\s(),]*$/);
  });

  it.each(["r'; DROP TABLE customers; --", 'r + 1', '1', '"r"', ''])(
    'refuses %p as a column reference',
    (expr) => {
      expect(() => segmentCaseSql(expr, 'fm')).toThrow(RangeError);
    },
  );
});

describe('scoreCustomers', () => {
  it('scores a single customer 1 everywhere (rank 1 of 1) → FM 1 → lost', () => {
    expect(scoreCustomers([customer('a', 0, 50, '99999.00')])).toEqual([
      { id: 'a', r: 0, f: 50, m: '99999.00', rScore: 1, fScore: 1, mScore: 1, fm: 1, segment: 'lost' },
    ]);
  });

  it('scores a population of equals 1 everywhere (no one is strictly worse)', () => {
    const rows = scoreCustomers(['a', 'b', 'c', 'd'].map((id) => customer(id, 30, 2, '100.00')));
    for (const row of rows)
      expect([row.rScore, row.fScore, row.mScore, row.segment]).toEqual([1, 1, 1, 'lost']);
  });

  it('gives ties the lowest score of their range: F 1 1 1 1 2 2 3 4 5 8 → 1 1 1 1 3 3 4 4 5 5', () => {
    // 40 % one-time buyers share rank 1 → score 1 (not 2, although they fill the 2nd quintile).
    // F 2 has rank 5 → 1 + ⌊20/10⌋ = 3; F 3 rank 7 → 4; F 4 rank 8 → 4; F 5 rank 9 → 5; F 8 rank 10 → 5.
    const frequencies = [1, 1, 1, 1, 2, 2, 3, 4, 5, 8];
    const rows = scoreCustomers(frequencies.map((f, i) => customer(`c${i}`, 10, f, '1')));
    expect(rows.map((row) => row.fScore)).toEqual([1, 1, 1, 1, 3, 3, 4, 4, 5, 5]);
  });

  it('ranks R descending: the most recent customer scores 5, the longest-silent 1', () => {
    const rows = scoreCustomers([0, 10, 20, 30, 40].map((r, i) => customer(`c${i}`, r, 1, '1')));
    expect(rows.map((row) => row.rScore)).toEqual([5, 4, 3, 2, 1]);
  });

  it('ranks negative M (returns exceed sales) lowest and compares decimals exactly', () => {
    // Ascending: −50 rank 1 → 1; 0 rank 2 → 2; 10.5 and 10.50 tie at rank 3 → 3; 1000 rank 5 → 5.
    const rows = scoreCustomers([
      customer('a', 5, 1, '1000'),
      customer('b', 5, 1, '10.50'),
      customer('c', 5, 1, '-50.00'),
      customer('d', 5, 1, '10.5'),
      customer('e', 5, 1, '0'),
    ]);
    expect(rows.map((row) => [row.id, row.mScore])).toEqual([
      ['a', 5],
      ['b', 3],
      ['c', 1],
      ['d', 3],
      ['e', 2],
    ]);
  });

  it('orders amounts that floats cannot tell apart', () => {
    expect(Number('9007199254740993.01')).toBe(Number('9007199254740993.02'));
    const rows = scoreCustomers([
      customer('hi', 1, 1, '9007199254740993.02'),
      customer('lo', 1, 1, '9007199254740993.01'),
    ]);
    expect(rows.map((row) => row.mScore)).toEqual([3, 1]); // ranks 2 and 1 of 2: 1 + ⌊5/2⌋ = 3
  });

  it('works out 10 customers fully', () => {
    // n = 10, so score = 1 + ⌊(rank − 1) / 2⌋.
    // R desc: 400 r1→1, 240 r2→1, 180 r3→2, 95 r4→2, 60 r5→3, 40 r6→3, 25 r7→4, 10 10 r8→4, 3 r10→5.
    // F asc:  1 1 1 r1→1, 2 2 r4→2, 3 r6→3, 5 r7→4, 6 r8→4, 8 r9→5, 12 r10→5.
    // M asc:  −20 r1→1, 60 r2→1, 75.25 r3→2, 150 r4→2, 900 r5→3, 1200 r6→3, 3100.50 ×2 r7→4,
    //         4800 r9→5, 5400 r10→5.
    // FM = ⌊(F + M + 1)/2⌋; segment from (R, FM).
    const rows = scoreCustomers([
      customer('c01', 3, 12, '5400.00'),
      customer('c02', 10, 8, '3100.50'),
      customer('c03', 10, 1, '150.00'),
      customer('c04', 25, 5, '3100.5'),
      customer('c05', 40, 3, '900.00'),
      customer('c06', 60, 2, '1200.00'),
      customer('c07', 95, 6, '4800.00'),
      customer('c08', 180, 1, '75.25'),
      customer('c09', 240, 2, '-20.00'),
      customer('c10', 400, 1, '60.00'),
    ]);
    expect(rows.map((x) => [x.id, x.rScore, x.fScore, x.mScore, x.fm, x.segment])).toEqual([
      ['c01', 5, 5, 5, 5, 'champions'], // FM (5+5)/2 = 5
      ['c02', 4, 5, 4, 5, 'champions'], // FM 4.5 → 5; (4, 5)
      ['c03', 4, 1, 2, 2, 'potential_loyalists'], // FM 1.5 → 2; (4, 2)
      ['c04', 4, 4, 4, 4, 'loyal'], // (4, 4)
      ['c05', 3, 3, 3, 3, 'potential_loyalists'], // (3, 3)
      ['c06', 3, 2, 3, 3, 'potential_loyalists'], // FM 2.5 → 3; (3, 3)
      ['c07', 2, 4, 5, 5, 'at_risk'], // FM 4.5 → 5; (2, 5)
      ['c08', 2, 1, 2, 2, 'need_attention'], // FM 1.5 → 2; (2, 2)
      ['c09', 1, 2, 1, 2, 'hibernating'], // FM 1.5 → 2; (1, 2)
      ['c10', 1, 1, 1, 1, 'lost'], // (1, 1)
    ]);
  });

  it('returns rows in input order and an empty population as empty', () => {
    expect(scoreCustomers([])).toEqual([]);
    const rows = scoreCustomers([customer('z', 1, 1, '1'), customer('a', 2, 2, '2')]);
    expect(rows.map((row) => row.id)).toEqual(['z', 'a']);
  });

  it('refuses duplicate ids, negative or fractional counts and malformed amounts', () => {
    expect(() => scoreCustomers([customer('a', 1, 1, '1'), customer('a', 2, 1, '1')])).toThrow(RangeError);
    expect(() => scoreCustomers([customer('a', -1, 1, '1')])).toThrow(RangeError);
    expect(() => scoreCustomers([customer('a', 1, 1.5, '1')])).toThrow(RangeError);
    expect(() => scoreCustomers([customer('a', 1, 1, 'abc')])).toThrow();
    expect(() => scoreCustomers([customer('a', 1, 1, 'Infinity')])).toThrow(RangeError);
  });
});
