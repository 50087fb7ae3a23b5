// Osprey's self-monitoring (issue 24): `GET /metrics` in Prometheus text format — API calls by
// service/operation/outcome/error code, ingest, outbox, process — checked by promtool and scraped by
// Debian's Prometheus 2.42; and the same figures as CloudWatch metrics under Osprey/Server, where an
// alarm on the outbox age fires while an SNS subscriber is down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogStreamsCommand, PutLogEventsCommand, CreateLogStreamCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, ListMetricsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { SNSClient, CreateTopicCommand, ListSubscriptionsByTopicCommand, PublishCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';
import { ACCOUNT, OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { until } from './helpers/until.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'cloudwatch', 'sns'],
    env: { OSPREY_SELF_MONITORING: 'true', OSPREY_SELF_MONITORING_INTERVAL: '1', OSPREY_DELIVERY_POLL_MS: '100', OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS },
  });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const A = { accessKeyId: 'test', secretAccessKey: 'test' };
const B = OTHER;
const clientConfig = (k: { accessKeyId: string; secretAccessKey: string }) => ({ ...sdkConfig(server.url), credentials: k });

async function scrape(): Promise<{ type: string; text: string }> {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  return { type: res.headers.get('content-type') ?? '', text: await res.text() };
}

/** The value of one sample line `name{labels} value` whose labels include all of `want`. */
function sample(text: string, name: string, want: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labels = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    if (Object.entries(want).every(([k, v]) => labels.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test('/metrics counts API calls by service, operation, outcome and error code, and ingest by table; no account appears', async () => {
  const logs = new CloudWatchLogsClient(clientConfig(A));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/self/a' }));
  await assert.rejects(logs.send(new CreateLogGroupCommand({ logGroupName: '/self/a' })), { name: 'ResourceAlreadyExistsException' });
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/self/a', logStreamName: 's' }));
  await logs.send(new PutLogEventsCommand({ logGroupName: '/self/a', logStreamName: 's', logEvents: [{ timestamp: Date.now(), message: 'hello' }, { timestamp: Date.now(), message: 'world' }] }));
  await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/self/a' }));

  const { type, text } = await scrape();
  assert.match(type, /^text\/plain; version=0\.0\.4/);
  assert.equal(sample(text, 'osprey_api_requests_total', { service: 'logs', operation: 'CreateLogGroup', outcome: 'ok' }), 1);
  assert.equal(sample(text, 'osprey_api_requests_total', { service: 'logs', operation: 'CreateLogGroup', outcome: 'client_error', error_code: 'ResourceAlreadyExistsException' }), 1);
  assert.equal(sample(text, 'osprey_api_request_duration_seconds_count', { service: 'logs', operation: 'PutLogEvents', outcome: 'ok' }), 1);
  assert.ok(sample(text, 'osprey_ingest_rows_total', { table: 'log_events' })! >= 2);
  assert.ok(sample(text, 'osprey_ingest_bytes_total', { table: 'log_events' })! > 0);
  assert.ok(sample(text, 'osprey_wal_segments', { table: 'log_events' })! >= 1);
  assert.ok(sample(text, 'process_resident_memory_bytes', {})! > 10_000_000);
  assert.ok(text.includes('nodejs_eventloop_lag_seconds'));
  // Tenant data stays out: no account ids, no resource names.
  assert.ok(!text.includes(`"${ACCOUNT}"`) && !text.includes('/self/a'), 'no account or log group name in /metrics');

  // promtool (Prometheus's own checker) accepts the exposition.
  if (existsSync('/usr/bin/promtool')) {
    const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    // Lint findings (exit 3) are about naming style only; exit 1 is a parse error.
    assert.notEqual(r.status, 1, `promtool: ${r.stdout}${r.stderr}`);
  }
});

test("Debian's Prometheus 2.42 scrapes /metrics", { timeout: 60_000 }, async (t) => {
  if (!existsSync('/usr/bin/prometheus')) return t.skip('/usr/bin/prometheus is missing (CI installs Debian\'s prometheus package)');
  const dir = mkdtempSync(join(tmpdir(), 'osprey-prom-'));
  const port = await freePort();
  const target = new URL(server.url).host;
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: osprey\n    static_configs:\n      - targets: ['${target}']\n`);
  const prom = spawn('/usr/bin/prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
  ], { stdio: 'ignore' });
  try {
    const query = async (q: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(q)}`).catch(() => undefined);
      if (!res?.ok) return undefined;
      const body = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return body.data.result;
    };
    await until('prometheus reports the target up', async () => ((await query('up{job="osprey"}'))?.[0]?.value[1] === '1' ? true : undefined), 30_000);
    const series = await until('an osprey_ series in prometheus', async () => {
      const r = await query('osprey_api_requests_total{operation="CreateLogGroup"}');
      return r && r.length > 0 ? r : undefined;
    }, 15_000);
    assert.ok(series.some((s) => s.metric.outcome === 'client_error' && s.metric.error_code === 'ResourceAlreadyExistsException'));
  } finally {
    prom.kill('SIGTERM');
    await new Promise((r) => prom.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('Osprey/Server: an alarm on the outbox age fires while an SNS subscriber is down; only the configured account sees it', { timeout: 60_000 }, async () => {
  const sns = new SNSClient(clientConfig(A));
  const cw = new CloudWatchClient(clientConfig(A));
  const receiver = await listen();
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'self-alerts' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'http', Endpoint: endpoint }));
  await until('confirmed subscription', async () => {
    const subs = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
    return subs.Subscriptions?.[0]?.SubscriptionArn?.startsWith('arn:aws:sns:') ? true : undefined;
  });
  await new Promise<void>((r) => receiver.close(() => r()));

  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'osprey-outbox-stuck', Namespace: 'Osprey/Server', MetricName: 'OutboxOldestAgeSeconds', Statistic: 'Maximum',
    Period: 60, EvaluationPeriods: 1, Threshold: 2, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  await sns.send(new PublishCommand({ TopicArn, Message: 'nobody is listening' }));
  const alarm = await until('the outbox-age alarm in ALARM', async () => {
    const r = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['osprey-outbox-stuck'] }));
    return r.MetricAlarms?.[0]?.StateValue === 'ALARM' ? r.MetricAlarms[0] : undefined;
  }, 20_000);
  assert.match(alarm.StateReason ?? '', /greater than the threshold \(2\.0\)/);

  const listed = await cw.send(new ListMetricsCommand({ Namespace: 'Osprey/Server' }));
  const names = new Set(listed.Metrics?.map((m) => m.MetricName));
  for (const n of ['OutboxDepth', 'OutboxOldestAgeSeconds', 'ApiRequests', 'ApiLatency', 'IngestRows', 'RSS']) assert.ok(names.has(n), `${n} is listed`);
  const now = Date.now();
  const data = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(now - 300_000), EndTime: new Date(now + 60_000),
    MetricDataQueries: [{ Id: 'depth', MetricStat: { Metric: { Namespace: 'Osprey/Server', MetricName: 'OutboxDepth' }, Period: 60, Stat: 'Maximum' } }],
  }));
  assert.ok(Math.max(...(data.MetricDataResults?.[0]?.Values ?? [0])) >= 1, 'the undelivered notification is counted');

  const other = await new CloudWatchClient(clientConfig(B)).send(new ListMetricsCommand({ Namespace: 'Osprey/Server' }));
  assert.equal(other.Metrics?.length ?? 0, 0, 'another account does not get Osprey/Server');
});

function listen(): Promise<Server> {
  return new Promise((resolve) => {
    const s = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const m = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Type: string; SubscribeURL?: string };
        if (m.Type === 'SubscriptionConfirmation') void fetch(m.SubscribeURL!);
        res.end();
      });
    }).listen(0, '127.0.0.1', () => resolve(s));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

test('a browser opening /metrics gets the console page of that name; Prometheus and curl get the exposition text', async () => {
  const html = await fetch(`${server.url}/metrics?range=3h`, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
  assert.equal(html.status, 200);
  assert.match(html.headers.get('content-type') ?? '', /text\/html/);
  const prom = await fetch(`${server.url}/metrics`, { headers: { accept: 'application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1' } });
  assert.match(await prom.text(), /osprey_api_requests_total/);
});
