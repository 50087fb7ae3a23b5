import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceFileSystems, parseMounts } from './disk.ts';
import { parseMeminfo } from './meminfo.ts';
import { countTcpStates } from './netstat.ts';
import { parseStat } from './processes.ts';

test('/proc/self/mounts: octal escapes decoded; /proc/filesystems: nodev types left out', () => {
  assert.deepEqual(parseMounts('/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /mnt/my\\040disk xfs rw 0 0\n'), [
    { device: '/dev/sda1', path: '/', fstype: 'ext4' }, { device: '/dev/sdb1', path: '/mnt/my disk', fstype: 'xfs' },
  ]);
  assert.deepEqual([...deviceFileSystems('nodev\tsysfs\nnodev\ttmpfs\n\text4\n\txfs\n')], ['ext4', 'xfs']);
});

test('/proc/meminfo in bytes; /proc/net/tcp states; /proc/<pid>/stat with a command holding ") "', () => {
  assert.deepEqual([...parseMeminfo('MemTotal:       1000 kB\nHugePages_Total:       2\n')], [['MemTotal', 1024000], ['HugePages_Total', 2]]);
  const header = '  sl  local_address rem_address   st tx_queue';
  const counts = countTcpStates([header, '   0: 00000000:07E8 00000000:0000 0A 0', '   1: 0100007F:82D7 0100007F:B8C0 01 0', '   2: 0100007F:82D7 0100007F:B8C0 01 0'].slice(1));
  assert.equal(counts.get('listen'), 1);
  assert.equal(counts.get('established'), 2);
  assert.equal(counts.get('time_wait'), 0);
  assert.deepEqual(parseStat('42 (my (odd) cmd) S 1 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 7 0 100 0 0'), { state: 'S', threads: 7 });
});
