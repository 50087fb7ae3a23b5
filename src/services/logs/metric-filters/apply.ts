/**
 * Applying a log group's metric filters to a batch of newly ingested events: a pure function from
 * (filters, events) to metric points.
 *
 * What CloudWatch documents ("Configuring metric values for a metric filter"):
 * - a matching event contributes the transformation's metricValue (a number, or a field of the event
 *   that holds a number); a matching event whose field is missing or not numeric contributes
 *   nothing;
 * - "The metric value is aggregated and reported every minute": one point per metric, dimension set
 *   and minute of event time, carrying the distribution of the minute's values (SampleCount, Sum,
 *   Min, Max and percentiles come out as if each event had been published on its own);
 * - defaultValue: "If logs are ingested during a one-minute time period but no matches are found, the
 *   value specified for Default Value (if any) is reported … the Default Value of 0 is used for both
 *   log records": every non-matching event contributes the default. Without a default, a minute
 *   without matches publishes nothing;
 * - dimensions take their values from the event's fields; an event whose dimension field is missing
 *   (or an object/array) publishes nothing for that filter (no value to give the dimension).
 * Points are aggregated per ingested batch; the store does not merge points of separate batches
 * (readers aggregate by period anyway).
 */
import { Distribution } from '../../../lib/metric-observation.ts';
import type { MetricPoint } from '../../../store/telemetry/metric-points.ts';
import type { MetricFilterRecord, MetricTransformationRecord } from '../../../store/meta/metric-filters.ts';
import {
  compileFilterPattern, dimensionValue, metricValue, parseFilterPattern, type CompiledPattern,
} from '../filter-pattern/index.ts';
import type { IngestedBatch } from '../ingest-hooks.ts';

const MINUTE = 60_000;

export interface CompiledMetricFilter {
  name: string;
  compiled: CompiledPattern;
  transformations: readonly MetricTransformationRecord[];
}

/** Compiled patterns by pattern text: a group's filters are compiled once, not per batch. */
const compiledCache = new Map<string, CompiledPattern>();

/** Compiles a stored filter (cached); throws InvalidParameterException if the pattern no longer parses. */
export function compileMetricFilter(f: Pick<MetricFilterRecord, 'name' | 'pattern' | 'transformations'>): CompiledMetricFilter {
  let compiled = compiledCache.get(f.pattern);
  if (compiled === undefined) {
    compiled = compileFilterPattern(parseFilterPattern(f.pattern));
    if (compiledCache.size >= 10_000) compiledCache.clear();
    compiledCache.set(f.pattern, compiled);
  }
  return { name: f.name, compiled, transformations: f.transformations };
}

interface Bucket {
  minute: number;
  dimensions: Record<string, string>;
  values: Distribution;
}

/** The points a batch publishes through the given filters, in filter order, then minute, then dimension set. */
export function metricPointsForBatch(filters: readonly CompiledMetricFilter[], batch: IngestedBatch): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const f of filters) {
    for (const t of f.transformations) {
      const buckets = new Map<string, Bucket>();
      const add = (ts: number, dimensions: Record<string, string>, value: number): void => {
        const minute = ts - (((ts % MINUTE) + MINUTE) % MINUTE);
        const key = `${minute}\0${dimensionKey(dimensions)}`;
        let b = buckets.get(key);
        if (b === undefined) buckets.set(key, (b = { minute, dimensions, values: new Distribution() }));
        b.values.add(value);
      };
      const dims = Object.entries(t.dimensions ?? {});
      for (const e of batch.events) {
        const ex = f.compiled.extract(e.message);
        if (ex === undefined) {
          if (t.defaultValue !== undefined) add(e.timestamp, {}, t.defaultValue);
          continue;
        }
        const v = metricValue(t.metricValue, e.message, ex);
        if (v === undefined) continue;
        const dimensions: Record<string, string> = {};
        let complete = true;
        for (const [name, spec] of dims) {
          const dv = dimensionValue(spec, e.message, ex);
          if (dv === undefined || dv === '') {
            complete = false;
            break;
          }
          dimensions[name] = dv;
        }
        if (complete) add(e.timestamp, dimensions, v);
      }
      for (const b of buckets.values()) {
        points.push({
          account: batch.account,
          region: batch.region,
          namespace: t.metricNamespace,
          metricName: t.metricName,
          dimensions: b.dimensions,
          timestamp: b.minute,
          storageResolution: 60,
          unit: t.unit ?? 'None',
          ...b.values.summary(),
        });
      }
    }
  }
  return points;
}

function dimensionKey(d: Record<string, string>): string {
  const keys = Object.keys(d);
  if (keys.length === 0) return '';
  return JSON.stringify(keys.sort().map((k) => [k, d[k]]));
}
