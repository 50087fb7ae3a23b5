import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import { expandShorthand, widgetQueries } from './metrics.ts';

const DEFAULTS = { stat: 'Average', period: 300 };
const stat = (Id: string, Namespace: string, MetricName: string, dims: [string, string][] = [], over: Record<string, unknown> = {}) => ({
  Id,
  MetricStat: { Metric: { Namespace, MetricName, Dimensions: dims.map(([Name, Value]) => ({ Name, Value })) }, Period: 300, Stat: 'Average' },
  ReturnData: true,
  ...over,
});

function invalid(fn: () => unknown, message: RegExp) {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ServiceError);
    assert.equal(e.code, 'InvalidParameterValue');
    assert.equal(e.status, 400);
    assert.match(e.message, message);
    return true;
  });
}

test('a plain metric becomes a MetricStat query with dimensions in pairs, the widget defaults and id m0', () => {
  const { queries, series } = widgetQueries([['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-1', 'AutoScalingGroupName', 'web']], DEFAULTS);
  assert.deepEqual(queries, [stat('m0', 'AWS/EC2', 'CPUUtilization', [['InstanceId', 'i-1'], ['AutoScalingGroupName', 'web']])]);
  assert.deepEqual(series, [{
    id: 'm0', label: undefined, fallbackLabel: 'CPUUtilization', color: undefined, yAxis: 'left',
    metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ Name: 'InstanceId', Value: 'i-1' }, { Name: 'AutoScalingGroupName', Value: 'web' }], stat: 'Average' },
  }]);
});

test('"." repeats the item above at the same position', () => {
  const { queries } = widgetQueries([
    ['AWS/Lambda', 'Invocations', 'FunctionName', 'f'],
    ['.', 'Errors', '.', '.'],
    ['.', 'Throttles', '.', '.'],
  ], DEFAULTS);
  assert.deepEqual(queries.map((q) => 'MetricStat' in q && [q.MetricStat.Metric.MetricName, q.MetricStat.Metric.Dimensions]), [
    ['Invocations', [{ Name: 'FunctionName', Value: 'f' }]],
    ['Errors', [{ Name: 'FunctionName', Value: 'f' }]],
    ['Throttles', [{ Name: 'FunctionName', Value: 'f' }]],
  ]);
});

test('"..." repeats the row above up to the items that follow it', () => {
  assert.deepEqual(expandShorthand(['...', 'i-2'], ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-1'], 'r'), ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-2']);
  assert.deepEqual(expandShorthand(['...'], ['AWS/EC2', 'CPUUtilization'], 'r'), ['AWS/EC2', 'CPUUtilization']);
  assert.deepEqual(expandShorthand(['AWS/EC2', '...', 'i-9'], ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-1'], 'r'), ['AWS/EC2', 'CPUUtilization', 'InstanceId', 'i-9']);
  invalid(() => expandShorthand(['...', 'a', 'b', 'c'], ['x', 'y'], 'metrics[1]'), /metrics\[1\]: "..." has no row above/);
  invalid(() => expandShorthand(['.', 'CPU'], undefined, 'metrics[0]'), /metrics\[0\]: "." at position 0 has nothing above/);
});

test('per-metric options: label, color, stat, period, right axis, explicit id', () => {
  const { queries, series } = widgetQueries([
    ['AWS/EC2', 'CPUUtilization', { label: 'CPU', color: '#ff7f0e', stat: 'p99', period: 60, yAxis: 'right', id: 'cpu' }],
  ], DEFAULTS);
  assert.deepEqual(queries, [{
    Id: 'cpu',
    MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: [] }, Period: 60, Stat: 'p99' },
    Label: 'CPU',
    ReturnData: true,
  }]);
  assert.deepEqual(series, [{
    id: 'cpu', label: 'CPU', fallbackLabel: 'CPUUtilization', color: '#ff7f0e', yAxis: 'right',
    metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [], stat: 'p99' },
  }]);
});

test('visible:false is queried (expressions may use it) but not returned or drawn', () => {
  const { queries, series } = widgetQueries([
    ['AWS/ELB', 'RequestCount', { visible: false }],
    ['.', 'HTTPCode_Backend_5XX', { visible: false }],
    [{ expression: '100 * m1 / m0', label: 'Error rate', id: 'rate' }],
  ], DEFAULTS);
  assert.deepEqual(queries.map((q) => [q.Id, q.ReturnData]), [['m0', false], ['m1', false], ['rate', true]]);
  assert.deepEqual(queries[2], { Id: 'rate', Expression: '100 * m1 / m0', Label: 'Error rate', ReturnData: true });
  assert.deepEqual(series.map((s) => s.id), ['rate']);
});

test('generated ids skip the ones the widget uses explicitly; expressions without an id get e0, e1…', () => {
  const { queries } = widgetQueries([
    ['NS', 'A'],
    ['NS', 'B', { id: 'm0' }],
    [{ expression: 'SUM(METRICS())' }],
    [{ expression: 'AVG(METRICS())', id: 'e0x' }],
    ['NS', 'C'],
  ], DEFAULTS);
  assert.deepEqual(queries.map((q) => q.Id), ['m1', 'm0', 'e0', 'e0x', 'm2']);
});

test('an expression row does not reset what "." refers to', () => {
  const { queries } = widgetQueries([['NS', 'A', 'D', 'x'], [{ expression: 'm0 * 2' }], ['.', 'B', '.', '.']], DEFAULTS);
  const last = queries[2];
  assert.ok('MetricStat' in last);
  assert.deepEqual(last.MetricStat.Metric, { Namespace: 'NS', MetricName: 'B', Dimensions: [{ Name: 'D', Value: 'x' }] });
});

test('setPeriodToTimeRange overrides every period, expressions included', () => {
  const { queries } = widgetQueries([['NS', 'A', { period: 60 }], [{ expression: 'm0', id: 'e1' }]], { ...DEFAULTS, periodOverride: 10800 });
  assert.deepEqual(queries.map((q) => ('MetricStat' in q ? q.MetricStat.Period : q.Period)), [10800, 10800]);
});

test('malformed rows are InvalidParameterValue with the row named', () => {
  invalid(() => widgetQueries(undefined, DEFAULTS), /needs a metrics array/);
  invalid(() => widgetQueries([], DEFAULTS), /needs a metrics array/);
  invalid(() => widgetQueries(Array.from({ length: 101 }, () => ['NS', 'A']), DEFAULTS), /101 metrics and expressions; at most 100/);
  invalid(() => widgetQueries([['NS', 'A'], 'NS'], DEFAULTS), /metrics\[1\] must be an array/);
  invalid(() => widgetQueries([['NS', 'A', 'InstanceId']], DEFAULTS), /name\/value pairs; InstanceId has no value/);
  invalid(() => widgetQueries([['NS']], DEFAULTS), /at least a namespace and a metric name/);
  invalid(() => widgetQueries([['NS', 'A', 3, 'x']], DEFAULTS), /every item but the last must be a string/);
  invalid(() => widgetQueries([[{ label: 'no expression' }]], DEFAULTS), /an expression row needs an expression/);
  invalid(() => widgetQueries([['NS', 'A', { id: 'x' }], ['NS', 'B', { id: 'x' }]], DEFAULTS), /id x is used more than once/);
  invalid(() => widgetQueries([['NS', 'A', { id: 'Upper' }]], DEFAULTS), /metrics\[0\]: id must be a lowercase letter/);
  invalid(() => widgetQueries([['NS', 'A', { color: 'red' }]], DEFAULTS), /color must be a hex color/);
  invalid(() => widgetQueries([['NS', 'A', { yAxis: 'top' }]], DEFAULTS), /yAxis must be left or right/);
  invalid(() => widgetQueries([['NS', 'A', { period: 0 }]], DEFAULTS), /period must be a positive integer/);
});
