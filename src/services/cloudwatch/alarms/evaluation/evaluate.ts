/**
 * evaluateMetricAlarm: one evaluation of a metric alarm over the datapoints of its evaluation
 * range. Pure — the caller supplies the datapoints, the current state and the clock.
 */
import { decide, stateOf } from './decide.ts';
import { INITIAL_REASON, reasonData, reasonText } from './reason.ts';
import type { AlarmRule, AlarmState, Datapoint, Evaluation } from './types.ts';

/** datapoints oldest → newest over the evaluation range (one per period; value null = missing). */
export function evaluateMetricAlarm(rule: AlarmRule, datapoints: Datapoint[], current: AlarmState, now: number): Evaluation {
  const verdict = decide(rule, datapoints);
  const evaluation: Evaluation = {
    state: stateOf(verdict, current),
    reason: reasonText(rule, verdict),
    reasonData: reasonData(rule, verdict, now),
  };
  if (verdict.kind === 'retain') evaluation.retained = true;
  return evaluation;
}

/** The state a new or updated alarm starts in, before its first evaluation (StateReasonData is absent). */
export function initialEvaluation(): Evaluation {
  return { state: 'INSUFFICIENT_DATA', reason: INITIAL_REASON, reasonData: {} };
}
