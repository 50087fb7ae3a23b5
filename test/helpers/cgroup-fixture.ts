/**
 * A cgroup v2 tree and a Docker root in a temporary directory, as the host's would look, for the
 * agent's container input: containers are added and their counters advanced by the test.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FixtureContainer { id: string; name: string; image: string; path: string }

export class CgroupV2Fixture {
  readonly cgroupRoot: string;
  readonly dockerRoot: string;

  constructor(readonly dir: string) {
    this.cgroupRoot = join(dir, 'cgroup');
    this.dockerRoot = join(dir, 'docker');
    mkdirSync(this.cgroupRoot, { recursive: true });
    writeFileSync(join(this.cgroupRoot, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
  }

  /** A Docker container (systemd driver layout) with its config.v2.json. */
  addDocker(id: string, name: string, image: string, opts: { memoryMax?: number; cpuMax?: string } = {}): FixtureContainer {
    const path = `system.slice/docker-${id}.scope`;
    mkdirSync(join(this.cgroupRoot, path), { recursive: true });
    writeFileSync(join(this.cgroupRoot, path, 'memory.max'), opts.memoryMax === undefined ? 'max\n' : `${opts.memoryMax}\n`);
    writeFileSync(join(this.cgroupRoot, path, 'cpu.max'), `${opts.cpuMax ?? 'max 100000'}\n`);
    mkdirSync(join(this.dockerRoot, 'containers', id), { recursive: true });
    writeFileSync(join(this.dockerRoot, 'containers', id, 'config.v2.json'), JSON.stringify({
      ID: id, Name: `/${name}`, Config: { Image: image, Labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': name } },
    }));
    this.set({ id, name, image, path }, { usageUsec: 0, memory: 0, inactiveFile: 0, rbytes: 0, wbytes: 0 });
    return { id, name, image, path };
  }

  /**
   * Writes a container's counters, each file replaced whole (written aside, then renamed) as the
   * kernel's are always read whole — the agent reads them while the test advances them.
   */
  set(c: FixtureContainer, v: { usageUsec: number; memory: number; inactiveFile: number; rbytes: number; wbytes: number }): void {
    const d = join(this.cgroupRoot, c.path);
    const put = (file: string, text: string) => {
      writeFileSync(join(d, `.${file}.tmp`), text);
      renameSync(join(d, `.${file}.tmp`), join(d, file));
    };
    const user = Math.round(v.usageUsec * 0.75);
    put('cpu.stat', `usage_usec ${Math.round(v.usageUsec)}\nuser_usec ${user}\nsystem_usec ${Math.round(v.usageUsec) - user}\nnr_periods 0\n`);
    put('memory.current', `${v.memory}\n`);
    put('memory.stat', `anon ${v.memory - v.inactiveFile}\nfile ${v.inactiveFile}\nfile_mapped 4096\ninactive_file ${v.inactiveFile}\npgfault 10\npgmajfault 0\n`);
    put('io.stat', `8:0 rbytes=${v.rbytes} wbytes=${v.wbytes} rios=${v.rbytes / 4096} wios=${v.wbytes / 4096} dbytes=0 dios=0\n`);
    put('cgroup.procs', '');
  }
}
