/**
 * processes: every process in /proc by state (`R` running, `S` sleeping, `D` blocked, `Z` zombies,
 * `X` dead, `T`/`t` stopped, `I` idle, `W` paging), the total and `total_threads` (the sum of
 * num_threads), as the agent's Telegraf processes input counts them on Linux.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

const BY_STATE: Record<string, string> = { R: 'running', S: 'sleeping', D: 'blocked', Z: 'zombies', X: 'dead', T: 'stopped', t: 'stopped', I: 'idle', W: 'paging' };
const FIELDS = ['blocked', 'dead', 'idle', 'paging', 'running', 'sleeping', 'stopped', 'zombies', 'total', 'total_threads'];

/** State and thread count from one /proc/<pid>/stat (the command may hold spaces and parentheses). */
export function parseStat(text: string): { state: string; threads: number } | undefined {
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the command: state(0) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads(17).
  const threads = Number(rest[17]);
  return rest[0] ? { state: rest[0], threads: Number.isFinite(threads) ? threads : 0 } : undefined;
}

export function processesInput(paths: ProcPaths = HOST_PROC): HostInput {
  return {
    collect() {
      const counts = new Map(FIELDS.map((f) => [f, 0]));
      const add = (f: string, n = 1) => counts.set(f, counts.get(f)! + n);
      for (const pid of readdirSync(paths.proc)) {
        if (!/^\d+$/.test(pid)) continue;
        let stat;
        try {
          stat = parseStat(readFileSync(join(paths.proc, pid, 'stat'), 'utf8'));
        } catch {
          continue; // exited while being read
        }
        if (!stat) continue;
        add('total');
        add('total_threads', stat.threads);
        const f = BY_STATE[stat.state];
        if (f) add(f);
      }
      return [...counts].map(([field, value]): Sample => ({ field, value, unit: 'Count', tags: {} }));
    },
  };
}
