// A datapoint is readable the moment PutMetricData returns: GetMetricData and GetMetricStatistics
// over "the last 10 minutes" include the period that is still filling up, with what has arrived so
// far (GetMetricData's StartTime reference: asked at 15:07:17 for the previous 5 minutes at 5 s,
// "you receive data timestamped between 15:02:15 and 15:07:15"). SDK v3 and the CLI v1 on PATH.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  CloudWatchClient, PutMetricDataCommand, GetMetricStatisticsCommand, GetMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';

const run = promisify(execFile);
const MIN = 60_000;
let server: TestServer;
let cw: CloudWatchClient;

before(async () => {
  server = await startTestServer();
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

const lastTenMinutes = () => {
  const end = Date.now();
  return { StartTime: new Date(end - 10 * MIN), EndTime: new Date(end) };
};

test('SDK v3: a datapoint put without a timestamp is read back at once, in the current minute', async () => {
  await cw.send(new PutMetricDataCommand({ Namespace: 'Fresh', MetricData: [{ MetricName: 'm', Value: 42 }] }));
  const range = lastTenMinutes();
  const minute = Math.floor(range.EndTime.getTime() / MIN) * MIN;
  const stats = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Fresh', MetricName: 'm', ...range, Period: 60, Statistics: ['Sum', 'SampleCount'],
  }));
  // The point carries the server's receive time: this minute, or the previous one if it just turned.
  assert.equal(stats.Datapoints!.length, 1, JSON.stringify(stats.Datapoints));
  const [dp] = stats.Datapoints!;
  assert.deepEqual([dp!.Sum, dp!.SampleCount], [42, 1]);
  assert.ok(dp!.Timestamp!.getTime() === minute || dp!.Timestamp!.getTime() === minute - MIN);

  const data = await cw.send(new GetMetricDataCommand({
    ...range,
    MetricDataQueries: [
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'Fresh', MetricName: 'm' }, Period: 60, Stat: 'Sum' } },
      { Id: 'e1', Expression: 'm1 * 2' },
    ],
  }));
  assert.deepEqual(data.MetricDataResults!.map((r) => [r.Id, r.Values, r.StatusCode]), [['m1', [42], 'Complete'], ['e1', [84], 'Complete']]);
  assert.equal(data.MetricDataResults![0]!.Timestamps![0]!.getTime(), dp!.Timestamp!.getTime());
});

test('SDK v3: the current period grows with each write and keeps its bucket timestamp', async () => {
  // Timestamped "now" by the client, so both points fall in the same, unfinished minute (and, being
  // high-resolution, the same unfinished 10 seconds).
  const now = new Date();
  const put = (Value: number) => cw.send(new PutMetricDataCommand({ Namespace: 'Grow', MetricData: [{ MetricName: 'm', Value, Timestamp: now, StorageResolution: 1 }] }));
  const read = async () => (await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Grow', MetricName: 'm', StartTime: new Date(now.getTime() - 10 * MIN), EndTime: new Date(now.getTime() + 1),
    Period: 60, Statistics: ['Sum', 'Maximum'],
  }))).Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Sum, d.Maximum]);
  const minute = Math.floor(now.getTime() / MIN) * MIN;
  await put(1);
  assert.deepEqual(await read(), [[minute, 1, 1]]);
  await put(5);
  assert.deepEqual(await read(), [[minute, 6, 5]]);
  // A high-resolution period: the 10-second bucket holding "now" is returned too.
  const ten = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Grow', MetricName: 'm', StartTime: new Date(now.getTime() - MIN), EndTime: new Date(now.getTime() + 1),
    Period: 10, Statistics: ['Sum'],
  }));
  assert.deepEqual(ten.Datapoints!.map((d) => [d.Timestamp!.getTime(), d.Sum]), [[Math.floor(now.getTime() / 10_000) * 10_000, 6]]);
});

test('CLI v1: put-metric-data, then get-metric-statistics and get-metric-data for the last 10 minutes', async () => {
  const cli = async (args: string[]) => {
    const { stdout } = await run('aws', ['cloudwatch', ...args, '--endpoint-url', server.url, '--output', 'json'], { env: awsEnv() });
    return stdout.trim() === '' ? {} : JSON.parse(stdout);
  };
  await cli(['put-metric-data', '--namespace', 'FreshCli', '--metric-name', 'm', '--value', '7']);
  const { StartTime, EndTime } = lastTenMinutes();
  const range = ['--start-time', StartTime.toISOString(), '--end-time', EndTime.toISOString()];
  const stats = await cli(['get-metric-statistics', '--namespace', 'FreshCli', '--metric-name', 'm', ...range, '--period', '60', '--statistics', 'Sum']);
  assert.deepEqual(stats.Datapoints.map((d: { Sum: number }) => d.Sum), [7]);
  const queries = JSON.stringify([{ Id: 'm1', MetricStat: { Metric: { Namespace: 'FreshCli', MetricName: 'm' }, Period: 60, Stat: 'Sum' } }]);
  const data = await cli(['get-metric-data', '--metric-data-queries', queries, ...range]);
  assert.deepEqual(data.MetricDataResults[0].Values, [7]);
});

test('SDK v3: "the last 24 hours at 60 s" is still within the 1,440-datapoint limit', async () => {
  await cw.send(new PutMetricDataCommand({ Namespace: 'Day', MetricData: [{ MetricName: 'm', Value: 3 }] }));
  const end = Date.now();
  const r = await cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Day', MetricName: 'm', StartTime: new Date(end - 86_400_000), EndTime: new Date(end), Period: 60, Statistics: ['Sum'],
  }));
  assert.deepEqual(r.Datapoints!.map((d) => d.Sum), [3]);
});
