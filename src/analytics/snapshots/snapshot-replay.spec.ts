import { PreparedJson } from '../../shared/prepared-json';
import { ReplayEntry, ReplayMemory } from './snapshot-replay';

const entry = (bytes: number): ReplayEntry => ({
  tenant: { id: 't', name: 'T', currency: 'SAR', timezone: 'Asia/Riyadh', settings: {} },
  tenantJson: '{}',
  snapshotId: 's',
  asOf: '2024-06-30',
  asOfDefaulted: false,
  contentType: undefined,
  body: PreparedJson.of('x'.repeat(bytes - 2)), // a JSON string: its quotes are 2 bytes
});

describe('ReplayMemory', () => {
  it('keeps at most maxEntries, forgetting the least recently used first', () => {
    const m = new ReplayMemory(2, 1_000_000, 60_000);
    m.set('a', entry(10));
    m.set('b', entry(10));
    expect(m.get('a')).toBeDefined(); // a is now more recent than b
    m.set('c', entry(10));
    expect([m.get('a'), m.get('b'), m.get('c')].map((e) => e !== undefined)).toEqual([true, false, true]);
    expect(m.size).toBe(2);
  });

  it('keeps at most maxBytes of bodies and keys, and never a body larger than that', () => {
    const m = new ReplayMemory(100, 25, 60_000);
    m.set('a', entry(10)); // 11 bytes with its key
    m.set('b', entry(10));
    expect(m.totalBytes).toBe(22);
    m.set('c', entry(10));
    expect(m.get('a')).toBeUndefined();
    expect(m.totalBytes).toBe(22);
    m.set('d', entry(30));
    expect(m.get('d')).toBeUndefined();
    expect(m.totalBytes).toBe(22);
  });

  it('counts a replaced or deleted entry out of the bytes', () => {
    const m = new ReplayMemory(100, 1000, 60_000);
    m.set('a', entry(10));
    m.set('a', entry(20));
    expect(m.totalBytes).toBe(21);
    m.delete('a');
    m.delete('a');
    expect([m.size, m.totalBytes]).toEqual([0, 0]);
  });

  it('forgets an entry maxAgeMs after it was recorded', () => {
    let now = 1_000;
    const m = new ReplayMemory(100, 1000, 500, () => now);
    m.set('a', entry(10));
    now += 499;
    expect(m.get('a')).toBeDefined();
    now += 1;
    expect(m.get('a')).toBeUndefined();
    expect([m.size, m.totalBytes]).toEqual([0, 0]);
  });
});
