/**
 * A metric data point as every metric source (PutMetricData, metric filters, EMF) hands it to the
 * store, and the shape check applied before it is acknowledged. A leaf module: the store
 * (metric-points.ts), its head (metric-head.ts) and its WAL codec (metric-wal-codec.ts) share it.
 *
 * A stored point is the summary of what one publisher sent for one series at one timestamp: sample
 * count, sum, min, max and, when the publisher sent values, their distribution. Publishers build
 * it (lib/metric-observation.ts) from input they validated, finite numbers included; this module
 * checks the shape of what is written, not the numbers again.
 */
import type { ObservationSummary } from '../../lib/metric-observation.ts';

/** The summary columns a point stores: what publishers summarise an observation into. */
export type PointSummary = ObservationSummary;

export interface MetricPoint extends PointSummary {
  account: string;
  region: string;
  namespace: string;
  metricName: string;
  /** Name → value. Stored canonically (sorted by name), so equal sets are equal series. */
  dimensions: Readonly<Record<string, string>>;
  /** ms since the epoch. */
  timestamp: number;
  /** 1 = high resolution, 60 = standard (CloudWatch's StorageResolution). */
  storageResolution: 1 | 60;
  /** A CloudWatch StandardUnit; 'None' when the publisher gave none. */
  unit: string;
}

/** Throws on a point the store cannot write (one malformed row would fail a whole shared batch). */
export function checkPoint(p: MetricPoint, i: number): void {
  const what = `metric point ${i}`;
  for (const k of ['account', 'region', 'namespace', 'metricName', 'unit'] as const) {
    if (typeof p[k] !== 'string') throw new TypeError(`${what}: ${k} must be a string`);
  }
  if (p.namespace === '' || p.metricName === '') throw new RangeError(`${what}: namespace and metricName must not be empty`);
  if (typeof p.dimensions !== 'object' || p.dimensions === null) throw new TypeError(`${what}: dimensions must be an object`);
  for (const k of Object.keys(p.dimensions)) {
    if (typeof p.dimensions[k] !== 'string') throw new TypeError(`${what}: dimension ${JSON.stringify(k)} must have a string value`);
  }
  if (!Number.isSafeInteger(p.timestamp)) throw new RangeError(`${what}: timestamp must be an integer number of ms, got ${p.timestamp}`);
  if (p.storageResolution !== 1 && p.storageResolution !== 60) {
    throw new RangeError(`${what}: storageResolution must be 1 or 60, got ${String(p.storageResolution)}`);
  }
  if (!Array.isArray(p.values) || !Array.isArray(p.counts) || p.values.length !== p.counts.length) {
    throw new RangeError(`${what}: values and counts must be arrays of the same length`);
  }
  for (const c of p.counts) if (c < 0) throw new RangeError(`${what}: counts must not be negative`);
  if (!(p.sampleCount > 0)) throw new RangeError(`${what}: sampleCount must be greater than 0, got ${p.sampleCount}`);
  if (p.min > p.max) throw new RangeError(`${what}: min (${p.min}) is greater than max (${p.max})`);
}
