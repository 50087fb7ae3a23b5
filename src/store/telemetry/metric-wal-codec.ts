/**
 * Metric points as WAL records (src/store/ingest/types.ts WalCodec): compact binary, written with
 * the RowBinary primitives (LEB128 lengths, little-endian doubles).
 *
 * A record is a point count, then per point a flags byte and the fields the flags do not elide:
 * - bits 0–4: account / region / namespace / metric name / unit equal to the previous point's
 *   (a PutMetricData call usually repeats all five for its up to 1,000 datums);
 * - bit 5: a single value (sampleCount 1, sum = min = max = v, values [v], counts [1]) — what
 *   `Value` datums are — stored as v alone: ~30 bytes a point instead of ~70 (single-value peers
 *   workload).
 * Timestamps are doubles: every ms timestamp is a safe integer, exact in a double.
 */
import type { WalCodec } from '../ingest/types.ts';
import { checkPoint, type MetricPoint } from './metric-point.ts';
import { RowBinaryWriter } from './row-binary.ts';

const SAME_ACCOUNT = 1;
const SAME_REGION = 2;
const SAME_NAMESPACE = 4;
const SAME_METRIC = 8;
const SAME_UNIT = 16;
const SINGLE_VALUE = 32;

function isSingleValue(p: MetricPoint): boolean {
  return p.sampleCount === 1 && p.values.length === 1 && p.counts[0] === 1 &&
    Object.is(p.sum, p.values[0]) && Object.is(p.min, p.values[0]) && Object.is(p.max, p.values[0]);
}

export function encodeMetricRecord(points: readonly MetricPoint[]): Buffer {
  for (let i = 0; i < points.length; i++) checkPoint(points[i]!, i);
  const w = new RowBinaryWriter(points.length * 48 + 16);
  w.varUInt(points.length);
  let prev: MetricPoint | undefined;
  for (const p of points) {
    const single = isSingleValue(p);
    const flags = (prev === undefined ? 0
      : (p.account === prev.account ? SAME_ACCOUNT : 0) | (p.region === prev.region ? SAME_REGION : 0) |
        (p.namespace === prev.namespace ? SAME_NAMESPACE : 0) | (p.metricName === prev.metricName ? SAME_METRIC : 0) |
        (p.unit === prev.unit ? SAME_UNIT : 0)) | (single ? SINGLE_VALUE : 0);
    w.uint8(flags);
    if (!(flags & SAME_ACCOUNT)) w.string(p.account);
    if (!(flags & SAME_REGION)) w.string(p.region);
    if (!(flags & SAME_NAMESPACE)) w.string(p.namespace);
    if (!(flags & SAME_METRIC)) w.string(p.metricName);
    if (!(flags & SAME_UNIT)) w.string(p.unit);
    // Keys, not entries: one array per point instead of one plus one per dimension (same bytes as
    // stringMap; encode of 1,000 single-value points: 307 → 271 ns a point).
    const dims = p.dimensions;
    const names = Object.keys(dims);
    w.varUInt(names.length);
    for (const k of names) {
      w.string(k);
      w.string(dims[k]!);
    }
    w.float64(p.timestamp);
    w.uint8(p.storageResolution);
    if (single) {
      w.float64(p.sum);
    } else {
      w.float64(p.sampleCount);
      w.float64(p.sum);
      w.float64(p.min);
      w.float64(p.max);
      w.varUInt(p.values.length);
      for (let i = 0; i < p.values.length; i++) {
        w.float64(p.values[i]!);
        w.float64(p.counts[i]!);
      }
    }
    prev = p;
  }
  return w.take();
}

/** Reads what encodeMetricRecord wrote. */
class Reader {
  at = 0;
  constructor(private readonly buf: Buffer) {}

  varUInt(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.at++];
      if (b === undefined) throw new RangeError('metric WAL record is truncated');
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  uint8(): number {
    const b = this.buf[this.at++];
    if (b === undefined) throw new RangeError('metric WAL record is truncated');
    return b;
  }

  float64(): number {
    const v = this.buf.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }

  string(): string {
    const n = this.varUInt();
    if (this.at + n > this.buf.length) throw new RangeError('metric WAL record is truncated');
    const s = this.buf.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }
}

export function decodeMetricRecord(payload: Buffer): MetricPoint[] {
  const r = new Reader(payload);
  const n = r.varUInt();
  const out: MetricPoint[] = [];
  let prev: MetricPoint | undefined;
  for (let i = 0; i < n; i++) {
    const flags = r.uint8();
    const account = flags & SAME_ACCOUNT ? prev!.account : r.string();
    const region = flags & SAME_REGION ? prev!.region : r.string();
    const namespace = flags & SAME_NAMESPACE ? prev!.namespace : r.string();
    const metricName = flags & SAME_METRIC ? prev!.metricName : r.string();
    const unit = flags & SAME_UNIT ? prev!.unit : r.string();
    const dimensions: Record<string, string> = {};
    for (let d = r.varUInt(); d > 0; d--) {
      const k = r.string();
      dimensions[k] = r.string();
    }
    const timestamp = r.float64();
    const storageResolution = r.uint8() as 1 | 60;
    let p: MetricPoint;
    if (flags & SINGLE_VALUE) {
      const v = r.float64();
      p = { account, region, namespace, metricName, dimensions, timestamp, storageResolution, unit,
        sampleCount: 1, sum: v, min: v, max: v, values: [v], counts: [1] };
    } else {
      const sampleCount = r.float64();
      const sum = r.float64();
      const min = r.float64();
      const max = r.float64();
      const values: number[] = [];
      const counts: number[] = [];
      for (let k = r.varUInt(); k > 0; k--) {
        values.push(r.float64());
        counts.push(r.float64());
      }
      p = { account, region, namespace, metricName, dimensions, timestamp, storageResolution, unit, sampleCount, sum, min, max, values, counts };
    }
    out.push(p);
    prev = p;
  }
  if (r.at !== payload.length) throw new RangeError('metric WAL record has trailing bytes');
  return out;
}

export const metricWalCodec: WalCodec<MetricPoint> = { encode: encodeMetricRecord, decode: decodeMetricRecord };
