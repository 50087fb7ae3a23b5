/**
 * A composite alarm's StateReason and StateReasonData, worded as CloudWatch words them:
 *
 *   arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh transitioned to ALARM at Friday 22 July, 2022 15:57:45 UTC
 *   {"triggeringAlarms":[{"arn":"arn:…:alarm:ServerCpuTooHigh","state":{"value":"ALARM","timestamp":"2022-07-22T15:57:45.394+0000"}}]}
 *
 * and, when the rule itself changed the outcome,
 *
 *   arn:aws:cloudwatch:us-east-1:111111111111:alarm:asg-disk-composite was updated and its new alarm rule evaluates to OK
 */
import type { AlarmState } from '../evaluation/types.ts';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number) => String(n).padStart(2, '0');

/** "Friday 22 July, 2022 15:57:45 UTC". */
export function longUtc(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]}, ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

export interface ChildTransition {
  arn: string;
  state: AlarmState;
  /** ms since the epoch of the child's state change. */
  timestamp: number;
}

/** StateReason when a child's transition moved the composite. */
export function describeRuleForReason(trigger: ChildTransition): string {
  return `${trigger.arn} transitioned to ${trigger.state} at ${longUtc(trigger.timestamp)}`;
}

/** StateReasonData listing the children whose transitions triggered the evaluation. */
export function compositeReasonData(triggers: readonly ChildTransition[]): { triggeringAlarms: unknown[] } {
  return {
    triggeringAlarms: triggers.map((t) => ({
      arn: t.arn,
      state: { value: t.state, timestamp: new Date(t.timestamp).toISOString().replace('Z', '+0000') },
    })),
  };
}

/** StateReason when the composite's own rule changed (PutCompositeAlarm) and the outcome moved. */
export function ruleUpdatedReason(compositeArn: string, state: AlarmState): string {
  return `${compositeArn} was updated and its new alarm rule evaluates to ${state}`;
}
