import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const cache = () => new TtlCache<string, number>(1000, 2, () => now);
  const counting = () => {
    let calls = 0;
    return { load: (v: number) => async () => (calls++, v), calls: () => calls };
  };

  beforeEach(() => (now = 0));

  it('serves a value for its time to live, then loads it again', async () => {
    const c = cache();
    const l = counting();
    expect(await c.get('a', l.load(1))).toBe(1);
    now = 999;
    expect(await c.get('a', l.load(2))).toBe(1);
    now = 1000;
    expect(await c.get('a', l.load(3))).toBe(3);
    expect(l.calls()).toBe(2);
  });

  it('shares one load between concurrent misses', async () => {
    const c = cache();
    const l = counting();
    const [x, y] = await Promise.all([c.get('a', l.load(1)), c.get('a', l.load(2))]);
    expect([x, y, l.calls()]).toEqual([1, 1, 1]);
  });

  it('never stores a load that an invalidation overtook', async () => {
    const c = cache();
    let release!: (v: number) => void;
    const slow = c.get('a', () => new Promise<number>((r) => (release = r)));
    c.invalidate('a'); // a write happened while the old value was being read
    release(1);
    expect(await slow).toBe(1);
    expect(await c.get('a', async () => 2)).toBe(2);
  });

  it('forgets a key, or everything, at once', async () => {
    const c = cache();
    await c.get('a', async () => 1);
    await c.get('b', async () => 1);
    c.invalidate('a');
    expect(await c.get('a', async () => 2)).toBe(2);
    expect(await c.get('b', async () => 2)).toBe(1);
    c.invalidate();
    expect(await c.get('b', async () => 3)).toBe(3);
  });

  it('keeps at most maxEntries, dropping the oldest', async () => {
    const c = cache();
    await c.get('a', async () => 1);
    await c.get('b', async () => 1);
    await c.get('c', async () => 1);
    expect(await c.get('a', async () => 2)).toBe(2);
    expect(await c.get('c', async () => 2)).toBe(1);
  });

  it('does not keep a failed load', async () => {
    const c = cache();
    await expect(c.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await c.get('a', async () => 1)).toBe(1);
  });
});
