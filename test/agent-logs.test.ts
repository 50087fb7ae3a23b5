/**
 * `osprey agent` tailing log files into the real server: lines arrive in order with the timestamps
 * in them; with the server killed for 30 s while 1,000 lines are appended, all 1,000 arrive exactly once when
 * it is back; rotation by rename and by copytruncate loses and repeats nothing; an agent restarted
 * from its checkpoints continues where it stopped; EMF documents on the agent's TCP and UDP
 * endpoints reach their log group.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogStreamsCommand, GetLogEventsCommand, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { ROOT, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

let server: TestServer;
let port: number;
let dir: string;
let agent: ChildProcess | undefined;

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});

const start = (dataDir?: string) => startTestServer({ modules: ['logs', 'cloudwatch'], args: ['--port', String(port)], ...(dataDir ? { dataDir } : {}) });

before(async () => {
  port = await freePort();
  server = await start();
  dir = mkdtempSync(join(tmpdir(), 'osprey-agent-logs-'));
});
after(async () => {
  agent?.kill('SIGKILL');
  await server?.stop();
  server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const config = (file: string, group: string, extra: Record<string, unknown>) => ({
  logs: {
    force_flush_interval: 1,
    logs_collected: { files: { collect_list: [{ file_path: file, log_group_name: group, log_stream_name: 'app-{hostname}', timestamp_format: '%Y-%m-%dT%H:%M:%S.%f%z', timezone: 'UTC', retention_in_days: 14, ...extra }] } },
  },
});

function startAgent(name: string, file: string, group: string, extra: Record<string, unknown> = {}): ChildProcess {
  const cfgFile = join(dir, `${name}.json`);
  writeFileSync(cfgFile, JSON.stringify(config(file, group, extra)));
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
  return spawn(process.execPath, [join(ROOT, 'bin', 'osprey.js'), 'agent', '--config', cfgFile, '--endpoint', `http://127.0.0.1:${port}`, '--state-dir', join(dir, 'state')],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function stopAgent(): Promise<void> {
  const exited = new Promise((resolve) => agent!.once('exit', resolve));
  agent!.kill('SIGTERM');
  assert.equal(await exited, 0);
  agent = undefined;
}

const base = Date.UTC(2026, 11, 5, 10);
const line = (n: number) => `${new Date(base + n * 1000).toISOString()} request ${n} ok\n`;
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => line(from + i)).join('');

async function events(group: string): Promise<OutputLogEvent[]> {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  try {
    const out: OutputLogEvent[] = [];
    let token: string | undefined;
    for (;;) {
      const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: `app-${(await import('node:os')).hostname()}`, startFromHead: true, nextToken: token }));
      out.push(...(page.events ?? []));
      if (!page.events?.length || page.nextForwardToken === token) return out;
      token = page.nextForwardToken;
    }
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return [];
    throw e;
  } finally {
    logs.destroy();
  }
}

/** Waits until the group holds `n` events; they must be requests 0…n-1, each once, in order, with their own timestamps. */
async function expectExactly(group: string, n: number): Promise<void> {
  await until(`${n} events in ${group}`, async () => ((await events(group)).length >= n ? true : undefined), 30_000);
  const got = await events(group);
  assert.equal(got.length, n, 'no event twice');
  got.forEach((e, i) => {
    assert.equal(e.message, line(i).trimEnd());
    assert.equal(e.timestamp, base + i * 1000);
  });
}

test('appended lines arrive in order with their timestamps; the group gets its retention', { timeout: 120_000 }, async () => {
  const file = join(dir, 'basic.log');
  writeFileSync(file, lines(0, 5));
  agent = startAgent('basic', file, '/agent/basic');
  await expectExactly('/agent/basic', 5);
  appendFileSync(file, lines(5, 8));
  appendFileSync(file, line(8).slice(0, 10)); // a partial line waits for its newline
  await expectExactly('/agent/basic', 8);
  appendFileSync(file, line(8).slice(10));
  await expectExactly('/agent/basic', 9);
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const [g] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/agent/basic' }))).logGroups!;
  logs.destroy();
  assert.equal(g!.retentionInDays, 14);
  await stopAgent();
});

test('the server killed for 30 s while 1,000 lines are appended: all arrive exactly once when it is back', { timeout: 180_000 }, async () => {
  const file = join(dir, 'outage.log');
  writeFileSync(file, lines(0, 10));
  agent = startAgent('outage', file, '/agent/outage');
  await expectExactly('/agent/outage', 10);
  const dataDir = server.dataDir;
  await server.kill();
  // The outage: 30 s, the agent's backoff reaching its 10 s ceiling meanwhile.
  for (let i = 10; i < 1010; i += 100) {
    appendFileSync(file, lines(i, i + 100));
    await new Promise((r) => setTimeout(r, 3000));
  }
  server = await start(dataDir);
  await expectExactly('/agent/outage', 1010);
  await stopAgent();
});

test('rotation by rename and by copytruncate loses and repeats nothing; a restarted agent resumes from its checkpoint', { timeout: 180_000 }, async () => {
  const file = join(dir, 'rotating.log');
  writeFileSync(file, lines(0, 100));
  agent = startAgent('rotating', file, '/agent/rotating');
  await expectExactly('/agent/rotating', 100);
  appendFileSync(file, lines(100, 150));
  renameSync(file, `${file}.1`); // logrotate's default: rename, then a new file
  writeFileSync(file, lines(150, 200));
  await expectExactly('/agent/rotating', 200);
  appendFileSync(file, lines(200, 250));
  await expectExactly('/agent/rotating', 250);
  copyFileSync(file, `${file}.2`); // copytruncate
  truncateSync(file, 0);
  appendFileSync(file, lines(250, 300));
  await expectExactly('/agent/rotating', 300);

  await stopAgent();
  appendFileSync(file, lines(300, 340));
  agent = startAgent('rotating', file, '/agent/rotating');
  await expectExactly('/agent/rotating', 340);
  await stopAgent();
});

test('auto_removal: a dated file is deleted once it is delivered and a newer one took over; the newer one is kept', { timeout: 60_000 }, async () => {
  mkdirSync(join(dir, 'dated'));
  const old = join(dir, 'dated', 'app-2026-12-05.log');
  const next = join(dir, 'dated', 'app-2026-12-06.log');
  writeFileSync(old, lines(0, 20));
  agent = startAgent('dated', join(dir, 'dated', 'app-*.log'), '/agent/dated', { auto_removal: true });
  await expectExactly('/agent/dated', 20);
  assert.ok(existsSync(old), 'the newest file is not removed, even when delivered');
  writeFileSync(next, lines(20, 30));
  utimesSync(next, new Date(), new Date(Date.now() + 10_000));
  await expectExactly('/agent/dated', 30);
  await until('the delivered old file removed', () => (existsSync(old) ? undefined : true), 15_000);
  assert.ok(existsSync(next));
  await stopAgent();
});

test('EMF documents on the agent\'s TCP and UDP endpoints reach their log group (and the server extracts their metrics)', { timeout: 60_000 }, async () => {
  const tcpPort = await freePort();
  const udpPort = await freePort();
  const emfConfig = (service_address: string) => ({ logs: { force_flush_interval: 1, log_stream_name: 'emf-{hostname}', metrics_collected: { emf: { service_address } } } });
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'us-east-1' };
  const run = (name: string, address: string) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(emfConfig(address)));
    return spawn(process.execPath, [join(ROOT, 'bin', 'osprey.js'), 'agent', '--config', file, '--endpoint', `http://127.0.0.1:${port}`, '--state-dir', join(dir, 'state-emf')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  };
  const tcpAgent = run('emf-tcp', `tcp://127.0.0.1:${tcpPort}`);
  const udpAgent = run('emf-udp', `udp://127.0.0.1:${udpPort}`);
  const ready = (a: ChildProcess) => new Promise<void>((resolve) => a.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('collecting logs')) resolve(); }));
  try {
    await Promise.all([ready(tcpAgent), ready(udpAgent)]);
    const doc = (n: number) => JSON.stringify({ _aws: { Timestamp: Date.now(), LogGroupName: 'emf-orders', CloudWatchMetrics: [{ Namespace: 'AgentEmf', Dimensions: [['Service']], Metrics: [{ Name: 'Latency', Unit: 'Milliseconds' }] }] }, Service: 'orders', Latency: n });
    await new Promise<void>((resolve, reject) => {
      const s = connect(tcpPort, '127.0.0.1', () => s.end(`${doc(10)}\n${doc(20)}\n`, () => resolve()));
      s.on('error', reject);
    });
    const u = createSocket('udp4');
    await new Promise<void>((resolve) => u.send(doc(30), udpPort, '127.0.0.1', () => resolve()));
    u.close();
    const logs = new CloudWatchLogsClient(sdkConfig(server.url));
    try {
      await until('3 EMF events', async () => {
        const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'emf-orders' })).catch(() => ({ logStreams: [] }))).logStreams ?? [];
        let n = 0;
        for (const s of streams) n += (await logs.send(new GetLogEventsCommand({ logGroupName: 'emf-orders', logStreamName: s.logStreamName, startFromHead: true }))).events?.length ?? 0;
        return n === 3 ? true : undefined;
      }, 20_000);
    } finally {
      logs.destroy();
    }
    const cw = new CloudWatchClient(sdkConfig(server.url));
    try {
      await until('the EMF metric', async () => ((await cw.send(new ListMetricsCommand({ Namespace: 'AgentEmf' }))).Metrics?.length ? true : undefined), 10_000);
    } finally {
      cw.destroy();
    }
  } finally {
    tcpAgent.kill('SIGTERM');
    udpAgent.kill('SIGTERM');
  }
});
