/**
 * What a container is called. Docker keeps each container's name, image and labels in
 * `<docker_root>/containers/<id>/config.v2.json`, readable without the daemon's API; a systemd
 * service is its unit name; any other container (containerd, CRI-O, Kubernetes, Podman) goes by its
 * short id, as `docker ps` shows one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerCgroup } from './discover.ts';

export interface ContainerIdentity {
  name: string;
  image?: string;
  /** Docker Compose's project and service labels, when present. */
  composeProject?: string;
  composeService?: string;
}

interface DockerConfig {
  Name?: string;
  Config?: { Image?: string; Labels?: Record<string, string> | null };
}

function dockerIdentity(dockerRoot: string, id: string): ContainerIdentity | undefined {
  let cfg: DockerConfig;
  try {
    cfg = JSON.parse(readFileSync(join(dockerRoot, 'containers', id, 'config.v2.json'), 'utf8')) as DockerConfig;
  } catch {
    return undefined; // not readable (not root, another docker root, or gone)
  }
  const name = cfg.Name?.replace(/^\//, '');
  if (!name) return undefined;
  const labels = cfg.Config?.Labels ?? {};
  return {
    name,
    ...(cfg.Config?.Image ? { image: cfg.Config.Image } : {}),
    ...(labels['com.docker.compose.project'] ? { composeProject: labels['com.docker.compose.project'] } : {}),
    ...(labels['com.docker.compose.service'] ? { composeService: labels['com.docker.compose.service'] } : {}),
  };
}

export class ContainerNames {
  private readonly known = new Map<string, ContainerIdentity>();

  constructor(private readonly dockerRoot: string) {}

  identity(c: ContainerCgroup): ContainerIdentity {
    let out = this.known.get(c.id);
    if (out === undefined) {
      out = c.runtime === 'systemd' ? { name: c.id.replace(/\.service$/, '') }
        : (c.runtime === 'docker' ? dockerIdentity(this.dockerRoot, c.id) : undefined) ?? { name: c.id.slice(0, 12) };
      this.known.set(c.id, out);
    }
    return out;
  }

  /** Drops what is known of containers no longer running. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.known.keys()) if (!ids.has(id)) this.known.delete(id);
  }
}
