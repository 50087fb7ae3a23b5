import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cpuInput } from './cpu.ts';

test('usage is each state\'s share of the time between two readings; iowait counts as active; guest is taken out of user', () => {
  const proc = mkdtempSync(join(tmpdir(), 'proc-'));
  //                 user nice system idle iowait irq softirq steal guest guest_nice
  writeFileSync(join(proc, 'stat'), 'cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 100 0 50 800 50 0 0 0 0 0\n');
  const input = cpuInput({ perCore: false, total: true }, { proc });
  const first = input.collect();
  assert.ok(first.every((s) => s.field.startsWith('time_')), 'no rates before a second reading');
  assert.equal(first.find((s) => s.field === 'time_user')!.value, 1);
  writeFileSync(join(proc, 'stat'), 'cpu  160 0 70 880 90 0 0 0 20 0\ncpu0 160 0 70 880 90 0 0 0 20 0\n');
  const usage = Object.fromEntries(input.collect().filter((s) => s.field.startsWith('usage_')).map((s) => [s.field, s.value]));
  // Δ: user 60 (guest 20), system 20, idle 80, iowait 40 → total 200.
  assert.equal(usage.usage_user, 20);
  assert.equal(usage.usage_guest, 10);
  assert.equal(usage.usage_system, 10);
  assert.equal(usage.usage_idle, 40);
  assert.equal(usage.usage_iowait, 20);
  assert.equal(usage.usage_active, 60);
});
