/**
 * The agent publishes cumulative kernel counters (net, diskio) as what changed since the last
 * reading (its cumulativetodelta processor): the first reading reports nothing, a counter that went
 * backwards (a reset) reports nothing for that interval.
 */
export class CounterDeltas {
  private last = new Map<string, number>();

  /** `readings` by key (series + field) → the deltas of the keys seen last time too. */
  next(readings: Map<string, number>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [k, v] of readings) {
      const before = this.last.get(k);
      if (before !== undefined && v >= before) out.set(k, v - before);
    }
    this.last = readings;
    return out;
  }
}
