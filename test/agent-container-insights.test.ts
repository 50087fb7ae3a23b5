/**
 * `osprey agent` with Osprey's container input against the real server: a host's cgroup v2 tree
 * (a fixture the test advances: one Docker container using half a core and reading 1 MB/s) becomes
 * Container Insights performance events in /aws/containerinsights/<cluster>/performance, whose
 * embedded metrics GetMetricData reads back in the ContainerInsights namespace with the container's
 * Docker name. A bad container config is refused with its key path.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CgroupV2Fixture } from './helpers/cgroup-fixture.ts';
import { ROOT, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let cw: CloudWatchClient;
let logs: CloudWatchLogsClient;
let dir: string;
let agent: ChildProcess | undefined;

before(async () => {
  server = await startTestServer({ modules: ['cloudwatch', 'logs'] });
  cw = new CloudWatchClient(sdkConfig(server.url));
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  dir = mkdtempSync(join(tmpdir(), 'osprey-ci-'));
});
after(async () => {
  agent?.kill('SIGKILL');
  cw?.destroy();
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const CLI = [join(ROOT, 'bin', 'osprey.js'), 'agent'];
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
const ID = 'ab'.repeat(32);

function writeConfig(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

async function latest(name: string, dims: Dimension[]): Promise<number | undefined> {
  const end = new Date(Date.now() + 5000);
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(end.getTime() - 120_000), EndTime: end, ScanBy: 'TimestampDescending',
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'ContainerInsights', MetricName: name, Dimensions: dims }, Period: 1, Stat: 'Average' } }],
  }));
  return out.MetricDataResults?.[0]?.Values?.[0];
}

test('a Docker container on a plain host: performance events and ContainerInsights metrics by its name', { timeout: 90_000 }, async () => {
  const fx = new CgroupV2Fixture(join(dir, 'host'));
  const web = fx.addDocker(ID, 'web', 'nginx:1.27', { memoryMax: 512 * 2 ** 20 });
  const t0 = Date.now();
  // Half a core of CPU and 1 MB/s of reads, 64 MiB in use of which 16 MiB inactive file pages.
  const advance = () => {
    const ms = Date.now() - t0;
    fx.set(web, { usageUsec: ms * 500, memory: 64 * 2 ** 20, inactiveFile: 16 * 2 ** 20, rbytes: ms * 1000, wbytes: 0 });
  };
  const ticker = setInterval(advance, 20);
  const file = writeConfig('ci.json', {
    agent: { metrics_collection_interval: 2 },
    logs: { force_flush_interval: 1, metrics_collected: { container: { cluster_name: 'shop', cgroup_root: fx.cgroupRoot, docker_root: fx.dockerRoot } } },
  });
  agent = spawn(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', file, '--endpoint', server.url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  agent.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  try {
    const group = '/aws/containerinsights/shop/performance';
    const events = await until('performance events', async () => {
      try {
        const r = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: hostname(), startFromHead: true }));
        const docs = (r.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>);
        return docs.some((d) => d.Type === 'Container') ? docs : undefined;
      } catch {
        return undefined;
      }
    }, 20_000).catch((e: Error) => assert.fail(`${e.message} (agent stderr: ${stderr})`));
    const c = events.find((d) => d.Type === 'Container')!;
    assert.equal(c.ContainerName, 'web');
    assert.equal(c.Image, 'nginx:1.27');
    assert.equal(c.ContainerId, ID);
    assert.equal(c.ClusterName, 'shop');
    assert.equal(c.container_memory_working_set, 48 * 2 ** 20);
    assert.equal(c.container_memory_limit, 512 * 2 ** 20);
    assert.ok(Math.abs((c.container_cpu_usage_total as number) - 500) < 75, `cpu ${String(c.container_cpu_usage_total)} millicores`);
    assert.ok(events.some((d) => d.Type === 'Node' && d.node_number_of_running_containers === 1));

    const dims = [{ Name: 'ContainerName', Value: 'web' }, { Name: 'NodeName', Value: hostname() }, { Name: 'ClusterName', Value: 'shop' }];
    const cpu = await until('container_cpu_utilization', () => latest('container_cpu_utilization', dims), 10_000);
    const expected = 500 / (cpus().length * 1000) * 100;
    assert.ok(Math.abs(cpu - expected) < expected * 0.15, `container_cpu_utilization ${cpu}, expected ~${expected}`);
    const io = await latest('container_diskio_io_service_bytes_total', dims);
    assert.ok(io !== undefined && Math.abs(io - 1e6) < 1.5e5, `diskio ${io}`);
    assert.ok((await until('node_cpu_utilization by cluster', () => latest('node_cpu_utilization', [{ Name: 'ClusterName', Value: 'shop' }]), 10_000)) >= 0);
    assert.ok((await latest('container_memory_utilization', [{ Name: 'ContainerName', Value: 'web' }, { Name: 'ClusterName', Value: 'shop' }]))! > 0);
  } finally {
    clearInterval(ticker);
    agent.kill('SIGTERM');
  }
});

test('container config problems are refused with the key path', () => {
  const run = (cfg: unknown) => spawnSync(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', writeConfig('bad.json', cfg), '--endpoint', server.url], { cwd: ROOT, env, encoding: 'utf8', timeout: 20_000 });
  const noCgroups = run({ metrics: { metrics_collected: { container: { cgroup_root: join(dir, 'nothing-here') } } } });
  assert.equal(noCgroups.status, 2, noCgroups.stderr);
  assert.match(noCgroups.stderr, /Under path : \/metrics\/metrics_collected\/container\/cgroup_root \| Error : no cgroup file system/);
  writeFileSync(join(dir, 'check.json'), JSON.stringify({ logs: { metrics_collected: { container: { cgroup_root: join(dir, 'nothing-here') } } } }));
  const checked = spawnSync(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', join(dir, 'check.json'), '--check-config'], { cwd: ROOT, env, encoding: 'utf8' });
  assert.equal(checked.status, 2, '--check-config finds it too');
  assert.match(checked.stderr, /\/logs\/metrics_collected\/container\/cgroup_root/);
  const unknown = run({ logs: { metrics_collected: { container: { cluster: 'x' } } } });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /Under path : \/logs\/metrics_collected\/container \| Error : Additional property cluster is not allowed/);
  const twice = run({ metrics: { metrics_collected: { container: {} } }, logs: { metrics_collected: { container: {} } } });
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /configure it once/);
  const k8s = run({ logs: { metrics_collected: { kubernetes: { cluster_name: 'x' } } } });
  assert.equal(k8s.status, 2);
  assert.match(k8s.stderr, /Under path : \/logs\/metrics_collected\/kubernetes/);
});
