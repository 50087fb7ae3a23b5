/**
 * mem: memory from /proc/meminfo, computed as the agent's gopsutil does on Linux — `cached`
 * includes SReclaimable; `used` = total − free − buffers − cached; `used_percent` = used / total;
 * `available` is MemAvailable (free + cached on kernels without it).
 */
import { readMeminfo } from './meminfo.ts';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

export function memInput(paths: ProcPaths = HOST_PROC): HostInput {
  return {
    collect() {
      const m = readMeminfo(paths);
      const get = (k: string): number => m.get(k) ?? 0;
      const total = get('MemTotal');
      const free = get('MemFree');
      const buffered = get('Buffers');
      const cached = get('Cached') + get('SReclaimable');
      const available = m.has('MemAvailable') ? get('MemAvailable') : free + cached;
      const used = total - free - buffered - cached;
      const pct = (v: number): number => (total > 0 ? (100 * v) / total : 0);
      const bytes: Record<string, number> = { total, free, used, available, buffered, cached, active: get('Active'), inactive: get('Inactive') };
      const out: Sample[] = Object.entries(bytes).map(([field, value]) => ({ field, value, unit: 'Bytes', tags: {} }));
      out.push({ field: 'used_percent', value: pct(used), unit: 'Percent', tags: {} }, { field: 'available_percent', value: pct(available), unit: 'Percent', tags: {} });
      return out;
    },
  };
}
