// The hosts that run the CloudWatch agent (or Osprey's), from the CWAgent metrics they publish: one
// per `host` dimension value, with the series that stand for its CPU, memory and root disk (the
// fewest dimensions win, so aggregation copies and per-core series are passed over for the total).
import type { Dimension, Metric } from '@aws-sdk/client-cloudwatch';

export const AGENT_NAMESPACE = 'CWAgent';

export interface HostSeries {
  host: string;
  cpu?: Metric;
  mem?: Metric;
  disk?: Metric;
}

const dim = (m: Metric, name: string): string | undefined => m.Dimensions?.find((d: Dimension) => d.Name === name)?.Value;
const size = (m: Metric | undefined): number => m?.Dimensions?.length ?? Infinity;

function better(current: Metric | undefined, m: Metric, prefer: (m: Metric) => boolean): Metric {
  if (!current) return m;
  if (prefer(m) !== prefer(current)) return prefer(m) ? m : current;
  return size(m) < size(current) ? m : current;
}

export function hostsOf(metrics: readonly Metric[]): HostSeries[] {
  const hosts = new Map<string, HostSeries>();
  for (const m of metrics) {
    const host = dim(m, 'host');
    if (!host) continue;
    const h = hosts.get(host) ?? { host };
    if (m.MetricName === 'cpu_usage_active') h.cpu = better(h.cpu, m, (x) => dim(x, 'cpu') === 'cpu-total');
    else if (m.MetricName === 'mem_used_percent') h.mem = better(h.mem, m, () => true);
    else if (m.MetricName === 'disk_used_percent') h.disk = better(h.disk, m, (x) => dim(x, 'path') === '/');
    hosts.set(host, h);
  }
  return [...hosts.values()].sort((a, b) => a.host.localeCompare(b.host));
}
