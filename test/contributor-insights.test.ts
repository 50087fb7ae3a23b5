// Contributor Insights with real clients: rules over JSON access logs {ip, status, bytes}, the top
// 10 IPs by request count and by Sum(bytes) checked against a direct count (SDK v3 and boto3 1.26),
// only events ingested after the rule count, INSIGHT_RULE_METRIC in GetMetricData, tags,
// enable/disable/delete with per-rule failures, AWS's errors, and isolation between accounts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CloudWatchClient, PutInsightRuleCommand, GetInsightRuleReportCommand, DescribeInsightRulesCommand, DisableInsightRulesCommand,
  EnableInsightRulesCommand, DeleteInsightRulesCommand, GetMetricDataCommand, TagResourceCommand, ListTagsForResourceCommand, PutMetricAlarmCommand, DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { startTestServer, sdkConfig, awsEnv, type TestServer } from './helpers/server.ts';
import { until } from './helpers/until.ts';

const run = promisify(execFile);
let server: TestServer;

before(async () => {
  server = await startTestServer({
    modules: ['logs', 'cloudwatch'],
    env: {
      OSPREY_ACCESS_KEYS: JSON.stringify([
        { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' },
        { accessKeyId: 'OTHER', secretAccessKey: 'other', accountId: '111111111111' },
      ]),
    },
  });
});
after(async () => {
  await server?.stop();
  server?.cleanup();
});

const definition = (keys: string[], aggregate: 'Count' | 'Sum', extra: Record<string, unknown> = {}) => JSON.stringify({
  Schema: { Name: 'CloudWatchLogRule', Version: 1 }, LogGroupNames: ['/web/*'], LogFormat: 'JSON',
  Contribution: { Keys: keys, ...extra }, AggregateOn: aggregate,
});

interface Access { ip: string; status: number; bytes: number }

/** 50 IPs with distinct request counts (200, 197, …) and pseudo-random sizes. */
function accessLog(): Access[] {
  const out: Access[] = [];
  let seed = 11;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  for (let i = 0; i < 50; i++) {
    for (let n = 0; n < 200 - 3 * i; n++) out.push({ ip: `10.0.0.${i}`, status: rnd() < 0.1 ? 500 : 200, bytes: Math.floor(rnd() * 5000) });
  }
  // Interleave so every batch carries many contributors.
  return out.sort((a, b) => (a.bytes * 7919 + a.ip.length) % 101 - (b.bytes * 7919 + b.ip.length) % 101);
}

function top10(rows: Access[], value: (r: Access) => number): { ip: string; total: number }[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.ip, (totals.get(r.ip) ?? 0) + value(r));
  return [...totals].map(([ip, total]) => ({ ip, total })).sort((a, b) => b.total - a.total || a.ip.localeCompare(b.ip)).slice(0, 10);
}

test('top 10 IPs by request count and by Sum(bytes), exactly, through SDK v3 and boto3', async () => {
  const logs = new CloudWatchLogsClient(sdkConfig(server.url));
  const cw = new CloudWatchClient(sdkConfig(server.url));
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/web/access' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/web/access', logStreamName: 'nginx' }));
  const put = async (rows: Access[], ts: number) => {
    for (let i = 0; i < rows.length; i += 1000) {
      await logs.send(new PutLogEventsCommand({ logGroupName: '/web/access', logStreamName: 'nginx',
        logEvents: rows.slice(i, i + 1000).map((r) => ({ timestamp: ts, message: JSON.stringify(r) })) }));
    }
  };
  const start = Date.now() - 60_000;
  // Before the rules exist: not counted (rules apply to events ingested after they are created).
  await put([{ ip: '10.9.9.9', status: 200, bytes: 1_000_000 }], start);

  await cw.send(new PutInsightRuleCommand({ RuleName: 'requests-by-ip', RuleDefinition: definition(['$.ip'], 'Count'), Tags: [{ Key: 'team', Value: 'web' }] }));
  await cw.send(new PutInsightRuleCommand({ RuleName: 'bytes-by-ip', RuleDefinition: definition(['$.ip'], 'Sum', { ValueOf: '$.bytes' }) }));
  await cw.send(new PutInsightRuleCommand({ RuleName: 'errors-by-ip', RuleDefinition: definition(['$.ip', '$.status'], 'Count', { Filters: [{ Match: '$.status', GreaterThan: 499 }] }) }));
  const rows = accessLog();
  await put(rows, start);

  const report = (RuleName: string) => cw.send(new GetInsightRuleReportCommand({
    RuleName, StartTime: new Date(start - 300_000), EndTime: new Date(Date.now() + 60_000), Period: 300, MaxContributorCount: 10,
    Metrics: ['UniqueContributors', 'MaxContributorValue', 'SampleCount'],
  }));
  const byCount = await report('requests-by-ip');
  const expectCount = top10(rows, () => 1);
  assert.deepEqual(byCount.Contributors!.map((c) => [c.Keys![0], c.ApproximateAggregateValue]), expectCount.map((e) => [e.ip, e.total]));
  assert.deepEqual(byCount.KeyLabels, ['$.ip']);
  assert.equal(byCount.AggregationStatistic, 'Count');
  assert.equal(byCount.AggregateValue, rows.length, 'the event sent before the rule is not counted');
  assert.equal(byCount.ApproximateUniqueCount, 50);
  assert.equal(byCount.Contributors![0]!.Datapoints!.reduce((s, d) => s + d.ApproximateValue!, 0), expectCount[0]!.total);
  const points = byCount.MetricDatapoints!;
  assert.equal(points.reduce((s, p) => s + p.SampleCount!, 0), rows.length);
  assert.equal(points[0]!.UniqueContributors, 50);
  assert.equal(points[0]!.MaxContributorValue, 200);

  const bySum = await report('bytes-by-ip');
  const expectSum = top10(rows, (r) => r.bytes);
  assert.deepEqual(bySum.Contributors!.map((c) => [c.Keys![0], c.ApproximateAggregateValue]), expectSum.map((e) => [e.ip, e.total]));
  assert.equal(bySum.AggregateValue, rows.reduce((s, r) => s + r.bytes, 0));

  const errors = await report('errors-by-ip');
  assert.equal(errors.AggregateValue, rows.filter((r) => r.status === 500).length);
  assert.deepEqual(errors.Contributors![0]!.Keys!.length, 2);

  const py = `
import boto3, datetime, json
c = boto3.client('cloudwatch', endpoint_url='${server.url}', region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
t = lambda ms: datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
r = c.get_insight_rule_report(RuleName='bytes-by-ip', StartTime=t(${start - 300_000}), EndTime=t(${Date.now() + 60_000}), Period=300, MaxContributorCount=10, Metrics=['Sum', 'UniqueContributors'])
print(json.dumps([[x['Keys'][0], x['ApproximateAggregateValue']] for x in r['Contributors']]))
print(json.dumps(sorted(x['Name'] for x in c.describe_insight_rules()['InsightRules'])))`;
  const { stdout } = await run('/usr/bin/python3', ['-c', py], { env: awsEnv() });
  const [contributors, names] = stdout.trim().split('\n').map((l) => JSON.parse(l) as unknown);
  assert.deepEqual(contributors, expectSum.map((e) => [e.ip, e.total]));
  assert.deepEqual(names, ['bytes-by-ip', 'errors-by-ip', 'requests-by-ip']);

  // INSIGHT_RULE_METRIC in GetMetricData.
  const md = await cw.send(new GetMetricDataCommand({
    MetricDataQueries: [{ Id: 'u', Expression: 'INSIGHT_RULE_METRIC("requests-by-ip", "UniqueContributors")', Period: 300 },
      { Id: 's', Expression: 'INSIGHT_RULE_METRIC("requests-by-ip", "SampleCount")', Period: 300 }],
    StartTime: new Date(start - 600_000), EndTime: new Date(Date.now() + 300_000),
  }));
  assert.equal(Math.max(...md.MetricDataResults![0]!.Values!), 50);
  assert.equal(md.MetricDataResults![1]!.Values!.reduce((a, b) => a + b, 0), rows.length);

  // …and to alarms: more than 10 distinct IPs in a minute.
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'many-ips', EvaluationPeriods: 1, Threshold: 10, ComparisonOperator: 'GreaterThanThreshold',
    Metrics: [{ Id: 'u', Expression: 'INSIGHT_RULE_METRIC("requests-by-ip", "UniqueContributors")', Period: 60, ReturnData: true }],
  }));
  await until('the INSIGHT_RULE_METRIC alarm fires', async () =>
    ((await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['many-ips'] }))).MetricAlarms?.[0]?.StateValue === 'ALARM' ? true : undefined), 20_000);

  // Tags on the rule's ARN.
  const ruleArn = 'arn:aws:cloudwatch:us-east-1:000000000000:insight-rule/requests-by-ip';
  await cw.send(new TagResourceCommand({ ResourceARN: ruleArn, Tags: [{ Key: 'env', Value: 'prod' }] }));
  const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: ruleArn }));
  assert.deepEqual(tags.Tags?.map((t) => t.Key).sort(), ['env', 'team']);

  // A disabled rule stops counting; enabled again, it counts new events.
  const dis = await cw.send(new DisableInsightRulesCommand({ RuleNames: ['requests-by-ip', 'nope'] }));
  assert.deepEqual(dis.Failures?.map((f) => [f.FailureResource, f.ExceptionType]), [['nope', 'ResourceNotFoundException']]);
  await put([{ ip: '10.0.0.1', status: 200, bytes: 1 }], start);
  assert.equal((await report('requests-by-ip')).AggregateValue, rows.length);
  const described = await cw.send(new DescribeInsightRulesCommand({}));
  assert.equal(described.InsightRules!.find((r) => r.Name === 'requests-by-ip')!.State, 'DISABLED');
  await cw.send(new EnableInsightRulesCommand({ RuleNames: ['requests-by-ip'] }));
  await put([{ ip: '10.0.0.1', status: 200, bytes: 1 }], start);
  assert.equal((await report('requests-by-ip')).AggregateValue, rows.length + 1);

  // Another account sees none of it.
  const other = new CloudWatchClient({ ...sdkConfig(server.url), credentials: { accessKeyId: 'OTHER', secretAccessKey: 'other' } });
  assert.deepEqual((await other.send(new DescribeInsightRulesCommand({}))).InsightRules, []);
  const hidden = await other.send(new GetInsightRuleReportCommand({ RuleName: 'requests-by-ip', StartTime: new Date(start), EndTime: new Date(), Period: 60 })).catch((e: Error) => e);
  assert.equal((hidden as Error).name, 'ResourceNotFoundException');

  await cw.send(new DeleteInsightRulesCommand({ RuleNames: ['errors-by-ip'] }));
  const gone = await report('errors-by-ip').catch((e: { name: string; $metadata: { httpStatusCode: number } }) => e);
  assert.equal((gone as { name: string }).name, 'ResourceNotFoundException');
});

test('bad rules and report requests get CloudWatch errors', async () => {
  const cw = new CloudWatchClient(sdkConfig(server.url));
  const fail = (p: Promise<unknown>) => p.then(() => assert.fail('expected an error'), (e: { Code?: string; message: string }) => e);
  let e = await fail(cw.send(new PutInsightRuleCommand({ RuleName: 'x', RuleDefinition: definition(['$.ip'], 'Count').replace('"AggregateOn"', '"Surprise":1,"AggregateOn"') })));
  assert.equal(e.Code, 'InvalidParameterValue');
  assert.match(e.message, /Surprise/);
  e = await fail(cw.send(new PutInsightRuleCommand({ RuleName: 'x', RuleDefinition: definition(['$.a', '$.b', '$.c', '$.d', '$.e'], 'Count') })));
  assert.equal(e.Code, 'InvalidParameterValue');
  assert.match(e.message, /Contribution\.Keys/);
  e = await fail(cw.send(new PutInsightRuleCommand({ RuleName: 'x', RuleDefinition: definition(['ip'], 'Count') })));
  assert.match(e.message, /JSON property notation/);
  e = await fail(cw.send(new GetInsightRuleReportCommand({ RuleName: 'missing', StartTime: new Date(Date.now() - 60_000), EndTime: new Date(), Period: 60 })));
  assert.equal((e as unknown as { name: string }).name, 'ResourceNotFoundException');
  await cw.send(new PutInsightRuleCommand({ RuleName: 'ok', RuleDefinition: definition(['$.ip'], 'Count') }));
  e = await fail(cw.send(new GetInsightRuleReportCommand({ RuleName: 'ok', StartTime: new Date(Date.now() - 60_000), EndTime: new Date(), Period: 90 })));
  assert.equal(e.Code, 'InvalidParameterValue');
  e = await fail(cw.send(new GetInsightRuleReportCommand({ RuleName: 'ok', StartTime: new Date(Date.now() - 60_000), EndTime: new Date(), Period: 60, Metrics: ['Median'] })));
  assert.equal(e.Code, 'InvalidParameterValue');
});
