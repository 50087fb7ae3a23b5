// Alarms end to end with SDK v3: metric alarms that really evaluate (new data → state within
// 2 s), composite alarms with AND / NOT, SetAlarmState firing actions (a Lambda function URL stands
// in for the function), history, validation errors, and a restart keeping alarms and states.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CloudWatchClient, PutMetricAlarmCommand, PutCompositeAlarmCommand, DescribeAlarmsCommand, DescribeAlarmHistoryCommand,
  SetAlarmStateCommand, PutMetricDataCommand, DeleteAlarmsCommand, DisableAlarmActionsCommand, DescribeAlarmsForMetricCommand,
  TagResourceCommand, ListTagsForResourceCommand, type CompositeAlarm,
} from '@aws-sdk/client-cloudwatch';
import { until } from './helpers/until.ts';
import { startTestServer, sdkConfig, type TestServer } from './helpers/server.ts';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:on-alarm';
let server: TestServer;
let cw: CloudWatchClient;
let receiver: Server;
let env: Record<string, string>;
/** The event CloudWatch sends a Lambda alarm action (only the fields these tests read). */
interface AlarmLambdaEvent { source: string; alarmData?: { alarmName: string; state: { value: string; reason: string } } }
const received: AlarmLambdaEvent[] = [];
let waiters: (() => void)[] = [];

before(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlarmLambdaEvent);
      res.end('{}');
      for (const w of waiters) w();
      waiters = [];
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => receiver.once('listening', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/lambda`;
  env = { OSPREY_LAMBDA_URLS: JSON.stringify({ [LAMBDA]: url }), OSPREY_DELIVERY_POLL_MS: '100' };
  server = await startTestServer({ env });
  cw = new CloudWatchClient(sdkConfig(server.url));
});
after(async () => {
  cw?.destroy();
  await server?.stop();
  server?.cleanup();
  receiver?.close();
});

const stateOf = async (name: string, types: ('MetricAlarm' | 'CompositeAlarm')[] = ['MetricAlarm', 'CompositeAlarm']) => {
  const r = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name], AlarmTypes: types }));
  return (r.MetricAlarms![0] ?? r.CompositeAlarms![0])!;
};

test('breaching data moves a metric alarm to ALARM within 2 s, with the reason CloudWatch gives', async () => {
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'errors-high', Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1,
    Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold', AlarmActions: [LAMBDA], TreatMissingData: 'notBreaching',
  }));
  const created = await stateOf('errors-high');
  assert.equal(created.StateReason === 'Unchecked: Initial alarm creation' || created.StateValue === 'OK', true);
  const t0 = Date.now();
  await cw.send(new PutMetricDataCommand({ Namespace: 'App', MetricData: [{ MetricName: 'Errors', Value: 6, Timestamp: new Date() }] }));
  const alarm = await until('ALARM', async () => { const a = await stateOf('errors-high'); return a.StateValue === 'ALARM' ? a : undefined; }, 2000);
  assert.ok(Date.now() - t0 < 2000);
  assert.match(alarm.StateReason!, /^Threshold Crossed: 1 (out of the last 1 )?datapoint/);
  const data = JSON.parse(alarm.StateReasonData!);
  assert.equal(data.threshold, 5);
  // The action ran: the Lambda URL got CloudWatch's alarm event.
  const event = await until('lambda event', async () => received.find((e) => e.alarmData?.alarmName === 'errors-high'));
  assert.equal(event.source, 'aws.cloudwatch');
  assert.equal(event.alarmData!.state.value, 'ALARM');
  const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'errors-high', HistoryItemType: 'StateUpdate' }));
  assert.ok(history.AlarmHistoryItems!.some((h) => h.HistorySummary === 'Alarm updated from INSUFFICIENT_DATA to ALARM'
    || h.HistorySummary === 'Alarm updated from OK to ALARM'));
  const forMetric = await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: 'App', MetricName: 'Errors' }));
  assert.deepEqual(forMetric.MetricAlarms!.map((a) => a.AlarmName), ['errors-high']);
});

test('composite alarm with AND and NOT follows its children', async () => {
  for (const name of ['cpu-high', 'maintenance']) {
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'Comp', MetricName: name, Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    }));
  }
  await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'page-me', AlarmRule: 'ALARM("cpu-high") AND NOT ALARM(maintenance)', ActionsEnabled: false }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'cpu-high', StateValue: 'ALARM', StateReason: 'test' }));
  await until('composite ALARM', async () => ((await stateOf('page-me')).StateValue === 'ALARM' ? true : undefined), 2000);
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'maintenance', StateValue: 'ALARM', StateReason: 'window' }));
  await until('composite OK', async () => ((await stateOf('page-me')).StateValue === 'OK' ? true : undefined), 2000);
  const children = await cw.send(new DescribeAlarmsCommand({ ChildrenOfAlarmName: 'page-me', AlarmTypes: ['MetricAlarm'] }));
  assert.deepEqual(children.MetricAlarms!.map((a) => a.AlarmName).sort(), ['cpu-high', 'maintenance']);
  const parents = await cw.send(new DescribeAlarmsCommand({ ParentsOfAlarmName: 'cpu-high', AlarmTypes: ['CompositeAlarm'] }));
  assert.deepEqual(parents.CompositeAlarms!.map((a) => a.AlarmName), ['page-me']);
  // Default AlarmTypes: metric alarms only.
  const plain = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'page' }));
  assert.deepEqual([plain.MetricAlarms!.length, plain.CompositeAlarms!.length], [0, 0]);
  const del = await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['cpu-high'] })).catch((e) => e);
  assert.equal(del.$metadata.httpStatusCode, 400, 'a child of a composite cannot be deleted alone');
});

test('SetAlarmState fires actions; disabled actions do not', async () => {
  await cw.send(new PutMetricAlarmCommand({
    AlarmName: 'manual', Namespace: 'Manual', MetricName: 'm', Statistic: 'Average', Period: 60, EvaluationPeriods: 3, DatapointsToAlarm: 2,
    Threshold: 10, ComparisonOperator: 'LessThanThreshold', OKActions: [LAMBDA], AlarmActions: [LAMBDA],
  }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'ALARM', StateReason: 'testing actions', StateReasonData: '{"k":1}' }));
  const event = await until('lambda event', async () => received.find((e) => e.alarmData?.alarmName === 'manual' && e.alarmData.state.reason === 'testing actions'));
  assert.equal(event.alarmData!.state.value, 'ALARM');
  await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['manual'] }));
  const before = received.length;
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'OK', StateReason: 'quiet' }));
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(received.length, before);
  const bad = await cw.send(new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'OK', StateReason: 'x', StateReasonData: '{' })).catch((e) => e);
  assert.equal(bad.$metadata.httpStatusCode, 400);
  const missing = await cw.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'OK', StateReason: 'x' })).catch((e) => e);
  assert.equal(missing.$metadata.httpStatusCode, 404);
});

test('PutMetricAlarm refuses what CloudWatch refuses', async () => {
  const base = { AlarmName: 'bad', Namespace: 'X', MetricName: 'm', Statistic: 'Sum' as const, Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold' as const };
  const fails = async (over: object, code: string) => {
    const e = await cw.send(new PutMetricAlarmCommand({ ...base, ...over })).catch((x) => x);
    assert.equal(e.$metadata?.httpStatusCode, 400, JSON.stringify(over));
    assert.equal(e.Code ?? e.name, code, `${JSON.stringify(over)}: ${e.message}`);
  };
  await fails({ Period: 45 }, 'ValidationError');
  await fails({ EvaluationPeriods: 2, DatapointsToAlarm: 3 }, 'ValidationError');
  await fails({ ThresholdMetricId: 'ad1' }, 'ValidationError');
  await fails({ ExtendedStatistic: 'p99' }, 'InvalidParameterCombination');
  await fails({ AlarmActions: ['not-an-arn'] }, 'ValidationError');
  const e = await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'c', AlarmRule: 'ALARM(ghost)' })).catch((x) => x);
  assert.equal(e.$metadata.httpStatusCode, 400);
  const syntax = await cw.send(new PutCompositeAlarmCommand({ AlarmName: 'c', AlarmRule: 'ALARM(errors-high) AND' })).catch((x) => x);
  assert.equal(syntax.$metadata.httpStatusCode, 400);
});

test('tags on alarms', async () => {
  const arn = (await stateOf('errors-high')).AlarmArn!;
  await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'team', Value: 'core' }] }));
  const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'core' }]);
});

test('a restart keeps alarms and their states', async () => {
  const before = await stateOf('errors-high');
  await server.stop();
  server = await startTestServer({ dataDir: server.dataDir, env });
  cw.destroy();
  cw = new CloudWatchClient(sdkConfig(server.url));
  const afterRestart = await stateOf('errors-high');
  assert.equal(afterRestart.StateValue, before.StateValue);
  assert.equal(afterRestart.StateReason, before.StateReason);
  const composite = await stateOf('page-me');
  assert.equal(composite.StateValue, 'OK');
});

test('ActionsSuppressor: held while the suppressor is in ALARM; fired when WaitPeriod ends without it', async () => {
  for (const name of ['svc-down', 'deploying']) {
    await cw.send(new PutMetricAlarmCommand({
      AlarmName: name, Namespace: 'Sup', MetricName: name, Statistic: 'Maximum', Period: 60, EvaluationPeriods: 1,
      Threshold: 1, ComparisonOperator: 'GreaterThanThreshold',
    }));
  }
  await cw.send(new PutCompositeAlarmCommand({
    AlarmName: 'svc-page', AlarmRule: 'ALARM(svc-down)', AlarmActions: [LAMBDA],
    ActionsSuppressor: 'deploying', ActionsSuppressorWaitPeriod: 2, ActionsSuppressorExtensionPeriod: 1,
  }));
  const fired = () => received.filter((e) => e.alarmData?.alarmName === 'svc-page');
  // A deployment is running: the page is suppressed.
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'deploying', StateValue: 'ALARM', StateReason: 'deploy' }));
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-down', StateValue: 'ALARM', StateReason: 'down' }));
  const held = await until('suppressed composite', async () => {
    const a = await stateOf('svc-page');
    return a.StateValue === 'ALARM' ? a : undefined;
  }, 3000);
  assert.equal((held as CompositeAlarm).ActionsSuppressedBy, 'Alarm');
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(fired().length, 0);
  // No deployment: the composite waits WaitPeriod (2 s) for the suppressor, then pages.
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-down', StateValue: 'OK', StateReason: 'up' }));
  await until('composite OK', async () => ((await stateOf('svc-page')).StateValue === 'OK' ? true : undefined), 3000);
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'deploying', StateValue: 'OK', StateReason: 'done' }));
  await new Promise((r) => setTimeout(r, 1200)); // past the 1 s ExtensionPeriod
  const t0 = Date.now();
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'svc-down', StateValue: 'ALARM', StateReason: 'down again' }));
  const waiting = await until('waiting composite', async () => {
    const a = await stateOf('svc-page');
    return a.StateValue === 'ALARM' ? a : undefined;
  }, 3000);
  assert.equal((waiting as CompositeAlarm).ActionsSuppressedBy, 'WaitPeriod');
  await until('page after the wait', () => (fired().length > 0 ? true : undefined), 6000);
  assert.ok(Date.now() - t0 >= 1900, 'actions waited for WaitPeriod');
});
