import { demandShares, productModel, restockItem, type SqlRow } from './restock.view';

const row = (over: Partial<SqlRow>): SqlRow => ({
  product_id: '1',
  external_id: 'P-1',
  name: 'Tea',
  name_ar: null,
  lead_time_days: null,
  pack_size: null,
  min_order_qty: null,
  warehouse_id: 'main',
  stock_as_of: '2024-06-30',
  on_hand: '4',
  on_order: '0',
  unit_cost: '2',
  warehouses: 3,
  unit_cost_2: '2.00',
  series: '0:3,4:6,8:3',
  avg_price: '10',
  lookback_units: '40',
  ...over,
});
const settings = { asOf: '2024-06-30', coverDays: 5, serviceLevel: 0.95, leadTimeDays: 9, windowDays: 10 };

describe('demandShares', () => {
  const shares = {
    product_id: '1',
    champions_pct: '10.00',
    loyal_pct: '20.00',
    at_risk_pct: '0.00',
    priority_pct: '30.00',
    lapsed_units: '3',
  };

  it('divides the lapsed units by the lookback units, half-up to 2 places: 3/13 → 23.08, 1/800 → 0.13', () => {
    expect(demandShares(shares, '13')).toEqual({
      champions: '10.00',
      loyal: '20.00',
      atRisk: '0.00',
      priority: '30.00',
      lapsed: '23.08',
    });
    expect(demandShares({ ...shares, lapsed_units: 1 }, 800).lapsed).toBe('0.13');
    expect(demandShares({ ...shares, lapsed_units: '2' }, '3').lapsed).toBe('66.67');
  });

  it('gives 0.00 without lapsed buyers and null without any unit in the lookback', () => {
    expect(demandShares(undefined, '5')).toEqual({
      champions: null,
      loyal: null,
      atRisk: null,
      priority: null,
      lapsed: '0.00',
    });
    expect(demandShares(undefined, null).lapsed).toBeNull();
  });
});

describe('productModel', () => {
  it("splits a product's demand over its 3 warehouses but classifies the whole series", () => {
    // sizes 3, 6, 3 on days 0, 4, 8 of 10: ADI 9/3 = 3, CV² = 3 × 54 / 12² − 1 = 0.125 → intermittent,
    // the same for the thirds (1, 2, 1) each warehouse sees; their rate is a third of the whole's.
    const p = productModel(row({}), settings);
    expect(p.demand).toMatchObject({ demandClass: 'intermittent', adi: 3, cv2: 0.125, demandDays: 3 });
    expect(p.text.demandShareOfProduct).toBe('0.3333');
    const whole = productModel(row({ warehouses: 1 }), settings);
    expect(p.demand.rate).toBeCloseTo(whole.demand.rate / 3, 12);
    const item = restockItem(row({}), p, settings, 'en');
    expect(item.view).toMatchObject({
      productId: 'P-1',
      warehouseId: 'main',
      onHand: '4',
      demandClass: 'intermittent',
    });
    expect(item.view.dailyRate).toBe(p.text.dailyRate);
  });
});
