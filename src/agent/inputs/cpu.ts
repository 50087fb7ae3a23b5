/**
 * cpu: the share of CPU time per state since the last reading, from /proc/stat, as the agent's
 * Telegraf cpu input computes it — `usage_<state>` = Δstate / Δtotal × 100, where total sums user,
 * nice, system, idle, iowait, irq, softirq and steal (guest time is already inside user / nice and
 * reported on its own); `usage_active` = 100 − `usage_idle`'s share (iowait counts as active);
 * `time_<state>` the cumulative seconds. Tag `cpu`: `cpu-total` and, with `resources: ["*"]`, `cpu0`…
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

const STATES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guest_nice'] as const;
type Times = Record<(typeof STATES)[number], number>;
/** USER_HZ: /proc/stat counts in 1/100 s on every Linux the agent supports. */
const TICKS_PER_SECOND = 100;

export function parseProcStat(text: string): Map<string, Times> {
  const out = new Map<string, Times>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const [name, ...rest] = line.trim().split(/\s+/);
    const nums = rest.map(Number);
    out.set(name === 'cpu' ? 'cpu-total' : name!, Object.fromEntries(STATES.map((s, i) => [s, nums[i] ?? 0])) as Times);
  }
  return out;
}

const total = (t: Times): number => t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;

function usage(now: Times, before: Times, tags: Record<string, string>): Sample[] {
  const dTotal = total(now) - total(before);
  if (dTotal <= 0) return [];
  const d = (s: (typeof STATES)[number]): number => Math.max(0, now[s] - before[s]);
  const pct = (v: number): number => (100 * v) / dTotal;
  const share: Record<string, number> = {
    usage_user: pct(d('user') - d('guest')), usage_nice: pct(d('nice') - d('guest_nice')), usage_system: pct(d('system')), usage_idle: pct(d('idle')),
    usage_iowait: pct(d('iowait')), usage_irq: pct(d('irq')), usage_softirq: pct(d('softirq')), usage_steal: pct(d('steal')),
    usage_guest: pct(d('guest')), usage_guest_nice: pct(d('guest_nice')), usage_active: pct(dTotal - d('idle')),
  };
  return Object.entries(share).map(([field, value]) => ({ field, value: Math.max(0, Math.min(100, value)), unit: 'Percent' as const, tags }));
}

function times(t: Times, tags: Record<string, string>): Sample[] {
  const s = (v: number): number => v / TICKS_PER_SECOND;
  const fields: Record<string, number> = { time_active: s(total(t) - t.idle), ...Object.fromEntries(STATES.map((k) => [`time_${k}`, s(t[k])])) };
  return Object.entries(fields).map(([field, value]) => ({ field, value, unit: 'Seconds' as const, tags }));
}

export function cpuInput(opts: { perCore: boolean; total: boolean }, paths: ProcPaths = HOST_PROC): HostInput {
  let last: Map<string, Times> | undefined;
  return {
    collect() {
      const now = parseProcStat(readFileSync(join(paths.proc, 'stat'), 'utf8'));
      const out: Sample[] = [];
      for (const [cpu, t] of now) {
        if (cpu === 'cpu-total' ? !opts.total : !opts.perCore) continue;
        const tags = { cpu };
        out.push(...times(t, tags));
        const before = last?.get(cpu);
        if (before) out.push(...usage(t, before, tags));
      }
      last = now;
      return out;
    },
  };
}
