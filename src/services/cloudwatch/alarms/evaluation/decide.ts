/**
 * The state decision, without any wording. Every branch is a sentence of "Configuring how
 * CloudWatch alarms treat missing data" (quoted where it applies); `reason.ts` turns the verdict
 * into CloudWatch's StateReason.
 */
import { isBreaching } from './compare.ts';
import { tooFewSamples } from './low-sample.ts';
import type { AlarmRule, AlarmState, Datapoint, TreatMissingData } from './types.ts';

/** One period of the evaluation range. `age` 1 is the newest period. */
export interface Slot {
  dp: Datapoint;
  /** undefined = missing (no value, or a band operator without its band). */
  breach: boolean | undefined;
  age: number;
}

export type Verdict =
  /** Compared against the threshold. `evaluated` is oldest → newest and may hold filled slots. */
  | { kind: 'threshold'; state: 'OK' | 'ALARM'; evaluated: Slot[]; filled: number; fillAs?: 'breaching' | 'notBreaching' }
  /** Nothing in range, missing data filled by the treatment. */
  | { kind: 'no-data'; state: 'OK' | 'ALARM'; periods: number; fillAs: 'breaching' | 'notBreaching' }
  | { kind: 'insufficient'; unknown: number; evaluated: Slot[] }
  | { kind: 'retain'; why: 'ignore' | 'low-sample' };

export const datapointsToAlarm = (rule: AlarmRule): number => rule.datapointsToAlarm ?? rule.evaluationPeriods;
export const treatment = (rule: AlarmRule): TreatMissingData => rule.treatMissingData ?? 'missing';

export function toSlots(rule: AlarmRule, datapoints: readonly Datapoint[]): Slot[] {
  return datapoints.map((dp, i) => ({ dp, breach: isBreaching(rule, dp), age: datapoints.length - i }));
}

export function decide(rule: AlarmRule, datapoints: readonly Datapoint[]): Verdict {
  const n = rule.evaluationPeriods;
  const m = datapointsToAlarm(rule);
  const treat = treatment(rule);
  const slots = toSlots(rule, datapoints);
  const real = slots.filter((s) => s.breach !== undefined);
  const breachingReal = real.filter((s) => s.breach).length;

  const compare = (evaluated: Slot[], breaching: number, filled = 0, fillAs?: 'breaching' | 'notBreaching'): Verdict => {
    if (tooFewSamples(rule, evaluated.map((s) => s.dp))) return { kind: 'retain', why: 'low-sample' };
    // "If fewer than the value of Datapoints to Alarm are breaching, the alarm state is set to OK.
    // Otherwise, the state is set to ALARM."
    const state = breaching >= m ? 'ALARM' : 'OK';
    return fillAs ? { kind: 'threshold', state, evaluated, filled, fillAs } : { kind: 'threshold', state, evaluated, filled };
  };

  // "If no data points in the evaluation range are missing, CloudWatch evaluates the alarm based on
  // the most recent data points collected" and "If some data points in the evaluation range are
  // missing, but the total number of existing data points [...] is equal to or more than the
  // alarm's Evaluation Periods, CloudWatch evaluates the alarm state based on the most recent real
  // data points [...] the value you set for how to treat missing data is not needed and is ignored."
  if (real.length >= n) {
    const evaluated = real.slice(-n);
    return compare(evaluated, evaluated.filter((s) => s.breach).length);
  }

  // Table row "- - - - -": MISSING → INSUFFICIENT_DATA, IGNORE → retain current state,
  // BREACHING → ALARM, NOT BREACHING → OK.
  if (real.length === 0) {
    switch (treat) {
      case 'missing':
        return { kind: 'insufficient', unknown: n, evaluated: slots.slice(-n) };
      case 'ignore':
        return { kind: 'retain', why: 'ignore' };
      case 'breaching':
        return { kind: 'no-data', state: n >= m ? 'ALARM' : 'OK', periods: n, fillAs: 'breaching' };
      case 'notBreaching':
        return { kind: 'no-data', state: 'OK', periods: n, fillAs: 'notBreaching' };
    }
  }

  const fill = n - real.length;

  // "CloudWatch fills in the missing data points with the result you specified for how to treat
  // missing data [...] all real data points in the evaluation range are included in the
  // evaluation. CloudWatch uses missing data points only as few times as possible." The filled
  // slots are the most recent missing ones ("the two most recent missing data points are both
  // treated as breaching", 2-of-3 table, rows 3-4).
  if (treat === 'breaching' || treat === 'notBreaching') {
    const filledSlots = slots.filter((s) => s.breach === undefined).slice(-fill);
    const evaluated = [...real, ...filledSlots].sort((a, b) => b.age - a.age);
    const breaching = breachingReal + (treat === 'breaching' ? fill : 0);
    return compare(evaluated, breaching, fill, treat);
  }

  // missing / ignore: the missing points are not filled; only the real ones are judged.
  if (breachingReal >= m) return compare(real, breachingReal);

  // "Avoiding premature transitions to alarm state": "alarms are designed to always go into ALARM
  // state when the oldest available breaching datapoint during the Evaluation Periods number of
  // data points is at least as old as the value of Datapoints to Alarm, and all other more recent
  // data points are breaching or missing." The tables pin two details the prose leaves open:
  // the 2-of-3 row "0 - X - -" stays OK, so a non-breaching point anywhere in the range disables
  // the rule; and the IGNORE column reads "Retain current state" where MISSING reads ALARM.
  const allBreaching = real.every((s) => s.breach);
  if (allBreaching && real[0]!.age >= m) {
    return treat === 'ignore' ? { kind: 'retain', why: 'ignore' } : compare(real, m);
  }

  // A real non-breaching point settles it: rows "0 - - - -" and "- - - - 0" read OK for both.
  if (!allBreaching) return compare(real, breachingReal);

  // Only young breaching points ("- - - - X", "- - - X -" with M = 3): the docs say the alarm
  // "does not go immediately into ALARM state"; the 2020 table gives INSUFFICIENT_DATA for MISSING
  // and "Retain current state" for IGNORE.
  return treat === 'ignore' ? { kind: 'retain', why: 'ignore' } : { kind: 'insufficient', unknown: fill, evaluated: slots.slice(-n) };
}

export const stateOf = (v: Verdict, current: AlarmState): AlarmState =>
  v.kind === 'retain' ? current : v.kind === 'insufficient' ? 'INSUFFICIENT_DATA' : v.state;
