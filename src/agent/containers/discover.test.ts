import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CgroupV2Fixture } from '../../../test/helpers/cgroup-fixture.ts';
import { cgroupLayout, walkRoot } from './cgroup-layout.ts';
import { parseBlkio, parseIoStat, readCgroupStats } from './cgroup-stats.ts';
import { ContainerNames } from './container-names.ts';
import { discoverContainers } from './discover.ts';

const ID = (c: string) => c.repeat(64);

test('containers are found by the cgroup layouts of Docker, containerd, CRI-O, Podman and Kubernetes; systemd services on request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg-'));
  try {
    for (const p of [
      `system.slice/docker-${ID('a')}.scope`, `docker/${ID('b')}`, `kubepods/burstable/pod1234/${ID('c')}`,
      `kubepods.slice/kubepods-besteffort.slice/p.slice/cri-containerd-${ID('d')}.scope`, `machine.slice/libpod-${ID('e')}.scope`,
      `system.slice/crio-${ID('f')}.scope`, `default/${ID('1')}`, 'system.slice/nginx.service', 'user.slice/user-0.slice',
      `system.slice/docker-${ID('a')}.scope/init`,
    ]) mkdirSync(join(dir, p), { recursive: true });
    const found = (systemdServices: boolean) => discoverContainers(dir, { systemdServices }).map((c) => `${c.runtime}:${c.id.slice(0, 6)}`).sort();
    assert.deepEqual(found(false), ['containerd:111111', 'containerd:dddddd', 'cri-o:ffffff', 'docker:aaaaaa', 'docker:bbbbbb', 'kubernetes:cccccc', 'podman:eeeeee']);
    assert.ok(found(true).includes('systemd:nginx.'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cgroup v2 counters: CPU, memory working set (usage − inactive file), limits, IO; Docker names from config.v2.json', () => {
  const fx = new CgroupV2Fixture(mkdtempSync(join(tmpdir(), 'cg2-')));
  try {
    const c = fx.addDocker(ID('a'), 'web', 'nginx:1.27', { memoryMax: 512 * 2 ** 20, cpuMax: '50000 100000' });
    fx.set(c, { usageUsec: 2_000_000, memory: 100 * 2 ** 20, inactiveFile: 30 * 2 ** 20, rbytes: 8192, wbytes: 4096 });
    const layout = cgroupLayout(fx.cgroupRoot)!;
    assert.equal(layout.version, 2);
    const [found] = discoverContainers(walkRoot(layout));
    const s = readCgroupStats(layout, found!.path)!;
    assert.equal(s.cpuNs, 2e9);
    assert.equal(s.cpuUserNs + s.cpuSystemNs, 2e9);
    assert.equal(s.cpuLimitMillicores, 500);
    assert.equal(s.memoryWorkingSet, 70 * 2 ** 20);
    assert.equal(s.memoryLimit, 512 * 2 ** 20);
    assert.deepEqual([s.ioReadBytes, s.ioWriteBytes, s.ioReads, s.ioWrites], [8192, 4096, 2, 1]);
    assert.deepEqual(new ContainerNames(fx.dockerRoot).identity(found!), { name: 'web', image: 'nginx:1.27', composeProject: 'shop', composeService: 'web' });
    assert.equal(readCgroupStats(layout, 'system.slice/gone.scope'), undefined);
  } finally {
    rmSync(fx.dir, { recursive: true, force: true });
  }
});

test('cgroup v1 counters from the cpuacct, cpu, memory and blkio trees', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cg1-'));
  try {
    const path = `docker/${ID('b')}`;
    const put = (ctl: string, file: string, text: string) => {
      mkdirSync(join(dir, ctl, path), { recursive: true });
      writeFileSync(join(dir, ctl, path, file), text);
    };
    put('cpu,cpuacct', 'cpuacct.usage', '3000000000\n');
    put('cpu,cpuacct', 'cpuacct.stat', 'user 200\nsystem 100\n');
    put('cpu,cpuacct', 'cpu.cfs_quota_us', '-1\n');
    put('cpu,cpuacct', 'cgroup.procs', '4242\n');
    put('memory', 'memory.usage_in_bytes', '1000000\n');
    put('memory', 'memory.stat', 'cache 300000\nrss 600000\ntotal_cache 300000\ntotal_rss 600000\ntotal_inactive_file 250000\ntotal_pgfault 7\n');
    put('memory', 'memory.limit_in_bytes', '9223372036854771712\n');
    put('memory', 'memory.failcnt', '0\n');
    put('blkio', 'blkio.throttle.io_service_bytes', '8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n');
    const layout = cgroupLayout(dir)!;
    assert.equal(layout.version, 1);
    const [found] = discoverContainers(walkRoot(layout));
    assert.equal(found?.runtime, 'docker');
    const s = readCgroupStats(layout, found!.path)!;
    assert.deepEqual([s.cpuNs, s.cpuUserNs, s.cpuSystemNs, s.cpuLimitMillicores], [3e9, 2e9, 1e9, undefined]);
    assert.deepEqual([s.memoryUsage, s.memoryWorkingSet, s.memoryRss, s.memoryLimit, s.pid], [1_000_000, 750_000, 600_000, undefined, 4242]);
    assert.deepEqual([s.ioReadBytes, s.ioWriteBytes], [4096, 8192]);
    assert.equal(new ContainerNames(join(dir, 'no-docker')).identity(found!).name, ID('b').slice(0, 12));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('io.stat and blkio parsers sum every device', () => {
  assert.deepEqual(parseIoStat('8:0 rbytes=10 wbytes=20 rios=1 wios=2\n259:0 rbytes=5 wbytes=0 rios=1 wios=0 dbytes=3\n'), { rbytes: 15, wbytes: 20, rios: 2, wios: 2 });
  assert.deepEqual(parseBlkio('8:0 Read 1\n8:16 Read 2\n8:16 Write 3\nTotal 6\n'), { read: 3, write: 3 });
});
