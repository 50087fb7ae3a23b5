/**
 * `osprey agent`'s collectd input against Debian's collectd 5 (its network plugin, the real
 * client): values from the load and memory plugins, sent encrypted with a user and password the
 * agent's collectd_auth_file knows, become collectd_<plugin>_<data source> metrics with the
 * agent's dimensions (host, instance, type, type_instance). A collectd sending plain packets is
 * refused at the agent's default security level (encrypt), and the agent says why.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { ROOT, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const COLLECTD = '/usr/sbin/collectd';
let server: TestServer;
let cw: CloudWatchClient;
let dir: string;
const children: ChildProcess[] = [];

before(async () => {
  server = await startTestServer({ modules: ['cloudwatch'] });
  cw = new CloudWatchClient(sdkConfig(server.url));
  dir = mkdtempSync(join(tmpdir(), 'osprey-collectd-'));
});
after(async () => {
  for (const c of children) c.kill('SIGKILL');
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** collectd in the foreground sending load and memory every second to the agent. */
function collectd(name: string, port: number, security: string): ChildProcess {
  const conf = join(dir, `${name}.conf`);
  writeFileSync(conf, [
    `Hostname "${name}"`, 'FQDNLookup false', 'Interval 1', 'TypesDB "/usr/share/collectd/types.db"',
    'LoadPlugin load', 'LoadPlugin memory', 'LoadPlugin network',
    '<Plugin network>', `  <Server "127.0.0.1" "${port}">`, `    SecurityLevel ${security}`, '    Username "osprey"', '    Password "s3cret"', '  </Server>', '</Plugin>', '',
  ].join('\n'));
  const c = spawn(COLLECTD, ['-f', '-C', conf, '-P', join(dir, `${name}.pid`)], { stdio: 'ignore' });
  children.push(c);
  return c;
}

test('collectd\'s encrypted packets become collectd_* metrics with host, type and type_instance; plain ones are refused', { timeout: 60_000 }, async (t) => {
  if (!existsSync(COLLECTD)) return t.skip('collectd is not installed (Debian collectd-core)');
  const port = 26000 + Math.floor(Math.random() * 3000);
  writeFileSync(join(dir, 'auth_file'), 'osprey: s3cret\n');
  writeFileSync(join(dir, 'agent.json'), JSON.stringify({
    metrics: {
      namespace: 'CollectdTest', force_flush_interval: 1,
      metrics_collected: { collectd: { service_address: `udp://127.0.0.1:${port}`, collectd_auth_file: join(dir, 'auth_file'), metrics_aggregation_interval: 1 } },
    },
  }));
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
  const agent = spawn(process.execPath, [join(ROOT, 'bin', 'osprey.js'), 'agent', '--state-dir', join(dir, 'state'), '--config', join(dir, 'agent.json'), '--endpoint', server.url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(agent);
  let out = '';
  agent.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  agent.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  await until('the agent', () => (out.includes('collecting metrics') ? true : undefined), 15_000);
  collectd('secure-host', port, 'Encrypt');
  collectd('plain-host', port, 'None');

  const list = (name: string) => cw.send(new ListMetricsCommand({ Namespace: 'CollectdTest', MetricName: name })).then((r) => (r.Metrics?.length ? r.Metrics : undefined));
  const load = await until('collectd_load_shortterm', () => list('collectd_load_shortterm'), 20_000).catch((e: Error) => assert.fail(`${e.message}\n${out}`));
  assert.deepEqual(load.map((m) => Object.fromEntries(m.Dimensions!.map((d) => [d.Name, d.Value]))), [{ host: 'secure-host', type: 'load' }]);
  assert.ok(await list('collectd_load_longterm'));
  const used = (await until('collectd_memory_value', () => list('collectd_memory_value'))).find((m) => m.Dimensions!.some((d) => d.Name === 'type_instance' && d.Value === 'used'));
  assert.ok(used, 'memory used');
  const end = new Date(Date.now() + 5000);
  const r = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(end.getTime() - 120_000), EndTime: end,
    MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: used, Period: 60, Stat: 'Maximum' } }],
  }));
  assert.ok((r.MetricDataResults![0]!.Values![0] ?? 0) > 1e6, 'bytes of memory in use');
  assert.match(out, /plain packet where collectd_security_level is encrypt/);
  assert.ok(!(await cw.send(new ListMetricsCommand({ Namespace: 'CollectdTest', Dimensions: [{ Name: 'host', Value: 'plain-host' }] }))).Metrics?.length);
  agent.kill('SIGTERM');
});
