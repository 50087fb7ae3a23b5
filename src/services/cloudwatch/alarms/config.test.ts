import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PutCompositeAlarmInput, PutMetricAlarmInput } from '@aws-sdk/client-cloudwatch';
import { compositeAlarmConfig, metricAlarmConfig, tagsOf } from './config.ts';

// Inputs in model member order, as the Query protocol decodes them.
const single: PutMetricAlarmInput = {
  AlarmName: 'cpu', AlarmDescription: 'hot', ActionsEnabled: true, AlarmActions: ['arn:aws:sns:us-east-1:123456789012:t'],
  MetricName: 'CPU', Namespace: 'App', Statistic: 'Average', Dimensions: [{ Name: 'Host', Value: 'h1' }], Period: 60, Unit: 'Percent',
  EvaluationPeriods: 3, DatapointsToAlarm: 2, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'breaching',
  Tags: [{ Key: 'team', Value: 'a' }],
};

test('the stored metric alarm record is the PutMetricAlarm input minus Tags, member for member (the layout earlier rows have)', () => {
  const config = metricAlarmConfig(single, { EvaluationPeriods: 3, Threshold: 80, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'breaching' });
  const { Tags: _tags, ...expected } = single;
  assert.equal(JSON.stringify(config), JSON.stringify(expected));
  assert.ok(!('Metrics' in config), 'absent members stay absent');
  assert.deepEqual(tagsOf(single.Tags), { team: 'a' });
});

test('metric-math alarms keep their Metrics queries as given', () => {
  const metrics = [
    { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'CPU' }, Period: 60, Stat: 'p99' }, ReturnData: false },
    { Id: 'e1', Expression: 'm1 * 2', Label: 'double' },
  ];
  const input: PutMetricAlarmInput = { AlarmName: 'math', EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'LessThanThreshold', Metrics: metrics };
  const config = metricAlarmConfig(input, { EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'LessThanThreshold', Metrics: [
    { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'CPU' }, Period: 60, Stat: 'p99' }, ReturnData: false },
    { Id: 'e1', Expression: 'm1 * 2', Label: 'double' },
  ] });
  assert.deepEqual(config.Metrics, metrics);
});

test('the stored composite alarm record is the PutCompositeAlarm input minus Tags', () => {
  const input: PutCompositeAlarmInput = {
    ActionsEnabled: false, AlarmName: 'both', AlarmRule: 'ALARM(cpu) AND ALARM(math)', OKActions: [],
    Tags: [{ Key: 'k', Value: 'v' }], ActionsSuppressor: 'cpu', ActionsSuppressorWaitPeriod: 60, ActionsSuppressorExtensionPeriod: 30,
  };
  const { Tags: _tags, ...expected } = input;
  assert.equal(JSON.stringify(compositeAlarmConfig(input)), JSON.stringify(expected));
});
