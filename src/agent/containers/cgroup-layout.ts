/**
 * Where a host keeps its cgroups. cgroup v2 is one tree (`<root>/cgroup.controllers` exists); v1 has
 * a tree per controller (`<root>/memory`, `<root>/cpu,cpuacct` or `<root>/cpuacct`, `<root>/blkio`),
 * and a hybrid host's `<root>/unified` carries no controllers, so it reads as v1 — where its CPU,
 * memory and IO numbers are. `root` is a parameter because an agent in a container reads the host's
 * cgroups where they are mounted (`/rootfs/sys/fs/cgroup`), and tests read fixture trees.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupLayout =
  | { version: 2; root: string }
  | { version: 1; cpu: string; cpuacct: string; memory: string; blkio: string | undefined };

/** The controller trees of a v1 host, by controller (a co-mounted `cpu,cpuacct` serves both). */
function v1Controllers(root: string): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return out;
  }
  for (const name of names) {
    for (const c of name.split(',')) if (!out.has(c)) out.set(c, join(root, name));
  }
  return out;
}

/** The layout under `root`, or undefined when there is no cgroup file system there to read. */
export function cgroupLayout(root: string): CgroupLayout | undefined {
  if (existsSync(join(root, 'cgroup.controllers'))) return { version: 2, root };
  const c = v1Controllers(root);
  const cpuacct = c.get('cpuacct');
  const memory = c.get('memory');
  if (cpuacct === undefined || memory === undefined) return undefined;
  return { version: 1, cpu: c.get('cpu') ?? cpuacct, cpuacct, memory, blkio: c.get('blkio') };
}

/** The directory that lists a cgroup's processes and is walked for containers. */
export const walkRoot = (l: CgroupLayout): string => (l.version === 2 ? l.root : l.cpuacct);
