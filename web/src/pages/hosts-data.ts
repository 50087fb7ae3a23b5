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

/** Osprey's agent's container input (and Container Insights) publishes here. */
export const CONTAINER_NAMESPACE = 'ContainerInsights';

export interface ContainerSeries {
  cluster: string;
  node: string;
  container: string;
  cpu?: Metric;
  mem?: Metric;
}

/** Each container on each node, from its per-node series ([ContainerName, NodeName, ClusterName]). */
export function containersOf(metrics: readonly Metric[]): ContainerSeries[] {
  const out = new Map<string, ContainerSeries>();
  for (const m of metrics) {
    const [cluster, node, container] = [dim(m, 'ClusterName'), dim(m, 'NodeName'), dim(m, 'ContainerName')];
    if (!cluster || !node || !container || m.Dimensions?.length !== 3) continue;
    const key = `${cluster}\u0000${node}\u0000${container}`;
    const c = out.get(key) ?? { cluster, node, container };
    if (m.MetricName === 'container_cpu_utilization') c.cpu = m;
    else if (m.MetricName === 'container_memory_utilization') c.mem = m;
    else continue;
    out.set(key, c);
  }
  return [...out.values()].sort((a, b) => a.cluster.localeCompare(b.cluster) || a.node.localeCompare(b.node) || a.container.localeCompare(b.container));
}
