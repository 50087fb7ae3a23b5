import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceError } from '../../../protocol/errors.ts';
import { parseWidget, verticalAnnotations } from './parse-widget.ts';

const invalid = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ServiceError);
    assert.equal(e.code, 'InvalidParameterValue');
    assert.match(e.message, message);
    return true;
  });

test('defaults follow the reference: 600×400, timeSeries, Average over 300 s, legend at the bottom', () => {
  const spec = parseWidget('{"metrics":[["AWS/EC2","CPUUtilization"]]}');
  assert.deepEqual(spec, {
    metrics: [['AWS/EC2', 'CPUUtilization']],
    title: undefined, width: 600, height: 400, view: 'timeSeries', stacked: false, legend: 'bottom',
    stat: 'Average', period: 300, setPeriodToTimeRange: false, start: undefined, end: undefined, timezone: undefined,
    yAxis: { left: {}, right: {} }, horizontal: [], verticalRaw: [],
  });
});

test('every documented option is read', () => {
  const spec = parseWidget(JSON.stringify({
    metrics: [['NS', 'M']], title: 'T', width: 2000, height: 1, view: 'pie', stacked: true, legend: { position: 'hidden' },
    stat: 'p99', period: 60, setPeriodToTimeRange: true, start: '-PT1H', end: 'P0D', timezone: '+0130', liveData: true, region: 'us-east-1',
    yAxis: { left: { min: 0, max: 100, label: 'Percent', showUnits: false }, right: { min: -1 } },
    annotations: {
      horizontal: [{ value: 80, label: 'High', color: '#d62728', fill: 'above' }, [{ value: 1, label: 'band', yAxis: 'right' }, { value: 2 }], { value: 5, visible: false }],
      vertical: [{ value: '2024-01-01T00:00:00Z' }],
    },
  }));
  assert.equal(spec.view, 'pie');
  assert.equal(spec.legend, 'hidden');
  assert.deepEqual([spec.width, spec.height, spec.stat, spec.period, spec.setPeriodToTimeRange, spec.timezone], [2000, 1, 'p99', 60, true, '+0130']);
  assert.deepEqual(spec.yAxis, { left: { min: 0, max: 100, label: 'Percent' }, right: { min: -1, max: undefined, label: undefined } });
  assert.deepEqual(spec.horizontal, [
    { value: 80, to: undefined, label: 'High', color: '#d62728', fill: 'above', yAxis: 'left' },
    { value: 1, to: 2, label: 'band', color: undefined, fill: undefined, yAxis: 'right' },
  ]);
});

test('vertical annotations resolve their times, bands included', () => {
  const raw = [{ value: '2024-01-01T00:00:00Z', label: 'deploy', fill: 'after' }, [{ value: 'a' }, { value: 'b' }], { value: 'x', visible: false }];
  const times: Record<string, number> = { '2024-01-01T00:00:00Z': 1, a: 2, b: 3 };
  assert.deepEqual(verticalAnnotations(raw, (v) => times[v]), [
    { value: 1, to: undefined, label: 'deploy', color: undefined, fill: 'after' },
    { value: 2, to: 3, label: undefined, color: undefined, fill: undefined },
  ]);
  invalid(() => verticalAnnotations([{ label: 'no value' }], () => 0), /annotations.vertical\[0\] in the MetricWidget needs a value/);
});

test('a MetricWidget that is not a JSON object is InvalidParameterValue', () => {
  for (const bad of ['{"metrics": [', '', '[]', '"x"', 'null']) invalid(() => parseWidget(bad), /MetricWidget must be a valid JSON object/);
});

test('views this renderer cannot draw, and out-of-range values, are refused with what is allowed', () => {
  invalid(() => parseWidget('{"view":"gauge"}'), /view "gauge" is not supported .* timeSeries, bar, pie, singleValue/);
  invalid(() => parseWidget('{"view":"table"}'), /not supported/);
  invalid(() => parseWidget('{"width":2001}'), /width in the MetricWidget must be an integer from 1 to 2000/);
  invalid(() => parseWidget('{"height":0}'), /height .* from 1 to 2000/);
  invalid(() => parseWidget('{"width":10.5}'), /width/);
  invalid(() => parseWidget('{"legend":{"position":"top"}}'), /legend.position .* right, bottom or hidden/);
  invalid(() => parseWidget('{"stacked":"yes"}'), /stacked .* true or false/);
  invalid(() => parseWidget('{"period":-60}'), /period .* positive integer/);
  invalid(() => parseWidget('{"yAxis":{"left":{"min":"0"}}}'), /yAxis.left.min .* a number/);
  invalid(() => parseWidget('{"annotations":{"horizontal":{"value":1}}}'), /annotations.horizontal in the MetricWidget must be an array/);
  invalid(() => parseWidget('{"annotations":{"horizontal":[{"label":"x"}]}}'), /annotations.horizontal\[0\] in the MetricWidget needs a value/);
  invalid(() => parseWidget('{"annotations":{"horizontal":[[{"value":1}]]}}'), /band annotations.horizontal\[0\] .* pair/);
  invalid(() => parseWidget('{"annotations":{"horizontal":[{"value":1,"fill":"left"}]}}'), /fill .* above or below/);
});
