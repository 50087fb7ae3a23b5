/**
 * One minute of a metric stream as Firehose records (base64), in the stream's OutputFormat:
 * - json: one JSON object per line and series — metric_stream_name, account_id, region, namespace,
 *   metric_name, dimensions, timestamp (the minute's start, ms), value {max, min, sum, count, and
 *   each additional statistic by its name, e.g. p99}, unit — several lines per record;
 * - opentelemetry1.0 / 0.7: length-prefixed ExportMetricsServiceRequest messages
 *   (protocol/otlp/metric-stream-records.ts).
 * A record stays under Firehose's 1,000 KiB limit.
 */
import type { SeriesAggregate } from '../../../store/telemetry/metric-minutes.ts';
import { encodeOtel07, encodeOtel10, lengthPrefixed, type StreamDatapoint } from '../../../protocol/otlp/metric-stream-records.ts';
import { percentileLevel, type StreamDefinition } from './definition.ts';

const MAX_RECORD_BYTES = 1000 * 1024;
const POINTS_PER_MESSAGE = 500;

export interface StreamIdentity {
  name: string;
  arn: string;
  account: string;
  region: string;
}

/** The additional statistics for a metric, as [name, quantile level]. */
export function statisticsFor(def: StreamDefinition, namespace: string, metricName: string): [string, number][] {
  const out = new Map<string, number>();
  for (const c of def.statistics) {
    if (!c.metrics.some((m) => m.namespace === namespace && m.metricName === metricName)) continue;
    for (const s of c.statistics) out.set(s, percentileLevel(s)!);
  }
  return [...out];
}

export function minuteRecords(id: StreamIdentity, def: StreamDefinition, minute: number, series: readonly SeriesAggregate[]): Buffer[] {
  if (def.outputFormat === 'json') return pack(series.map((a) => Buffer.from(`${JSON.stringify(jsonLine(id, def, minute, a))}\n`)));
  const encode = def.outputFormat === 'opentelemetry1.0' ? encodeOtel10 : encodeOtel07;
  const messages: Buffer[] = [];
  for (let i = 0; i < series.length; i += POINTS_PER_MESSAGE) {
    const points = series.slice(i, i + POINTS_PER_MESSAGE).map((a): StreamDatapoint => ({
      namespace: a.namespace, metricName: a.metricName, dimensions: a.dimensions, start: minute, unit: a.unit,
      count: a.count, sum: a.sum, min: a.min, max: a.max, quantiles: a.quantiles,
    }));
    messages.push(lengthPrefixed(encode({ account: id.account, region: id.region, streamArn: id.arn }, points)));
  }
  return pack(messages);
}

function jsonLine(id: StreamIdentity, def: StreamDefinition, minute: number, a: SeriesAggregate) {
  const value: Record<string, number> = { max: a.max, min: a.min, sum: a.sum, count: a.count };
  for (const [name, level] of statisticsFor(def, a.namespace, a.metricName)) {
    const q = a.quantiles.find(([l]) => l === level);
    if (q) value[name] = q[1];
  }
  return {
    metric_stream_name: id.name, account_id: id.account, region: id.region, namespace: a.namespace, metric_name: a.metricName,
    dimensions: a.dimensions, timestamp: minute, value, unit: a.unit,
  };
}

/** Concatenates pieces into records of at most MAX_RECORD_BYTES (a larger piece is a record alone). */
function pack(pieces: readonly Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let cur: Buffer[] = [];
  let bytes = 0;
  for (const p of pieces) {
    if (cur.length && bytes + p.length > MAX_RECORD_BYTES) {
      out.push(Buffer.concat(cur));
      cur = [];
      bytes = 0;
    }
    cur.push(p);
    bytes += p.length;
  }
  if (cur.length) out.push(Buffer.concat(cur));
  return out;
}
