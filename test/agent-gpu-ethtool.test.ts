/**
 * `osprey agent`'s nvidia_gpu and ethtool inputs against the real server. nvidia_gpu runs the
 * nvidia-smi on PATH — here a stand-in printing what a Tesla T4 reports for the agent's query — and
 * publishes nvidia_smi_<field> by index, name and host; ethtool runs this host's `ethtool -S`
 * (Debian's ethtool) for an interface whose driver has statistics and publishes ethtool_<stat> by
 * interface and driver. Without the tools both publish nothing and the rest of the config runs.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudWatchClient, ListMetricsCommand, type Metric } from '@aws-sdk/client-cloudwatch';
import { ROOT, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let cw: CloudWatchClient;
let dir: string;

before(async () => {
  server = await startTestServer({ modules: ['cloudwatch'] });
  cw = new CloudWatchClient(sdkConfig(server.url));
  dir = mkdtempSync(join(tmpdir(), 'osprey-gpu-'));
});
after(async () => {
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const CLI = [join(ROOT, 'bin', 'osprey.js'), 'agent'];

/** The first interface this host's ethtool has driver statistics for, with them. */
function ethtoolInterface(): { iface: string; stats: string[] } | undefined {
  for (const iface of readdirSync('/sys/class/net').filter((n) => n !== 'lo').sort()) {
    const r = spawnSync(existsSync('/usr/sbin/ethtool') ? '/usr/sbin/ethtool' : 'ethtool', ['-S', iface], { encoding: 'utf8' });
    const stats = r.status === 0 ? [...r.stdout.matchAll(/^\s+([^:]+):\s+\d+$/gm)].map((m) => m[1]!.trim()) : [];
    if (stats.length > 0) return { iface, stats };
  }
  return undefined;
}

async function metrics(namespace: string, name: string): Promise<Metric[] | undefined> {
  const r = await cw.send(new ListMetricsCommand({ Namespace: namespace, MetricName: name }));
  return r.Metrics?.length ? r.Metrics : undefined;
}

const dims = (m: Metric) => Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name, d.Value]));

test('nvidia_gpu from nvidia-smi and ethtool from ethtool -S become the agent\'s metrics with its dimensions', { timeout: 60_000 }, async (t) => {
  const eth = ethtoolInterface();
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  writeFileSync(join(bin, 'nvidia-smi'), '#!/bin/sh\ncase "$1" in --query-gpu=*) echo "0, 87, 45, 15360, 6912, 8448, 3, 16, 0, 0, 0, 1590, 1590, 5000, 1470, 65, 185.32, [N/A], Tesla T4";; *) exit 9;; esac\n');
  chmodSync(join(bin, 'nvidia-smi'), 0o755);
  const config = {
    agent: { metrics_collection_interval: 1 },
    metrics: {
      namespace: 'GpuTest', force_flush_interval: 1,
      metrics_collected: {
        nvidia_gpu: { measurement: ['utilization_gpu', 'nvidia_smi_memory_used', 'fan_speed'] },
        ...(eth ? { ethtool: { interface_include: [eth.iface], metrics_include: eth.stats.slice(0, 2) } } : {}),
      },
    },
  };
  writeFileSync(join(dir, 'gpu.json'), JSON.stringify(config));
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
  const a = spawn(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', join(dir, 'gpu.json'), '--endpoint', server.url], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  a.stderr!.on('data', (b: Buffer) => { stderr += b.toString(); });
  try {
    const [gpu] = await until('nvidia_smi_utilization_gpu', () => metrics('GpuTest', 'nvidia_smi_utilization_gpu'), 15_000).catch((e: Error) => assert.fail(`${e.message}: ${stderr}`));
    assert.deepEqual(dims(gpu!), { host: hostname(), index: '0', name: 'Tesla T4' });
    assert.ok(await until('nvidia_smi_memory_used', () => metrics('GpuTest', 'nvidia_smi_memory_used')));
    assert.equal(await metrics('GpuTest', 'nvidia_smi_fan_speed'), undefined, 'fan_speed was [N/A]');
    assert.equal(await metrics('GpuTest', 'nvidia_smi_temperature_gpu'), undefined, 'not in measurement');
    if (!eth) return t.skip('no interface on this host has ethtool driver statistics (is Debian\'s ethtool installed?)');
    const [stat] = await until(`ethtool_${eth.stats[0]}`, () => metrics('GpuTest', `ethtool_${eth.stats[0]}`), 15_000);
    assert.equal(dims(stat!).interface, eth.iface);
    assert.equal(typeof dims(stat!).driver, 'string');
    assert.equal(await metrics('GpuTest', `ethtool_${eth.stats[2] ?? 'none'}`), undefined, 'not in metrics_include');
  } finally {
    a.kill('SIGTERM');
  }
});

test('an unknown nvidia_gpu measurement is refused with its key path', () => {
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ metrics: { metrics_collected: { nvidia_gpu: { measurement: ['gpu_temp'] } } } }));
  const r = spawnSync(process.execPath, [...CLI, '--state-dir', join(dir, 'state'), '--config', join(dir, 'bad.json'), '--check-config'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /Under path : \/metrics\/metrics_collected\/nvidia_gpu\/measurement\/0 \| Error : nvidia_smi has no measurement gpu_temp/);
});
