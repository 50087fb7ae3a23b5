import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultMetricLabels, formatValue, uniqueNames, type LabelledMetric } from './graph-text.ts';

const cpu = (instance: string, extra: Partial<LabelledMetric> = {}): LabelledMetric => ({
  namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average',
  dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }, { Name: 'InstanceId', Value: instance }], ...extra,
});

test('a metric alone under its name is labelled with the name', () => {
  assert.deepEqual(defaultMetricLabels([cpu('i-1')]), ['CPUUtilization']);
});

test('same-named metrics get the values of the dimensions that differ, not those they share', () => {
  assert.deepEqual(defaultMetricLabels([cpu('i-1'), cpu('i-2'), cpu('i-3'), cpu('i-4')]),
    ['CPUUtilization i-1', 'CPUUtilization i-2', 'CPUUtilization i-3', 'CPUUtilization i-4']);
});

test('a dimension one metric lacks still tells them apart; other names and skipped rows are left alone', () => {
  const bare: LabelledMetric = { namespace: 'AWS/EC2', metricName: 'CPUUtilization', stat: 'Average', dimensions: [] };
  const net: LabelledMetric = { ...bare, metricName: 'NetworkIn' };
  assert.deepEqual(defaultMetricLabels([cpu('i-1'), undefined, bare, net]),
    ['CPUUtilization web i-1', undefined, 'CPUUtilization', 'NetworkIn']);
});

test('with the same dimensions, the statistic and then the namespace tell metrics apart', () => {
  assert.deepEqual(defaultMetricLabels([cpu('i-1'), cpu('i-1', { stat: 'Maximum' })]), ['CPUUtilization Average', 'CPUUtilization Maximum']);
  assert.deepEqual(defaultMetricLabels([cpu('i-1'), cpu('i-1', { namespace: 'Custom' })]), ['CPUUtilization AWS/EC2', 'CPUUtilization Custom']);
  assert.deepEqual(defaultMetricLabels([cpu('i-1'), cpu('i-1')]), ['CPUUtilization', 'CPUUtilization']);
});

test('duplicate names get a counter so every series keeps its own legend entry', () => {
  assert.deepEqual(uniqueNames(['a', 'b', 'a', 'a']), ['a', 'b', 'a (2)', 'a (3)']);
  assert.deepEqual(uniqueNames(['a', 'a (2)', 'a']), ['a', 'a (2)', 'a (3)']);
});

test('axis numbers are short: significant digits, SI suffixes above a thousand', () => {
  assert.equal(formatValue(46.729629440313595), '46.7296');
  assert.equal(formatValue(1234567), '1.23M');
  assert.equal(formatValue(1500), '1.5k');
  assert.equal(formatValue(0.000123456), '0.000123');
  assert.equal(formatValue(-2500), '-2.5k');
  assert.equal(formatValue(0), '0');
});
