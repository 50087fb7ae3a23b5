/**
 * procstat: the processes one entry selects — `pid_file` (the pid in that file), `exe` (a regex over
 * the process name, as pgrep) or `pattern` (a regex over the whole command line, as pgrep -f) — each
 * reported on its own with the agent's fields: cpu_time, cpu_time_user, cpu_time_system (seconds),
 * cpu_usage (% of one core since the last reading), memory_rss / vms / data / stack / swap / locked
 * (bytes, /proc/<pid>/status), num_threads, read_bytes / write_bytes / read_count / write_count
 * (/proc/<pid>/io, when readable), pid; plus pid_count (published as procstat_lookup_pid_count).
 * Tags: the selector (`pidfile`, `exe` or `pattern`) and `process_name`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

const TICKS_PER_SECOND = 100;
const STATUS_FIELDS: [string, string][] = [['memory_rss', 'VmRSS'], ['memory_vms', 'VmSize'], ['memory_data', 'VmData'], ['memory_stack', 'VmStk'], ['memory_swap', 'VmSwap'], ['memory_locked', 'VmLck']];

export interface ProcstatSelector { pid_file?: string; exe?: string; pattern?: string }

interface ProcInfo { pid: number; name: string; utime: number; stime: number; threads: number }

function readProc(paths: ProcPaths, pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(join(paths.proc, String(pid), 'stat'), 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command: state(0) … utime(11) stime(12) … num_threads(17).
    return { pid, name, utime: Number(f[11]), stime: Number(f[12]), threads: Number(f[17]) };
  } catch {
    return undefined; // exited
  }
}

function pids(paths: ProcPaths, sel: ProcstatSelector): number[] {
  if (sel.pid_file) {
    try {
      const pid = Number(readFileSync(sel.pid_file, 'utf8').trim());
      return Number.isInteger(pid) && pid > 0 ? [pid] : [];
    } catch {
      return [];
    }
  }
  const re = new RegExp(sel.exe ?? sel.pattern ?? '');
  const out: number[] = [];
  for (const d of readdirSync(paths.proc)) {
    if (!/^\d+$/.test(d) || Number(d) === process.pid) continue;
    try {
      const subject = sel.exe !== undefined
        ? readFileSync(join(paths.proc, d, 'comm'), 'utf8').trim()
        : readFileSync(join(paths.proc, d, 'cmdline'), 'utf8').replaceAll('\0', ' ').trim();
      if (subject && re.test(subject)) out.push(Number(d));
    } catch {
      // exited while being read
    }
  }
  return out;
}

function statusBytes(paths: ProcPaths, pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const line of readFileSync(join(paths.proc, String(pid), 'status'), 'utf8').split('\n')) {
      const m = /^(\w+):\s+(\d+) kB/.exec(line);
      if (m) out.set(m[1]!, Number(m[2]) * 1024);
    }
  } catch {
    // exited
  }
  return out;
}

function io(paths: ProcPaths, pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const line of readFileSync(join(paths.proc, String(pid), 'io'), 'utf8').split('\n')) {
      const [k, v] = line.split(':');
      if (k && v) out.set(k.trim(), Number(v));
    }
  } catch {
    // another user's process: /proc/<pid>/io needs the same user or root
  }
  return out;
}

export function procstatInput(sel: ProcstatSelector, paths: ProcPaths = HOST_PROC, now: () => number = Date.now): HostInput {
  const selector: Record<string, string> = sel.pid_file ? { pidfile: sel.pid_file } : sel.exe !== undefined ? { exe: sel.exe } : { pattern: sel.pattern ?? '' };
  let last = new Map<number, { cpu: number; at: number }>();
  return {
    collect() {
      const at = now();
      const out: Sample[] = [];
      const seen = new Map<number, { cpu: number; at: number }>();
      const found = pids(paths, sel).map((pid) => readProc(paths, pid)).filter((p): p is ProcInfo => p !== undefined);
      for (const p of found) {
        const tags = { ...selector, process_name: p.name };
        const cpu = (p.utime + p.stime) / TICKS_PER_SECOND;
        const add = (field: string, value: number, unit: Sample['unit']) => out.push({ field, value, unit, tags });
        add('cpu_time', cpu, 'Seconds');
        add('cpu_time_user', p.utime / TICKS_PER_SECOND, 'Seconds');
        add('cpu_time_system', p.stime / TICKS_PER_SECOND, 'Seconds');
        const before = last.get(p.pid);
        if (before && at > before.at) add('cpu_usage', Math.max(0, (100 * (cpu - before.cpu)) / ((at - before.at) / 1000)), 'Percent');
        seen.set(p.pid, { cpu, at });
        const status = statusBytes(paths, p.pid);
        for (const [field, key] of STATUS_FIELDS) if (status.has(key)) add(field, status.get(key)!, 'Bytes');
        add('num_threads', p.threads, 'Count');
        add('pid', p.pid, 'None');
        const counters = io(paths, p.pid);
        for (const [field, key, unit] of [['read_bytes', 'read_bytes', 'Bytes'], ['write_bytes', 'write_bytes', 'Bytes'], ['read_count', 'syscr', 'Count'], ['write_count', 'syscw', 'Count']] as const) {
          if (counters.has(key)) add(field, counters.get(key)!, unit);
        }
      }
      last = seen;
      out.push({ field: 'pid_count', value: found.length, unit: 'Count', tags: selector });
      return out;
    },
  };
}

export const PROCSTAT_FIELDS = new Set([
  'cpu_time', 'cpu_time_user', 'cpu_time_system', 'cpu_usage', ...STATUS_FIELDS.map(([f]) => f), 'num_threads', 'pid',
  'read_bytes', 'write_bytes', 'read_count', 'write_count', 'pid_count',
]);
