/**
 * Customers and their behaviour. Each customer gets a kind (the ground truth analytics should
 * rediscover) and a profile that drives when they buy, how much, how they pay and how often they
 * return goods.
 */
import type { SeasonName, SeasonWindow } from './calendar';
import { isoDay } from './calendar';
import { samplePopular, type Catalog, type Product } from './catalog';
import { businessName, mobile, personName, pickPlace, vatNumber } from './names';
import { existingShare, gapOf, kindCounts, NEVER } from './kinds';
import type { Rng } from './rng';
import type { CustomerKind, CustomerRecord, PaymentMethod } from './types';

export interface Customer {
  index: number;
  id: string;
  kind: CustomerKind;
  business: boolean;
  city: string;
  /** Index of the warehouse that serves the customer's city. */
  warehouse: number;
  createdDay: number;
  /** First purchase day; NEVER for prospects. */
  firstDay: number;
  /** No purchase on or after this day (lapsing customers); NEVER otherwise. */
  stopDay: number;
  meanGap: number;
  gapSigma: number;
  /** Mean number of lines per invoice (≥ 1). */
  linesMean: number;
  qtyScale: number;
  pricesIncludeTax: boolean;
  terms: number;
  /** Days after the due date an ordinary payment arrives: mean and spread. */
  payOffset: number;
  paySpread: number;
  lateProb: number;
  unpaidProb: number;
  partialProb: number;
  /** Pays on this day of the month, several invoices at once; 0 = as each falls due. */
  payRunDay: number;
  /** Pays at the till on the day of purchase. */
  paysAtTill: number;
  returnProb: number;
  /** Contract discount in percent ("7.5"), or null. */
  contractDiscount: string | null;
  methods: readonly PaymentMethod[];
  methodWeights: readonly number[];
  favourites: Product[];
  favouriteShare: number;
  /** Seasonal customers: their purchase days, ascending, and the season of each. */
  seasonalDays: number[];
  seasonalNames: SeasonName[];
  /** Rough expected units bought over the whole period (inventory prior). */
  expectedUnits: number;
}

const BUSINESS_METHODS: readonly PaymentMethod[] = ['bank_transfer', 'card', 'cash', 'mada'];
const BUSINESS_METHOD_WEIGHTS = [0.85, 0.05, 0.04, 0.06];
const PERSON_METHODS: readonly PaymentMethod[] = ['mada', 'cash', 'card', 'bank_transfer'];
const PERSON_METHOD_WEIGHTS = [0.45, 0.3, 0.2, 0.05];
const SEASONS: readonly SeasonName[] = [
  'ramadan',
  'eid_al_fitr',
  'eid_al_adha',
  'back_to_school',
  'national_day',
  'white_friday',
];
const SEASON_WEIGHTS = [4, 3, 2, 3, 1, 2];

interface Span {
  startDay: number;
  endDay: number;
  seed: number;
  warehouses: readonly string[];
  seasons: readonly SeasonWindow[];
}

function seasonalDays(rng: Rng, from: number, span: Span): { days: number[]; names: SeasonName[] } {
  const liked = new Set<SeasonName>();
  const n = rng.int(1, 3);
  while (liked.size < n) liked.add(SEASONS[rng.weightedIndex(SEASON_WEIGHTS)]!);
  const picks: [number, SeasonName][] = [];
  for (const w of span.seasons) {
    if (!liked.has(w.name) || w.to < from || !rng.chance(0.85)) continue;
    const lo = Math.max(w.from, from, span.startDay);
    const hi = Math.min(w.to, span.endDay);
    for (let k = rng.int(1, 3); k > 0 && lo <= hi; k--) picks.push([rng.int(lo, hi), w.name]);
  }
  if (picks.length === 0) picks.push([Math.min(from + rng.int(0, 30), span.endDay), 'ramadan']);
  picks.sort((a, b) => a[0] - b[0]);
  const days: number[] = [];
  const names: SeasonName[] = [];
  for (const [d, name] of picks) {
    if (days[days.length - 1] === d) continue;
    days.push(d);
    names.push(name);
  }
  return { days, names };
}

/** One literal, always the same fields in the same order, so every customer shares one hidden class. */
function makeCustomer(rng: Rng, kind: CustomerKind, catalog: Catalog, span: Span): Customer {
  const { startDay, endDay } = span;
  const length = endDay - startDay + 1;
  const business = kind === 'whale' || kind === 'slow_payer' || rng.chance(kind === 'one_off' ? 0.25 : 0.5);
  const [meanGap, gapSigma] = gapOf(rng, kind);
  let stopDay = NEVER;
  let joinTo = endDay - 30;
  if (kind === 'lapsing') {
    stopDay = endDay - rng.int(180, Math.max(180, Math.min(365, length - 100)));
    joinTo = Math.max(startDay, stopDay - 120);
  } else if (['loyal', 'growing', 'declining', 'slow_payer', 'returner', 'whale'].includes(kind)) {
    joinTo = startDay + Math.floor(length * 0.4);
  } else if (kind === 'one_off') {
    joinTo = endDay;
  }
  const existing = rng.chance(existingShare(kind));
  // An existing customer is somewhere in their purchase cycle when the data starts.
  let firstDay = existing
    ? startDay + (meanGap === NEVER ? 0 : rng.int(0, Math.min(meanGap, Math.max(0, joinTo - startDay))))
    : rng.int(startDay, Math.max(startDay, joinTo));
  let createdDay = existing ? startDay - rng.int(30, 1095) : firstDay - rng.int(0, 14);
  let seasonal = { days: [] as number[], names: [] as SeasonName[] };
  if (kind === 'seasonal') {
    seasonal = seasonalDays(rng, firstDay, span);
    firstDay = seasonal.days[0] ?? firstDay;
    createdDay = Math.min(createdDay, firstDay);
  }
  if (kind === 'prospect') {
    firstDay = NEVER;
    createdDay = rng.int(startDay - 365, endDay);
  }
  const pricesIncludeTax = !business && rng.chance(0.6);
  const terms = business
    ? rng.pick([30, 30, 30, 30, 30, 15, 45, 60])
    : pricesIncludeTax
      ? 0
      : rng.pick([0, 7, 30]);
  const whale = kind === 'whale';
  const favourites = new Set<Product>();
  const favouriteCount = kind === 'one_off' || kind === 'prospect' ? 0 : rng.int(2, whale ? 20 : 8);
  for (let i = 0; i < favouriteCount * 3 && favourites.size < favouriteCount; i++) {
    favourites.add(samplePopular(rng, catalog));
  }
  const linesMean = whale ? 8 : business ? 1.45 : 1.15;
  const qtyScale = whale ? rng.uniform(6, 15) : business ? rng.uniform(2, 5) : 1;
  const active = Math.max(0, Math.min(stopDay, endDay + 1) - firstDay);
  const trendGap = kind === 'growing' ? 1.1 : kind === 'declining' ? 1.5 : 1;
  const invoices =
    kind === 'prospect'
      ? 0
      : kind === 'one_off'
        ? 1
        : kind === 'seasonal'
          ? seasonal.days.length
          : 1 + active / (meanGap * trendGap);
  const place = pickPlace(rng, span.warehouses);
  return {
    index: 0,
    id: '',
    kind,
    business,
    city: place.city,
    warehouse: place.warehouse,
    createdDay,
    firstDay,
    stopDay,
    meanGap,
    gapSigma,
    linesMean,
    qtyScale,
    pricesIncludeTax,
    terms,
    payOffset: kind === 'slow_payer' ? rng.int(60, 120) : -2,
    paySpread: kind === 'slow_payer' ? 10 : 5,
    lateProb: kind === 'slow_payer' ? 0 : kind === 'declining' ? 0.2 : 0.1,
    unpaidProb: kind === 'slow_payer' ? 0.04 : 0.008,
    partialProb: business ? (kind === 'slow_payer' ? 0.25 : 0.1) : 0.03,
    payRunDay: business && rng.chance(0.35) ? rng.pick([10, 15, 25, 28]) : 0,
    paysAtTill: pricesIncludeTax ? 0.9 : terms === 0 ? 0.6 : 0,
    returnProb: kind === 'returner' ? rng.uniform(0.25, 0.4) : whale ? 0.06 : 0.025,
    contractDiscount: whale
      ? rng.pick(['5', '7.5', '10', '12'])
      : business && rng.chance(0.15)
        ? '2.5'
        : null,
    methods: business ? BUSINESS_METHODS : PERSON_METHODS,
    methodWeights: business ? BUSINESS_METHOD_WEIGHTS : PERSON_METHOD_WEIGHTS,
    favourites: [...favourites],
    favouriteShare: kind === 'loyal' ? 0.75 : whale ? 0.6 : kind === 'occasional' ? 0.35 : 0.55,
    seasonalDays: seasonal.days,
    seasonalNames: seasonal.names,
    expectedUnits: invoices * linesMean * qtyScale * 1.8,
  };
}

/** Customers ordered by creation date, so C000001 is the oldest account. */
export function buildCustomers(
  rng: Rng,
  count: number,
  catalog: Catalog,
  span: Span,
): { customers: Customer[]; records: CustomerRecord[] } {
  const kinds: CustomerKind[] = [];
  for (const [kind, n] of Object.entries(kindCounts(count)) as [CustomerKind, number][]) {
    for (let i = 0; i < n; i++) kinds.push(kind);
  }
  rng.shuffle(kinds);
  const drafts = kinds.map((kind) => makeCustomer(rng, kind, catalog, span));
  const order = drafts
    .map((_, i) => i)
    .sort((a, b) => drafts[a]!.createdDay - drafts[b]!.createdDay || a - b);
  const customers = order.map((i) => drafts[i]!);
  const records: CustomerRecord[] = [];
  for (const [index, c] of customers.entries()) {
    c.index = index;
    c.id = `C${String(index + 1).padStart(6, '0')}`;
    const party = c.business ? businessName(rng, index) : personName(rng, index);
    records.push({
      externalId: c.id,
      name: party.name,
      nameAr: party.nameAr,
      ...(party.email ? { email: party.email } : {}),
      ...(rng.chance(0.85) ? { phone: mobile(rng) } : {}),
      ...(c.business && rng.chance(0.85) ? { taxNumber: vatNumber(index, span.seed) } : {}),
      city: c.city,
      country: 'SA',
      createdAt: isoDay(c.createdDay),
    });
  }
  return { customers, records };
}
