// The canonical flow of the seeds: ERROR lines → a metric filter → a metric read with GetMetricData.
// (The stored points themselves are checked field by field in logs-metric-filters.test.ts.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
  PutMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

test('a log metric filter publishes a metric readable with GetMetricData', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/app', logStreamName: 's' }));
    await logs.send(new PutMetricFilterCommand({
      logGroupName: '/app', filterName: 'errors', filterPattern: 'ERROR',
      metricTransformations: [{ metricName: 'Errors', metricNamespace: 'App', metricValue: '1', unit: 'Count' }],
    }));
    const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    await logs.send(new PutLogEventsCommand({
      logGroupName: '/app', logStreamName: 's',
      logEvents: Array.from({ length: 7 }, (_, i) => ({ timestamp: minute + i * 1000, message: i < 5 ? `ERROR boom ${i}` : `INFO ok ${i}` })),
    }));
    const res = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(minute - 60_000), EndTime: new Date(minute + 120_000),
      MetricDataQueries: [{ Id: 'e', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' } }],
    }));
    const r = res.MetricDataResults![0]!;
    const at = r.Timestamps!.findIndex((d: Date) => d.getTime() === minute);
    assert.ok(at >= 0, `no datapoint at ${new Date(minute).toISOString()}`);
    assert.equal(r.Values![at], 5);
  } finally {
    logs.destroy();
    cw.destroy();
  }
});
