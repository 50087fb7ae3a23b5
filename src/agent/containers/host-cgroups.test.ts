// The container input on this host's real cgroups: a busy process moved into a Docker-style cgroup
// (cgroupfs driver, `docker/<id>`) is found and its CPU and memory read from the kernel. Needs root
// and a writable cgroup file system; skipped, saying why, where there is none.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { silentLogger } from '../../lib/logger.ts';
import { hostFacts } from '../host-facts.ts';
import { cgroupLayout } from './cgroup-layout.ts';
import { ContainerInsights } from './container-insights.ts';
import { performanceEvents } from './performance-events.ts';

const ROOT = '/sys/fs/cgroup';
const ID = `${process.pid.toString(16).padStart(8, '0')}${'c'.repeat(56)}`;

/** The directories that make up the test container's cgroup, or why there can be none here. */
function makeCgroup(): string[] | string {
  const layout = cgroupLayout(ROOT);
  if (layout === undefined) return `no cgroup file system at ${ROOT}`;
  const dirs = layout.version === 2 ? [join(ROOT, 'docker', ID)] : [...new Set([layout.cpuacct, layout.memory, layout.cpu])].map((c) => join(c, 'docker', ID));
  const made: string[] = [];
  try {
    for (const d of dirs.reverse()) {
      // The parent too when this test makes it (no Docker here), so it goes again afterwards.
      if (!existsSync(dirname(d))) made.push(dirname(d));
      mkdirSync(d, { recursive: true });
      made.push(d);
    }
  } catch (e) {
    return `cannot create a cgroup here: ${(e as Error).message}`;
  }
  return made;
}

test('a busy process in a docker/<id> cgroup of this host: found, its CPU in millicores, its memory', async (t) => {
  const dirs = makeCgroup();
  if (typeof dirs === 'string') return t.skip(dirs);
  const busy = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(32 << 20, 1); const end = Date.now() + 8000; while (Date.now() < end) b[0]++;'], { stdio: 'ignore' });
  try {
    await new Promise((r) => busy.once('spawn', r));
    for (const d of dirs) if (basename(d) === ID) writeFileSync(join(d, 'cgroup.procs'), String(busy.pid));
    await new Promise((r) => setTimeout(r, 500));
    const insights = new ContainerInsights({ cluster_name: 'host-test' }, '/logs/metrics_collected/container', hostFacts(), {} as CloudWatchLogsClient, silentLogger);
    const before = insights.reading();
    await new Promise((r) => setTimeout(r, 1500));
    const now = insights.reading();
    const events = performanceEvents({ clusterName: 'host-test', nodeName: 'n', instanceId: 'i', instanceType: 't' }, now, before);
    const mine = events.find((e) => e.ContainerId === ID);
    assert.ok(mine, `the container was not found among ${events.length - 1}`);
    assert.equal(mine.ContainerRuntime, 'docker');
    assert.equal(mine.ContainerName, ID.slice(0, 12));
    assert.ok((mine.container_cpu_usage_total as number) > 300, `busy loop at ${String(mine.container_cpu_usage_total)} millicores`);
    assert.ok((mine.container_memory_usage as number) > 32 * 2 ** 20, `memory ${String(mine.container_memory_usage)}`);
    const node = events.find((e) => e.Type === 'Node')!;
    assert.ok((node.node_cpu_usage_total as number) >= (mine.container_cpu_usage_total as number) * 0.8);
  } finally {
    busy.kill('SIGKILL');
    await new Promise((r) => busy.once('exit', r));
    for (const d of dirs.reverse()) {
      for (let i = 0; i < 50 && existsSync(d); i++) {
        try {
          rmdirSync(d);
        } catch {
          await new Promise((r) => setTimeout(r, 50)); // the killed process leaves the cgroup a moment later
        }
      }
    }
  }
});
