import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logEvents, runEvent, runMetrics } from './publish.ts';
import type { CanaryRecord, RunRecord } from '../types.ts';

const canary = { name: 'shop', id: 'c-1' } as CanaryRecord;
const run: RunRecord = { canaryId: 'c-1', id: 'r-1', scheduledRunId: 's', retryAttempt: 0, state: 'FAILED', stateReason: 'boom', started: 1_000_000, completed: 1_002_500, artifactLocation: 's3://b/p/r-1', localDir: '/x' };

test('CloudWatchSynthetics metrics: run, requests, steps with StepName, visual', () => {
  const data = runMetrics(canary, run, {
    status: 'FAILED', startTime: '', endTime: '', artifacts: [], requests: { '2xx': 3, '4xx': 1, '5xx': 2, failed: 0 },
    steps: [{ stepName: 'home', status: 'PASSED', startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:00:01.250Z', screenshots: [] }],
    visual: { compared: 4, failed: 1 },
  });
  const find = (name: string, step?: string) => data.find((d) => d.MetricName === name && (step === undefined ? d.Dimensions!.length === 1 : d.Dimensions![1]?.Value === step));
  assert.equal(find('SuccessPercent')?.Value, 0);
  assert.equal(find('Duration')?.Value, 2500);
  assert.equal(find('Failed')?.Value, 1);
  assert.equal(find('5xx')?.Value, 2);
  assert.equal(find('SuccessPercent', 'home')?.Value, 100);
  assert.equal(find('Duration', 'home')?.Value, 1250);
  assert.equal(find('VisualMonitoringSuccessPercent')?.Value, 75);
  assert.deepEqual(find('SuccessPercent')?.Dimensions, [{ Name: 'CanaryName', Value: 'shop' }]);
  assert.equal(data.find((d) => d.MetricName === '5xx' && d.Dimensions!.length === 0)?.Value, 2, 'the aggregated 5xx has no dimensions');
  assert.equal(data.find((d) => d.MetricName === 'VisualMonitoringTotalComparisons'), undefined, 'off by default, as on AWS');
});

test('metrics the script switched off are not published', () => {
  const data = runMetrics(canary, run, {
    status: 'FAILED', startTime: '', endTime: '', artifacts: [], requests: { '2xx': 3, '4xx': 1, '5xx': 2, failed: 0 },
    steps: [{ stepName: 'home', status: 'PASSED', startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:00:01.250Z', screenshots: [] }],
    metricOptions: { _2xxMetric: false, aggregated2xxMetric: false, stepSuccessMetric: false, failedCanaryMetric: false },
  });
  assert.equal(data.filter((d) => d.MetricName === '2xx').length, 0);
  assert.equal(data.filter((d) => d.MetricName === 'SuccessPercent').length, 1, 'the canary one stays');
  assert.deepEqual(data.filter((d) => d.MetricName === 'Failed').map((d) => d.Dimensions), [[]]);
});

test('log lines keep their own timestamps; others take the last one seen', () => {
  const events = logEvents('2026-01-01T00:00:05.000Z INFO start\nstack line\n\n2026-01-01T00:00:06.000Z ERROR end\n', 1);
  assert.deepEqual(events.map((e) => e.timestamp), [Date.UTC(2026, 0, 1, 0, 0, 5), Date.UTC(2026, 0, 1, 0, 0, 5), Date.UTC(2026, 0, 1, 0, 0, 6)]);
});

test('the run event is AWS\'s "Synthetics Canary TestRun Failure" envelope', () => {
  const e = runEvent({ account: '000000000000', region: 'us-east-1' }, canary, run, 1_003_000);
  assert.equal(e['detail-type'], 'Synthetics Canary TestRun Failure');
  assert.equal(e.source, 'aws.synthetics');
  assert.equal(e.detail['test-run-status'], 'FAILED');
  assert.equal(e.detail['artifact-location'], 'b/p/r-1');
  assert.deepEqual(e.detail['canary-run-timeline'], { started: 1000, completed: 1002 });
});
