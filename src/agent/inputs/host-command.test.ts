import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from '../../lib/logger.ts';
import { ethtoolInput, parseEthtoolStats } from './ethtool.ts';
import { findExecutable } from './host-command.ts';
import { NVIDIA_QUERY, nvidiaGpuInput, parseNvidiaSmi } from './nvidia-gpu.ts';

const log = createLogger('silent');

/** A stand-in for a vendor tool: prints `out` when called with the expected arguments, fails otherwise. */
function tool(dir: string, name: string, cases: Record<string, string>): string {
  const file = join(dir, name);
  const branches = Object.entries(cases).map(([args, out]) => `if [ "$*" = "${args}" ]; then cat <<'OUT'\n${out}\nOUT\nexit 0; fi`).join('\n');
  writeFileSync(file, `#!/bin/sh\n${branches}\necho "no stats available" >&2\nexit 94\n`);
  chmodSync(file, 0o755);
  return file;
}

test('nvidia-smi CSV: a sample per reported field, tagged index and name; [N/A] and [Not Supported] left out', () => {
  const line = '0, 87, 45, 15360, 6912, 8448, 3, 16, 0, 0, 0, 1590, 1590, 5000, 1470, 65, 185.32, [N/A], Tesla T4';
  const samples = parseNvidiaSmi(`${line}\n1, 2, 1, 15360, 100, 15260, 3, 16, [Not Supported], 0, 0, 300, 300, 405, 540, 31, 27.1, 0, NVIDIA A10G, rev 2\n`);
  const gpu0 = Object.fromEntries(samples.filter((s) => s.tags.index === '0').map((s) => [s.field, s]));
  assert.equal(gpu0.utilization_gpu!.value, 87);
  assert.equal(gpu0.utilization_gpu!.unit, 'Percent');
  assert.equal(gpu0.memory_used!.unit, 'Megabytes');
  assert.equal(gpu0.power_draw!.value, 185.32);
  assert.equal(gpu0.fan_speed, undefined);
  assert.equal(gpu0.temperature_gpu!.tags.name, 'Tesla T4');
  const gpu1 = samples.filter((s) => s.tags.index === '1');
  assert.equal(gpu1[0]!.tags.name, 'NVIDIA A10G, rev 2');
  assert.ok(!gpu1.some((s) => s.field === 'encoder_stats_session_count'));
});

test('nvidia_gpu runs nvidia-smi with the query; without nvidia-smi, or with no GPU, it reports nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smi-'));
  try {
    const smi = tool(dir, 'nvidia-smi', { [`--query-gpu=${NVIDIA_QUERY} --format=csv,noheader,nounits`]: '0, 10, 5, 16384, 1024, 15360, 4, 16, 0, 0, 0, 1000, 1000, 5000, 900, 40, 60.5, 30, Tesla T4' });
    assert.equal((await nvidiaGpuInput(log, smi).collect()).find((s) => s.field === 'memory_free')!.value, 15360);
    assert.deepEqual(await nvidiaGpuInput(log, null).collect(), []);
    assert.deepEqual(await nvidiaGpuInput(log, tool(dir, 'broken-smi', {})).collect(), []);
    assert.equal(findExecutable('nvidia-smi', [], dir), smi);
    assert.equal(findExecutable('nvidia-smi', [], join(dir, 'none')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ethtool -S per interface: driver statistics tagged interface and driver; include / exclude lists; interfaces without statistics skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ethtool-'));
  try {
    const net = join(dir, 'net');
    for (const i of ['eth0', 'eth1', 'lo', 'docker0']) mkdirSync(join(net, i), { recursive: true });
    mkdirSync(join(dir, 'drivers', 'ena'), { recursive: true });
    mkdirSync(join(net, 'eth0', 'device'));
    symlinkSync(join(dir, 'drivers', 'ena'), join(net, 'eth0', 'device', 'driver'));
    const ena = 'NIC statistics:\n     tx_timeout: 0\n     bw_in_allowance_exceeded: 12\n     pps_allowance_exceeded: 3\n     queue_0_tx_cnt: 991';
    const bin = tool(dir, 'ethtool', { '-S eth0': ena, '-S eth1': 'NIC statistics:\n     rx_packets: 5' });
    const all = await ethtoolInput({ sysClassNet: net }, log, bin).collect();
    assert.deepEqual([...new Set(all.map((s) => s.tags.interface))], ['eth0', 'eth1'], 'lo skipped; docker0 has no statistics');
    assert.deepEqual(all.find((s) => s.field === 'bw_in_allowance_exceeded'), { field: 'bw_in_allowance_exceeded', value: 12, unit: 'None', tags: { interface: 'eth0', driver: 'ena' } });
    const some = await ethtoolInput({ sysClassNet: net, interfaceExclude: ['eth1'], metricsInclude: ['bw_in_allowance_exceeded', 'pps_allowance_exceeded'] }, log, bin).collect();
    assert.deepEqual(some.map((s) => `${s.tags.interface}:${s.field}=${s.value}`), ['eth0:bw_in_allowance_exceeded=12', 'eth0:pps_allowance_exceeded=3']);
    assert.deepEqual(await ethtoolInput({ sysClassNet: net, interfaceInclude: ['eth1'] }, log, bin).collect().then((x) => x.map((s) => s.field)), ['rx_packets']);
    assert.deepEqual(await ethtoolInput({ sysClassNet: net }, log, null).collect(), []);
    assert.deepEqual(parseEthtoolStats('no stats available\n'), new Map());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
