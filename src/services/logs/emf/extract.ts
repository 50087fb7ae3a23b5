/**
 * Embedded Metric Format: which log events carry metrics, and which metrics. A pure module; the
 * ingest hook (hook.ts) and the agent listener (agent-sink.ts) call it.
 *
 * Rules (AWS "Specification: Embedded metric format", protocols.md §8 as observed with
 * aws-embedded-metrics 4.2.1):
 * - A log event is EMF when its message is a JSON object whose `_aws.CloudWatchMetrics` is an array.
 *   Anything else is a plain log event and yields nothing.
 * - An EMF document that breaks the specification stays a log event but yields no metric at all (the
 *   whole document is rejected, as CloudWatch counts it once in AWS/Logs EMFValidationErrors).
 *   Checked: `_aws.Timestamp` is an integer number of ms, within 14 days before and 2 hours after
 *   ingestion (PutMetricData's window); each MetricDirective has a Namespace (1–255 characters), at
 *   most 100 Metrics of `{Name (1–255), Unit? (a CloudWatch unit), StorageResolution? (1|60)}` and
 *   Dimensions: an array of dimension sets of at most 30 root-member names each; every referenced
 *   dimension member is a string of 1–1024 characters; every referenced metric member is a number,
 *   an array of 1–100 numbers, or a statistic set (below).
 * - One data point per (directive × dimension set × metric), carrying all the values of the metric
 *   (repeated putMetric calls give an array). `"Dimensions": []` (what the library writes after
 *   `setDimensions()` with no sets) and a missing Dimensions member publish the metrics once,
 *   without dimensions.
 * - Besides the spec's number / array of numbers, a metric member may be a statistic set
 *   `{"Max","Min","Count","Sum"}`, optionally with `"Values"` and `"Counts"`: the form the CloudWatch
 *   agent and the OpenTelemetry EMF exporter write for summaries and histograms, which CloudWatch
 *   accepts. Not on the spec page.
 * - A message that starts like an EMF document (`{` … `"_aws"`) but is not valid JSON counts as an
 *   EMF parsing error (AWS/Logs EMFParsingErrors).
 */
import type { MetricObservation } from '../../../lib/metric-observation.ts';

export const EMF_LIMITS = {
  maxMetricsPerDirective: 100,
  maxValuesPerMetric: 100,
  maxDimensionsPerSet: 30,
  maxNameLength: 255,
  maxDimensionValueLength: 1024,
  maxPastMs: 14 * 24 * 3600 * 1000,
  maxFutureMs: 2 * 3600 * 1000,
} as const;

/** CloudWatch's StandardUnit values: what the spec's schema allows for Unit. */
export const STANDARD_UNITS: ReadonlySet<string> = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second',
  'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second',
  'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

/** One metric a document publishes for one dimension set. */
export interface EmfMetric {
  namespace: string;
  metricName: string;
  unit: string;
  storageResolution: 1 | 60;
  dimensions: Record<string, string>;
  observation: MetricObservation;
}

export type EmfResult =
  /** Not an EMF document: a plain log event. */
  | { kind: 'none' }
  /** Starts like an EMF document but is not valid JSON. */
  | { kind: 'unparseable' }
  /** An EMF document that breaks the specification: kept as a log event, no metric. */
  | { kind: 'invalid'; reason: string }
  | { kind: 'metrics'; timestamp: number; metrics: EmfMetric[] };

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const NONE: EmfResult = Object.freeze({ kind: 'none' });

/**
 * Classifies one log event message. `now` (ingestion time, ms) enables the timestamp window check;
 * without it any integer timestamp is accepted.
 */
export function parseEmf(message: string, now?: number): EmfResult {
  // Cheap pre-checks first: most log events are not EMF and must not pay for a JSON.parse.
  if (!startsWithBrace(message) || !message.includes('"_aws"')) return NONE;
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    return { kind: 'unparseable' };
  }
  return isObject(doc) ? extractEmf(doc, now) : NONE;
}

/** The same classification for an already parsed JSON object. */
export function extractEmf(doc: Obj, now?: number): EmfResult {
  const meta = doc._aws;
  if (!isObject(meta) || !Array.isArray(meta.CloudWatchMetrics)) return NONE;
  const invalid = (reason: string): EmfResult => ({ kind: 'invalid', reason });

  const ts = meta.Timestamp;
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) {
    return invalid('_aws.Timestamp must be an integer number of milliseconds since the epoch');
  }
  if (now !== undefined && (ts < now - EMF_LIMITS.maxPastMs || ts > now + EMF_LIMITS.maxFutureMs)) {
    return invalid('_aws.Timestamp must be within the last 14 days and no more than 2 hours in the future');
  }

  const metrics: EmfMetric[] = [];
  for (const [i, directive] of meta.CloudWatchMetrics.entries()) {
    const at = `_aws.CloudWatchMetrics[${i}]`;
    if (!isObject(directive)) return invalid(`${at} must be an object`);
    const ns = directive.Namespace;
    if (!isName(ns)) return invalid(`${at}.Namespace must be a non-blank string of at most ${EMF_LIMITS.maxNameLength} characters`);

    const defs = directive.Metrics;
    if (!Array.isArray(defs)) return invalid(`${at}.Metrics must be an array`);
    if (defs.length > EMF_LIMITS.maxMetricsPerDirective) {
      return invalid(`${at}.Metrics has ${defs.length} metric definitions; the maximum is ${EMF_LIMITS.maxMetricsPerDirective}`);
    }

    const sets = directive.Dimensions ?? [];
    if (!Array.isArray(sets)) return invalid(`${at}.Dimensions must be an array of dimension sets`);
    const dimensionSets: Record<string, string>[] = [];
    for (const [j, set] of sets.entries()) {
      if (!Array.isArray(set)) return invalid(`${at}.Dimensions[${j}] must be an array of dimension names`);
      if (set.length > EMF_LIMITS.maxDimensionsPerSet) {
        return invalid(`${at}.Dimensions[${j}] has ${set.length} dimensions; the maximum is ${EMF_LIMITS.maxDimensionsPerSet}`);
      }
      const dims: Record<string, string> = {};
      for (const key of set) {
        if (!isName(key)) return invalid(`${at}.Dimensions[${j}] must contain dimension names of 1-${EMF_LIMITS.maxNameLength} characters`);
        const v = doc[key];
        if (typeof v !== 'string' || v.length === 0 || v.length > EMF_LIMITS.maxDimensionValueLength) {
          return invalid(`dimension ${JSON.stringify(key)} must be a root member with a string value of 1-${EMF_LIMITS.maxDimensionValueLength} characters`);
        }
        dims[key] = v;
      }
      dimensionSets.push(dims);
    }
    // No dimension sets: the metrics are published once, without dimensions.
    if (dimensionSets.length === 0) dimensionSets.push({});

    const seen = new Set<string>();
    for (const [j, def] of defs.entries()) {
      const dat = `${at}.Metrics[${j}]`;
      if (!isObject(def)) return invalid(`${dat} must be an object`);
      const name = def.Name;
      if (!isName(name)) return invalid(`${dat}.Name must be a non-blank string of at most ${EMF_LIMITS.maxNameLength} characters`);
      const unit = def.Unit ?? 'None';
      if (typeof unit !== 'string' || !STANDARD_UNITS.has(unit)) return invalid(`${dat}.Unit ${JSON.stringify(unit)} is not a CloudWatch unit`);
      const res = def.StorageResolution ?? 60;
      if (res !== 1 && res !== 60) return invalid(`${dat}.StorageResolution must be 1 or 60`);
      const observation = observationOf(doc[name]);
      if (typeof observation === 'string') return invalid(`metric ${JSON.stringify(name)}: ${observation}`);
      // A name listed twice in one directive is one metric.
      if (seen.has(name)) continue;
      seen.add(name);
      for (const dimensions of dimensionSets) {
        metrics.push({ namespace: ns, metricName: name, unit, storageResolution: res, dimensions, observation });
      }
    }
  }
  return { kind: 'metrics', timestamp: ts, metrics };
}

/** The metric member's value as an observation, or what is wrong with it. */
function observationOf(v: unknown): MetricObservation | string {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v } : 'the value must be a finite number';
  if (Array.isArray(v)) {
    if (v.length === 0) return 'an array of values must not be empty';
    if (v.length > EMF_LIMITS.maxValuesPerMetric) return `an array may hold at most ${EMF_LIMITS.maxValuesPerMetric} values, got ${v.length}`;
    if (!v.every(isFiniteNumber)) return 'an array of values must contain only numbers';
    return { values: v as number[] };
  }
  if (isObject(v)) return statisticSetOf(v);
  return v === undefined
    ? 'the document has no root member with this name'
    : 'the value must be a number, an array of numbers or a statistic set';
}

/** `{"Max","Min","Count","Sum"[, "Values", "Counts"]}` (CloudWatch agent / OpenTelemetry EMF exporter form). */
function statisticSetOf(o: Obj): MetricObservation | string {
  const { Max, Min, Count, Sum, Values, Counts } = o;
  if (![Max, Min, Count, Sum].every(isFiniteNumber)) return 'a statistic set needs numeric Max, Min, Count and Sum';
  const [max, min, count, sum] = [Max, Min, Count, Sum] as number[];
  if (!(count > 0) || min > max) return 'a statistic set needs Count > 0 and Min <= Max';
  if (Values === undefined && Counts === undefined) {
    return { statisticValues: { sampleCount: count, sum, minimum: min, maximum: max } };
  }
  if (!Array.isArray(Values) || !Array.isArray(Counts) || Values.length !== Counts.length || Values.length === 0 ||
      !Values.every(isFiniteNumber) || !Counts.every((c) => isFiniteNumber(c) && c >= 0) ||
      Values.length > EMF_LIMITS.maxValuesPerMetric) {
    return 'Values and Counts must be arrays of the same length (1-100) of numbers, counts not negative';
  }
  // The distribution is kept for percentiles; the statistics stay as the publisher computed them
  // (Values are often bucket representatives, so their weighted sum is not the true Sum).
  return { statisticValues: { sampleCount: count, sum, minimum: min, maximum: max }, values: Values as number[], counts: Counts as number[] };
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isName(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= EMF_LIMITS.maxNameLength && v.trim().length > 0;
}

function startsWithBrace(m: string): boolean {
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    return c === 0x7b;
  }
  return false;
}
