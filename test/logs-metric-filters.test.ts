// Metric filters and EMF through the real server with SDK v3. The published points are read, exactly
// as stored, from the stopped server's chDB directory (test/helpers/metric-points.ts);
// metric-filter-getmetricdata.test.ts reads one back through GetMetricData.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteMetricFilterCommand,
  DescribeLogGroupsCommand,
  DescribeMetricFiltersCommand,
  InvalidParameterException,
  LimitExceededException,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  ResourceNotFoundException,
  TestMetricFilterCommand,
  paginateDescribeMetricFilters,
} from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';
import { readMetricPoints, type StoredPoint } from './helpers/metric-points.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;

before(async () => {
  server = await startTestServer({ env: { OSPREY_EMF_PORT: '0' } });
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  await server?.stop();
  server?.cleanup();
});

const errorsFilter = (logGroupName: string, filterName = 'errors') => new PutMetricFilterCommand({
  logGroupName, filterName, filterPattern: 'ERROR',
  metricTransformations: [{ metricName: 'Errors', metricNamespace: 'Osprey/Test', metricValue: '1', defaultValue: 0, unit: 'Count' }],
});

test('PutMetricFilter, DescribeMetricFilters, metricFilterCount and DeleteMetricFilter', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/mf/api' }));
  await logs.send(errorsFilter('/mf/api'));
  await logs.send(new PutMetricFilterCommand({
    logGroupName: '/mf/api', filterName: 'latency', filterPattern: '{ $.latency > 0 }', applyOnTransformedLogs: false,
    metricTransformations: [{ metricName: 'Latency', metricNamespace: 'Osprey/Test', metricValue: '$.latency', dimensions: { Op: '$.op' }, unit: 'Milliseconds' }],
  }));
  const described = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/mf/api' }));
  assert.deepEqual(described.metricFilters?.map((f) => [f.filterName, f.filterPattern, f.logGroupName, f.metricTransformations]), [
    ['errors', 'ERROR', '/mf/api', [{ metricName: 'Errors', metricNamespace: 'Osprey/Test', metricValue: '1', defaultValue: 0, unit: 'Count' }]],
    ['latency', '{ $.latency > 0 }', '/mf/api', [{ metricName: 'Latency', metricNamespace: 'Osprey/Test', metricValue: '$.latency', dimensions: { Op: '$.op' }, unit: 'Milliseconds' }]],
  ]);
  assert.ok(described.metricFilters!.every((f) => typeof f.creationTime === 'number' && f.creationTime > 0));
  const byMetric = await logs.send(new DescribeMetricFiltersCommand({ metricName: 'Latency', metricNamespace: 'Osprey/Test' }));
  assert.deepEqual(byMetric.metricFilters?.map((f) => f.filterName), ['latency']);

  const group = async () => (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/mf/api' }))).logGroups![0]!;
  assert.equal((await group()).metricFilterCount, 2);
  await logs.send(new DeleteMetricFilterCommand({ logGroupName: '/mf/api', filterName: 'latency' }));
  assert.equal((await group()).metricFilterCount, 1);
  await assert.rejects(logs.send(new DeleteMetricFilterCommand({ logGroupName: '/mf/api', filterName: 'latency' })), ResourceNotFoundException);
});

test('PutMetricFilter errors come back as the SDK\'s typed exceptions', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/mf/errors' }));
  await assert.rejects(logs.send(errorsFilter('/mf/missing')), ResourceNotFoundException);
  await assert.rejects(logs.send(new PutMetricFilterCommand({
    logGroupName: '/mf/errors', filterName: 'f', filterPattern: '{ $.x = * }',
    metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1', defaultValue: 0, dimensions: { X: '$.x' } }],
  })), (e: unknown) => e instanceof InvalidParameterException && /mutually exclusive/.test(e.message));
  await assert.rejects(logs.send(new PutMetricFilterCommand({
    logGroupName: '/mf/errors', filterName: 'f', filterPattern: '{ $.x = ',
    metricTransformations: [{ metricName: 'M', metricNamespace: 'N', metricValue: '1' }],
  })), InvalidParameterException);
});

test('a log group takes 100 metric filters, the 101st is LimitExceededException; paging lists them all', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/mf/limit' }));
  for (let i = 0; i < 100; i++) await logs.send(errorsFilter('/mf/limit', `f${String(i).padStart(3, '0')}`));
  await assert.rejects(logs.send(errorsFilter('/mf/limit', 'f100')), LimitExceededException);
  const names: string[] = [];
  for await (const page of paginateDescribeMetricFilters({ client: logs, pageSize: 30 }, { logGroupName: '/mf/limit' })) {
    names.push(...(page.metricFilters ?? []).map((f) => f.filterName!));
  }
  assert.equal(names.length, 100);
  assert.deepEqual(names, [...names].sort());
  // Deleting the group deletes its filters.
  await logs.send(new DeleteLogGroupCommand({ logGroupName: '/mf/limit' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/mf/limit' }));
  assert.deepEqual((await logs.send(new DescribeMetricFiltersCommand({ logGroupName: '/mf/limit' }))).metricFilters, []);
});

test('TestMetricFilter returns the matches numbered from 1 with their extracted values', async () => {
  const r = await logs.send(new TestMetricFilterCommand({
    filterPattern: '[ip, user, status = 4*, size]',
    logEventMessages: ['10.0.0.1 alice 200 512', '10.0.0.2 bob 404 17', 'ERROR nothing to see'],
  }));
  assert.deepEqual(r.matches, [
    { eventNumber: 2, eventMessage: '10.0.0.2 bob 404 17', extractedValues: { $ip: '10.0.0.2', $user: 'bob', $status: '404', $size: '17' } },
  ]);
  const t = await logs.send(new TestMetricFilterCommand({ filterPattern: 'ERROR', logEventMessages: ['[ERROR] 400 BAD REQUEST', '[INFO] 200 OK'] }));
  assert.deepEqual(t.matches, [{ eventNumber: 1, eventMessage: '[ERROR] 400 BAD REQUEST', extractedValues: {} }]);
});

test('PutLogEvents publishes metric-filter and EMF points before it answers, aggregated per minute', async () => {
  // Its own server: the points are read from the store once that server has stopped.
  const own = await startTestServer({ env: { OSPREY_EMF_PORT: '0' } });
  const client = new CloudWatchLogsClient(sdkConfig(own.url));
  try {
    const g = '/mf/ingest';
    await client.send(new CreateLogGroupCommand({ logGroupName: g }));
    await client.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 's1' }));
    await client.send(errorsFilter(g));
    await client.send(new PutMetricFilterCommand({
      logGroupName: g, filterName: 'latency', filterPattern: '{ $.latency > 0 }',
      metricTransformations: [{ metricName: 'Latency', metricNamespace: 'Osprey/Test', metricValue: '$.latency', dimensions: { Op: '$.op' }, unit: 'Milliseconds' }],
    }));
    await client.send(new PutMetricFilterCommand({
      logGroupName: g, filterName: 'bytes', filterPattern: '[ip, user, status = 2* || status = 4*, size]',
      metricTransformations: [{ metricName: 'Bytes', metricNamespace: 'Osprey/Test', metricValue: '$size', dimensions: { Status: '$status' }, unit: 'Bytes' }],
    }));

    const T = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const emf = JSON.stringify({
      _aws: { Timestamp: T + 7_000, CloudWatchMetrics: [{ Namespace: 'Osprey/EMF', Dimensions: [['Service']], Metrics: [{ Name: 'Orders', Unit: 'Count' }] }] },
      Service: 'shop', Orders: [1, 2],
    });
    const minute0 = [
      'ERROR db timeout', 'INFO ok', 'ERROR disk full',
      '{"latency": 120, "op": "Pay"}', '{"latency": 80, "op": "Pay"}', '{"latency": 5, "op": "Ping"}',
      '10.0.0.1 alice 200 512', '10.0.0.2 bob 404 17', emf,
    ];
    const minute1 = ['INFO a', 'INFO b'];
    const put = await client.send(new PutLogEventsCommand({
      logGroupName: g, logStreamName: 's1',
      logEvents: [
        ...minute0.map((message, i) => ({ timestamp: T + 1_000 * (i + 1), message })),
        ...minute1.map((message, i) => ({ timestamp: T + 60_000 + i, message })),
      ],
    }));
    assert.equal(put.rejectedLogEventsInfo, undefined);
  } finally {
    client.destroy();
    await own.stop();
  }
  try {
    const points = await readMetricPoints(own.dataDir);
    const T = points.find((p) => p.metric_name === 'Errors')!.ts;
    const view = (p: StoredPoint) => [p.namespace, p.metric_name, p.dimensions, p.ts - T, p.sample_count, p.sum, p.min, p.max, p.unit, p.storage_resolution];
    assert.deepEqual(points.map(view), [
      ['Osprey/EMF', 'Orders', { Service: 'shop' }, 7_000, 2, 3, 1, 2, 'Count', 60],
      ['Osprey/Test', 'Bytes', { Status: '200' }, 0, 1, 512, 512, 512, 'Bytes', 60],
      ['Osprey/Test', 'Bytes', { Status: '404' }, 0, 1, 17, 17, 17, 'Bytes', 60],
      // 9 events in the first minute: 2 ERROR (value 1), 7 others (default 0); 2 events, no match, in the second.
      ['Osprey/Test', 'Errors', {}, 0, 9, 2, 0, 1, 'Count', 60],
      ['Osprey/Test', 'Errors', {}, 60_000, 2, 0, 0, 0, 'Count', 60],
      ['Osprey/Test', 'Latency', { Op: 'Pay' }, 0, 2, 200, 80, 120, 'Milliseconds', 60],
      ['Osprey/Test', 'Latency', { Op: 'Ping' }, 0, 1, 5, 5, 5, 'Milliseconds', 60],
    ]);
    assert.equal(T % 60_000, 0);
    assert.ok(points.every((p) => p.account === '000000000000' && p.region === 'us-east-1'));
    const errors = points.find((p) => p.metric_name === 'Errors')!;
    assert.deepEqual([errors.values, errors.counts], [[1, 0], [2, 7]]);
  } finally {
    own.cleanup();
  }
});
