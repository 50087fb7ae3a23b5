/**
 * ethtool: the driver statistics of each network interface (`ethtool -S <interface>` — on EC2 the
 * ENA's bw_in_allowance_exceeded, pps_allowance_exceeded, conntrack_allowance_exceeded,
 * linklocal_allowance_exceeded…), published as `ethtool_<stat>` with the counter as the driver
 * reports it, tagged `interface` and `driver` as the agent does. Interfaces are those in
 * /sys/class/net but loopback, narrowed by interface_include / interface_exclude; metrics_include
 * names the statistics (all of them when absent). An interface whose driver has no statistics, or a
 * host without the ethtool tool, publishes nothing and is logged once.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Logger } from '../../lib/logger.ts';
import { findExecutable, runCommand } from './host-command.ts';
import type { CommandInput, Sample } from './types.ts';

export interface EthtoolOptions {
  interfaceInclude?: readonly string[];
  interfaceExclude?: readonly string[];
  metricsInclude?: readonly string[];
  /** Where /sys/class/net is (tests point it at fixtures). */
  sysClassNet?: string;
}

/** `ethtool -S` output: `     rx_packets: 123` lines after `NIC statistics:`. */
export function parseEthtoolStats(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\s+([^:]+):\s+(-?\d+(?:\.\d+)?)\s*$/.exec(line);
    if (m) out.set(m[1]!.trim(), Number(m[2]));
  }
  return out;
}

function interfaces(dir: string, o: EthtoolOptions): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => n !== 'lo' && (!o.interfaceInclude?.length || o.interfaceInclude.includes(n)) && !o.interfaceExclude?.includes(n)).sort();
}

const driverOf = (dir: string, iface: string): string => {
  try {
    return basename(readlinkSync(join(dir, iface, 'device', 'driver')));
  } catch {
    return ''; // a virtual interface has no device
  }
};

/** `bin` null: the host has no ethtool. */
export function ethtoolInput(o: EthtoolOptions, log: Logger, bin: string | null = findExecutable('ethtool', ['/usr/sbin/ethtool', '/sbin/ethtool']) ?? null): CommandInput {
  const dir = o.sysClassNet ?? '/sys/class/net';
  const wanted = o.metricsInclude?.length ? new Set(o.metricsInclude) : undefined;
  const told = new Set<string>();
  const once = (key: string, msg: string, extra: Record<string, unknown> = {}) => {
    if (!told.has(key)) log.info(extra, msg);
    told.add(key);
  };
  return {
    async collect() {
      if (bin === null) {
        once('', 'ethtool: the ethtool tool is not installed on this host; no ethtool metrics');
        return [];
      }
      const out: Sample[] = [];
      for (const iface of interfaces(dir, o)) {
        const r = await runCommand(bin, ['-S', iface]);
        const stats = r.ok ? parseEthtoolStats(r.stdout) : new Map<string, number>();
        if (stats.size === 0) {
          once(iface, 'ethtool: this interface\'s driver has no statistics; skipped', { interface: iface, err: (r.stderr || r.stdout).trim().slice(0, 200) });
          continue;
        }
        const tags = { interface: iface, driver: driverOf(dir, iface) };
        for (const [field, value] of stats) if (!wanted || wanted.has(field)) out.push({ field, value, unit: 'None', tags });
      }
      return out;
    },
  };
}
