/**
 * StateReason and StateReasonData in CloudWatch's own words. Shapes copied from real alarm
 * notifications, e.g.
 *
 *   Threshold Crossed: 2 out of the last 2 datapoints [5.53 (27/09/21 01:36:00), 1.75 (27/09/21 01:35:00)]
 *     were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).
 *   Threshold Crossed: 1 out of the last 3 datapoints [0.0 (04/10/21 21:42:00)] was not greater than
 *     the threshold (0.1) (minimum 1 datapoint for ALARM -> OK transition).
 *   Threshold Crossed: 1 out of the last 20 datapoints [613.0 (16/03/24 12:15:00)] was greater than or
 *     equal to the threshold (1.0) and 19 missing datapoints were treated as [NonBreaching] (minimum ...).
 *   Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching].
 *   Insufficient Data: 5 datapoints were unknown.
 *
 * The listed datapoints are the ones that decided the state (breaching for ALARM, non-breaching for
 * OK), newest first; "minimum" is M for OK -> ALARM and N - M + 1 for ALARM -> OK. The transition
 * label names the direction, not the previous state (AWS writes "OK -> ALARM" when leaving
 * INSUFFICIENT_DATA too). In StateReasonData, recentDatapoints run oldest first and
 * evaluatedDatapoints newest first, as AWS writes them.
 */
import { COMPARISON_WORDS, isBandOperator } from './compare.ts';
import { datapointsToAlarm, type Slot, type Verdict } from './decide.ts';
import { javaDouble, reasonDataTime, reasonTime } from './format.ts';
import type { AlarmRule } from './types.ts';

export const INITIAL_REASON = 'Unchecked: Initial alarm creation';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const wasWere = (n: number) => (n === 1 ? 'was' : 'were');
const fillLabel = (fillAs: 'breaching' | 'notBreaching') => (fillAs === 'breaching' ? 'Breaching' : 'NonBreaching');
const listOf = (xs: readonly number[]) => `[${xs.map(javaDouble).join(', ')}]`;

export function reasonText(rule: AlarmRule, verdict: Verdict): string {
  switch (verdict.kind) {
    case 'retain':
      return verdict.why === 'ignore'
        ? 'Missing data is treated as ignore: the current state is retained.'
        : 'Too few samples for a statistically significant percentile: the current state is retained.';
    case 'insufficient':
      return `Insufficient Data: ${plural(verdict.unknown, 'datapoint')} ${wasWere(verdict.unknown)} unknown.`;
    case 'no-data':
      return (
        `Threshold Crossed: no datapoints were received for ${plural(verdict.periods, 'period')} and ` +
        `${plural(verdict.periods, 'missing datapoint')} ${wasWere(verdict.periods)} treated as [${fillLabel(verdict.fillAs)}].`
      );
    case 'threshold':
      return thresholdText(rule, verdict);
  }
}

function thresholdText(rule: AlarmRule, v: Extract<Verdict, { kind: 'threshold' }>): string {
  const alarm = v.state === 'ALARM';
  const deciding = v.evaluated.filter((s) => s.breach === alarm).sort((a, b) => a.age - b.age);
  const shown = deciding.length
    ? ` [${deciding.map((s) => `${javaDouble(s.dp.value!)} (${reasonTime(s.dp.timestamp)})`).join(', ')}]`
    : '';
  const band = isBandOperator(rule.comparisonOperator);
  const m = datapointsToAlarm(rule);
  const minimum = alarm ? m : rule.evaluationPeriods - m + 1;
  const filled = v.filled && v.fillAs
    ? ` and ${plural(v.filled, 'missing datapoint')} ${wasWere(v.filled)} treated as [${fillLabel(v.fillAs)}]`
    : '';
  return (
    `${band ? 'Thresholds' : 'Threshold'} Crossed: ${deciding.length} out of the last ${v.evaluated.length} datapoints${shown} ` +
    `${wasWere(deciding.length)} ${alarm ? '' : 'not '}${comparison(rule, deciding)}${filled} ` +
    `(minimum ${plural(minimum, 'datapoint')} for ${alarm ? 'OK -> ALARM' : 'ALARM -> OK'} transition).`
  );
}

/** "greater than the threshold (1.0)", or for bands "less than the lower thresholds [..] or greater than the upper thresholds [..]". */
function comparison(rule: AlarmRule, deciding: readonly Slot[]): string {
  const lower = listOf(deciding.map((s) => s.dp.lower ?? NaN));
  const upper = listOf(deciding.map((s) => s.dp.upper ?? NaN));
  switch (rule.comparisonOperator) {
    case 'LessThanLowerOrGreaterThanUpperThreshold':
      return `less than the lower thresholds ${lower} or greater than the upper thresholds ${upper}`;
    case 'LessThanLowerThreshold':
      return `less than the lower thresholds ${lower}`;
    case 'GreaterThanUpperThreshold':
      return `greater than the upper thresholds ${upper}`;
    default:
      return `${COMPARISON_WORDS[rule.comparisonOperator]} the threshold (${javaDouble(rule.threshold ?? NaN)})`;
  }
}

/**
 * StateReasonData: {"version":"1.0","queryDate":…,"startDate":…,"statistic":"Average","period":60,
 * "recentDatapoints":[5.0],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":…,"sampleCount":1.0,"value":5.0}]}.
 * Filled or unknown periods appear in evaluatedDatapoints with a timestamp only, and startDate is
 * absent when no real datapoint was evaluated (as in AWS's INSUFFICIENT_DATA and no-data reasons).
 */
export function reasonData(rule: AlarmRule, verdict: Verdict, now: number): Record<string, unknown> {
  if (verdict.kind === 'retain') return {};
  const evaluated = verdict.kind === 'no-data' ? [] : verdict.evaluated;
  const real = evaluated.filter((s) => s.breach !== undefined).sort((a, b) => b.age - a.age);
  const band = isBandOperator(rule.comparisonOperator);
  return withoutUndefined({
    version: '1.0',
    queryDate: reasonDataTime(now),
    startDate: real.length ? reasonDataTime(real[0]!.dp.timestamp) : undefined,
    statistic: rule.statistic,
    extendedStatistic: rule.extendedStatistic,
    unit: rule.unit,
    period: rule.period,
    recentDatapoints: real.map((s) => s.dp.value),
    threshold: band ? undefined : rule.threshold,
    recentLowerThresholds: band ? real.map((s) => s.dp.lower ?? null) : undefined,
    recentUpperThresholds: band ? real.map((s) => s.dp.upper ?? null) : undefined,
    evaluatedDatapoints: [...evaluated]
      .sort((a, b) => a.age - b.age)
      .map((s) =>
        s.breach === undefined
          ? { timestamp: reasonDataTime(s.dp.timestamp) }
          : withoutUndefined({ timestamp: reasonDataTime(s.dp.timestamp), sampleCount: s.dp.sampleCount, value: s.dp.value }),
      ),
  });
}

/** Absent fields are left out, as in AWS's JSON (no "unit" key when the alarm has no Unit). */
function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
