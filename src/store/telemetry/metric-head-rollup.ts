/**
 * The metric head's points in columns, and the rollup rows computed from them at flush time.
 *
 * Why columns aggregated at flush instead of aggregate objects updated per point: one object (and
 * a sketch Map) per (series, unit, interval) and tier made adding a point cost 6–9 µs, most of it
 * allocation and GC (CPU profile of 100k single-value points: aggregate/aggFor + GC ≈ 80 %);
 * pushing seven numbers costs a fraction of that, and the flush aggregates in tight loops over
 * points sorted once by (series, unit, time) — one order serves all three tiers, because an
 * interval of any tier is a run of consecutive timestamps.
 *
 * A tier row is (series UInt64, unit, interval start, sample_count, sum, min, max, dist_count,
 * sketch = (sorted keys Array(Int32), counts Array(Float64))), the layout of metric_tier_*.
 */
import { ROLLUP_TIERS } from './metric-rollups.ts';
import { sketchKey } from './metric-sketch.ts';
import type { SeriesIdentity } from './metric-series-ids.ts';
import { RowBinaryWriter } from './row-binary.ts';

/** A growable typed-array column. */
class Column<A extends Float64Array | Int32Array> {
  length = 0;
  constructor(public data: A) {}

  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new (this.data.constructor as new (n: number) => A)(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

const f64 = (n: number) => new Column(new Float64Array(n));
const i32 = (n: number) => new Column(new Int32Array(n));

/**
 * Points of one flush, column by column, in typed arrays sized from the previous flush: plain
 * arrays rebuilt per flush cost ~1 µs a point in growth copies and GC (same profile).
 */
export class PointColumns {
  readonly series: SeriesIdentity[] = [];
  readonly units: string[] = [];
  private readonly unitIndex = new Map<string, number>();
  private readonly slotOf = new Map<SeriesIdentity, number>();
  /** Series version key → its slots (one per dimension order a publisher used): reads of the head. */
  private readonly slotsByKey = new Map<string, number[]>();
  /** Per slot, its last point; per point, the previous point of its slot (-1: none). */
  readonly lastOfSlot: number[] = [];
  readonly prevInSlot: Column<Int32Array>;
  readonly seriesOf: Column<Int32Array>;
  readonly unitOf: Column<Int32Array>;
  readonly ts: Column<Float64Array>;
  readonly sampleCount: Column<Float64Array>;
  readonly sum: Column<Float64Array>;
  readonly min: Column<Float64Array>;
  readonly max: Column<Float64Array>;
  /** Each point's distribution: values[valueStart[i] .. valueStart[i + 1]). */
  readonly valueStart: Column<Int32Array>;
  readonly values: Column<Float64Array>;
  readonly counts: Column<Float64Array>;

  constructor(capacity = 1024) {
    const n = Math.max(1024, capacity);
    this.seriesOf = i32(n);
    this.prevInSlot = i32(n);
    this.unitOf = i32(n);
    this.ts = f64(n);
    this.sampleCount = f64(n);
    this.sum = f64(n);
    this.min = f64(n);
    this.max = f64(n);
    this.valueStart = i32(n + 1);
    this.valueStart.push(0);
    this.values = f64(n);
    this.counts = f64(n);
  }

  get length(): number {
    return this.ts.length;
  }

  /** The slots of the series with this version key (metric-series.ts seriesVersionKey). */
  slotsOf(key: string): readonly number[] {
    return this.slotsByKey.get(key) ?? [];
  }

  /** Approximate heap bytes (the head's memory bound). */
  get bytes(): number {
    return this.ts.data.length * 64 + this.values.data.length * 16 + this.series.length * 64;
  }

  push(s: SeriesIdentity, unit: string, ts: number, sampleCount: number, sum: number, min: number, max: number,
    values: readonly number[], counts: readonly number[]): void {
    let slot = this.slotOf.get(s);
    if (slot === undefined) {
      slot = this.series.length;
      this.series.push(s);
      this.slotOf.set(s, slot);
      this.lastOfSlot.push(-1);
      const same = this.slotsByKey.get(s.key);
      if (same === undefined) this.slotsByKey.set(s.key, [slot]);
      else same.push(slot);
    }
    let u = this.unitIndex.get(unit);
    if (u === undefined) {
      u = this.units.length;
      this.units.push(unit);
      this.unitIndex.set(unit, u);
    }
    this.prevInSlot.push(this.lastOfSlot[slot]!);
    this.lastOfSlot[slot] = this.ts.length;
    this.seriesOf.push(slot);
    this.unitOf.push(u);
    this.ts.push(ts);
    this.sampleCount.push(sampleCount);
    // `|| 0`: -0 is stored as 0 (what the JSON path stored; readers never tell them apart).
    this.sum.push(sum || 0);
    this.min.push(min || 0);
    this.max.push(max || 0);
    for (let i = 0; i < values.length; i++) {
      this.values.push(values[i]!);
      this.counts.push(counts[i]!);
    }
    this.valueStart.push(this.values.length);
  }
}

/**
 * Point indices ordered by (series slot, unit, ts): a counting sort by series (points of a flush
 * are mostly in time order per series already), then a comparison sort only of the series whose
 * run is out of order.
 */
function sortedOrder(c: PointColumns): Int32Array {
  const n = c.length;
  const start = new Int32Array(c.series.length + 1);
  for (let i = 0; i < n; i++) start[c.seriesOf.data[i]! + 1]!++;
  for (let s = 0; s < c.series.length; s++) start[s + 1]! += start[s]!;
  const fill = start.slice(0, c.series.length);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[c.seriesOf.data[i]!]!++] = i;
  const before = (a: number, b: number): number => (c.unitOf.data[a]! - c.unitOf.data[b]!) || (c.ts.data[a]! - c.ts.data[b]!);
  for (let s = 0; s < c.series.length; s++) {
    const from = start[s]!;
    const to = start[s + 1]!;
    let ordered = true;
    for (let i = from + 1; i < to && ordered; i++) ordered = before(order[i - 1]!, order[i]!) <= 0;
    if (!ordered) order.subarray(from, to).sort(before);
  }
  return order;
}

/** The rows of every tier (ROLLUP_TIERS order) as RowBinary payloads. Every series must have its id. */
export function encodeTiers(c: PointColumns): Buffer[] {
  const order = sortedOrder(c);
  const keys = new Int32Array(c.values.length);
  for (let i = 0; i < keys.length; i++) keys[i] = sketchKey(c.values.data[i]!);
  // Per series its id, per unit its bytes: encoded once, not per row.
  const ids = new Uint32Array(c.series.length * 2);
  c.series.forEach((s, i) => {
    ids[2 * i] = Number(s.id! & 0xffffffffn);
    ids[2 * i + 1] = Number(s.id! >> 32n);
  });
  const units = c.units.map((u) => {
    const w = new RowBinaryWriter(16);
    w.string(u);
    return w.take();
  });
  return ROLLUP_TIERS.map((t) => encodeTier({ c, order, keys, ids, units }, t.resolutionMs, t.elidesSingles === true));
}

interface TierInput { c: PointColumns; order: Int32Array; keys: Int32Array; ids: Uint32Array; units: Buffer[] }

/**
 * Keys of one run's sketch with their counts, in a key-indexed array instead of a Map: with 150
 * values a point (ingest-metrics) the Map spent ~90 ns a value and tier (encodeTiers ~0.27 µs a
 * datapoint, the flush's largest JS cost); an array slot is a few ns. Keys of finite values lie in
 * ±(100,000 − 74,430 … 100,000 + 70,983) (metric-sketch.ts), within ±KEY_SPAN.
 */
const KEY_SPAN = 172_000;

class SketchAccumulator {
  private readonly counts = new Float64Array(2 * KEY_SPAN + 1);
  private readonly seen = new Uint8Array(2 * KEY_SPAN + 1);
  private keys = new Int32Array(1024);
  private n = 0;

  add(key: number, count: number): void {
    const i = key + KEY_SPAN;
    if (this.seen[i] === 0) {
      this.seen[i] = 1;
      if (this.n === this.keys.length) {
        const next = new Int32Array(this.keys.length * 2);
        next.set(this.keys);
        this.keys = next;
      }
      this.keys[this.n++] = key;
    }
    this.counts[i]! += count;
  }

  /** Empties the accumulator without writing it. */
  clear(): void {
    for (let i = 0; i < this.n; i++) {
      const at = this.keys[i]! + KEY_SPAN;
      this.counts[at] = 0;
      this.seen[at] = 0;
    }
    this.n = 0;
  }

  /** Writes sketch = (keys ascending, their counts) and empties the accumulator. */
  writeAndReset(w: RowBinaryWriter): void {
    const keys = this.keys.subarray(0, this.n);
    if (this.n > 1) keys.sort();
    w.varUInt(this.n);
    for (let i = 0; i < this.n; i++) w.int32(keys[i]!);
    w.varUInt(this.n);
    for (let i = 0; i < this.n; i++) {
      const at = keys[i]! + KEY_SPAN;
      w.float64(this.counts[at]!);
      this.counts[at] = 0;
      this.seen[at] = 0;
    }
    this.n = 0;
  }
}

let accumulator: SketchAccumulator | undefined;

/** Whether point p is one plain value (one sample, its own min, max and one-entry distribution). */
function isOneValue(c: PointColumns, p: number): boolean {
  const s = c.sum.data[p]!;
  const v = c.valueStart.data[p]!;
  return c.sampleCount.data[p] === 1 && c.min.data[p] === s && c.max.data[p] === s &&
    c.valueStart.data[p + 1] === v + 1 && c.counts.data[v] === 1 && c.values.data[v] === s;
}

/**
 * One tier: a row per run of points with the same series, unit and interval. With `elideSingles`,
 * a row of one plain value writes NaN min/max and an empty sketch (metric-minute-tier.ts).
 */
function encodeTier({ c, order, keys, ids, units }: TierInput, res: number, elideSingles: boolean): Buffer {
  const w = new RowBinaryWriter(c.length * 80 + 64);
  // Shared: encoding is synchronous, so one accumulator (2.7 MB) serves every flush.
  const sketch = (accumulator ??= new SketchAccumulator());
  const { seriesOf, unitOf, ts, sampleCount, sum: sums, min: mins, max: maxs, valueStart, counts } = c;
  let g = 0;
  while (g < order.length) {
    const first = order[g]!;
    const slot = seriesOf.data[first]!;
    const unit = unitOf.data[first]!;
    const ts0 = ts.data[first]!;
    const bucket = ts0 - (((ts0 % res) + res) % res);
    let n = 0, sum = 0, min = Infinity, max = -Infinity, dist = 0;
    let i = g;
    for (; i < order.length; i++) {
      const p = order[i]!;
      if (seriesOf.data[p] !== slot || unitOf.data[p] !== unit || ts.data[p]! >= bucket + res) break;
      n += sampleCount.data[p]!;
      sum += sums.data[p]!;
      if (mins.data[p]! < min) min = mins.data[p]!;
      if (maxs.data[p]! > max) max = maxs.data[p]!;
      for (let v = valueStart.data[p]!; v < valueStart.data[p + 1]!; v++) {
        dist += counts.data[v]!;
        sketch.add(keys[v]!, counts.data[v]!);
      }
    }
    w.uint32(ids[2 * slot]!);
    w.uint32(ids[2 * slot + 1]!);
    w.raw(units[unit]!);
    w.int64(bucket);
    w.float64(n);
    w.float64(sum);
    if (elideSingles && i === g + 1 && isOneValue(c, first)) {
      w.float64(NaN);
      w.float64(NaN);
      w.float64(dist);
      sketch.clear();
      w.varUInt(0);
      w.varUInt(0);
    } else {
      w.float64(min);
      w.float64(max);
      w.float64(dist);
      sketch.writeAndReset(w);
    }
    g = i;
  }
  return w.bytes();
}
