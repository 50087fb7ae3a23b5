/**
 * The host facts the agent adds to metrics and fills into `${aws:…}` dimension values. Off EC2
 * there is no instance metadata, so Osprey's agent maps them to what the host has (documented in
 * the README): InstanceId → the hostname, ImageId → the OS release (`debian-12`), InstanceType →
 * `<cpus>vcpu-<GiB>gib`; AutoScalingGroupName has no counterpart and the dimension is left out.
 * OSPREY_AGENT_INSTANCE_ID / _IMAGE_ID / _INSTANCE_TYPE override them.
 */
import { readFileSync } from 'node:fs';
import { cpus, hostname, networkInterfaces, totalmem } from 'node:os';

export interface HostFacts {
  hostname: string;
  /** The first non-loopback IPv4 address (`{ip_address}` in log stream names). */
  ipAddress?: string;
  variables: Record<string, string>;
}

function osRelease(): string {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const get = (k: string) => new RegExp(`^${k}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1];
    return [get('ID'), get('VERSION_ID')].filter(Boolean).join('-') || 'linux';
  } catch {
    return 'linux';
  }
}

export function hostFacts(env: NodeJS.ProcessEnv = process.env): HostFacts {
  const host = hostname();
  const ip = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
  return {
    hostname: host,
    ...(ip ? { ipAddress: ip } : {}),
    variables: {
      'aws:InstanceId': env.OSPREY_AGENT_INSTANCE_ID ?? host,
      'aws:ImageId': env.OSPREY_AGENT_IMAGE_ID ?? osRelease(),
      'aws:InstanceType': env.OSPREY_AGENT_INSTANCE_TYPE ?? `${cpus().length}vcpu-${Math.round(totalmem() / 2 ** 30)}gib`,
    },
  };
}

/**
 * append_dimensions with `${aws:…}` values filled in; a dimension whose variable this host has no
 * value for is left out (the agent leaves out AutoScalingGroupName off an Auto Scaling group too).
 */
export function resolveDimensions(dims: Record<string, string> | undefined, facts: HostFacts): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(dims ?? {})) {
    let missing = false;
    const value = v.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      const x = facts.variables[name];
      if (x === undefined) missing = true;
      return x ?? '';
    });
    if (!missing) out[k] = value;
  }
  return out;
}
