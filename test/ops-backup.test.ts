/**
 * `osprey backup` / `osprey restore` against a running server (issue 24): a backup taken during
 * ingest restores to a data directory that answers the same queries; restore refuses what it must;
 * only the admin account may trigger a backup.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, PutLogEventsCommand,
  paginateFilterLogEvents, GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CloudWatchClient, DescribeAlarmsCommand, GetDashboardCommand, GetMetricStatisticsCommand, PutDashboardCommand,
  PutMetricAlarmCommand, PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { OTHER, TWO_ACCOUNT_KEYS } from './helpers/accounts.ts';
import { osprey } from './helpers/osprey-cli.ts';
import { signedFetch } from './helpers/signed.ts';
import { sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';

const MODULES = ['logs', 'cloudwatch', 'sqs'];
const DASHBOARD = JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 3, properties: { markdown: 'ops' } }] });
const scratch = mkdtempSync(join(tmpdir(), 'osprey-ops-'));
let server: TestServer;

before(async () => {
  // `osprey backup` covers the embedded stores (PostgreSQL metadata is pg_dump's, and the server
  // refuses with that advice): on SQLite even when the run is on PostgreSQL.
  // SQS checkpoints every 10 minutes here: the backup must take the messages from the journal.
  server = await startTestServer({ modules: MODULES, env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS, OSPREY_METADATA_URL: '', OSPREY_SQS_CHECKPOINT_MS: '600000' } });
});

after(async () => {
  await server.stop();
  server.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** Counts every event of a stream from the head (GetLogEvents pages until the token repeats). */
async function countStream(logs: CloudWatchLogsClient, logGroupName: string, logStreamName: string): Promise<number> {
  let n = 0;
  let token: string | undefined;
  for (;;) {
    const r = await logs.send(new GetLogEventsCommand({ logGroupName, logStreamName, startFromHead: true, nextToken: token }));
    n += r.events?.length ?? 0;
    if (r.nextForwardToken === token) return n;
    token = r.nextForwardToken;
  }
}

async function countFiltered(logs: CloudWatchLogsClient, logGroupName: string): Promise<number> {
  let n = 0;
  for await (const page of paginateFilterLogEvents({ client: logs }, { logGroupName })) n += page.events?.length ?? 0;
  return n;
}

async function sampleCount(cw: CloudWatchClient, now: number): Promise<number> {
  const r = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Ops', MetricName: 'Ticks', StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 600_000), Period: 60, Statistics: ['SampleCount'],
  }));
  return (r.Datapoints ?? []).reduce((s, d) => s + (d.SampleCount ?? 0), 0);
}

test('a backup taken during ingest restores to a data directory that answers the same queries', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'ops/app' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'ops/app', logStreamName: 'web-1' }));
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'ops-high', Namespace: 'Ops', MetricName: 'Ticks', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1e9, ComparisonOperator: 'GreaterThanThreshold',
  }));
  await cw.send(new PutDashboardCommand({ DashboardName: 'ops-main', DashboardBody: DASHBOARD }));
  const sqs = new SQSClient(sdkConfig(server.url));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'ops-jobs' }));

  // Ingest runs on until the backup has returned; the counts are of acknowledged (200) requests.
  // SQS messages live in memory and a journal checkpointed into SQLite: the backup must hold the
  // ones acknowledged since the last checkpoint too.
  const acked = { logs: 0, metrics: 0, messages: 0 };
  let stop = false;
  const logLoop = (async () => {
    for (let i = 0; !stop; i++) {
      const logEvents = Array.from({ length: 200 }, (_, j) => ({ timestamp: Date.now(), message: `request ${i}-${j} status=200` }));
      await logs.send(new PutLogEventsCommand({ logGroupName: 'ops/app', logStreamName: 'web-1', logEvents }));
      acked.logs += logEvents.length;
    }
  })();
  const metricLoop = (async () => {
    while (!stop) {
      const MetricData = Array.from({ length: 20 }, () => ({ MetricName: 'Ticks', Value: 1, Timestamp: new Date() }));
      await cw.send(new PutMetricDataCommand({ Namespace: 'Ops', MetricData }));
      acked.metrics += MetricData.length;
    }
  })();
  const sqsLoop = (async () => {
    for (let i = 0; !stop; i++) {
      const Entries = Array.from({ length: 10 }, (_, j) => ({ Id: `m${j}`, MessageBody: `job ${i}-${j}` }));
      await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries }));
      acked.messages += Entries.length;
    }
  })();
  while (acked.logs < 4000 || acked.metrics < 400 || acked.messages < 500) await new Promise((r) => setTimeout(r, 50));

  const before = { ...acked };
  const to = join(scratch, 'mid-ingest');
  const backup = await osprey(['backup', '--to', to, '--endpoint', server.url]);
  stop = true;
  await Promise.all([logLoop, metricLoop, sqsLoop]);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /backup written to .*mid-ingest by the server at/);
  assert.ok(acked.logs > before.logs, 'ingest went on while the backup ran');

  const restoredDir = join(scratch, 'restored');
  const restore = await osprey(['restore', '--from', to, '--data-dir', restoredDir]);
  assert.equal(restore.code, 0, restore.stderr);
  const restored = await startTestServer({ modules: MODULES, dataDir: restoredDir, env: { OSPREY_ACCESS_KEYS: TWO_ACCOUNT_KEYS, OSPREY_METADATA_URL: '' } });
  try {
    const logs2 = new CloudWatchLogsClient(sdkConfig(restored.url));
    const cw2 = new CloudWatchClient(sdkConfig(restored.url));
    const now = Date.now();
    const [events, filtered, samples] = [await countStream(logs2, 'ops/app', 'web-1'), await countFiltered(logs2, 'ops/app'), await sampleCount(cw2, now)];
    assert.ok(events >= before.logs, `GetLogEvents: ${events} events restored, ${before.logs} acknowledged before the backup`);
    assert.ok(events <= acked.logs, `no event appears twice: ${events} ≤ ${acked.logs}`);
    assert.equal(filtered, events, 'FilterLogEvents sees the same events');
    assert.ok(samples >= before.metrics, `GetMetricStatistics: ${samples} samples restored, ${before.metrics} acknowledged before the backup`);
    assert.deepEqual((await logs2.send(new DescribeLogGroupsCommand({}))).logGroups?.map((g) => g.logGroupName), ['ops/app']);
    assert.deepEqual((await cw2.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => [a.AlarmName, a.Threshold]), [['ops-high', 1e9]]);
    assert.equal((await cw2.send(new GetDashboardCommand({ DashboardName: 'ops-main' }))).DashboardBody, DASHBOARD);
    const sqs2 = new SQSClient(sdkConfig(restored.url));
    const attrs = await sqs2.send(new GetQueueAttributesCommand({ QueueUrl: QueueUrl!.replace(server.url, restored.url), AttributeNames: ['ApproximateNumberOfMessages'] }));
    const messages = Number(attrs.Attributes?.ApproximateNumberOfMessages);
    assert.ok(messages >= before.messages && messages <= acked.messages, `SQS: ${messages} messages restored, ${before.messages} acknowledged before the backup, ${acked.messages} in all`);
    // Restored rows keep their account: the other account still sees none of them.
    const other = new CloudWatchLogsClient({ ...sdkConfig(restored.url), credentials: OTHER });
    assert.deepEqual((await other.send(new DescribeLogGroupsCommand({}))).logGroups, []);
  } finally {
    await restored.stop();
  }
});

test('restore refuses a non-empty target, a target a server holds, and a tampered backup', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'ops/refusals' }));
  const from = join(scratch, 'refusals');
  assert.equal((await osprey(['backup', '--to', from, '--endpoint', server.url])).code, 0);

  const full = mkdtempSync(join(scratch, 'full-'));
  writeFileSync(join(full, 'precious.txt'), 'keep me');
  const notEmpty = await osprey(['restore', '--from', from, '--data-dir', full]);
  assert.equal(notEmpty.code, 1);
  assert.match(notEmpty.stderr, /is not empty; restore into an empty directory, or pass --force/);
  assert.equal(readFileSync(join(full, 'precious.txt'), 'utf8'), 'keep me');

  const held = await osprey(['restore', '--from', from, '--data-dir', server.dataDir, '--force']);
  assert.equal(held.code, 1);
  assert.match(held.stderr, /is in use by another Osprey process \(pid \d+\)/);

  const manifest = JSON.parse(readFileSync(join(from, 'manifest.json'), 'utf8')) as { files: { path: string; sha256: string }[] };
  manifest.files.find((f) => f.path === 'meta.sqlite')!.sha256 = '0'.repeat(64);
  writeFileSync(join(from, 'manifest.json'), JSON.stringify(manifest));
  const tampered = await osprey(['restore', '--from', from, '--data-dir', join(scratch, 'never')]);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stderr, /fails verification \(1 problem\): meta.sqlite: checksum differs from the manifest/);

  const forced = await osprey(['restore', '--from', join(scratch, 'nowhere'), '--data-dir', full, '--force']);
  assert.match(forced.stderr, /is not an Osprey backup: no readable manifest.json/);
  assert.equal(readFileSync(join(full, 'precious.txt'), 'utf8'), 'keep me', 'nothing written before the backup verified');
});

test('only the admin account may take a backup: a tenant\'s signed request is refused', async () => {
  const body = JSON.stringify({ to: join(scratch, 'tenant') });
  const tenant = await signedFetch(server.url, { service: 'osprey', path: '/_osprey/admin/backup', headers: { 'content-type': 'application/json' }, body, ...OTHER });
  assert.equal(tenant.status, 403);
  assert.equal(tenant.json().__type, 'AccessDeniedException');
  assert.match(tenant.json().message, /only keys of the admin account 000000000000 may take backups/);
  const unsigned = await fetch(`${server.url}/_osprey/admin/backup`, { method: 'POST', body });
  assert.equal(unsigned.status, 403);
  const viaCli = await osprey(['backup', '--to', join(scratch, 'tenant'), '--endpoint', server.url], { AWS_ACCESS_KEY_ID: OTHER.accessKeyId, AWS_SECRET_ACCESS_KEY: OTHER.secretAccessKey });
  assert.equal(viaCli.code, 1);
  assert.match(viaCli.stderr, /the server refused the backup \(HTTP 403\): AccessDeniedException/);
});
