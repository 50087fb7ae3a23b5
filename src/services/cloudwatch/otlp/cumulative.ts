/**
 * Cumulative OTLP series → the deltas CloudWatch stores. A cumulative point is the total since its
 * start time; what one export adds is its difference from the previous point of the same series.
 *
 * - A series seen for the first time whose start time is after this tracker began: its whole
 *   value is the delta (it started counting while Osprey was up; nothing of it was stored yet).
 * - First seen with an earlier (or no) start time: a baseline only. Osprey may have stored its
 *   earlier deltas before a restart, and counting the total again would double it.
 * - A new start time or a smaller value: the series restarted; its whole value is the delta.
 * - A histogram whose bucket layout changed: a new baseline.
 * - A point not newer than the last one seen is a repeat: nothing.
 *
 * State is per series (account, region, namespace, name, dimensions) and bounded: past `maxSeries`
 * the least recently updated series are forgotten (and start again as baselines).
 */
export interface CumulativeState<V> {
  start: bigint;
  time: bigint;
  value: V;
}

export interface DeltaOps<V> {
  /**
   * `cur - prev`; 'reset' when `cur` is smaller somewhere (the series restarted: `cur` is the
   * delta); 'skip' when the two cannot be compared (a new baseline, nothing stored).
   */
  subtract(cur: V, prev: V): V | 'reset' | 'skip';
}

export class CumulativeTracker {
  private readonly series = new Map<string, CumulativeState<unknown>>();

  constructor(private readonly startedAtNanos: bigint, private readonly maxSeries = 200_000) {}

  /**
   * A batch of points whose new states are kept aside until commit(): a request whose points were
   * not stored (the store asked for a retry) must leave the series where they were, or its retry
   * would be taken for a repeat and lost.
   */
  begin(): CumulativeBatch {
    const staged = new Map<string, CumulativeState<unknown>>();
    return {
      delta: <V>(key: string, start: bigint, time: bigint, value: V, ops: DeltaOps<V>): V | undefined => {
        const prev = (staged.get(key) ?? this.series.get(key)) as CumulativeState<V> | undefined;
        if (prev && time <= prev.time) return undefined;
        staged.set(key, { start, time, value });
        if (!prev) return start > 0n && start >= this.startedAtNanos ? value : undefined;
        if (start !== prev.start) return value;
        const d = ops.subtract(value, prev.value);
        return d === 'reset' ? value : d === 'skip' ? undefined : d;
      },
      commit: () => {
        for (const [key, state] of staged) this.remember(key, state);
      },
    };
  }

  get size(): number {
    return this.series.size;
  }

  private remember(key: string, state: CumulativeState<unknown>): void {
    // Re-inserted at the end: the Map's order is least recently updated first.
    this.series.delete(key);
    this.series.set(key, state);
    if (this.series.size > this.maxSeries) this.series.delete(this.series.keys().next().value!);
  }
}

export interface CumulativeBatch {
  /** The delta this point adds, or undefined when it adds nothing to store (baseline or repeat). */
  delta<V>(key: string, start: bigint, time: bigint, value: V, ops: DeltaOps<V>): V | undefined;
  /** Makes the batch's points the series' latest (after they were stored). */
  commit(): void;
}

export const numberDelta: DeltaOps<number> = {
  subtract: (cur, prev) => (cur >= prev ? cur - prev : 'reset'),
};
