/**
 * A cache of per-series period aggregates, so a dashboard refreshing the same graphs (or an alarm
 * re-reading its window every minute) does not re-run the same ClickHouse scan while nothing new
 * was written to the series.
 *
 * Correctness rests on write versions: MetricPointStore bumps a series' version after each append
 * is committed; a read records the version it saw *before* querying, and an entry is used only
 * while that version is still current. A write that lands during a read therefore invalidates what
 * the read caches. Keys include the tier plan (which tables, which ranges), so as "now" moves a
 * bucket to another tier or out of retention, the old entry simply stops matching.
 *
 * Metrics Insights results (many series of one metric per query) are versioned by their metric:
 * every append bumps the metric's version too (`metricVersionKey`, metric-series.ts).
 *
 * Only valid with a single writer process (the embedded engine): with a shared ClickHouse server
 * other Osprey processes write without bumping these versions, so the cache is off there.
 */
export class SeriesVersions {
  private readonly versions = new Map<string, number>();
  private epoch = 0;

  constructor(private readonly maxSeries = 200_000) {}

  /** Current version of a series (0 when never written since start, or after a reset). */
  get(seriesKey: string): string {
    return `${this.epoch}.${this.versions.get(seriesKey) ?? 0}`;
  }

  bump(seriesKeys: Iterable<string>): void {
    for (const k of seriesKeys) this.versions.set(k, (this.versions.get(k) ?? 0) + 1);
    // Bounded memory: forgetting every version at once (new epoch) invalidates every entry.
    if (this.versions.size > this.maxSeries) {
      this.versions.clear();
      this.epoch++;
    }
  }
}

interface Entry<T> {
  version: string;
  value: T;
  weight: number;
  /** ms since the epoch after which the entry is not used (e.g. when its oldest point may expire). */
  expiresAt: number;
}

/**
 * LRU over entries, bounded by their total weight (cached buckets or rows). `T` is what one entry
 * holds: one series' buckets for the MetricReader, one metric's rows for Metrics Insights; an
 * array's weight is its length unless `weigh` says otherwise.
 */
export class MetricReadCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private weight = 0;

  constructor(
    readonly versions: SeriesVersions,
    private readonly maxWeight = 2_000_000,
    private readonly weigh: (value: T) => number = (v) => (Array.isArray(v) ? v.length : 1),
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, version: string): T | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    this.entries.delete(key);
    if (e.version !== version || this.now() >= e.expiresAt) {
      this.weight -= e.weight;
      return undefined;
    }
    this.entries.set(key, e); // most recently used last
    return e.value;
  }

  set(key: string, version: string, value: T, expiresAt = Infinity): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.weight -= old.weight;
      this.entries.delete(key);
    }
    const weight = Math.max(1, this.weigh(value));
    if (weight > this.maxWeight / 10) return; // one huge read would evict everything
    this.entries.set(key, { version, value, weight, expiresAt });
    this.weight += weight;
    for (const [k, e] of this.entries) {
      if (this.weight <= this.maxWeight) break;
      this.entries.delete(k);
      this.weight -= e.weight;
    }
  }
}
