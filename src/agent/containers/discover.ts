/**
 * Finds the containers on a host by their cgroups, as cAdvisor does: a directory named by a 64-hex
 * container id, alone (`docker/<id>` with Docker's cgroupfs driver, `kubepods/…/pod<uid>/<id>`,
 * containerd's `<namespace>/<id>`) or in a systemd scope (`docker-<id>.scope`,
 * `cri-containerd-<id>.scope`, `crio-<id>.scope`, `libpod-<id>.scope`, `nerdctl-<id>.scope`); with
 * `systemd_services`, each `*.service` unit under `system.slice` too. A container's own sub-cgroups
 * are part of it and not walked.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export type Runtime = 'docker' | 'containerd' | 'cri-o' | 'podman' | 'kubernetes' | 'systemd';

export interface ContainerCgroup {
  /** The container id (64 hex), or the systemd unit name. */
  id: string;
  runtime: Runtime;
  /** The cgroup's path below each controller's root, `/`-separated, no leading slash. */
  path: string;
}

const SCOPE = /^(?:(docker|cri-containerd|crio|libpod|nerdctl)-)?([0-9a-f]{64})(?:\.scope)?$/;
const SCOPE_RUNTIME: Record<string, Runtime> = { docker: 'docker', 'cri-containerd': 'containerd', crio: 'cri-o', libpod: 'podman', nerdctl: 'containerd' };
/** Deep enough for kubepods.slice/kubepods-burstable.slice/…pod….slice/cri-containerd-….scope. */
const MAX_DEPTH = 6;

function runtimeOf(prefix: string | undefined, parents: readonly string[]): Runtime {
  if (prefix !== undefined) return SCOPE_RUNTIME[prefix]!;
  if (parents.includes('docker')) return 'docker';
  if (parents.some((p) => p.startsWith('kubepods'))) return 'kubernetes';
  return 'containerd';
}

function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a cgroup removed while walking
  }
}

export function discoverContainers(root: string, opts: { systemdServices?: boolean } = {}): ContainerCgroup[] {
  const out: ContainerCgroup[] = [];
  const walk = (parents: string[]): void => {
    for (const e of entries(join(root, ...parents))) {
      if (!e.isDirectory()) continue;
      const m = SCOPE.exec(e.name);
      const path = [...parents, e.name].join('/');
      if (m) {
        out.push({ id: m[2]!, runtime: runtimeOf(m[1], parents), path });
      } else if (opts.systemdServices && parents.length === 1 && parents[0] === 'system.slice' && e.name.endsWith('.service')) {
        out.push({ id: e.name, runtime: 'systemd', path });
      } else if (parents.length < MAX_DEPTH) {
        walk([...parents, e.name]);
      }
    }
  };
  walk([]);
  return out;
}
