/** /proc/meminfo as bytes by key (the kernel writes kB). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcPaths } from './types.ts';

export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:]+):\s+(\d+)(\s+kB)?/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]) * (m[3] ? 1024 : 1));
  }
  return out;
}

export const readMeminfo = (paths: ProcPaths): Map<string, number> => parseMeminfo(readFileSync(join(paths.proc, 'meminfo'), 'utf8'));
