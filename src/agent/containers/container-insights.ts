/**
 * Container Insights for a plain host (`metrics_collected.container`, an Osprey extension): every
 * metrics_collection_interval the host and each container's cgroup are read, and the performance
 * events between this reading and the last (performance-events.ts) go, as the containerized agent
 * sends them, to `/aws/containerinsights/<cluster_name>/performance`, stream `<NodeName>`, with
 * PutLogEvents — where CloudWatch (or Osprey) extracts their embedded metrics into the
 * `ContainerInsights` namespace. Events wait in memory for an unreachable server, up to
 * MAX_WAITING; beyond that the oldest are dropped, and logged.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Logger } from '../../lib/logger.ts';
import { AgentConfigError } from '../config/load.ts';
import type { ContainerConfig } from '../config/schema.ts';
import type { HostFacts } from '../host-facts.ts';
import { parseProcStat } from '../inputs/cpu.ts';
import { readMeminfo } from '../inputs/meminfo.ts';
import { parseNetDev } from '../inputs/net.ts';
import { LogPublisher } from '../logs/log-publisher.ts';
import { cgroupLayout, walkRoot, type CgroupLayout } from './cgroup-layout.ts';
import { readCgroupStats } from './cgroup-stats.ts';
import { ContainerNames } from './container-names.ts';
import { discoverContainers } from './discover.ts';
import { performanceEvents, type ContainerReading, type NetCounters, type NodeContext, type Reading } from './performance-events.ts';

const DEFAULT_INTERVAL_S = 60;
const MAX_WAITING = 100_000;
const NS_PER_TICK = 10_000_000;
const NO_FILE = { dev: 0, ino: 0 };

/** Where the input reads; the defaults are the host's own, a containerized agent mounts the host's elsewhere. */
export interface ContainerPaths { cgroupRoot: string; proc: string; dockerRoot: string }

function netTotals(text: string): NetCounters {
  const t: NetCounters = { rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0, rxErrors: 0, txErrors: 0, rxDropped: 0, txDropped: 0 };
  for (const [iface, c] of parseNetDev(text)) {
    if (iface === 'lo') continue;
    t.rxBytes += c[0] ?? 0; t.rxPackets += c[1] ?? 0; t.rxErrors += c[2] ?? 0; t.rxDropped += c[3] ?? 0;
    t.txBytes += c[8] ?? 0; t.txPackets += c[9] ?? 0; t.txErrors += c[10] ?? 0; t.txDropped += c[11] ?? 0;
  }
  return t;
}

const netns = (proc: string, pid: number | 'self' | 1): string | undefined => {
  try {
    return readlinkSync(join(proc, String(pid), 'ns', 'net'));
  } catch {
    return undefined;
  }
};

export class ContainerInsights {
  private readonly layout: CgroupLayout;
  private readonly names: ContainerNames;
  private readonly publisher: LogPublisher;
  private readonly ctx: NodeContext;
  private readonly hostNetns: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last: Reading | undefined;

  constructor(private readonly cfg: ContainerConfig, at: string, facts: HostFacts, client: CloudWatchLogsClient, private readonly log: Logger,
    private readonly paths: ContainerPaths = { cgroupRoot: cfg.cgroup_root ?? '/sys/fs/cgroup', proc: cfg.proc_root ?? '/proc', dockerRoot: cfg.docker_root ?? '/var/lib/docker' }) {
    const layout = cgroupLayout(this.paths.cgroupRoot);
    if (layout === undefined) throw new AgentConfigError([`Under path : ${at}/cgroup_root | Error : no cgroup file system (v1 or v2) at ${this.paths.cgroupRoot}`]);
    this.layout = layout;
    this.names = new ContainerNames(this.paths.dockerRoot);
    this.hostNetns = netns(this.paths.proc, 1);
    this.ctx = {
      clusterName: cfg.cluster_name ?? facts.hostname, nodeName: facts.hostname,
      instanceId: facts.variables['aws:InstanceId'] ?? facts.hostname, instanceType: facts.variables['aws:InstanceType'] ?? '',
    };
    this.publisher = new LogPublisher({ group: `/aws/containerinsights/${this.ctx.clusterName}/performance`, stream: this.ctx.nodeName }, client, log, () => {});
  }

  get intervalS(): number {
    return this.cfg.metrics_collection_interval ?? DEFAULT_INTERVAL_S;
  }

  start(): void {
    this.last = this.reading();
    this.timer = setInterval(() => this.collect(), this.intervalS * 1000);
    this.log.info({ cgroup: `v${this.layout.version}`, group: this.publisher.dest.group, containers: this.last.containers.length }, 'container insights reading cgroups');
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.publisher.flush(Infinity);
  }

  /** One interval: read, queue the events since the last reading, send. */
  collect(): Promise<void> {
    let now: Reading;
    try {
      now = this.reading();
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'container insights: the host could not be read');
      return Promise.resolve();
    }
    const docs = this.last ? performanceEvents(this.ctx, now, this.last) : [];
    this.last = now;
    const q = this.publisher.queue;
    for (const d of docs) q.push({ timestamp: now.at, message: JSON.stringify(d), file: NO_FILE, end: 0, path: '' });
    if (q.length > MAX_WAITING) {
      const dropped = q.splice(0, q.length - MAX_WAITING).length;
      this.log.warn({ dropped, group: this.publisher.dest.group }, 'container insights: too many events waiting for the server; the oldest dropped');
    }
    return this.publisher.flush();
  }

  reading(): Reading {
    const at = Date.now();
    const found = discoverContainers(walkRoot(this.layout), { systemdServices: this.cfg.systemd_services ?? false });
    this.names.retain(new Set(found.map((c) => c.id)));
    const containers: ContainerReading[] = [];
    for (const cgroup of found) {
      const stats = readCgroupStats(this.layout, cgroup.path);
      if (stats === undefined) continue;
      const net = stats.pid !== undefined ? this.containerNet(stats.pid) : undefined;
      containers.push({ cgroup, identity: this.names.identity(cgroup), stats, ...(net ? { net } : {}) });
    }
    return { at, node: this.node(), containers };
  }

  /** A container's own network namespace's counters; none when it shares the host's (host networking). */
  private containerNet(pid: number): NetCounters | undefined {
    const ns = netns(this.paths.proc, pid);
    if (ns === undefined || ns === this.hostNetns) return undefined;
    try {
      return netTotals(readFileSync(join(this.paths.proc, String(pid), 'net', 'dev'), 'utf8'));
    } catch {
      return undefined;
    }
  }

  private node(): Reading['node'] {
    const cpu = parseProcStat(readFileSync(join(this.paths.proc, 'stat'), 'utf8'));
    const t = cpu.get('cpu-total')!;
    const cpus = [...cpu.keys()].filter((k) => k !== 'cpu-total').length;
    const mem = readMeminfo({ proc: this.paths.proc });
    const active = t.user + t.nice + t.system + t.irq + t.softirq + t.steal;
    return {
      cpuNs: active * NS_PER_TICK, cpuUserNs: (t.user + t.nice) * NS_PER_TICK, cpuSystemNs: t.system * NS_PER_TICK, cpus,
      memTotal: mem.get('MemTotal') ?? 0, memFree: mem.get('MemFree') ?? 0, memCached: mem.get('Cached') ?? 0,
      memInactiveFile: mem.get('Inactive(file)') ?? 0, swapUsed: (mem.get('SwapTotal') ?? 0) - (mem.get('SwapFree') ?? 0),
      net: netTotals(readFileSync(join(this.paths.proc, 'net', 'dev'), 'utf8')),
    };
  }
}
