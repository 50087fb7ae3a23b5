/**
 * diskio: per block device, from /proc/diskstats, the agent's fields — reads, writes, read_bytes,
 * write_bytes (sectors × 512), read_time, write_time, io_time (ms) as the change since the last
 * reading, and iops_in_progress as it is. Tag `name`. `resources` names devices ("*" = all, the
 * default).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CounterDeltas } from './counter-deltas.ts';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

const SECTOR = 512;
/** diskstats columns after major, minor and name (kernel Documentation/admin-guide/iostats.rst). */
const CUMULATIVE: [string, (c: number[]) => number, Sample['unit']][] = [
  ['reads', (c) => c[0]!, 'Count'], ['read_bytes', (c) => c[2]! * SECTOR, 'Bytes'], ['read_time', (c) => c[3]!, 'Milliseconds'],
  ['writes', (c) => c[4]!, 'Count'], ['write_bytes', (c) => c[6]! * SECTOR, 'Bytes'], ['write_time', (c) => c[7]!, 'Milliseconds'],
  ['io_time', (c) => c[9]!, 'Milliseconds'],
];

export function parseDiskstats(text: string): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 14) out.set(f[2]!, f.slice(3).map(Number));
  }
  return out;
}

export function diskioInput(opts: { resources?: readonly string[] }, paths: ProcPaths = HOST_PROC): HostInput {
  const deltas = new CounterDeltas();
  const wanted = opts.resources && !opts.resources.includes('*') ? new Set(opts.resources) : undefined;
  const units = new Map(CUMULATIVE.map(([f, , u]) => [f, u]));
  return {
    collect() {
      const readings = new Map<string, number>();
      const out: Sample[] = [];
      for (const [name, cols] of parseDiskstats(readFileSync(join(paths.proc, 'diskstats'), 'utf8'))) {
        if (wanted && !wanted.has(name)) continue;
        for (const [field, get] of CUMULATIVE) readings.set(`${name}\u0000${field}`, get(cols));
        out.push({ field: 'iops_in_progress', value: cols[8] ?? 0, unit: 'Count', tags: { name } });
      }
      for (const [key, value] of deltas.next(readings)) {
        const [name, field] = key.split('\u0000') as [string, string];
        out.push({ field, value, unit: units.get(field)!, tags: { name } });
      }
      return out;
    },
  };
}
