/**
 * One reading of a cgroup's counters, from cgroup v2 (`cpu.stat`, `memory.current`, `memory.stat`,
 * `io.stat`, …) or v1 (`cpuacct.usage`, `memory.usage_in_bytes`, `blkio.throttle.io_service_bytes`,
 * …) — cumulative CPU time and IO, current memory — with memory's working set as cAdvisor (and so
 * Container Insights) defines it: usage minus inactive file pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupLayout } from './cgroup-layout.ts';

export interface CgroupStats {
  cpuNs: number;
  cpuUserNs: number;
  cpuSystemNs: number;
  /** From the CFS quota, in millicores; absent when unlimited. */
  cpuLimitMillicores?: number;
  memoryUsage: number;
  memoryWorkingSet: number;
  memoryRss: number;
  memoryCache: number;
  memoryMappedFile: number;
  memorySwap: number;
  memoryLimit?: number;
  memoryMaxUsage?: number;
  memoryFailcnt: number;
  memoryPgfault: number;
  memoryPgmajfault: number;
  ioReadBytes: number;
  ioWriteBytes: number;
  ioReads: number;
  ioWrites: number;
  /** A process in the cgroup (its network namespace is the container's), if any. */
  pid?: number;
}

/** v1 reports "no limit" as a page-rounded 2^63-1. */
const UNLIMITED = 2 ** 62;
/** USER_HZ, the unit of cpuacct.stat. */
const NS_PER_TICK = 10_000_000;

const read = (file: string): string => readFileSync(file, 'utf8');

function readOptional(file: string): string | undefined {
  try {
    return read(file);
  } catch {
    return undefined;
  }
}

/** `key value` lines (cpu.stat, memory.stat, cpuacct.stat, memory.events). */
export function keyValues(text: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined) out.set(k, Number(v));
  }
  return out;
}

const firstPid = (text: string | undefined): number | undefined => {
  const n = Number((text ?? '').split('\n', 1)[0]);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/** io.stat: `8:0 rbytes=… wbytes=… rios=… wios=…` per device, summed. */
export function parseIoStat(text: string | undefined): { rbytes: number; wbytes: number; rios: number; wios: number } {
  const sum = { rbytes: 0, wbytes: 0, rios: 0, wios: 0 };
  for (const line of (text ?? '').split('\n')) {
    for (const kv of line.trim().split(/\s+/).slice(1)) {
      const [k, v] = kv.split('=');
      if (k !== undefined && k in sum) sum[k as keyof typeof sum] += Number(v) || 0;
    }
  }
  return sum;
}

/** blkio.throttle.io_service_bytes / io_serviced: `8:0 Read 123` per device (the `Total` lines skipped). */
export function parseBlkio(text: string | undefined): { read: number; write: number } {
  const sum = { read: 0, write: 0 };
  for (const line of (text ?? '').split('\n')) {
    const [dev, op, v] = line.trim().split(/\s+/);
    if (dev === undefined || v === undefined) continue;
    if (op === 'Read') sum.read += Number(v) || 0;
    else if (op === 'Write') sum.write += Number(v) || 0;
  }
  return sum;
}

function v2Stats(dir: string): CgroupStats {
  const cpu = keyValues(read(join(dir, 'cpu.stat')));
  const mem = keyValues(readOptional(join(dir, 'memory.stat')));
  const usage = Number(readOptional(join(dir, 'memory.current')) ?? 0);
  const [quota, period] = (readOptional(join(dir, 'cpu.max')) ?? 'max').trim().split(/\s+/);
  const max = (readOptional(join(dir, 'memory.max')) ?? 'max').trim();
  const peak = readOptional(join(dir, 'memory.peak'));
  const io = parseIoStat(readOptional(join(dir, 'io.stat')));
  const pid = firstPid(readOptional(join(dir, 'cgroup.procs')));
  return {
    cpuNs: (cpu.get('usage_usec') ?? 0) * 1000,
    cpuUserNs: (cpu.get('user_usec') ?? 0) * 1000,
    cpuSystemNs: (cpu.get('system_usec') ?? 0) * 1000,
    ...(quota !== 'max' && Number(period) > 0 ? { cpuLimitMillicores: (Number(quota) / Number(period)) * 1000 } : {}),
    memoryUsage: usage,
    memoryWorkingSet: Math.max(0, usage - (mem.get('inactive_file') ?? 0)),
    memoryRss: mem.get('anon') ?? 0,
    memoryCache: mem.get('file') ?? 0,
    memoryMappedFile: mem.get('file_mapped') ?? 0,
    memorySwap: Number(readOptional(join(dir, 'memory.swap.current')) ?? 0),
    ...(max !== 'max' ? { memoryLimit: Number(max) } : {}),
    ...(peak !== undefined ? { memoryMaxUsage: Number(peak) } : {}),
    memoryFailcnt: keyValues(readOptional(join(dir, 'memory.events'))).get('max') ?? 0,
    memoryPgfault: mem.get('pgfault') ?? 0,
    memoryPgmajfault: mem.get('pgmajfault') ?? 0,
    ioReadBytes: io.rbytes, ioWriteBytes: io.wbytes, ioReads: io.rios, ioWrites: io.wios,
    ...(pid !== undefined ? { pid } : {}),
  };
}

function v1Stats(l: Extract<CgroupLayout, { version: 1 }>, path: string): CgroupStats {
  const acct = join(l.cpuacct, path);
  const memDir = join(l.memory, path);
  const ticks = keyValues(readOptional(join(acct, 'cpuacct.stat')));
  const mem = keyValues(readOptional(join(memDir, 'memory.stat')));
  const usage = Number(readOptional(join(memDir, 'memory.usage_in_bytes')) ?? 0);
  const quota = Number(readOptional(join(l.cpu, path, 'cpu.cfs_quota_us')) ?? -1);
  const period = Number(readOptional(join(l.cpu, path, 'cpu.cfs_period_us')) ?? 0);
  const limit = Number(readOptional(join(memDir, 'memory.limit_in_bytes')) ?? UNLIMITED);
  const blkio = l.blkio === undefined ? undefined : join(l.blkio, path);
  const bytes = parseBlkio(blkio && readOptional(join(blkio, 'blkio.throttle.io_service_bytes')));
  const ops = parseBlkio(blkio && readOptional(join(blkio, 'blkio.throttle.io_serviced')));
  const pid = firstPid(readOptional(join(acct, 'cgroup.procs')));
  return {
    cpuNs: Number(read(join(acct, 'cpuacct.usage'))),
    cpuUserNs: (ticks.get('user') ?? 0) * NS_PER_TICK,
    cpuSystemNs: (ticks.get('system') ?? 0) * NS_PER_TICK,
    ...(quota > 0 && period > 0 ? { cpuLimitMillicores: (quota / period) * 1000 } : {}),
    memoryUsage: usage,
    memoryWorkingSet: Math.max(0, usage - (mem.get('total_inactive_file') ?? mem.get('inactive_file') ?? 0)),
    memoryRss: mem.get('total_rss') ?? mem.get('rss') ?? 0,
    memoryCache: mem.get('total_cache') ?? mem.get('cache') ?? 0,
    memoryMappedFile: mem.get('total_mapped_file') ?? mem.get('mapped_file') ?? 0,
    memorySwap: mem.get('total_swap') ?? mem.get('swap') ?? 0,
    ...(limit < UNLIMITED ? { memoryLimit: limit } : {}),
    ...(readOptional(join(memDir, 'memory.max_usage_in_bytes')) !== undefined ? { memoryMaxUsage: Number(read(join(memDir, 'memory.max_usage_in_bytes'))) } : {}),
    memoryFailcnt: Number(readOptional(join(memDir, 'memory.failcnt')) ?? 0),
    memoryPgfault: mem.get('total_pgfault') ?? mem.get('pgfault') ?? 0,
    memoryPgmajfault: mem.get('total_pgmajfault') ?? mem.get('pgmajfault') ?? 0,
    ioReadBytes: bytes.read, ioWriteBytes: bytes.write, ioReads: ops.read, ioWrites: ops.write,
    ...(pid !== undefined ? { pid } : {}),
  };
}

/** The cgroup at `path` now; undefined once it is gone (the container stopped between walk and read). */
export function readCgroupStats(l: CgroupLayout, path: string): CgroupStats | undefined {
  try {
    return l.version === 2 ? v2Stats(join(l.root, path)) : v1Stats(l, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
