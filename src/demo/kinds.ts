/**
 * What distinguishes the customer kinds: how many of each, how many already buy when the data
 * starts, and how often they come back.
 */
import type { Rng } from './rng';
import type { CustomerKind } from './types';

export const NEVER = Number.MAX_SAFE_INTEGER;

/** Share of customers per kind, in percent. */
const KIND_SHARES: Record<CustomerKind, number> = {
  one_off: 32,
  occasional: 23.9,
  loyal: 6,
  seasonal: 8,
  lapsing: 8,
  growing: 5,
  declining: 5,
  slow_payer: 5,
  returner: 4,
  whale: 0.1,
  prospect: 3,
};

export function kindCounts(customers: number): Record<CustomerKind, number> {
  const kinds = Object.keys(KIND_SHARES) as CustomerKind[];
  const counts = {} as Record<CustomerKind, number>;
  const minimum = (k: CustomerKind): number =>
    customers >= 200 && k === 'whale' ? 2 : customers >= 50 ? 1 : 0;
  let assigned = 0;
  for (const k of kinds) {
    counts[k] = Math.max(minimum(k), Math.floor((customers * KIND_SHARES[k]) / 100));
    assigned += counts[k];
  }
  // Fill (or trim) the remainder through the common kinds, largest first.
  const common: CustomerKind[] = ['one_off', 'occasional', 'seasonal', 'lapsing', 'loyal'];
  for (let i = 0; assigned !== customers; i++) {
    const k = common[i % common.length]!;
    const step = assigned < customers ? 1 : -1;
    if (step < 0 && counts[k] <= minimum(k)) continue;
    counts[k] += step;
    assigned += step;
  }
  return counts;
}

/** Share of the kind that already buys when the data starts. */
export function existingShare(kind: CustomerKind): number {
  const shares: Partial<Record<CustomerKind, number>> = {
    whale: 1,
    loyal: 0.75,
    growing: 0.5,
    declining: 0.85,
    slow_payer: 0.7,
    returner: 0.7,
    lapsing: 0.75,
    occasional: 0.5,
    seasonal: 0.6,
  };
  return shares[kind] ?? 0;
}

/** Mean days between purchases and the spread (sigma of a log-normal jitter); NEVER = no repeat purchases. */
export function gapOf(rng: Rng, kind: CustomerKind): [number, number] {
  switch (kind) {
    case 'loyal':
      return [rng.int(16, 30), 0.25];
    case 'occasional':
      return [rng.int(90, 200), 0.6];
    case 'lapsing':
      return [rng.int(30, 65), 0.35];
    case 'growing':
      return [rng.int(40, 75), 0.35];
    case 'declining':
      return [rng.int(28, 50), 0.35];
    case 'whale':
      return [rng.int(5, 10), 0.3];
    case 'slow_payer':
    case 'returner':
      return [rng.int(40, 75), 0.35];
    default:
      return [NEVER, 0];
  }
}
