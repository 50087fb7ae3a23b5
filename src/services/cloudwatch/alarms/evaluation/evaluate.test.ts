import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateMetricAlarm, initialEvaluation } from './evaluate.ts';
import { javaDouble, reasonTime, stringifyReasonData } from './format.ts';
import { validatePeriodLimits } from './limits.ts';
import { minimumSamples, percentileOf } from './low-sample.ts';
import { evaluationRange } from './range.ts';
import type { AlarmRule, Datapoint } from './types.ts';

const T0 = Date.UTC(2026, 10, 22, 7, 0, 0);
const NOW = T0 + 60_000 + 5_123;
const base: AlarmRule = { threshold: 1, comparisonOperator: 'GreaterThanThreshold', evaluationPeriods: 1, period: 60, statistic: 'Average' };

/** Points one minute apart, the newest at T0. */
const points = (values: (number | null)[], extra: Partial<Datapoint> = {}): Datapoint[] =>
  values.map((value, i) => ({ timestamp: T0 - (values.length - 1 - i) * 60_000, value, sampleCount: value === null ? 0 : 1, ...extra }));

describe('StateReason and StateReasonData', () => {
  test('OK -> ALARM with one datapoint, as in AWS notifications', () => {
    const e = evaluateMetricAlarm(base, points([null, null, 5]), 'OK', NOW);
    assert.equal(e.state, 'ALARM');
    assert.equal(
      e.reason,
      'Threshold Crossed: 1 out of the last 1 datapoints [5.0 (22/11/26 07:00:00)] was greater than the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
    );
    assert.equal(
      stringifyReasonData(e.reasonData),
      '{"version":"1.0","queryDate":"2026-11-22T07:01:05.123+0000","startDate":"2026-11-22T07:00:00.000+0000","statistic":"Average","period":60,' +
        '"recentDatapoints":[5.0],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"2026-11-22T07:00:00.000+0000","sampleCount":1.0,"value":5.0}]}',
    );
  });

  test('ALARM -> OK lists the non-breaching points newest first with the N - M + 1 minimum', () => {
    const rule: AlarmRule = { ...base, evaluationPeriods: 3, datapointsToAlarm: 3, comparisonOperator: 'GreaterThanOrEqualToThreshold' };
    const e = evaluateMetricAlarm(rule, points([0.5, 2, 0]), 'ALARM', NOW);
    assert.equal(e.state, 'OK');
    assert.equal(
      e.reason,
      'Threshold Crossed: 2 out of the last 3 datapoints [0.0 (22/11/26 07:00:00), 0.5 (22/11/26 06:58:00)] were not greater than or equal to the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition).',
    );
    assert.deepEqual(e.reasonData.recentDatapoints, [0.5, 2, 0]);
    assert.deepEqual((e.reasonData.evaluatedDatapoints as { value: number }[]).map((d) => d.value), [0, 2, 0.5]);
  });

  test('M out of N names M in the OK -> ALARM minimum', () => {
    const rule: AlarmRule = { ...base, evaluationPeriods: 4, datapointsToAlarm: 2 };
    const e = evaluateMetricAlarm(rule, points([3, 0, 4, 0]), 'OK', NOW);
    assert.equal(
      e.reason,
      'Threshold Crossed: 2 out of the last 4 datapoints [4.0 (22/11/26 06:59:00), 3.0 (22/11/26 06:57:00)] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).',
    );
  });

  test('filled missing datapoints are named with their treatment', () => {
    const rule: AlarmRule = { ...base, evaluationPeriods: 3, treatMissingData: 'notBreaching' };
    const e = evaluateMetricAlarm(rule, points([null, null, null, null, 5]), 'OK', NOW);
    assert.equal(e.state, 'OK');
    assert.equal(
      e.reason,
      'Threshold Crossed: 0 out of the last 3 datapoints were not greater than the threshold (1.0) and 2 missing datapoints were treated as [NonBreaching] (minimum 1 datapoint for ALARM -> OK transition).',
    );
    assert.deepEqual(e.reasonData.evaluatedDatapoints, [
      { timestamp: '2026-11-22T07:00:00.000+0000', sampleCount: 1, value: 5 },
      { timestamp: '2026-11-22T06:59:00.000+0000' },
      { timestamp: '2026-11-22T06:58:00.000+0000' },
    ]);
  });

  test('no data at all, treated as breaching or not', () => {
    const none = points([null, null, null]);
    assert.equal(
      evaluateMetricAlarm({ ...base, treatMissingData: 'breaching' }, none, 'OK', NOW).reason,
      'Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].',
    );
    const ok = evaluateMetricAlarm({ ...base, evaluationPeriods: 2, treatMissingData: 'notBreaching' }, none, 'ALARM', NOW);
    assert.equal(ok.state, 'OK');
    assert.equal(ok.reason, 'Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [NonBreaching].');
    assert.equal(ok.reasonData.startDate, undefined);
  });

  test('INSUFFICIENT_DATA names the unknown datapoints', () => {
    const e = evaluateMetricAlarm({ ...base, evaluationPeriods: 5 }, points([null, null, null, null, null, null, null]), 'OK', NOW);
    assert.equal(e.state, 'INSUFFICIENT_DATA');
    assert.equal(e.reason, 'Insufficient Data: 5 datapoints were unknown.');
    assert.deepEqual(e.reasonData.recentDatapoints, []);
    assert.equal((e.reasonData.evaluatedDatapoints as unknown[]).length, 5);
    assert.equal(evaluateMetricAlarm(base, points([null, null, null]), 'OK', NOW).reason, 'Insufficient Data: 1 datapoint was unknown.');
  });

  test('a new alarm is unchecked', () => {
    assert.deepEqual(initialEvaluation(), { state: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', reasonData: {} });
  });

  test('band operators use the per-period band and say "Thresholds"', () => {
    const rule: AlarmRule = { comparisonOperator: 'LessThanLowerOrGreaterThanUpperThreshold', evaluationPeriods: 1, period: 300 };
    const e = evaluateMetricAlarm(rule, points([40], { lower: 31.5, upper: 33 }), 'OK', NOW);
    assert.equal(e.state, 'ALARM');
    assert.equal(
      e.reason,
      'Thresholds Crossed: 1 out of the last 1 datapoints [40.0 (22/11/26 07:00:00)] was less than the lower thresholds [31.5] or greater than the upper thresholds [33.0] (minimum 1 datapoint for OK -> ALARM transition).',
    );
    assert.deepEqual(e.reasonData.recentUpperThresholds, [33]);
    assert.equal(evaluateMetricAlarm({ ...rule, comparisonOperator: 'LessThanLowerThreshold' }, points([40], { lower: 31.5 }), 'ALARM', NOW).state, 'OK');
  });
});

describe('missing-data rules beyond the doc tables', () => {
  const rule: AlarmRule = { ...base, threshold: 5, evaluationPeriods: 3, datapointsToAlarm: 3 };
  test('ignore retains the state and flags it', () => {
    const e = evaluateMetricAlarm({ ...rule, treatMissingData: 'ignore' }, points([null, null, null, null, null]), 'ALARM', NOW);
    assert.equal(e.state, 'ALARM');
    assert.equal(e.retained, true);
  });
  test('"X - - - -" goes to ALARM when missing data is missing (2020 table, row 6)', () => {
    assert.equal(evaluateMetricAlarm(rule, points([10, null, null, null, null]), 'OK', NOW).state, 'ALARM');
  });
  test('"- - - - X" is INSUFFICIENT_DATA when missing, retained when ignored (2020 table)', () => {
    assert.equal(evaluateMetricAlarm(rule, points([null, null, null, null, 10]), 'OK', NOW).state, 'INSUFFICIENT_DATA');
    assert.equal(evaluateMetricAlarm({ ...rule, treatMissingData: 'ignore' }, points([null, null, null, null, 10]), 'OK', NOW).state, 'OK');
  });
  test('with M = 1 a single fresh breaching point alarms under every treatment', () => {
    for (const treatMissingData of ['missing', 'ignore', 'breaching', 'notBreaching'] as const) {
      assert.equal(evaluateMetricAlarm({ ...rule, datapointsToAlarm: 1, treatMissingData }, points([null, null, null, null, 10]), 'OK', NOW).state, 'ALARM');
    }
  });
  test('DatapointsToAlarm defaults to EvaluationPeriods', () => {
    const { datapointsToAlarm: _, ...noM } = rule;
    assert.equal(evaluateMetricAlarm(noM, points([0, 10, 10, 0, 10]), 'OK', NOW).state, 'OK');
  });
});

describe('low-sample percentiles', () => {
  const rule: AlarmRule = { ...base, extendedStatistic: 'p99', statistic: undefined, evaluateLowSampleCountPercentile: 'ignore' };
  test('the sample bar follows the user guide', () => {
    assert.equal(percentileOf('p99'), 0.99);
    assert.equal(Math.round(minimumSamples(0.99)!), 1000);
    assert.equal(minimumSamples(0.5), 20);
    assert.equal(minimumSamples(0.1), 100);
    assert.equal(minimumSamples(1), undefined);
    assert.equal(percentileOf('Average'), undefined);
  });
  test('ignore keeps the state while the evaluated datapoints rest on too few samples', () => {
    const few = evaluateMetricAlarm(rule, points([5], { sampleCount: 999 }), 'OK', NOW);
    assert.equal(few.state, 'OK');
    assert.equal(few.retained, true);
    assert.equal(evaluateMetricAlarm(rule, points([5], { sampleCount: 1000 }), 'OK', NOW).state, 'ALARM');
  });
  test('evaluate (the default) judges whatever the sample count', () => {
    assert.equal(evaluateMetricAlarm({ ...rule, evaluateLowSampleCountPercentile: 'evaluate' }, points([5], { sampleCount: 3 }), 'OK', NOW).state, 'ALARM');
  });
});

describe('evaluationRange', () => {
  test('5 periods for N = 3, ending at the last complete period', () => {
    const r = evaluationRange({ ...base, period: 300, evaluationPeriods: 3 }, Date.UTC(2026, 0, 1, 0, 7, 0));
    assert.deepEqual(r, { start: Date.UTC(2025, 11, 31, 23, 40), end: Date.UTC(2026, 0, 1, 0, 5), periods: 5 });
  });
  test('the look-back grows with N', () => {
    assert.equal(evaluationRange({ ...base, evaluationPeriods: 1 }, NOW).periods, 3);
    assert.equal(evaluationRange({ ...base, evaluationPeriods: 10 }, NOW).periods, 14);
  });
});

describe('validatePeriodLimits', () => {
  test('accepts the documented periods', () => {
    for (const p of [10, 20, 30, 60, 300, 3600]) assert.equal(validatePeriodLimits(p, 1), undefined);
  });
  test('rejects other periods', () => {
    for (const p of [0, 5, 15, 45, 90, 61]) assert.equal(validatePeriodLimits(p, 1), 'Period must be 10, 20, 30 or a multiple of 60');
  });
  test('one day for periods under an hour, seven days otherwise', () => {
    assert.equal(validatePeriodLimits(60, 1440), undefined);
    assert.match(validatePeriodLimits(60, 1441)!, /more than a day \(EvaluationPeriods \* Period must be <= 86400\)/);
    assert.equal(validatePeriodLimits(3600, 168), undefined);
    assert.match(validatePeriodLimits(3600, 169)!, /more than a week/);
  });
  test('DatapointsToAlarm must not exceed EvaluationPeriods', () => {
    assert.equal(validatePeriodLimits(60, 3, 3), undefined);
    assert.equal(validatePeriodLimits(60, 3, 4), 'DatapointsToAlarm must be less than or equal to EvaluationPeriods');
    assert.match(validatePeriodLimits(60, 3, 0)!, /DatapointsToAlarm is invalid/);
  });
});

describe('number and time spelling', () => {
  test('doubles print as Java prints them', () => {
    assert.equal(javaDouble(5), '5.0');
    assert.equal(javaDouble(0.017077552154660225), '0.017077552154660225');
    assert.equal(javaDouble(0.0001), '1.0E-4');
    assert.equal(javaDouble(12345678), '1.2345678E7');
    assert.equal(javaDouble(-2.5), '-2.5');
  });
  test('reason times are dd/MM/yy HH:mm:ss UTC', () => {
    assert.equal(reasonTime(Date.UTC(2021, 8, 27, 1, 36)), '27/09/21 01:36:00');
  });
});
