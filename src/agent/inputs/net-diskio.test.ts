import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { diskioInput } from './diskio.ts';
import { netInput } from './net.ts';

const HEADER = 'Inter-|   Receive\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
const dev = (rx: number, tx: number) => `${HEADER}    lo: 999 9 0 0 0 0 0 0 999 9 0 0 0 0 0 0\n  eth0: ${rx} 10 1 0 0 0 0 0 ${tx} 20 0 2 0 0 0 0\n`;
const stats = (reads: number, inFlight: number) => `   8       0 sda ${reads} 0 ${reads * 8} 30 5 0 40 50 ${inFlight} 60 70 0 0 0 0\n`;

test('net and diskio report the change since the last reading (nothing the first time); loopback left out; iops_in_progress as is', () => {
  const proc = mkdtempSync(join(tmpdir(), 'proc-'));
  mkdirSync(join(proc, 'net'));
  writeFileSync(join(proc, 'net', 'dev'), dev(1000, 500));
  writeFileSync(join(proc, 'diskstats'), stats(100, 3));
  const net = netInput({}, { proc });
  const disk = diskioInput({}, { proc });
  assert.deepEqual(net.collect(), []);
  assert.deepEqual(disk.collect().map((s) => [s.field, s.value]), [['iops_in_progress', 3]]);
  writeFileSync(join(proc, 'net', 'dev'), dev(1600, 900));
  writeFileSync(join(proc, 'diskstats'), stats(110, 1));
  const n = Object.fromEntries(net.collect().map((s) => [s.field, s]));
  assert.equal(n.bytes_recv!.value, 600);
  assert.equal(n.bytes_sent!.value, 400);
  assert.deepEqual(n.bytes_recv!.tags, { interface: 'eth0' });
  assert.equal(n.bytes_recv!.unit, 'Bytes');
  const d = Object.fromEntries(disk.collect().map((s) => [s.field, s.value]));
  assert.deepEqual([d.reads, d.read_bytes, d.iops_in_progress, d.writes], [10, 10 * 8 * 512, 1, 0]);
});
