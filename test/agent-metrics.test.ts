/**
 * `osprey agent` against the real server: a config collecting cpu, mem, disk, swap, netstat and
 * processes every second publishes CWAgent metrics with the `host` dimension (and the
 * aggregation_dimensions copies) that GetMetricData reads back within seconds, matching what
 * /proc says; an invalid config is refused with the key path; SIGTERM sends what is queued.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type Dimension } from '@aws-sdk/client-cloudwatch';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ROOT, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let cw: CloudWatchClient;
let dir: string;
let agent: ChildProcess | undefined;

before(async () => {
  server = await startTestServer({ modules: ['cloudwatch', 'ssm'] });
  cw = new CloudWatchClient(sdkConfig(server.url));
  dir = mkdtempSync(join(tmpdir(), 'osprey-agent-'));
});
after(async () => {
  agent?.kill('SIGKILL');
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const CLI = [join(ROOT, 'bin', 'osprey.js'), 'agent'];
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };

function writeConfig(name: string, config: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const CONFIG = {
  agent: { metrics_collection_interval: 1 },
  metrics: {
    force_flush_interval: 2,
    append_dimensions: { InstanceId: '${aws:InstanceId}' },
    aggregation_dimensions: [['InstanceId']],
    metrics_collected: {
      cpu: { measurement: ['cpu_usage_active', 'usage_idle'], totalcpu: true },
      mem: { measurement: ['mem_used_percent', { name: 'mem_total', rename: 'MemoryTotal', unit: 'Bytes' }] },
      disk: { measurement: ['used_percent'], resources: ['/'] },
      swap: { measurement: ['swap_used_percent'] },
      netstat: { measurement: ['tcp_established'] },
      processes: { measurement: ['total'] },
    },
  },
};

/** The latest value of a CWAgent metric with these dimensions, over the last minute at 1 s. */
async function latest(name: string, dims: Dimension[]): Promise<number | undefined> {
  const end = new Date(Date.now() + 5000);
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(end.getTime() - 120_000), EndTime: end, ScanBy: 'TimestampDescending',
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'CWAgent', MetricName: name, Dimensions: dims }, Period: 1, Stat: 'Average' } }],
  }));
  return out.MetricDataResults?.[0]?.Values?.[0];
}

function memUsedPercent(): number {
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0);
  const total = kb('MemTotal');
  return (100 * (total - kb('MemFree') - kb('Buffers') - kb('Cached') - kb('SReclaimable'))) / total;
}

test('host metrics from the agent config arrive within seconds, with the host dimension, matching /proc', { timeout: 120_000 }, async () => {
  const file = writeConfig('agent.json', CONFIG);
  const started = Date.now();
  agent = spawn(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', file, '--endpoint', server.url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  agent.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  const host = [{ Name: 'InstanceId', Value: hostname() }, { Name: 'host', Value: hostname() }];
  const names = ['cpu_usage_active', 'cpu_usage_idle', 'mem_used_percent', 'MemoryTotal', 'disk_used_percent', 'swap_used_percent', 'netstat_tcp_established', 'processes_total'];
  await until(`all of ${names.join(', ')}`, async () => {
    const listed = (await cw.send(new ListMetricsCommand({ Namespace: 'CWAgent' }))).Metrics ?? [];
    const found = names.every((n) => listed.some((m) => m.MetricName === n && m.Dimensions?.some((d) => d.Name === 'host' && d.Value === hostname())));
    return found ? true : undefined;
  }, 15_000).catch((e: Error) => assert.fail(`${e.message} (agent stderr: ${stderr})`));
  assert.ok(Date.now() - started < 15_000);

  const mem = await latest('mem_used_percent', host);
  assert.ok(mem !== undefined && Math.abs(mem - memUsedPercent()) < 2, `mem_used_percent ${mem} vs /proc ${memUsedPercent()}`);
  const fs = statfsSync('/');
  const used = (fs.blocks - fs.bfree) * fs.bsize;
  const diskPct = (100 * used) / (used + fs.bavail * fs.bsize);
  const root = (await cw.send(new ListMetricsCommand({ Namespace: 'CWAgent', MetricName: 'disk_used_percent', Dimensions: [{ Name: 'path', Value: '/' }] }))).Metrics!.find((m) => m.Dimensions!.length === 5)!;
  assert.deepEqual(root.Dimensions!.map((d) => d.Name).sort(), ['InstanceId', 'device', 'fstype', 'host', 'path']);
  const disk = await latest('disk_used_percent', root.Dimensions!);
  assert.ok(disk !== undefined && Math.abs(disk - diskPct) < 2, `disk_used_percent ${disk} vs statfs ${diskPct}`);
  const procs = await latest('processes_total', host);
  const actual = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).length;
  // A count a second apart, while other test files start and stop servers, agents and tools.
  assert.ok(procs !== undefined && Math.abs(procs - actual) <= Math.max(8, actual * 0.1), `processes_total ${procs} vs /proc ${actual}`);
  const cpu = await latest('cpu_usage_active', [{ Name: 'InstanceId', Value: hostname() }, { Name: 'cpu', Value: 'cpu-total' }, { Name: 'host', Value: hostname() }]);
  assert.ok(cpu !== undefined && cpu >= 0 && cpu <= 100);
  const total = await latest('MemoryTotal', host);
  assert.equal(total, Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))![1]) * 1024);
  // The aggregation_dimensions copy: InstanceId alone.
  assert.ok((await latest('mem_used_percent', [{ Name: 'InstanceId', Value: hostname() }])) !== undefined);

  const exited = new Promise<number | null>((resolve) => agent!.once('exit', resolve));
  agent.kill('SIGTERM');
  assert.equal(await exited, 0);
  agent = undefined;
});

test('an invalid config is refused with the key path, before anything runs', () => {
  const bad = writeConfig('bad.json', { metrics: { metrics_collected: { cpu: { measurement: ['usage_active'], totalcpus: true }, mem: { measurement: ['mem_bogus'] } } } });
  const r = spawnSync(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', bad, '--check-config'], { cwd: ROOT, env, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Under path : \/metrics\/metrics_collected\/cpu \| Error : Additional property totalcpus is not allowed/);
  const unknownField = writeConfig('bad2.json', { metrics: { metrics_collected: { mem: { measurement: ['mem_bogus'] } } } });
  const r2 = spawnSync(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', unknownField, '--check-config'], { cwd: ROOT, env, encoding: 'utf8' });
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /Under path : \/metrics\/metrics_collected\/mem\/measurement\/0 \| Error : mem has no measurement mem_bogus/);
  const ok = spawnSync(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', writeConfig('ok.json', CONFIG), '--check-config'], { cwd: ROOT, env, encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /config valid: namespace CWAgent; cpu every 1s \(2 metrics\)/);
});

test('a StatsD counter sent with `nc -u` becomes a metric with its metric_type and tags; a timing a distribution', { timeout: 60_000 }, async () => {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const file = writeConfig('statsd.json', { metrics: { namespace: 'StatsdTest', force_flush_interval: 1, metrics_collected: { statsd: { service_address: `127.0.0.1:${port}`, metrics_collection_interval: 1 } } } });
  const a = spawn(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', file, '--endpoint', server.url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await until('the StatsD listener', () => new Promise<true | undefined>((resolve) => {
      a.stdout!.once('data', (b: Buffer) => resolve(b.toString().includes('collecting metrics') ? true : undefined));
      setTimeout(() => resolve(undefined), 500);
    }), 15_000);
    const nc = spawnSync('nc', ['-u', '-w1', '127.0.0.1', String(port)], { input: 'checkout.orders:1|c|#env:prod\ncheckout.orders:2|c|#env:prod\ncheckout.latency:20|ms\ncheckout.latency:40|ms\n' });
    assert.equal(nc.status, 0, nc.stderr?.toString());
    const dims = [{ Name: 'env', Value: 'prod' }, { Name: 'host', Value: hostname() }, { Name: 'metric_type', Value: 'counter' }];
    const sum = await until('checkout_orders', async () => {
      const end = new Date(Date.now() + 5000);
      const out = await cw.send(new GetMetricDataCommand({
        StartTime: new Date(end.getTime() - 120_000), EndTime: end,
        MetricDataQueries: [
          { Id: 'c', MetricStat: { Metric: { Namespace: 'StatsdTest', MetricName: 'checkout_orders', Dimensions: dims }, Period: 60, Stat: 'Sum' } },
          { Id: 't', MetricStat: { Metric: { Namespace: 'StatsdTest', MetricName: 'checkout_latency', Dimensions: [{ Name: 'host', Value: hostname() }, { Name: 'metric_type', Value: 'timing' }] }, Period: 60, Stat: 'SampleCount' } },
        ],
      }));
      const c = out.MetricDataResults!.find((r) => r.Id === 'c')!.Values!.reduce((x, y) => x + y, 0);
      const t = out.MetricDataResults!.find((r) => r.Id === 't')!.Values!.reduce((x, y) => x + y, 0);
      return c === 3 && t === 2 ? c : undefined;
    }, 15_000);
    assert.equal(sum, 3);
  } finally {
    a.kill('SIGTERM');
  }
});

test('--config ssm:NAME reads the config from Parameter Store; SIGHUP reloads it (an invalid one is refused, the old one kept)', { timeout: 90_000 }, async () => {
  const ssm = new SSMClient(sdkConfig(server.url));
  const one = { agent: { metrics_collection_interval: 1 }, metrics: { namespace: 'FromSsm1', force_flush_interval: 1, metrics_collected: { mem: { measurement: ['used_percent'] } } } };
  await ssm.send(new PutParameterCommand({ Name: 'AmazonCloudWatch-linux', Type: 'String', Value: JSON.stringify(one) }));
  const a = spawn(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', 'ssm:AmazonCloudWatch-linux', '--endpoint', server.url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  a.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  const inNamespace = (ns: string) => until(`metrics in ${ns}`, async () => ((await cw.send(new ListMetricsCommand({ Namespace: ns }))).Metrics?.length ? true : undefined), 20_000);
  try {
    await inNamespace('FromSsm1');
    await ssm.send(new PutParameterCommand({ Name: 'AmazonCloudWatch-linux', Type: 'String', Overwrite: true, Value: '{"metrics": {"metrics_collected": {"mem": {"measurement": ["bogus"]}}}}' }));
    a.kill('SIGHUP');
    await until('the refusal', () => (out.includes('the new config is not valid') ? true : undefined), 10_000);
    await ssm.send(new PutParameterCommand({ Name: 'AmazonCloudWatch-linux', Type: 'String', Overwrite: true, Value: JSON.stringify({ ...one, metrics: { ...one.metrics, namespace: 'FromSsm2' } }) }));
    a.kill('SIGHUP');
    await inNamespace('FromSsm2');
    const missing = spawnSync(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', 'ssm:NoSuchParameter', '--endpoint', server.url, '--check-config'], { cwd: ROOT, env, encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Cannot read the config parameter NoSuchParameter: ParameterNotFound/);
  } finally {
    a.kill('SIGTERM');
    ssm.destroy();
  }
});
