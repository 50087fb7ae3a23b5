/**
 * Where self-metrics go as CloudWatch metrics: the namespace `Osprey/Server` in the configured
 * account and region, aggregated per series and minute by ServiceMetrics (the same writer the
 * services' AWS/… metrics use), so ListMetrics, GetMetricData and alarms see them like any other.
 */
import type { Scope } from '../../lib/arn.ts';
import type { ServiceMetrics } from '../service-metrics.ts';

export const SELF_NAMESPACE = 'Osprey/Server';

export type CloudUnit = 'Count' | 'Bytes' | 'Seconds' | 'Milliseconds';

export interface CloudSink {
  /** `n` observations of `value` in the series (metric, dims) of the current minute. */
  observe(metric: string, dims: Record<string, string>, value: number, unit: CloudUnit, n?: number): void;
}

/** Self-monitoring turned off: Prometheus only. */
export const NO_CLOUD: CloudSink = { observe: () => undefined };

export function cloudSink(metrics: ServiceMetrics, scope: Scope): CloudSink {
  return { observe: (metric, dims, value, unit, n = 1) => metrics.observe(scope, metric, dims, value, unit, n) };
}
