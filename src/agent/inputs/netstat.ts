/**
 * netstat: TCP connections by state and the number of UDP sockets, counted from /proc/net/tcp,
 * tcp6, udp and udp6 (IPv4 and IPv6 together), with the agent's field names (`tcp_established`,
 * `tcp_time_wait`, `tcp_listen`, …, `udp_socket`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_PROC, type HostInput, type ProcPaths, type Sample } from './types.ts';

/** The kernel's TCP states (include/net/tcp_states.h), by their hex code in /proc/net/tcp. */
const TCP_STATES: Record<string, string> = {
  '01': 'established', '02': 'syn_sent', '03': 'syn_recv', '04': 'fin_wait1', '05': 'fin_wait2', '06': 'time_wait',
  '07': 'close', '08': 'close_wait', '09': 'last_ack', '0A': 'listen', '0B': 'closing',
};

function rows(paths: ProcPaths, file: string): string[] {
  try {
    return readFileSync(join(paths.proc, 'net', file), 'utf8').split('\n').slice(1).filter((l) => l.trim());
  } catch {
    return []; // no IPv6 on this host
  }
}

export function countTcpStates(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>([...Object.values(TCP_STATES), 'none'].map((s) => [s, 0]));
  for (const l of lines) {
    const state = TCP_STATES[l.trim().split(/\s+/)[3]?.toUpperCase() ?? ''] ?? 'none';
    counts.set(state, counts.get(state)! + 1);
  }
  return counts;
}

export function netstatInput(paths: ProcPaths = HOST_PROC): HostInput {
  return {
    collect() {
      const tcp = countTcpStates([...rows(paths, 'tcp'), ...rows(paths, 'tcp6')]);
      const out: Sample[] = [...tcp].map(([state, n]) => ({ field: `tcp_${state}`, value: n, unit: 'Count', tags: {} }));
      out.push({ field: 'udp_socket', value: rows(paths, 'udp').length + rows(paths, 'udp6').length, unit: 'Count', tags: {} });
      return out;
    },
  };
}
