/**
 * A small in-process cache for per-request lookups (API key → tenant, settings, snapshot state) that
 * the hot read paths would otherwise query on every request. An entry lives `ttlMs` at most: that is
 * how stale another instance's write can look here. A write in this instance calls invalidate(), and
 * a load that started before an invalidation is not stored (a generation count), so this instance
 * never serves what it has itself overwritten. Concurrent misses of one key share one load. At most
 * `maxEntries` entries are kept (the oldest go first).
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; expires: number }>();
  private readonly loading = new Map<K, { generation: number; promise: Promise<V> }>();
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    const pending = this.loading.get(key);
    if (pending && pending.generation === this.generation) return pending.promise;
    const generation = this.generation;
    const promise = load().then(
      (value) => {
        if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
        if (generation === this.generation && this.ttlMs > 0) this.put(key, value);
        return value;
      },
      (err: unknown) => {
        if (this.loading.get(key)?.promise === promise) this.loading.delete(key);
        throw err;
      },
    );
    this.loading.set(key, { generation, promise });
    return promise;
  }

  /** Forgets `key` (or everything), including any load already under way. */
  invalidate(key?: K): void {
    this.generation++;
    if (key === undefined) {
      this.entries.clear();
      this.loading.clear();
    } else {
      this.entries.delete(key);
      this.loading.delete(key);
    }
  }

  private put(key: K, value: V): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: this.now() + this.ttlMs });
  }
}
