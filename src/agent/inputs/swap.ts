/** swap: SwapTotal / SwapFree from /proc/meminfo; `used_percent` is 0 on a host without swap. */
import { readMeminfo } from './meminfo.ts';
import { HOST_PROC, type HostInput, type ProcPaths } from './types.ts';

export function swapInput(paths: ProcPaths = HOST_PROC): HostInput {
  return {
    collect() {
      const m = readMeminfo(paths);
      const total = m.get('SwapTotal') ?? 0;
      const free = m.get('SwapFree') ?? 0;
      const used = total - free;
      return [
        { field: 'total', value: total, unit: 'Bytes', tags: {} },
        { field: 'free', value: free, unit: 'Bytes', tags: {} },
        { field: 'used', value: used, unit: 'Bytes', tags: {} },
        { field: 'used_percent', value: total > 0 ? (100 * used) / total : 0, unit: 'Percent', tags: {} },
      ];
    },
  };
}
