/**
 * Upgrade: a data directory written by an earlier release (test/fixtures/upgrade-<commit>.tar.gz,
 * made by scripts/make-upgrade-fixture.ts with commit f4b7de7 — the last release before the
 * second-generation telemetry engine of issue 17) opens with this code, migrates, and answers the
 * same reads as the old release did (test/helpers/upgrade-queries.ts); new data then goes in and
 * comes back out next to the old.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ROOT, sdkConfig, startTestServer, type TestServer } from './helpers/server.ts';
import { readFixtureAnswers } from './helpers/upgrade-queries.ts';

const RELEASE = 'f4b7de7';
const fixture = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', `upgrade-${RELEASE}.answers.json`), 'utf8')) as { base: number; answers: Record<string, unknown> };

let server: TestServer;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;

before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'osprey-upgrade-'));
  execFileSync('tar', ['xzf', join(ROOT, 'test', 'fixtures', `upgrade-${RELEASE}.tar.gz`), '-C', dataDir]);
  // The release's data directory holds its metadata in meta.sqlite: SQLite even when the run is on PostgreSQL.
  server = await startTestServer({ dataDir, modules: ['logs', 'cloudwatch'], env: { OSPREY_METADATA_URL: '' } });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

test(`a data directory written by release ${RELEASE} answers every read as that release did`, async () => {
  const answers = await readFixtureAnswers({ logs, cw }, fixture.base);
  for (const [read, expected] of Object.entries(fixture.answers)) assert.deepEqual(answers[read], expected, read);
});

test('new data lands next to the old and reads back with it', async () => {
  const t = fixture.base + 3 * 3_600_000 + 60_000;
  await logs.send(new PutLogEventsCommand({ logGroupName: '/upgrade/app', logStreamName: 'web-1', logEvents: [{ timestamp: Date.now(), message: 'after the upgrade' }] }));
  const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/upgrade/app', logStreamName: 'web-1', startFromHead: false, limit: 2 }));
  assert.equal(events.events!.at(-1)!.message, 'after the upgrade');
  await cw.send(new PutMetricDataCommand({ Namespace: 'Upgrade/App', MetricData: [{ MetricName: 'Requests', Timestamp: new Date(Math.max(t, Date.now() - 3_600_000)), Value: 7 }] }));
  const out = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(fixture.base), EndTime: new Date(Date.now() + 3_600_000),
    MetricDataQueries: [{ Id: 'req', MetricStat: { Metric: { Namespace: 'Upgrade/App', MetricName: 'Requests' }, Period: 3600, Stat: 'SampleCount' } }],
  }));
  const counts = out.MetricDataResults![0]!.Values!;
  assert.equal(counts.reduce((a, b) => a + b, 0), 3 * 20 + 1, 'the three old statistic sets and the new point');
});
