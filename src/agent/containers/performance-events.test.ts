import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CgroupStats } from './cgroup-stats.ts';
import { performanceEvents, type NetCounters, type Reading } from './performance-events.ts';

const ctx = { clusterName: 'shop', nodeName: 'host-1', instanceId: 'host-1', instanceType: '4vcpu-16gib' };
const net = (rx: number, tx: number): NetCounters => ({ rxBytes: rx, txBytes: tx, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 });
const stats = (cpuNs: number, o: Partial<CgroupStats> = {}): CgroupStats => ({
  cpuNs, cpuUserNs: cpuNs / 2, cpuSystemNs: cpuNs / 2, memoryUsage: 300e6, memoryWorkingSet: 200e6, memoryRss: 150e6, memoryCache: 100e6,
  memoryMappedFile: 0, memorySwap: 0, memoryFailcnt: 0, memoryPgfault: 0, memoryPgmajfault: 0, ioReadBytes: 0, ioWriteBytes: 0, ioReads: 0, ioWrites: 0, ...o,
});
const container = (cpuNs: number, o: Partial<CgroupStats> = {}, n?: NetCounters) => ({
  cgroup: { id: 'a'.repeat(64), runtime: 'docker' as const, path: `docker/${'a'.repeat(64)}` },
  identity: { name: 'web', image: 'nginx' }, stats: stats(cpuNs, o), ...(n ? { net: n } : {}),
});
const reading = (at: number, nodeCpuNs: number, c: ReturnType<typeof container>[]): Reading => ({
  at,
  node: { cpuNs: nodeCpuNs, cpuUserNs: nodeCpuNs / 2, cpuSystemNs: nodeCpuNs / 2, cpus: 4, memTotal: 16e9, memFree: 6e9, memCached: 2e9, memInactiveFile: 2e9, swapUsed: 0, net: net(at, at) },
  containers: c,
});

test('Node and Container events: millicores, utilization against the node, rates per second, EMF directives', () => {
  // 10 s apart: the container used 5 CPU-seconds (500 millicores of 4,000), read 10 MB, received 1 MB.
  const before = reading(1_000_000, 0, [container(0, {}, net(0, 0))]);
  const now = reading(1_010_000, 20e9, [container(5e9, { ioReadBytes: 10e6, cpuLimitMillicores: 1000, memoryLimit: 400e6 }, net(1e6, 0))]);
  const [node, c] = performanceEvents(ctx, now, before);
  assert.equal(node!.Type, 'Node');
  assert.equal(node!.node_cpu_usage_total, 2000);
  assert.equal(node!.node_cpu_utilization, 50);
  assert.equal(node!.node_memory_working_set, 8e9); // (16 − 6) − 2 inactive file
  assert.equal(node!.node_memory_utilization, 50);
  assert.equal(node!.node_number_of_running_containers, 1);
  assert.equal(c!.Type, 'Container');
  assert.equal(c!.ContainerName, 'web');
  assert.equal(c!.container_cpu_usage_total, 500);
  assert.equal(c!.container_cpu_utilization, 12.5);
  assert.equal(c!.container_cpu_utilization_over_container_limit, 50);
  assert.equal(c!.container_memory_utilization, 1.25);
  assert.equal(c!.container_memory_utilization_over_container_limit, 50);
  assert.equal(c!.container_diskio_io_service_bytes_total, 1e6);
  assert.equal(c!.container_network_rx_bytes, 1e5);
  const aws = c!._aws as { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
  assert.equal(aws.Timestamp, 1_010_000);
  assert.deepEqual(aws.CloudWatchMetrics[0]!.Dimensions, [['ContainerName', 'NodeName', 'ClusterName'], ['ContainerName', 'ClusterName']]);
  assert.equal(aws.CloudWatchMetrics[0]!.Namespace, 'ContainerInsights');
  for (const m of aws.CloudWatchMetrics[0]!.Metrics) assert.equal(typeof c![m.Name], 'number', m.Name);
});

test('no limit, no network namespace: those fields and their metrics are left out; a new container waits for its second reading', () => {
  const before = reading(0, 0, []);
  const now = reading(5000, 1e9, [container(1e9)]);
  assert.equal(performanceEvents(ctx, now, before).length, 1);
  const [, c] = performanceEvents(ctx, reading(10_000, 2e9, [container(2e9)]), now);
  assert.equal(c!.container_cpu_limit, undefined);
  assert.equal(c!.container_network_rx_bytes, undefined);
  const names = (c!._aws as { CloudWatchMetrics: { Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!.Metrics.map((m) => m.Name);
  assert.ok(!names.includes('container_cpu_utilization_over_container_limit') && !names.includes('container_network_rx_bytes'));
  assert.equal(c!.container_cpu_usage_total, 200);
});
