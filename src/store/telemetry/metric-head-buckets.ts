/**
 * What the metric head adds to a read (issue 17, deliverable 3): acknowledged points that are not
 * in the engine yet, aggregated into the reader's buckets the way the rows they will become are
 * read back — raw points where the plan reads raw points, tier rows (interval start, sketch
 * representatives for percentiles) where it reads a rollup tier. Merging them into a read, instead
 * of flushing the head before it, keeps a read right after a write (an alarm evaluating the point
 * that just arrived) from waiting for the engine's inserts.
 */
import type { BucketAggregate } from './metric-reader.ts';
import type { PointColumns } from './metric-head-rollup.ts';
import { sketchKey, sketchValue } from './metric-sketch.ts';

/** A run of buckets read from one tier: rollup rows of `resolutionMs`, or raw points (0). */
export interface HeadReadSegment { from: number; to: number; resolutionMs: number }

export interface HeadReadPlan {
  startTime: number;
  periodMs: number;
  distribution: boolean;
  /** Sample count and sum only (ReadRequest.sumAndCountOnly): min, max and distCount come back 0. */
  sumAndCountOnly: boolean;
  segments: readonly HeadReadSegment[];
}

/** A series by its version key (metric-series.ts), and the unit its points must have, if any. */
export interface HeadSeriesRef { key: string; unit?: string }

/** The series' head points as buckets of `plan`, in time order. */
export function headBuckets(c: PointColumns, series: HeadSeriesRef, plan: HeadReadPlan): BucketAggregate[] {
  const buckets = new Map<number, BucketAggregate>();
  const dists = new Map<number, Map<number, number>>();
  for (const slot of c.slotsOf(series.key)) {
    for (let p = c.lastOfSlot[slot]!; p >= 0; p = c.prevInSlot.data[p]!) {
      const unit = c.units[c.unitOf.data[p]!]!;
      if (series.unit !== undefined && unit !== series.unit) continue;
      const seg = segmentOf(plan.segments, c.ts.data[p]!);
      if (seg === undefined) continue;
      const b = plan.startTime + Math.floor((seg.ts - plan.startTime) / plan.periodMs) * plan.periodMs;
      let agg = buckets.get(b);
      if (agg === undefined) {
        agg = { ts: b, sampleCount: 0, sum: 0, min: Infinity, max: -Infinity, unit, distCount: 0 };
        buckets.set(b, agg);
      }
      agg.sampleCount += c.sampleCount.data[p]!;
      agg.sum += c.sum.data[p]!;
      agg.min = Math.min(agg.min, c.min.data[p]!);
      agg.max = Math.max(agg.max, c.max.data[p]!);
      let dist = plan.distribution ? dists.get(b) : undefined;
      if (plan.distribution && dist === undefined) dists.set(b, dist = new Map());
      for (let v = c.valueStart.data[p]!; v < c.valueStart.data[p + 1]!; v++) {
        const count = c.counts.data[v]!;
        agg.distCount += count;
        if (dist === undefined || count <= 0) continue;
        const value = seg.raw ? c.values.data[v]! : sketchValue(sketchKey(c.values.data[v]!));
        dist.set(value, (dist.get(value) ?? 0) + count);
      }
    }
  }
  const out = [...buckets.values()].sort((a, b) => a.ts - b.ts);
  if (plan.distribution) for (const agg of out) agg.distribution = sorted(dists.get(agg.ts)!);
  else if (plan.sumAndCountOnly) for (const agg of out) agg.min = agg.max = agg.distCount = 0;
  return out;
}

/**
 * The segment holding a point at `ts`: raw segments by the point's time, rollup segments by its
 * interval's start (the tier row's ts, which the stored read filters on).
 */
function segmentOf(segments: readonly HeadReadSegment[], ts: number): { ts: number; raw: boolean } | undefined {
  for (const s of segments) {
    const res = s.resolutionMs;
    const t = res === 0 ? ts : ts - (((ts % res) + res) % res);
    if (t >= s.from && t < s.to) return { ts: t, raw: res === 0 };
  }
  return undefined;
}

function sorted(dist: Map<number, number>): { values: number[]; counts: number[] } {
  const values = [...dist.keys()].sort((a, b) => a - b);
  return { values, counts: values.map((v) => dist.get(v)!) };
}

/** Stored buckets and head buckets of one series, both in time order, as one list in time order. */
export function mergeBuckets(stored: readonly BucketAggregate[], head: readonly BucketAggregate[]): BucketAggregate[] {
  const out: BucketAggregate[] = [];
  let i = 0;
  let j = 0;
  while (i < stored.length || j < head.length) {
    const a = stored[i];
    const b = head[j];
    if (b === undefined || (a !== undefined && a.ts < b.ts)) { out.push(a!); i++; continue; }
    if (a === undefined || b.ts < a.ts) { out.push(b); j++; continue; }
    out.push(combine(a, b));
    i++;
    j++;
  }
  return out;
}

function combine(a: BucketAggregate, b: BucketAggregate): BucketAggregate {
  const c: BucketAggregate = {
    ts: a.ts, sampleCount: a.sampleCount + b.sampleCount, sum: a.sum + b.sum,
    min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), unit: a.unit, distCount: a.distCount + b.distCount,
  };
  if (a.distribution !== undefined || b.distribution !== undefined) {
    const d = new Map<number, number>();
    for (const x of [a.distribution, b.distribution]) {
      x?.values.forEach((v, k) => d.set(v, (d.get(v) ?? 0) + x.counts[k]!));
    }
    c.distribution = sorted(d);
  }
  return c;
}
