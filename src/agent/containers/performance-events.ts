/**
 * Container Insights performance log events for a plain host, from two readings in a row: a `Node`
 * event and one `Container` event per container that was running in both, with the field names,
 * units and formulas Container Insights uses on EKS (CPU in millicores, utilization against the
 * node's capacity, memory working set = usage − inactive file, rates per second). Each event is an
 * embedded-metric-format document whose `_aws` directive publishes the headline fields in the
 * `ContainerInsights` namespace, dimensioned by [NodeName, InstanceId, ClusterName] and [ClusterName]
 * for the node, [ContainerName, NodeName, ClusterName] and [ContainerName, ClusterName] per container.
 */
import type { CgroupStats } from './cgroup-stats.ts';
import type { ContainerIdentity } from './container-names.ts';
import type { ContainerCgroup } from './discover.ts';

export const NAMESPACE = 'ContainerInsights';

export interface NetCounters { rxBytes: number; txBytes: number; rxPackets: number; txPackets: number; rxErrors: number; txErrors: number; rxDropped: number; txDropped: number }

export interface NodeReading {
  /** Non-idle CPU time of the whole host (/proc/stat), and its user and system parts. */
  cpuNs: number;
  cpuUserNs: number;
  cpuSystemNs: number;
  cpus: number;
  memTotal: number;
  memFree: number;
  memCached: number;
  memInactiveFile: number;
  swapUsed: number;
  net: NetCounters;
}

export interface ContainerReading {
  cgroup: ContainerCgroup;
  identity: ContainerIdentity;
  stats: CgroupStats;
  /** Only for a container with a network namespace of its own. */
  net?: NetCounters;
}

export interface Reading { at: number; node: NodeReading; containers: ContainerReading[] }

export interface NodeContext { clusterName: string; nodeName: string; instanceId: string; instanceType: string }

type Doc = Record<string, unknown>;
type MetricSpec = readonly [name: string, unit: string];

/** A per-second rate of a counter (0 after a reset). */
const rate = (now: number, before: number, seconds: number): number => Math.max(0, now - before) / seconds;
const millicores = (ns: number, beforeNs: number, seconds: number): number => rate(ns, beforeNs, seconds) / 1e6;
const percent = (part: number, whole: number): number => (whole > 0 ? (100 * part) / whole : 0);

function netFields(prefix: string, now: NetCounters, before: NetCounters, s: number): Doc {
  const rx = rate(now.rxBytes, before.rxBytes, s);
  const tx = rate(now.txBytes, before.txBytes, s);
  return {
    [`${prefix}_network_rx_bytes`]: rx, [`${prefix}_network_tx_bytes`]: tx, [`${prefix}_network_total_bytes`]: rx + tx,
    [`${prefix}_network_rx_packets`]: rate(now.rxPackets, before.rxPackets, s), [`${prefix}_network_tx_packets`]: rate(now.txPackets, before.txPackets, s),
    [`${prefix}_network_rx_errors`]: rate(now.rxErrors, before.rxErrors, s), [`${prefix}_network_tx_errors`]: rate(now.txErrors, before.txErrors, s),
    [`${prefix}_network_rx_dropped`]: rate(now.rxDropped, before.rxDropped, s), [`${prefix}_network_tx_dropped`]: rate(now.txDropped, before.txDropped, s),
  };
}

/** The `_aws` member: one directive per dimension group, naming only the fields this event has. */
function emf(at: number, doc: Doc, groups: readonly { dims: string[][]; metrics: readonly MetricSpec[] }[]): Doc {
  const directives = groups.map((g) => ({
    Namespace: NAMESPACE,
    Dimensions: g.dims,
    Metrics: g.metrics.filter(([name]) => typeof doc[name] === 'number').map(([Name, Unit]) => ({ Name, Unit })),
  })).filter((d) => d.Metrics.length > 0);
  return { _aws: { Timestamp: at, CloudWatchMetrics: directives }, ...doc };
}

const NODE_METRICS: MetricSpec[] = [
  ['node_cpu_utilization', 'Percent'], ['node_memory_utilization', 'Percent'], ['node_network_total_bytes', 'Bytes/Second'], ['node_number_of_running_containers', 'Count'],
];
const NODE_CLUSTER_METRICS: MetricSpec[] = [
  ...NODE_METRICS, ['node_cpu_usage_total', 'None'], ['node_cpu_limit', 'None'], ['node_memory_working_set', 'Bytes'], ['node_memory_limit', 'Bytes'],
];
const CONTAINER_METRICS: MetricSpec[] = [
  ['container_cpu_utilization', 'Percent'], ['container_cpu_utilization_over_container_limit', 'Percent'], ['container_cpu_usage_total', 'None'],
  ['container_memory_utilization', 'Percent'], ['container_memory_utilization_over_container_limit', 'Percent'], ['container_memory_working_set', 'Bytes'],
  ['container_network_rx_bytes', 'Bytes/Second'], ['container_network_tx_bytes', 'Bytes/Second'],
  ['container_diskio_io_service_bytes_total', 'Bytes/Second'],
];

const common = (ctx: NodeContext, type: string, at: number): Doc => ({
  Type: type, Version: '0', Timestamp: String(at), ClusterName: ctx.clusterName, NodeName: ctx.nodeName,
  InstanceId: ctx.instanceId, InstanceType: ctx.instanceType,
});

export function nodeEvent(ctx: NodeContext, now: Reading, before: Reading): Doc {
  const s = (now.at - before.at) / 1000;
  const n = now.node;
  const cpuLimit = n.cpus * 1000;
  const cpu = millicores(n.cpuNs, before.node.cpuNs, s);
  const usage = n.memTotal - n.memFree;
  const workingSet = Math.max(0, usage - n.memInactiveFile);
  const doc: Doc = {
    ...common(ctx, 'Node', now.at), Sources: ['/proc', 'cgroup', 'calculated'],
    node_cpu_limit: cpuLimit, node_cpu_usage_total: cpu,
    node_cpu_usage_user: millicores(n.cpuUserNs, before.node.cpuUserNs, s), node_cpu_usage_system: millicores(n.cpuSystemNs, before.node.cpuSystemNs, s),
    node_cpu_utilization: percent(cpu, cpuLimit),
    node_memory_limit: n.memTotal, node_memory_usage: usage, node_memory_working_set: workingSet, node_memory_cache: n.memCached,
    node_memory_swap: n.swapUsed, node_memory_utilization: percent(workingSet, n.memTotal),
    ...netFields('node', n.net, before.node.net, s),
    node_number_of_running_containers: now.containers.length,
  };
  return emf(now.at, doc, [
    { dims: [['NodeName', 'InstanceId', 'ClusterName']], metrics: NODE_METRICS },
    { dims: [['ClusterName']], metrics: NODE_CLUSTER_METRICS },
  ]);
}

export function containerEvent(ctx: NodeContext, c: ContainerReading, prev: ContainerReading, now: Reading, before: Reading): Doc {
  const s = (now.at - before.at) / 1000;
  const st = c.stats;
  const p = prev.stats;
  const cpu = millicores(st.cpuNs, p.cpuNs, s);
  const read = rate(st.ioReadBytes, p.ioReadBytes, s);
  const write = rate(st.ioWriteBytes, p.ioWriteBytes, s);
  const reads = rate(st.ioReads, p.ioReads, s);
  const writes = rate(st.ioWrites, p.ioWrites, s);
  const doc: Doc = {
    ...common(ctx, 'Container', now.at), Sources: ['cgroup', 'calculated'],
    ContainerName: c.identity.name, ContainerId: c.cgroup.id, ContainerRuntime: c.cgroup.runtime,
    ...(c.identity.image ? { Image: c.identity.image } : {}),
    ...(c.identity.composeProject ? { ComposeProject: c.identity.composeProject } : {}),
    ...(c.identity.composeService ? { ComposeService: c.identity.composeService } : {}),
    container_status: 'Running',
    container_cpu_usage_total: cpu,
    container_cpu_usage_user: millicores(st.cpuUserNs, p.cpuUserNs, s), container_cpu_usage_system: millicores(st.cpuSystemNs, p.cpuSystemNs, s),
    container_cpu_utilization: percent(cpu, now.node.cpus * 1000),
    ...(st.cpuLimitMillicores !== undefined ? { container_cpu_limit: st.cpuLimitMillicores, container_cpu_utilization_over_container_limit: percent(cpu, st.cpuLimitMillicores) } : {}),
    container_memory_usage: st.memoryUsage, container_memory_working_set: st.memoryWorkingSet,
    container_memory_rss: st.memoryRss, container_memory_cache: st.memoryCache, container_memory_mapped_file: st.memoryMappedFile,
    container_memory_swap: st.memorySwap, container_memory_failcnt: st.memoryFailcnt,
    ...(st.memoryMaxUsage !== undefined ? { container_memory_max_usage: st.memoryMaxUsage } : {}),
    container_memory_pgfault: rate(st.memoryPgfault, p.memoryPgfault, s), container_memory_pgmajfault: rate(st.memoryPgmajfault, p.memoryPgmajfault, s),
    container_memory_utilization: percent(st.memoryWorkingSet, now.node.memTotal),
    ...(st.memoryLimit !== undefined ? { container_memory_limit: st.memoryLimit, container_memory_utilization_over_container_limit: percent(st.memoryWorkingSet, st.memoryLimit) } : {}),
    ...(c.net && prev.net ? netFields('container', c.net, prev.net, s) : {}),
    container_diskio_io_service_bytes_read: read, container_diskio_io_service_bytes_write: write, container_diskio_io_service_bytes_total: read + write,
    container_diskio_io_serviced_read: reads, container_diskio_io_serviced_write: writes, container_diskio_io_serviced_total: reads + writes,
  };
  return emf(now.at, doc, [{ dims: [['ContainerName', 'NodeName', 'ClusterName'], ['ContainerName', 'ClusterName']], metrics: CONTAINER_METRICS }]);
}

/** The events between two readings: the node's, then each container seen in both. */
export function performanceEvents(ctx: NodeContext, now: Reading, before: Reading): Doc[] {
  if (now.at <= before.at) return [];
  const prev = new Map(before.containers.map((c) => [c.cgroup.path, c]));
  const out = [nodeEvent(ctx, now, before)];
  for (const c of now.containers) {
    const p = prev.get(c.cgroup.path);
    if (p !== undefined) out.push(containerEvent(ctx, c, p, now, before));
  }
  return out;
}
