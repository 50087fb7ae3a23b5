/**
 * net: per network interface, from /proc/net/dev, the agent's fields — bytes_sent, bytes_recv,
 * packets_sent, packets_recv, err_in, err_out, drop_in, drop_out — as the change since the last
 * reading (counter-deltas.ts). Tag `interface`. By default every interface but loopback; `resources`
 * names interfaces ("*" = all, loopback included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CounterDeltas } from './counter-deltas.ts';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

/** /proc/net/dev columns after the interface name, by the agent's field names. */
const COLUMNS: [string, number, Sample['unit']][] = [
  ['bytes_recv', 0, 'Bytes'], ['packets_recv', 1, 'Count'], ['err_in', 2, 'Count'], ['drop_in', 3, 'Count'],
  ['bytes_sent', 8, 'Bytes'], ['packets_sent', 9, 'Count'], ['err_out', 10, 'Count'], ['drop_out', 11, 'Count'],
];

export function parseNetDev(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n').slice(2)) {
    const at = line.indexOf(':');
    if (at < 0) continue;
    out.set(line.slice(0, at).trim(), line.slice(at + 1).trim().split(/\s+/).map(Number));
  }
  return out;
}

export function netInput(opts: { resources?: readonly string[] }, paths: ProcPaths = HOST_PROC): HostInput {
  const deltas = new CounterDeltas();
  const wanted = opts.resources && !opts.resources.includes('*') ? new Set(opts.resources) : undefined;
  const all = opts.resources?.includes('*') ?? false;
  return {
    collect() {
      const readings = new Map<string, number>();
      for (const [iface, cols] of parseNetDev(readFileSync(join(paths.proc, 'net', 'dev'), 'utf8'))) {
        if (wanted ? !wanted.has(iface) : !all && iface === 'lo') continue;
        for (const [field, i] of COLUMNS) readings.set(`${iface}\u0000${field}`, cols[i] ?? 0);
      }
      const units = new Map(COLUMNS.map(([f, , u]) => [f, u]));
      return [...deltas.next(readings)].map(([key, value]) => {
        const [iface, field] = key.split('\u0000') as [string, string];
        return { field, value, unit: units.get(field)!, tags: { interface: iface } };
      });
    },
  };
}
