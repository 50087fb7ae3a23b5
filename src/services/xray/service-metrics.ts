/**
 * Service metrics from stored segments, as CloudWatch Application Signals publishes them (namespace
 * `ApplicationSignals`): `Latency` (Milliseconds; the response-time distribution, so percentiles
 * work), `Fault` (HTTP 5XX or a fault flag) and `Error` (HTTP 4XX, throttles included) as 0/1 per
 * request (Sum = count, Average = rate; Unit None), with the dimensions `Environment` and `Service`.
 * One point per metric, service and minute of the requests' end in a call — so alarms and
 * dashboards on ApplicationSignals metrics work on traced services. Only complete segments count
 * (an in-progress one is counted when its complete version arrives).
 */
import type { MetricPoint } from '../../store/telemetry/metric-point.ts';
import type { TraceSegmentRow } from '../../store/telemetry/trace-segments.ts';
import { Status } from './traces/graph-facts.ts';

export const SERVICE_METRICS_NAMESPACE = 'ApplicationSignals';

/** Application Signals' environment names: the platform, and `default` where it names none. */
export function environmentOf(origin: string): string {
  if (origin.startsWith('AWS::EC2')) return 'ec2:default';
  if (origin.startsWith('AWS::ECS')) return 'ecs:default';
  if (origin.startsWith('AWS::EKS')) return 'eks:default';
  if (origin.startsWith('AWS::Lambda')) return 'lambda:default';
  if (origin.startsWith('AWS::ElasticBeanstalk')) return 'elasticbeanstalk:default';
  return 'generic:default';
}

interface Group {
  dimensions: Record<string, string>;
  minute: number;
  latencies: number[];
  errors: number;
  faults: number;
}

export function serviceMetricPoints(rows: readonly TraceSegmentRow[]): MetricPoint[] {
  const groups = new Map<string, Group & { account: string; region: string }>();
  for (const r of rows) {
    if (r.subsegment || r.inProgress) continue;
    const dimensions = { Environment: environmentOf(r.origin), Service: r.name };
    const minute = Math.floor(r.endTime / 60) * 60_000;
    const key = JSON.stringify([r.account, r.region, dimensions.Environment, dimensions.Service, minute]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { account: r.account, region: r.region, dimensions, minute, latencies: [], errors: 0, faults: 0 }));
    g.latencies.push(Math.round(r.graph.responseTime * 1e6) / 1e3);
    if (r.graph.status === Status.FAULT) g.faults++;
    else if (r.graph.status !== Status.OK) g.errors++;
  }
  return [...groups.values()].flatMap((g) => {
    const base = { account: g.account, region: g.region, namespace: SERVICE_METRICS_NAMESPACE, dimensions: g.dimensions, timestamp: g.minute, storageResolution: 60 as const };
    return [
      { ...base, metricName: 'Latency', unit: 'Milliseconds', ...distribution(g.latencies) },
      { ...base, metricName: 'Error', unit: 'None', ...rate(g.errors, g.latencies.length) },
      { ...base, metricName: 'Fault', unit: 'None', ...rate(g.faults, g.latencies.length) },
    ];
  });
}

function distribution(values: readonly number[]) {
  const counts = new Map<number, number>();
  let sum = 0;
  for (const v of values) {
    counts.set(v, (counts.get(v) ?? 0) + 1);
    sum += v;
  }
  const sorted = [...counts.keys()].sort((a, b) => a - b);
  return { sampleCount: values.length, sum, min: sorted[0]!, max: sorted[sorted.length - 1]!, values: sorted, counts: sorted.map((v) => counts.get(v)!) };
}

/** `hits` of `n` requests as 0/1 samples. */
function rate(hits: number, n: number) {
  const values = [0, 1].filter((v) => (v === 0 ? n - hits : hits) > 0);
  return { sampleCount: n, sum: hits, min: hits === n ? 1 : 0, max: hits > 0 ? 1 : 0, values, counts: values.map((v) => (v === 0 ? n - hits : hits)) };
}
