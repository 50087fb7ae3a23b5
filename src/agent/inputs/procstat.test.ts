import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { procstatInput } from './procstat.ts';

function fakeProc(): string {
  const proc = mkdtempSync(join(tmpdir(), 'proc-'));
  const add = (pid: number, comm: string, cmdline: string, utime: number) => {
    mkdirSync(join(proc, String(pid)));
    writeFileSync(join(proc, String(pid), 'stat'), `${pid} (${comm}) S 1 1 1 0 -1 0 0 0 0 0 ${utime} 10 0 0 20 0 4 0 100`);
    writeFileSync(join(proc, String(pid), 'comm'), `${comm}\n`);
    writeFileSync(join(proc, String(pid), 'cmdline'), cmdline.replaceAll(' ', '\0'));
    writeFileSync(join(proc, String(pid), 'status'), 'Name:\tx\nVmRSS:\t  2048 kB\nVmSize:\t 10240 kB\n');
    writeFileSync(join(proc, String(pid), 'io'), 'rchar: 1\nsyscr: 7\nsyscw: 3\nread_bytes: 4096\nwrite_bytes: 512\n');
  };
  add(100, 'nginx', '/usr/sbin/nginx -g daemon off;', 50);
  add(101, 'nginx', '/usr/sbin/nginx worker', 30);
  add(200, 'postgres', '/usr/lib/postgresql/15/bin/postgres -D /var/lib/pg', 5);
  return proc;
}

test('processes by exe / pattern / pid_file, each with its fields; pid_count; cpu_usage from the second reading', () => {
  const proc = fakeProc();
  let t = 0;
  const byExe = procstatInput({ exe: '^nginx$' }, { proc }, () => t);
  const first = byExe.collect();
  assert.equal(first.find((s) => s.field === 'pid_count')!.value, 2);
  assert.equal(first.some((s) => s.field === 'cpu_usage'), false);
  const rss = first.filter((s) => s.field === 'memory_rss');
  assert.deepEqual(rss.map((s) => [s.value, s.tags]), [[2048 * 1024, { exe: '^nginx$', process_name: 'nginx' }], [2048 * 1024, { exe: '^nginx$', process_name: 'nginx' }]]);
  assert.equal(first.find((s) => s.field === 'cpu_time_user')!.value, 0.5);
  assert.equal(first.find((s) => s.field === 'read_count')!.value, 7);
  writeFileSync(join(proc, '100', 'stat'), '100 (nginx) S 1 1 1 0 -1 0 0 0 0 0 150 10 0 0 20 0 4 0 100');
  t = 2000;
  const usage = byExe.collect().filter((s) => s.field === 'cpu_usage').map((s) => s.value);
  assert.deepEqual(usage, [50, 0], '1 s of CPU over 2 s');

  assert.equal(procstatInput({ pattern: 'postgres -D' }, { proc }).collect().find((s) => s.field === 'pid_count')!.value, 1);
  writeFileSync(join(proc, 'pg.pid'), '200\n');
  const byFile = procstatInput({ pid_file: join(proc, 'pg.pid') }, { proc }).collect();
  assert.deepEqual(byFile.find((s) => s.field === 'pid')!.tags, { pidfile: join(proc, 'pg.pid'), process_name: 'postgres' });
  assert.equal(procstatInput({ pid_file: join(proc, 'missing.pid') }, { proc }).collect().find((s) => s.field === 'pid_count')!.value, 0);
});
