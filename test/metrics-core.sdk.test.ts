// CloudWatch metrics through SDK v3: PutMetricData limits and errors, GetMetricStatistics and
// GetMetricData rules (periods, datapoint limits, paging, labels, SEARCH, Metrics Insights) and
// ListMetrics filters and paging — what a user of real CloudWatch would notice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchClient, PutMetricDataCommand, GetMetricStatisticsCommand, GetMetricDataCommand, ListMetricsCommand,
  paginateGetMetricData, paginateListMetrics, type MetricDatum, type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

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

const MIN = 60_000;
const NOW = Math.floor(Date.now() / MIN) * MIN;
const put = (Namespace: string, MetricData: MetricDatum[]) => cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
const fails = async (p: Promise<unknown>, name: string, status: number, message?: RegExp) => {
  const e = await p.then(() => assert.fail('expected an error'), (x) => x);
  // SDK v3 names unmodeled errors after their code with an "Exception" suffix; Code keeps the Query code.
  assert.ok(e.name === name || e.Code === name, `${e.name}/${e.Code}: ${e.message}`);
  assert.equal(e.$metadata.httpStatusCode, status);
  if (message) assert.match(e.message, message);
  return e;
};

test('PutMetricData rejects what CloudWatch rejects, naming the parameter', async () => {
  const m = (over: Partial<MetricDatum>): MetricDatum => ({ MetricName: 'm', Value: 1, ...over });
  await fails(put('App', [m({ Value: NaN })]), 'InvalidParameterValueException', 400, /The value NaN for parameter MetricData\.member\.1\.Value is invalid/);
  await fails(put('App', [m({}), m({ Value: Infinity })]), 'InvalidParameterValueException', 400, /MetricData\.member\.2\.Value/);
  await fails(put('App', [m({ StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } })]), 'InvalidParameterCombinationException', 400,
    /MetricData\.member\.1\.Value and MetricData\.member\.1\.StatisticValues are mutually exclusive/);
  await fails(put('App', [m({ Value: undefined, Values: Array.from({ length: 151 }, (_, i) => i) })]), 'InvalidParameterValueException', 400, /must not have a size greater than 150/);
  await fails(put('App', [m({ Value: undefined, Values: [1, 2], Counts: [1] })]), 'InvalidParameterValueException', 400, /same size/);
  await fails(put('App', Array.from({ length: 1001 }, () => m({}))), 'InvalidParameterValueException', 400, /greater than 1000/);
  await fails(put('App', [m({ Timestamp: new Date(Date.now() - 15 * 24 * 3_600_000) })]), 'InvalidParameterValueException', 400, /two weeks in the past/);
  await fails(put('App', [m({ Timestamp: new Date(Date.now() + 3 * 3_600_000) })]), 'InvalidParameterValueException', 400, /two hours in the future/);
  await fails(put('App', [m({ StorageResolution: 30 })]), 'InvalidParameterValueException', 400, /StorageResolution/);
  await fails(put('AWS/EC2', [m({})]), 'InvalidParameterValueException', 400, /Namespace/);
  await fails(put('App', [m({ Value: undefined })]), 'MissingRequiredParameterException', 400, /MetricData\.member\.1\.Value is required/);
  await fails(put('App', [m({ Dimensions: Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' })) })]), 'ValidationError', 400,
    /at 'metricData\.1\.member\.dimensions' failed to satisfy constraint: Member must have length less than or equal to 30/);
  await fails(put('App', [m({ Value: 1e109 })]), 'InvalidParameterValueException', 400);
  // Each number in range, but Values × Counts overflows a double (found by the CBOR fuzzer; was a 500).
  await fails(put('App', [m({ Value: undefined, Values: [1.5, 2], Counts: [1, 1.7e308] })]), 'InvalidParameterValueException', 400, /cannot be stored/);
  // 1 MB per request, as sent: 1,000 metrics with long dimension values exceed it uncompressed
  // (SDK v3 gzips PutMetricData bodies over 10 KiB by default; this client does not).
  const plain = new CloudWatchClient({ ...sdkConfig(server.url), disableRequestCompression: true });
  const big = Array.from({ length: 1000 }, (_, i) => m({ Dimensions: [{ Name: 'd', Value: `${i}`.padEnd(1024, 'x') }] }));
  await fails(plain.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: big })), 'RequestEntityTooLarge', 413);
  plain.destroy();
  // Nothing of a rejected call was stored.
  const list = await cw.send(new ListMetricsCommand({ Namespace: 'App' }));
  assert.deepEqual(list.Metrics, []);
});

test('a gzip-compressed PutMetricData body is accepted (SDK request compression)', async () => {
  const gz = new CloudWatchClient({ ...sdkConfig(server.url), requestMinCompressionSizeBytes: 0 });
  try {
    await gz.send(new PutMetricDataCommand({ Namespace: 'Gz', MetricData: [{ MetricName: 'm', Values: [1, 2, 3], Timestamp: new Date(NOW - 5 * MIN) }] }));
    // The same 1.1 MB of metrics that is refused uncompressed fits once gzipped.
    await gz.send(new PutMetricDataCommand({ Namespace: 'GzBig', MetricData: Array.from({ length: 1000 }, (_, i) => ({
      MetricName: 'm', Value: 1, Timestamp: new Date(NOW - 5 * MIN), Dimensions: [{ Name: 'd', Value: `${i}`.padEnd(1024, 'x') }] })) }));
  } finally {
    gz.destroy();
  }
  const r = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Gz', MetricName: 'm', StartTime: new Date(NOW - 10 * MIN), EndTime: new Date(NOW), Period: 600, Statistics: ['Sum'] }));
  assert.deepEqual(r.Datapoints!.map((d) => d.Sum), [6]);
});

test('GetMetricStatistics: period rules, the 1,440 datapoint limit and high-resolution data', async () => {
  await put('Hi', [1, 2, 3].map((v, i) => ({ MetricName: 'm', Value: v, StorageResolution: 1, Timestamp: new Date(NOW - 10 * MIN + i * 1000) })));
  const q = (over: object) => cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Hi', MetricName: 'm', StartTime: new Date(NOW - 11 * MIN), EndTime: new Date(NOW), Period: 1, Statistics: ['Sum'], ...over,
  }));
  const r = await q({});
  assert.deepEqual(r.Datapoints!.map((d) => [d.Timestamp!.getTime() - (NOW - 10 * MIN), d.Sum]).sort((a, b) => a[0]! - b[0]!), [[0, 1], [1000, 2], [2000, 3]]);
  await fails(q({ Period: 61 }), 'InvalidParameterValueException', 400, /multiple of 60/);
  await fails(q({ StartTime: new Date(NOW - 2 * 24 * 3_600_000), Period: 60 }), 'InvalidParameterCombinationException', 400, /exceeds the limit of 1440/);
  await fails(q({ ExtendedStatistics: ['p99'] }), 'InvalidParameterCombinationException', 400);
  await fails(q({ Statistics: undefined, ExtendedStatistics: ['p101'] }), 'InvalidParameterValueException', 400);
  await fails(q({ EndTime: new Date(NOW - 20 * MIN) }), 'InvalidParameterValueException', 400, /StartTime must be less than/);
  // Sub-minute periods reach back 3 hours only.
  const old = await cw.send(new GetMetricStatisticsCommand({ Namespace: 'Hi', MetricName: 'm', StartTime: new Date(NOW - 5 * 3_600_000), EndTime: new Date(NOW - 4 * 3_600_000), Period: 10, Statistics: ['Sum'] }));
  assert.deepEqual(old.Datapoints, []);
});

test('GetMetricData: newest first by default, MaxDatapoints pages with NextToken, dynamic labels', async () => {
  await put('Page', Array.from({ length: 30 }, (_, i) => ({ MetricName: 'm', Dimensions: [{ Name: 'Host', Value: 'a' }], Value: i, Timestamp: new Date(NOW - 40 * MIN + i * MIN) })));
  const input = {
    StartTime: new Date(NOW - 40 * MIN), EndTime: new Date(NOW),
    MetricDataQueries: [{ Id: 'm', Label: '${PROP(\'Dim.Host\')} max ${MAX} of ${DATAPOINT_COUNT}', MetricStat: { Metric: { Namespace: 'Page', MetricName: 'm', Dimensions: [{ Name: 'Host', Value: 'a' }] }, Period: 60, Stat: 'Sum' } }],
  };
  const all = await cw.send(new GetMetricDataCommand(input));
  const r = all.MetricDataResults![0]!;
  assert.equal(r.Label, 'a max 29 of 30');
  assert.equal(r.StatusCode, 'Complete');
  assert.deepEqual(r.Values, Array.from({ length: 30 }, (_, i) => 29 - i));
  const pages: number[] = [];
  const codes: string[] = [];
  for await (const page of paginateGetMetricData({ client: cw }, { ...input, MaxDatapoints: 7 })) {
    pages.push(...page.MetricDataResults![0]!.Values!);
    codes.push(page.MetricDataResults![0]!.StatusCode!);
  }
  assert.deepEqual(pages, r.Values);
  assert.equal(codes.length, 5);
  assert.deepEqual(codes.slice(0, 4), ['PartialData', 'PartialData', 'PartialData', 'PartialData']);
  await fails(cw.send(new GetMetricDataCommand({ ...input, NextToken: 'garbage' })), 'InvalidNextToken', 400);
});

test('GetMetricData: 500 queries in one call, each answered with its own series', async () => {
  await put('Five', Array.from({ length: 500 }, (_, i) => ({ MetricName: 'm', Dimensions: [{ Name: 'i', Value: `v${i}` }], Value: i, Timestamp: new Date(NOW - 5 * MIN) })));
  for (const Stat of ['Sum', 'p90']) {
    const r = await cw.send(new GetMetricDataCommand({
      StartTime: new Date(NOW - 10 * MIN), EndTime: new Date(NOW),
      MetricDataQueries: Array.from({ length: 500 }, (_, i) => ({ Id: `q${i}`, MetricStat: { Metric: { Namespace: 'Five', MetricName: 'm', Dimensions: [{ Name: 'i', Value: `v${i}` }] }, Period: 60, Stat } })),
    }));
    assert.equal(r.MetricDataResults!.length, 500);
    r.MetricDataResults!.forEach((x, i) => assert.deepEqual([x.Id, x.Values], [`q${i}`, [i]], Stat));
  }
});

test('GetMetricData: bad expressions and query sets are ValidationErrors', async () => {
  const base = { StartTime: new Date(NOW - 10 * MIN), EndTime: new Date(NOW) };
  const stat = { Metric: { Namespace: 'X', MetricName: 'm' }, Period: 60, Stat: 'Sum' };
  const q = (MetricDataQueries: MetricDataQuery[]) => cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries }));
  await fails(q([{ Id: 'm1', MetricStat: stat }, { Id: 'e', Expression: 'm1 +' }]), 'ValidationError', 400, /Error in expression e/);
  await fails(q([{ Id: 'm1', MetricStat: stat }, { Id: 'e', Expression: 'FOO(m1)' }]), 'ValidationError', 400, /FOO/);
  await fails(q([{ Id: 'e', Expression: 'm9 * 2' }]), 'ValidationError', 400, /m9/);
  await fails(q([{ Id: 'a', Expression: 'b' }, { Id: 'b', Expression: 'a' }]), 'ValidationError', 400, /Circular/);
  await fails(q([{ Id: 'm1', MetricStat: stat }, { Id: 'm1', MetricStat: stat }]), 'ValidationError', 400, /unique/);
  await fails(q([{ Id: 'Bad', MetricStat: stat }]), 'ValidationError', 400);
  await fails(q([{ Id: 'm1', MetricStat: { ...stat, Stat: 'Median' } }]), 'InvalidParameterValueException', 400, /Median/);
  await fails(q(Array.from({ length: 501 }, (_, i) => ({ Id: `m${i}`, MetricStat: stat }))), 'ValidationError', 400, /500/);
  await fails(q([{ Id: 'm1', MetricStat: stat }, { Id: 'e', Expression: 'SERVICE_QUOTA(m1)' }]), 'ValidationError', 400, /not supported/);
  await fails(q([{ Id: 'm1', MetricStat: stat, AccountId: '111122223333' }]), 'ValidationError', 400, /cross-account/);
});

test('GetMetricData: SEARCH and Metrics Insights over published series', async () => {
  const t = new Date(NOW - 5 * MIN);
  await put('Fleet', ['i-1', 'i-2', 'i-3'].map((id, i) => ({ MetricName: 'CPU', Dimensions: [{ Name: 'InstanceId', Value: id }, { Name: 'Zone', Value: i < 2 ? 'a' : 'b' }], Value: (i + 1) * 10, Timestamp: t })));
  await put('Fleet', [{ MetricName: 'CPU', Value: 99, Timestamp: t }]);
  const base = { StartTime: new Date(NOW - 10 * MIN), EndTime: new Date(NOW), ScanBy: 'TimestampAscending' as const };
  const search = await cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [{ Id: 's', Expression: `SEARCH('{Fleet,InstanceId,Zone} MetricName="CPU"', 'Average', 60)` }] }));
  assert.deepEqual(search.MetricDataResults!.map((r) => r.Values![0]).sort(), [10, 20, 30]);
  const total = await cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [
    { Id: 's', Expression: `SEARCH('{Fleet,InstanceId,Zone} CPU', 'Sum', 60)`, ReturnData: false },
    { Id: 'total', Expression: 'SUM(s)', Label: 'fleet' },
  ] }));
  assert.deepEqual(total.MetricDataResults!.map((r) => [r.Label, r.Values]), [['fleet', [60]]]);
  const mi = await cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [
    { Id: 'q', Expression: 'SELECT SUM(CPU) FROM SCHEMA(Fleet, InstanceId, Zone) GROUP BY Zone ORDER BY SUM() DESC', Period: 60 },
  ] }));
  assert.deepEqual(mi.MetricDataResults!.map((r) => [r.Label, r.Values]), [['a', [30]], ['b', [30]]]);
  // The same query again after new data: results are cached per metric, and a write invalidates them.
  await put('Fleet', [{ MetricName: 'CPU', Dimensions: [{ Name: 'InstanceId', Value: 'i-3' }, { Name: 'Zone', Value: 'b' }], Value: 50, Timestamp: t }]);
  const again = await cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [
    { Id: 'q', Expression: 'SELECT SUM(CPU) FROM SCHEMA(Fleet, InstanceId, Zone) GROUP BY Zone ORDER BY SUM() DESC', Period: 60 },
  ] }));
  assert.deepEqual(again.MetricDataResults!.map((r) => [r.Label, r.Values]), [['b', [80]], ['a', [30]]]);
  await fails(cw.send(new GetMetricDataCommand({ ...base, MetricDataQueries: [{ Id: 'q', Expression: 'SELECT FOO(CPU) FROM Fleet', Period: 60 }] })), 'ValidationError', 400);
});

test('ListMetrics: filters, RecentlyActive and 500-per-page paging', async () => {
  for (let k = 0; k < 3; k++) {
    await put('Many', Array.from({ length: 400 }, (_, i) => ({ MetricName: 'm', Dimensions: [{ Name: 'Id', Value: `s${k * 400 + i}` }], Value: 1, Timestamp: new Date(NOW - MIN) })));
  }
  const first = await cw.send(new ListMetricsCommand({ Namespace: 'Many' }));
  assert.equal(first.Metrics!.length, 500);
  assert.ok(first.NextToken);
  let n = 0;
  for await (const p of paginateListMetrics({ client: cw }, { Namespace: 'Many' })) n += p.Metrics!.length;
  assert.equal(n, 1200);
  const one = await cw.send(new ListMetricsCommand({ Namespace: 'Many', Dimensions: [{ Name: 'Id', Value: 's7' }], RecentlyActive: 'PT3H' }));
  assert.deepEqual(one.Metrics, [{ Namespace: 'Many', MetricName: 'm', Dimensions: [{ Name: 'Id', Value: 's7' }] }]);
  await fails(cw.send(new ListMetricsCommand({ NextToken: 'nope' })), 'InvalidNextToken', 400);
  await fails(cw.send(new ListMetricsCommand({ IncludeLinkedAccounts: true })), 'InvalidParameterCombinationException', 400, /Cross-account/);
});
