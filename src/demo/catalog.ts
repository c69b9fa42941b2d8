/**
 * The product catalogue: goods with Zipf-like popularity (a few best sellers, a long intermittent
 * tail), a few services, launches and discontinuations inside the period (the latter become dead
 * stock), unreliable suppliers, and a few products whose cost is unknown.
 */
import { BRANDS, CATEGORIES, GRADES, SERVICE_CATEGORY, SERVICES, type CategorySpec } from './catalog-data';
import { formatHalalas } from './money';
import { Rng, searchCumulative } from './rng';
import type { ProductRecord } from './types';

const NEVER = Number.MAX_SAFE_INTEGER;
const ZIPF_EXPONENT = 0.9;

export interface Product {
  index: number;
  id: string;
  name: string;
  nameAr: string;
  category: string;
  /** CategorySpec.key ('dates', 'coffee' …, 'services'). */
  categoryKey: string;
  isService: boolean;
  /** Sold by the hour: quantity may be fractional (services only). */
  hourly: boolean;
  /** List price (excl. VAT) and cost in halalas in the first year; both rise yearly by `inflation`. */
  price: number;
  cost: number;
  costKnown: boolean;
  inflation: number;
  leadTime: number;
  packSize: number;
  minOrderQty: number;
  /** Typical units on one retail line. */
  unitsPerLine: number;
  launchDay: number;
  /** No demand from this day on (dead stock when stock remains); NEVER when still sold. */
  discontinueDay: number;
  /** The supplier stops delivering from this day (stock-outs at the end); NEVER when it does not. */
  noSupplyFrom: number;
  unreliable: boolean;
}

export interface Catalog {
  products: Product[];
  /** Goods only (no services), for popularity sampling. */
  goods: Product[];
  services: Product[];
  byCategory: Map<string, { items: Product[]; cumulative: Float64Array }>;
  cumulative: Float64Array;
}

function roundTo(halalas: number, step: number): number {
  return Math.max(step, Math.round(halalas / step) * step);
}

function cumulativeOf(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

function goodsCountByCategory(goods: number): number[] {
  const total = CATEGORIES.reduce((s, c) => s + c.weight, 0);
  const counts = CATEGORIES.map((c) => Math.floor((goods * c.weight) / total));
  for (let i = 0; counts.reduce((s, n) => s + n, 0) < goods; i++) counts[i % counts.length]! += 1;
  return counts;
}

function makeGood(rng: Rng, spec: CategorySpec, combo: number, repeat: number): Product {
  const nItems = spec.items.length;
  const nGrades = GRADES.length;
  const nSizes = spec.sizes.length;
  const [item, itemAr] = spec.items[combo % nItems]!;
  const grade = Math.floor(combo / nItems) % nGrades;
  const size = Math.floor(combo / (nItems * nGrades)) % nSizes;
  const [brand, brandAr] = BRANDS[Math.floor(combo / (nItems * nGrades * nSizes)) % BRANDS.length]!;
  const [gradeEn, gradeAr] = GRADES[grade]!;
  const [sizeEn, sizeAr] = spec.sizes[size]!;
  const suffix = repeat > 0 ? ` ${repeat + 1}` : '';
  const gradeFactor = gradeEn === 'Economy' ? 0.75 : ['Premium', 'Royal', 'Gold'].includes(gradeEn) ? 1.4 : 1;
  const cost = roundTo(rng.uniform(spec.cost[0], spec.cost[1]) * 100 * (1 + size * 0.9) * gradeFactor, 5);
  const price = roundTo(cost * rng.uniform(1.25, 1.9), cost < 2000 ? 25 : 50);
  const packSize = rng.pick(spec.packSizes);
  return {
    index: 0,
    id: '',
    name: `${brand} ${item} ${gradeEn} ${sizeEn}${suffix}`,
    nameAr: `${itemAr} ${gradeAr} ${brandAr} ${sizeAr}${suffix}`,
    category: spec.name,
    categoryKey: spec.key,
    isService: false,
    hourly: false,
    price,
    cost,
    costKnown: true,
    inflation: rng.uniform(0, 0.06),
    leadTime: rng.int(spec.leadTime[0], spec.leadTime[1]),
    packSize,
    minOrderQty: packSize * rng.pick([1, 1, 2, 5, 10]),
    unitsPerLine:
      spec.key === 'perfumes' || spec.key === 'electronics' ? 1.3 : spec.key === 'cleaning' ? 3 : 2,
    launchDay: 0,
    discontinueDay: NEVER,
    noSupplyFrom: NEVER,
    unreliable: false,
  };
}

export interface CatalogOptions {
  products: number;
  startDay: number;
  endDay: number;
}

export function buildCatalog(rng: Rng, opts: CatalogOptions): { catalog: Catalog; records: ProductRecord[] } {
  const span = opts.endDay - opts.startDay + 1;
  const serviceCount = Math.min(SERVICES.length, Math.max(2, Math.round(opts.products * 0.01)));
  const goodsCount = Math.max(1, opts.products - serviceCount);
  const products: Product[] = [];
  goodsCountByCategory(goodsCount).forEach((count, c) => {
    const spec = CATEGORIES[c]!;
    const combos = spec.items.length * GRADES.length * spec.sizes.length * BRANDS.length;
    const order = rng.shuffle(Array.from({ length: combos }, (_, i) => i));
    for (let i = 0; i < count; i++) {
      products.push(makeGood(rng, spec, order[i % combos]!, Math.floor(i / combos)));
    }
  });
  rng.shuffle(products);
  for (const [name, nameAr, priceSar, hourly] of SERVICES.slice(0, serviceCount)) {
    const price = priceSar * 100;
    // Same fields in the same order as makeGood: one hidden class for every product.
    products.push({
      index: 0,
      id: '',
      name,
      nameAr,
      category: SERVICE_CATEGORY.name,
      categoryKey: 'services',
      isService: true,
      hourly,
      price,
      cost: roundTo(price * 0.45, 5),
      costKnown: true,
      inflation: 0.0,
      leadTime: 0,
      packSize: 1,
      minOrderQty: 1,
      unitsPerLine: 1.0,
      launchDay: 0,
      discontinueDay: NEVER,
      noSupplyFrom: NEVER,
      unreliable: false,
    });
  }
  for (const [index, p] of products.entries()) {
    p.index = index;
    p.id = `SKU-${String(index + 1).padStart(5, '0')}`;
  }
  const goods = products.filter((p) => !p.isService);
  // Popularity rank is a random permutation, so best sellers are spread over SKUs and categories.
  const rank = rng.shuffle(goods.map((_, i) => i));
  const weights = goods.map((_, i) => 1 / Math.pow((rank[i] ?? 0) + 1, ZIPF_EXPONENT));
  // Fixed shares (at least one each), so even a small catalogue shows every pattern.
  const some = (pool: Product[], share: number): Set<Product> =>
    new Set(rng.shuffle([...pool]).slice(0, Math.max(1, Math.round(pool.length * share))));
  const launched = some(goods, 0.1);
  const established = goods.filter((p) => !launched.has(p));
  const discontinued = some(established, 0.05);
  const unreliable = some(goods, 0.08);
  const bestSellers = goods.filter(
    (_, i) => (rank[i] ?? 0) < goods.length * 0.3 && !discontinued.has(goods[i]!),
  );
  const supplierStops = some(bestSellers.length > 0 ? bestSellers : established, 0.05);
  const costUnknown = some(goods, 0.03);
  for (const p of goods) {
    p.launchDay = launched.has(p) ? opts.startDay + rng.int(0, Math.floor(span * 0.8)) : opts.startDay - 1000;
    if (discontinued.has(p)) p.discontinueDay = opts.endDay - rng.int(100, Math.min(300, span - 60));
    p.unreliable = unreliable.has(p);
    if (supplierStops.has(p)) p.noSupplyFrom = opts.endDay - rng.int(25, 70);
    p.costKnown = !costUnknown.has(p);
  }

  const byCategory = new Map<string, { items: Product[]; cumulative: Float64Array }>();
  for (const key of new Set(goods.map((p) => p.categoryKey))) {
    const idx = goods.map((p, i) => (p.categoryKey === key ? i : -1)).filter((i) => i >= 0);
    byCategory.set(key, {
      items: idx.map((i) => goods[i]!),
      cumulative: cumulativeOf(idx.map((i) => weights[i]!)),
    });
  }
  const catalog: Catalog = {
    products,
    goods,
    services: products.filter((p) => p.isService),
    byCategory,
    cumulative: cumulativeOf(weights),
  };
  const records = products.map((p): ProductRecord => ({
    externalId: p.id,
    name: p.name,
    nameAr: p.nameAr,
    category: p.category,
    ...(p.costKnown ? { unitCost: formatHalalas(p.cost) } : {}),
    ...(p.isService ? {} : { leadTimeDays: p.leadTime }),
    packSize: p.packSize,
    minOrderQty: p.minOrderQty,
    isService: p.isService,
  }));
  return { catalog, records };
}

/** A good drawn by overall popularity. */
export function samplePopular(rng: Rng, catalog: Catalog): Product {
  const total = catalog.cumulative[catalog.cumulative.length - 1] ?? 0;
  return catalog.goods[searchCumulative(catalog.cumulative, rng.next() * total)]!;
}

/** A good of one category (by its key) drawn by popularity; any good when the category is empty. */
export function sampleInCategory(rng: Rng, catalog: Catalog, key: string): Product {
  const cat = catalog.byCategory.get(key);
  if (!cat) return samplePopular(rng, catalog);
  const total = cat.cumulative[cat.cumulative.length - 1] ?? 0;
  return cat.items[searchCumulative(cat.cumulative, rng.next() * total)]!;
}

export function isOnSale(p: Product, day: number): boolean {
  return day >= p.launchDay && day < p.discontinueDay;
}

/** List price (excl. VAT) in halalas on a day: rises by the product's inflation each year. */
export function priceOn(p: Product, day: number, startDay: number): number {
  const years = Math.floor((day - startDay) / 365);
  return years <= 0 ? p.price : roundTo(p.price * Math.pow(1 + p.inflation, years), 5);
}

export function costOn(p: Product, day: number, startDay: number): number {
  const years = Math.floor((day - startDay) / 365);
  return years <= 0 ? p.cost : Math.round(p.cost * Math.pow(1 + p.inflation, years));
}
