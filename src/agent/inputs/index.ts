/** The host inputs the agent runs, by config key, with the fields each can publish. */
import type { AgentConfigJson, InputName } from '../config/schema.ts';

/**
 * The inputs that read the host with one config object (StatsD and collectd listen and name their own metrics;
 * procstat is a list; ethtool and nvidia_gpu run a tool, see host-command.ts).
 */
export type HostInputName = Exclude<InputName, 'statsd' | 'collectd' | 'procstat' | 'ethtool' | 'nvidia_gpu'>;
import { cpuInput } from './cpu.ts';
import { diskInput } from './disk.ts';
import { memInput } from './mem.ts';
import { netstatInput } from './netstat.ts';
import { netInput } from './net.ts';
import { diskioInput } from './diskio.ts';
import { processesInput } from './processes.ts';
import { swapInput } from './swap.ts';
import { HOST_PROC, type HostInput, type ProcPaths } from './types.ts';

const CPU_STATES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'];

export const INPUT_FIELDS: Record<HostInputName, ReadonlySet<string>> = {
  cpu: new Set([...CPU_STATES, 'active'].flatMap((s) => [`usage_${s}`, `time_${s}`])),
  mem: new Set(['total', 'free', 'used', 'available', 'buffered', 'cached', 'active', 'inactive', 'used_percent', 'available_percent']),
  swap: new Set(['total', 'free', 'used', 'used_percent']),
  disk: new Set(['total', 'free', 'used', 'used_percent', 'inodes_total', 'inodes_free', 'inodes_used']),
  netstat: new Set([...['established', 'syn_sent', 'syn_recv', 'fin_wait1', 'fin_wait2', 'time_wait', 'close', 'close_wait', 'last_ack', 'listen', 'closing', 'none'].map((s) => `tcp_${s}`), 'udp_socket']),
  net: new Set(['bytes_sent', 'bytes_recv', 'packets_sent', 'packets_recv', 'err_in', 'err_out', 'drop_in', 'drop_out']),
  diskio: new Set(['reads', 'writes', 'read_bytes', 'write_bytes', 'read_time', 'write_time', 'io_time', 'iops_in_progress']),
  processes: new Set(['blocked', 'dead', 'idle', 'paging', 'running', 'sleeping', 'stopped', 'zombies', 'total', 'total_threads']),
};

type Collected = NonNullable<AgentConfigJson['metrics']>['metrics_collected'];

export function makeInput<N extends HostInputName>(name: N, cfg: NonNullable<Collected[N]>, paths: ProcPaths = HOST_PROC): HostInput {
  switch (name) {
    case 'cpu': {
      const c = cfg as NonNullable<Collected['cpu']>;
      // The agent's default: the total only; `resources: ["*"]` adds each core.
      return cpuInput({ perCore: c.resources?.includes('*') ?? false, total: c.totalcpu ?? true }, paths);
    }
    case 'disk': {
      const d = cfg as NonNullable<Collected['disk']>;
      return diskInput({ resources: d.resources, ignoreFileSystemTypes: d.ignore_file_system_types, dropDevice: d.drop_device }, paths);
    }
    case 'net': return netInput({ resources: (cfg as NonNullable<Collected['net']>).resources }, paths);
    case 'diskio': return diskioInput({ resources: (cfg as NonNullable<Collected['diskio']>).resources }, paths);
    case 'mem': return memInput(paths);
    case 'swap': return swapInput(paths);
    case 'netstat': return netstatInput(paths);
    default: return processesInput(paths);
  }
}
