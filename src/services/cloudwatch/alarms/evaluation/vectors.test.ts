/**
 * Every "alarm" and "alarm-sequence" case of the shared reference vectors
 * (../shared/vectors/metric-math.json): the two doc tables cell by cell, the premature-alarm
 * negatives, the comparison operators, and the "Evaluating an alarm" figure as a sequence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { evaluateMetricAlarm } from './evaluate.ts';
import { evaluationRange } from './range.ts';
import type { AlarmRule, AlarmState, ComparisonOperator, Datapoint, TreatMissingData } from './types.ts';

interface AlarmConfig {
  Threshold: number;
  ComparisonOperator: ComparisonOperator;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  TreatMissingData?: TreatMissingData;
  evaluation_range?: number;
}

interface AlarmCase {
  id: string;
  kind: string;
  config: AlarmConfig;
  datapoints?: (number | null)[];
  initial_state?: AlarmState;
  expected_state?: AlarmState;
  expected_state_not?: AlarmState;
  values_per_period?: (number | null)[];
  expected_state_after_each_period?: AlarmState[];
}

const file = new URL('../../../../../../shared/vectors/metric-math.json', import.meta.url);
const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: AlarmCase[] };
const alarmCases = cases.filter((c) => c.kind === 'alarm' || c.kind === 'alarm-sequence');

const ruleOf = (c: AlarmConfig): AlarmRule => ({
  threshold: c.Threshold,
  comparisonOperator: c.ComparisonOperator,
  period: c.Period,
  evaluationPeriods: c.EvaluationPeriods,
  ...(c.DatapointsToAlarm === undefined ? {} : { datapointsToAlarm: c.DatapointsToAlarm }),
  ...(c.TreatMissingData === undefined ? {} : { treatMissingData: c.TreatMissingData }),
  statistic: 'Average',
});

const NOW = Date.UTC(2026, 0, 1, 12, 0, 30);

/** Datapoints for `values`, the newest period ending where evaluationRange says the range ends. */
function pointsEndingAt(rule: AlarmRule, values: readonly (number | null)[], now: number): Datapoint[] {
  const { end } = evaluationRange(rule, now);
  const periodMs = rule.period * 1000;
  return values.map((value, i) => ({ timestamp: end - (values.length - i) * periodMs, value, sampleCount: value === null ? 0 : 1 }));
}

test('the vectors hold alarm cases', () => {
  assert.ok(alarmCases.length >= 39, `only ${alarmCases.length} alarm cases found`);
});

test('the doc tables\' evaluation range of 5 for 3 evaluation periods is what evaluationRange fetches', () => {
  for (const c of alarmCases) {
    if (c.config.evaluation_range === undefined) continue;
    assert.equal(evaluationRange(ruleOf(c.config), NOW).periods, c.config.evaluation_range, c.id);
  }
});

for (const c of alarmCases.filter((x) => x.kind === 'alarm')) {
  test(`${c.id}: [${c.datapoints!.map((v) => (v === null ? '-' : v)).join(' ')}]`, () => {
    const rule = ruleOf(c.config);
    // Without an initial_state the doc's answer does not depend on it; try every state to prove it.
    const starts: AlarmState[] = c.initial_state ? [c.initial_state] : ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
    for (const current of starts) {
      const { state } = evaluateMetricAlarm(rule, pointsEndingAt(rule, c.datapoints!, NOW), current, NOW);
      if (c.expected_state) assert.equal(state, c.expected_state, `from ${current}`);
      if (c.expected_state_not) assert.notEqual(state, c.expected_state_not, `from ${current}`);
    }
  });
}

for (const c of alarmCases.filter((x) => x.kind === 'alarm-sequence')) {
  test(`${c.id}: one evaluation after each period`, () => {
    const rule = ruleOf(c.config);
    const periodMs = rule.period * 1000;
    const { periods } = evaluationRange(rule, NOW);
    let state: AlarmState = c.initial_state ?? 'INSUFFICIENT_DATA';
    const seen: AlarmState[] = [];
    c.values_per_period!.forEach((_, k) => {
      // Evaluated just after period k closed: the range holds periods k-periods+1 … k, and the
      // periods before the first one have no data.
      const now = NOW + (k + 1) * periodMs;
      const window = Array.from({ length: periods }, (_, j) => c.values_per_period![k - periods + 1 + j] ?? null);
      state = evaluateMetricAlarm(rule, pointsEndingAt(rule, window, now), state, now).state;
      seen.push(state);
    });
    assert.deepEqual(seen, c.expected_state_after_each_period);
  });
}
