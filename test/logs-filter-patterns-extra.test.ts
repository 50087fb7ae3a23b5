// The JSON wildcard selector `$.*`, bracket notation (`$.['cluster.name']`) and regex `\xhh` escapes
// end to end through the real server with SDK v3: FilterLogEvents (ClickHouse pre-filter + JS
// recheck), TestMetricFilter, and a metric filter read back with GetMetricData.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  InvalidParameterException,
  PutLogEventsCommand,
  PutMetricFilterCommand,
  TestMetricFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

let server: TestServer;
let logs: CloudWatchLogsClient;
let cw: CloudWatchClient;

before(async () => {
  server = await startTestServer();
  logs = new CloudWatchLogsClient(sdkConfig(server.url));
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  logs?.destroy();
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
});

// The doc's sample event, on one line, and events that each feature must tell apart from it.
const DOC_EVENT = JSON.stringify({
  eventType: 'UpdateTrail', sourceIPAddress: '111.111.111.111', arrayKey: ['value', 'another value'],
  objectList: [{ name: 'a', id: 1 }, { name: 'b', id: 2 }], SomeObject: null, 'cluster.name': 'c',
});
const MESSAGES = [
  DOC_EVENT,
  JSON.stringify({ cluster: { name: 'c' }, ip: '10.0.0.1' }),
  JSON.stringify({ nested: { ip: '111.111.111.150' }, 'cluster.name': 'd' }),
  JSON.stringify({ client: '111.111.111.150' }),
  'f(x) failed at 12:00',
  'plain text without a colon',
];

async function filter(logGroupName: string, filterPattern: string): Promise<string[]> {
  const r = await logs.send(new FilterLogEventsCommand({ logGroupName, filterPattern }));
  return r.events!.map((e) => e.message!);
}

async function testMetricFilter(filterPattern: string): Promise<string[]> {
  const r = await logs.send(new TestMetricFilterCommand({ filterPattern, logEventMessages: MESSAGES }));
  return r.matches!.map((m) => m.eventMessage!);
}

const CASES: { pattern: string; expected: string[] }[] = [
  // 9. "$.*" selects any top-level field (the doc's IP example); nested values are not top-level fields.
  { pattern: '{ $.* = %111\\.111\\.111\\.1[0-9]{1,2}% }', expected: [MESSAGES[0]!, MESSAGES[3]!] },
  { pattern: '{ $.*.ip = "10.0.0.1" || $.*.ip = "111.111.111.150" }', expected: [MESSAGES[2]!] },
  // 10. Bracket notation for a key with a period; `$.cluster.name` is a different (nested) path.
  { pattern: "{ $.['cluster.name'] = \"c\" }", expected: [MESSAGES[0]!] },
  { pattern: '{ $.cluster.name = "c" }', expected: [MESSAGES[1]!] },
  { pattern: '{ $.["cluster.name"] = * }', expected: [MESSAGES[0]!, MESSAGES[2]!] },
  // 8. "%\x3A%" matches ':' and "%\x28%" matches '('.
  { pattern: '%\\x3A%', expected: [MESSAGES[0]!, MESSAGES[1]!, MESSAGES[2]!, MESSAGES[3]!, MESSAGES[4]!] },
  { pattern: '%\\x28x\\x29 failed%', expected: [MESSAGES[4]!] },
  { pattern: '{ $.eventType = %^Update\\x54rail$% }', expected: [MESSAGES[0]!] },
];

test('FilterLogEvents: $.*, bracket notation and \\xhh select the documented events', async () => {
  const t = Date.now() - 60_000;
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/fp-extra/filter' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/fp-extra/filter', logStreamName: 's' }));
  await logs.send(new PutLogEventsCommand({
    logGroupName: '/fp-extra/filter', logStreamName: 's',
    logEvents: MESSAGES.map((message, i) => ({ timestamp: t + i, message })),
  }));
  for (const c of CASES) assert.deepEqual(await filter('/fp-extra/filter', c.pattern), c.expected, c.pattern);
});

test('TestMetricFilter: the same patterns match the same messages', async () => {
  for (const c of CASES) assert.deepEqual(await testMetricFilter(c.pattern), c.expected, c.pattern);
});

test('malformed \\xhh escapes, brackets and too many wildcards are InvalidParameterException', async () => {
  for (const p of ['%\\x3%', '%\\x80%', "{ $.['a = 1 }", '{ $.*[*] = 1 }', '{ $.* = 1 || $.a.* = 1 || $.b.* = 1 || $.c[*] = 1 }']) {
    const err = await logs.send(new TestMetricFilterCommand({ filterPattern: p, logEventMessages: ['x'] })).catch((e) => e);
    assert.ok(err instanceof InvalidParameterException, `${p} → ${err?.name}`);
    assert.match(err.message, /Invalid filter pattern/);
  }
});

test('a metric filter with $.*, \\xhh and a bracket-notation metric value publishes the documented sum', async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/fp-extra/metric' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/fp-extra/metric', logStreamName: 's' }));
  await logs.send(new PutMetricFilterCommand({
    logGroupName: '/fp-extra/metric', filterName: 'slow-errors',
    filterPattern: "{ $.* = %^ERR\\x3A% && $.['latency.ms'] > 100 }",
    metricTransformations: [{ metricName: 'SlowErrorLatency', metricNamespace: 'FpExtra', metricValue: "$.['latency.ms']" }],
  }));
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  const events = [
    { level: 'ERR: timeout', 'latency.ms': 250 }, // counted
    { detail: 'ERR:disk', 'latency.ms': 150 }, // counted: any top-level field
    { level: 'ERR: timeout', 'latency.ms': 50 }, // too fast
    { level: 'ERR timeout', 'latency.ms': 900 }, // no colon
    { nested: { level: 'ERR: x' }, 'latency.ms': 900 }, // not a top-level field
  ];
  await logs.send(new PutLogEventsCommand({
    logGroupName: '/fp-extra/metric', logStreamName: 's',
    logEvents: events.map((e, i) => ({ timestamp: minute + i * 1000, message: JSON.stringify(e) })),
  }));
  const res = await cw.send(new GetMetricDataCommand({
    StartTime: new Date(minute - 60_000), EndTime: new Date(minute + 120_000),
    MetricDataQueries: [{ Id: 'l', MetricStat: { Metric: { Namespace: 'FpExtra', MetricName: 'SlowErrorLatency' }, Period: 60, Stat: 'Sum' } }],
  }));
  const r = res.MetricDataResults![0]!;
  const at = r.Timestamps!.findIndex((d) => d.getTime() === minute);
  assert.ok(at >= 0, `no datapoint at ${new Date(minute).toISOString()}`);
  assert.equal(r.Values![at], 400);
});
