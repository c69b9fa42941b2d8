import { explain, explainDemand, explainLapsed, explainPosition, formatQuantity } from './restock.explain';
import { computeRestock } from './restock.math';

const SMOOTH_90 = Array.from({ length: 90 }, (_, i) => [3, 4, 2, 3, 5, 3][i % 6]!);
const INTERMITTENT_14 = [0, 0, 4, 0, 0, 0, 2, 0, 6, 0, 0, 0, 0, 3];

const smooth = computeRestock({
  dailySeries: SMOOTH_90,
  asOf: '2024-05-01',
  onHand: '40',
  onOrder: '0',
  packSize: 12,
});
const intermittent = computeRestock({
  dailySeries: INTERMITTENT_14,
  asOf: '2024-02-27',
  onHand: '5',
  onOrder: '1',
  packSize: 6,
  minOrderQty: 10,
});
const noDemand = computeRestock({ dailySeries: new Array(90).fill(0), asOf: '2024-05-01', onHand: '5' });

describe('formatQuantity', () => {
  it.each([
    [152.501672, '152.5'],
    [46.666667, '46.7'],
    [10 / 3, '3.33'],
    [0.948091, '0.948'],
    [0.05234, '0.0523'],
    [12, '12'],
    [0, '0'],
    [-2.345, '-2.35'],
    [0.125, '0.125'],
    [9.995, '10'],
  ])('%p → %s (1 decimal from 10 up, else 3 significant digits, half-up)', (x, text) => {
    expect(formatQuantity(x)).toBe(text);
  });
});

describe('explain', () => {
  it('writes the smooth example out in English, step by step', () => {
    expect(explain(smooth, 'en')).toBe(
      'Sold 3.33 a day on average over 90 days (smooth demand). ' +
        'Lead time 14 days → 46.7 units during lead time + safety stock 5.84 (z 1.645 × σ 0.948 × √14) = ' +
        'reorder point 52.5; target 52.5 + 30 days × 3.33 = 152.5. ' +
        'On hand 40 + on order 0 = 40 ≤ reorder point 52.5: time to reorder. ' +
        'Order 120 (need 112.5, rounded up to packs of 12). ' +
        '40 on hand lasts 12 days at this rate → stock-out expected around 2024-05-13.',
    );
  });

  it('writes the smooth example out in Arabic with the same numbers', () => {
    expect(explain(smooth, 'ar')).toBe(
      'متوسط البيع اليومي 3.33 خلال آخر 90 يومًا (طلب منتظم). ' +
        'مدة التوريد 14 يومًا ← الطلب خلال مدة التوريد 46.7 + مخزون الأمان 5.84 (z 1.645 × σ 0.948 × √14) = ' +
        'نقطة إعادة الطلب 52.5؛ المستوى المستهدف 52.5 + 30 يومًا × 3.33 = 152.5. ' +
        'المتوفر 40 + قيد الطلب 0 = 40 ≤ نقطة إعادة الطلب 52.5: حان وقت إعادة الطلب. ' +
        'الكمية المقترحة 120 (الاحتياج 112.5، قُرّبت للأعلى إلى عبوات من 12). ' +
        'يكفي المتوفر (40) 12 يومًا بهذا المعدل ← النفاد المتوقع نحو 2024-05-13.',
    );
  });

  it('shows Croston–SBA for intermittent demand: 3.92 units every 3.19 days × 0.95 = 1.17 a day', () => {
    const en = explain(intermittent, 'en');
    expect(en).toContain(
      'Sold on 4 of the last 14 days (intermittent demand): Croston–SBA smooths that to 3.92 units every ' +
        '3.19 days × 0.95 (1 − α/2, α 0.1) = 1.17 a day.',
    );
    expect(en).toContain('Order 60 (need 57.3, rounded up to packs of 6).');
    const ar = explain(intermittent, 'ar');
    expect(ar).toContain('بيع في 4 من آخر 14 يومًا (طلب متقطع)');
    expect(ar).toContain('الكمية بـ 3.92 كل 3.19 يوم × 0.95');
    expect(ar).toContain('= معدل يومي 1.17.');
  });

  it('names the minimum order when it raises the quantity', () => {
    const row = computeRestock({
      dailySeries: SMOOTH_90,
      asOf: '2024-05-01',
      onHand: '60',
      minOrderQty: 100,
    });
    expect(explain(row, 'en')).toContain(
      '60 > reorder point 52.5: no reorder needed yet; to reach the target now, order 100 ' +
        '(need 92.5, raised to the minimum order of 100).',
    );
    expect(explain(row, 'ar')).toContain('رُفعت إلى الحد الأدنى للطلب 100');
  });

  it('says there is nothing to order and no stock-out date when there is no demand', () => {
    expect(explain(noDemand, 'en')).toBe(
      'No sales in the last 90 days (no demand): no safety stock is kept. ' +
        'On hand 5 + on order 0 = 5 covers the target 0: nothing to order. ' +
        'With no sales rate there is no expected stock-out date.',
    );
    expect(explain(noDemand, 'ar')).toBe(
      'لا مبيعات خلال آخر 90 يومًا (لا طلب): لا يُحتفظ بمخزون أمان. ' +
        'المتوفر 5 + قيد الطلب 0 = 5 يغطي المستوى المستهدف 0: لا حاجة للطلب. ' +
        'لا معدل بيع، فلا تاريخ متوقع لنفاد المخزون.',
    );
  });

  it('says out of stock now when nothing is on hand', () => {
    const row = computeRestock({ dailySeries: SMOOTH_90, asOf: '2024-05-01', onHand: '0' });
    expect(explain(row, 'en')).toContain('Out of stock now (2024-05-01).');
    expect(explain(row, 'en')).toContain('Order 153 (need 152.5, rounded up to whole units).');
    expect(explain(row, 'ar')).toContain('المخزون نافد الآن (2024-05-01).');
  });

  it('agrees the Arabic day count with the number: 3 أيام, 11 يومًا, 100 يوم, 2 يومان', () => {
    const text = (leadTimeDays: number) =>
      explain(computeRestock({ dailySeries: SMOOTH_90, asOf: '2024-05-01', onHand: 1, leadTimeDays }), 'ar');
    expect(text(3)).toContain('مدة التوريد 3 أيام ←');
    expect(text(11)).toContain('مدة التوريد 11 يومًا ←');
    expect(text(100)).toContain('مدة التوريد 100 يوم ←');
    expect(text(2)).toContain('مدة التوريد يومان ←');
    expect(text(1)).toContain('مدة التوريد يوم واحد ←');
  });
});

describe('the lapsed-customer note', () => {
  it('is written from a 20 % share on, in English and Arabic', () => {
    const buyers = { lapsedPct: '23.08', lookbackDays: 365 };
    expect(explainLapsed(buyers, 'en')).toBe(
      '23.08% of the units sold in the last 365 days went to customers who have since lapsed: demand that ' +
        'is not expected to come back (the daily rate is not adjusted for it).',
    );
    expect(explainLapsed(buyers, 'ar')).toBe(
      '23.08% من الوحدات المبيعة خلال آخر 365 يومًا اشتراها عملاء منقطعون الآن: طلب لا يُتوقع أن يعود، ' +
        'ولم يُخفَّض المعدل اليومي لأجله.',
    );
    expect(explainLapsed({ lapsedPct: '20.00', lookbackDays: 400 }, 'en')).toContain('in the last 400 days');
  });

  it('is left out below 20 % and without a share', () => {
    expect(explainLapsed({ lapsedPct: '19.99', lookbackDays: 365 }, 'en')).toBeNull();
    expect(explainLapsed({ lapsedPct: null, lookbackDays: 365 }, 'ar')).toBeNull();
    expect(explainLapsed(undefined, 'en')).toBeNull();
  });

  it('follows the demand and stock sentences', () => {
    const plain = explain(smooth, 'en');
    expect(plain).toBe(`${explainDemand(smooth, 'en')} ${explainPosition(smooth, 'en')}`);
    expect(explain(smooth, 'en', { lapsedPct: '50.00', lookbackDays: 365 })).toBe(
      `${plain} ${explainLapsed({ lapsedPct: '50.00', lookbackDays: 365 }, 'en')}`,
    );
  });
});
