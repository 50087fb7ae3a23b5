import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ctx } from '../../../protocol/service.ts';
import type { MetricAlarmRecord } from '../../../store/meta/alarms.ts';
import { rootCauseFinder } from './root-cause.ts';

const ctx = { account: '000000000000', region: 'us-east-1' } as Ctx;
const alarm = (Metrics: unknown[]) => ({ account: '000000000000', region: 'us-east-1', name: 'a', config: { ThresholdMetricId: 'ad1', Metrics } }) as unknown as MetricAlarmRecord;
/** 12 quiet periods, then the breaching one. */
const series = (base: number, last: number) => [...Array(12).fill(base), last] as number[];

test('a breakdown by one more dimension names the value behind the deviation', async () => {
  const reader = {
    listSeries: async () => [{ dimensions: { Service: 'api' } }, { dimensions: { Service: 'api', Host: 'h1' } }, { dimensions: { Service: 'api', Host: 'h2' } },
      { dimensions: { Service: 'api', Zone: 'a' } }, { dimensions: { Service: 'api', Zone: 'b' } }] as never,
  };
  const values: Record<string, number[]> = { s0: series(10, 11), s1: series(10, 90), s2: series(10, 40), s3: series(10, 70) };
  const find = rootCauseFinder(reader, async (_c, input) => ({
    MetricDataResults: input.MetricDataQueries!.map((q) => ({ Id: q.Id, Label: q.Id, Values: values[q.Id!] ?? [] })),
  }), () => ctx);
  const hints = await find(alarm([
    { Id: 'm1', MetricStat: { Metric: { Namespace: 'App', MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'api' }] }, Period: 60, Stat: 'Sum' }, ReturnData: true },
    { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(m1)', ReturnData: true },
  ]), Date.now());
  // Host: h2 carries 80 of 81; Zone: a carries 30 of 90 — Host explains more.
  assert.deepEqual(hints?.map((h) => [h.dimensions, h.share]), [[{ Service: 'api', Host: 'h2' }, 0.988]], 'h1 (1 %) is below the 5 % cut');
});

test('an alarm on SUM(SEARCH(…)) is broken down by the series SEARCH returns', async () => {
  const find = rootCauseFinder({ listSeries: async () => [] }, async (_c, input) => {
    const e1 = input.MetricDataQueries!.find((q) => q.Id === 'e1')!;
    assert.equal(e1.ReturnData, true);
    assert.equal(input.MetricDataQueries!.find((q) => q.Id === 'e2')!.ReturnData, false);
    return { MetricDataResults: [{ Id: 'e1', Label: 'i-1', Values: series(5, 5) }, { Id: 'e1', Label: 'i-2', Values: series(5, 50) }] };
  }, () => ctx);
  const hints = await find(alarm([
    { Id: 'e1', Expression: "SEARCH('{AWS/EC2,InstanceId} CPUUtilization', 'Average', 60)", ReturnData: false },
    { Id: 'e2', Expression: 'SUM(e1)', ReturnData: true },
    { Id: 'ad1', Expression: 'ANOMALY_DETECTION_BAND(e2)', ReturnData: true },
  ]), Date.now());
  assert.deepEqual(hints?.map((h) => [h.dimensions, h.share]), [[{ series: 'i-2' }, 1]]);
});
